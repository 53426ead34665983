from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.timezone = "UTC"
app.conf.beat_schedule = {
    "report": {"task": "proj.tasks.report", "schedule": 300.0},
}
