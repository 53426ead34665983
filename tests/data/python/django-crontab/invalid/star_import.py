# path: mysite/settings/prod.py
"""CRONJOBS extended from a base settings module."""
from .base import *  # noqa

CRONJOBS += [
    ("0 5 * * *", "myapp.cron.prod_backup"),
]
CRONJOBS.append(("30 5 * * 1", "myapp.cron.weekly_report"))
