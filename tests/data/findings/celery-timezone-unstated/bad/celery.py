from celery import Celery

app = Celery("proj")
app.config_from_object("proj.celeryconfig")
app.conf.beat_schedule = {
    "report": {"task": "proj.tasks.report", "schedule": 60.0},
}
