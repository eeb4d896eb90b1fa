# Django's Italian date-time starts with the weekday ("Martedì 22 ..."); a
# byline reads better without it.
DATETIME_FORMAT = "j F Y, H:i"
