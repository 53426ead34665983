# path: proj/celery.py
"""Schedules no cron or rate expression can reproduce."""
from datetime import timedelta

from celery import Celery
from celery.schedules import solar

app = Celery("proj")

app.conf.beat_schedule = {
    "sunset-lights": {"task": "home.lights", "schedule": solar("sunset", -37.81, 144.96)},
    "every-10-seconds": {"task": "home.poll", "schedule": 10.0},
    "ninety-seconds": {"task": "home.ping", "schedule": timedelta(seconds=90)},
    "every-90-minutes": {"task": "home.sync", "schedule": timedelta(minutes=90)},
    "weekly-interval": {"task": "home.backup", "schedule": timedelta(weeks=1)},
}
