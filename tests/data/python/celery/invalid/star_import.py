# path: config/settings/production.py
"""Settings that extend a base module's schedule: entries added here are read, the base's
part is reported."""
from .base import *  # noqa
from celery.schedules import crontab

CELERY_BEAT_SCHEDULE.update({
    "prod-only-export": {"task": "reports.export", "schedule": crontab(minute=0, hour=4)},
})
CELERY_BEAT_SCHEDULE["prod-audit"] = {"task": "audit.run", "schedule": crontab(minute=30, hour=4)}
