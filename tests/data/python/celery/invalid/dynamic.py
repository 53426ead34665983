# path: proj/settings.py
"""Values known only at run time: each entry is kept with a finding."""
import os

from celery.schedules import crontab

from .defaults import EXTRA_SCHEDULE

CELERY_TIMEZONE = os.environ.get("TZ", "UTC")
CLEANUP_HOUR = int(os.environ["CLEANUP_HOUR"])

CELERY_BEAT_SCHEDULE = {
    "cleanup": {"task": "proj.tasks.cleanup", "schedule": crontab(minute=0, hour=CLEANUP_HOUR)},
    "computed": {"task": "proj.tasks.compute", "schedule": make_schedule()},
    "args-from-env": {
        "task": "proj.tasks.notify",
        "schedule": crontab(minute=15),
        "args": [os.getenv("CHANNEL")],
    },
    "hours-comprehension": {
        "task": "proj.tasks.hours",
        "schedule": crontab(minute=0, hour=[h for h in range(24) if h % 5 == 0]),
    },
    **EXTRA_SCHEDULE,
}
