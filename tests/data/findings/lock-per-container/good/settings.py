TIME_ZONE = "UTC"
CRONTAB_LOCK_JOBS = False
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send"),
]
