# The desk writes international (British) English: "22 September 2026",
# as in its reports' own text. Everything not set here is Django's.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
