# The reports are dated the way the international press writes: "22 September
# 2026", not Django's "Sept. 22, 2026". Anything not set here is Django's.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
