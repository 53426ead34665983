TIME_ZONE = "UTC"
CRONJOBS = [
    ("0 7 * * *", "reports.cron.send", "> /var/log/send.log 2>&1"),
]
