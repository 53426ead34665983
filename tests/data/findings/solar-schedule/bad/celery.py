from celery.schedules import solar
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.timezone = "UTC"
app.conf.beat_schedule = {
    "report": {"task": "proj.tasks.report", "schedule": solar("sunset", -37.81, 144.96)},
}
