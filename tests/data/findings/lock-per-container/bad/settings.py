TIME_ZONE = "UTC"
CRONTAB_LOCK_JOBS = True
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send"),
]
