# Django's Finnish month-and-day uses the nominative ("22. syyskuu"); a date
# needs the partitive: "22. syyskuuta".
MONTH_DAY_FORMAT = "j. E"
