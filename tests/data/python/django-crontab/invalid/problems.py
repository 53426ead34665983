# path: mysite/settings.py
"""What django-crontab would install badly, or this reader cannot read."""
import os

CRONTAB_LOCK_JOBS = True
CRONTAB_COMMAND_PREFIX = "cd /srv/app &&"
CRONTAB_COMMAND_SUFFIX = "2>&1"

CRONJOBS = [
    ("61 * * * *", "myapp.cron.bad_minute"),
    ("0 0 * * * *", "myapp.cron.six_fields"),
    ("0 4 1 * mon", "myapp.cron.day_or_weekday"),
    ("@reboot", "myapp.cron.at_boot"),
    (os.environ.get("SYNC_TIME", "0 * * * *"), "myapp.cron.sync"),
    ("*/15 * * * *", "myapp.cron.report", [os.environ["REPORT_ID"]]),
    get_job(),
]
