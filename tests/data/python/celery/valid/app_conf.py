# path: proj/celery.py
"""The Celery docs' style: an app, its zone, and app.conf.beat_schedule."""
import os
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")
app.conf.timezone = "Europe/London"

app.conf.beat_schedule = {
    # Executes every Monday morning at 7:30 a.m.
    "add-every-monday-morning": {
        "task": "tasks.add",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),
        "args": (16, 16),
    },
    "quarter-hourly": {
        "task": "proj.tasks.ping",
        "schedule": crontab(minute="*/15"),
    },
    "office-hours": {
        "task": "proj.tasks.poll",
        "schedule": crontab(minute=0, hour="9-17", day_of_week="mon-fri"),
        "kwargs": {"source": "crm", "full": False},
        "options": {"queue": "low", "expires": 300},
    },
    "month-start": {
        "task": "proj.tasks.invoice",
        "schedule": crontab(0, 0, day_of_month="1"),
    },
    "every-half-hour": {
        "task": "proj.tasks.sync",
        "schedule": timedelta(minutes=30),
    },
}
