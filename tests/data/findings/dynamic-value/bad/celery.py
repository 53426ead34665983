import os
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.timezone = "UTC"
app.conf.beat_schedule = {
    "report": {"task": "proj.tasks.report", "schedule": float(os.environ["EVERY"])},
}
