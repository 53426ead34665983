TIME_ZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "report": {"task": "proj.tasks.report", "schedule": 60.0},
}
