from celery.schedules import crontab

TIME_ZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "send": {"task": "reports.cron.send", "schedule": crontab(minute=0, hour=7)},
}
