# path: proj/celery.py
"""The zone lives in the Django settings this app loads: not in this file."""
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "morning": {"task": "proj.tasks.morning", "schedule": crontab(minute=0, hour=6)},
}
