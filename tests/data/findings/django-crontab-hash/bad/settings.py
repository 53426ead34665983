TIME_ZONE = "UTC"
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send"),
]
