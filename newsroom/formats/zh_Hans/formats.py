# Django pads the month ("09月22日"); Chinese text writes "9月22日".
MONTH_DAY_FORMAT = "n月j日"
