# path: proj/celery.py
app.conf.beat_schedule = {
    "broken": {"task": "x", "schedule": crontab(minute=0,
}
