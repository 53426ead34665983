from celery import Celery

app = Celery("proj")
TIME_ZONE = "UTC"
app.conf.beat_schedule = {
    "report": {"task": "proj.tasks.report", "schedule": 60.0},
}
