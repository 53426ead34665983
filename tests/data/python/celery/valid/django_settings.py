# path: shop/settings/base.py
"""Django settings: CELERY_BEAT_SCHEDULE with the Django zone, and later edits to it."""
from celery.schedules import crontab

DEBUG = False
TIME_ZONE = "Asia/Kolkata"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.admin", "shop"]

NIGHTLY_HOUR = 2
REPORT_DAYS = "mon,wed,fri"

CELERY_BROKER_URL = "redis://localhost:6379/0"
CELERY_BEAT_SCHEDULE = {
    "nightly-cleanup": {
        "task": "shop.tasks.cleanup",
        "schedule": crontab(minute=5, hour=NIGHTLY_HOUR),
    },
    "reports": {
        "task": "shop.tasks.report",
        "schedule": crontab(minute=45, hour=NIGHTLY_HOUR + 4, day_of_week=REPORT_DAYS),
        "args": ["daily"],
    },
}

CELERY_BEAT_SCHEDULE.update({
    "first-monday": {
        "task": "shop.tasks.newsletter",
        "schedule": crontab(minute=0, hour=10, day_of_week=1, day_of_month="1-7"),
    },
})
CELERY_BEAT_SCHEDULE["every-6-hours"] = {
    "task": "shop.tasks.rates",
    "schedule": 6 * 60 * 60,
}
