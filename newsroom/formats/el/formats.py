# Django writes Greek dates as 22/09/2026; in running text a Greek reader
# expects the month in the genitive: "22 Σεπτεμβρίου 2026".
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
