# Django's Russian month-and-day uses the nominative ("22 Сентябрь"); a date
# needs the genitive: "22 сентября".
MONTH_DAY_FORMAT = "j E"
