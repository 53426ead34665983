TIME_ZONE = "UTC"
CRONTAB_COMMAND_PREFIX = "DJANGO_ENV=production"
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send"),
]
