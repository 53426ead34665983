TIME_ZONE = "UTC"
CRONTAB_COMMAND_PREFIX = "cd /srv/app &&"
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send"),
]
