# Django abbreviates the month ("22 Sep. 2026"); Indonesian news writes it out.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H.i"
