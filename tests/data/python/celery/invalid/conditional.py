# path: proj/settings.py
"""Entries that exist only under a condition, and an entry written twice."""
from celery.schedules import crontab

DEBUG = bool(int("0"))
TIME_ZONE = "UTC"

CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "ops.heartbeat", "schedule": crontab()},
    "digest": {"task": "ops.digest", "schedule": crontab(minute=0, hour=8)},
}
CELERY_BEAT_SCHEDULE["digest"] = {"task": "ops.digest", "schedule": crontab(minute=30, hour=8)}

try:
    from .local_settings import LOCAL
except ImportError:
    CELERY_BEAT_SCHEDULE["fallback"] = {"task": "ops.fallback", "schedule": crontab(minute=1)}

if ENABLE_STATS:
    CELERY_BEAT_SCHEDULE["stats"] = {"task": "ops.stats", "schedule": crontab(minute="*/5")}
