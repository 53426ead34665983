# path: worker/celery_app.py
"""A config class, a schedule set inside a function, crontab(**kwargs) and an old import."""
from celery import Celery
from celery.task.schedules import crontab as cron

celery_app = Celery(__name__)

NIGHTLY = {"minute": 10, "hour": 1}


class Config:
    timezone = "Europe/Madrid"
    enable_utc = True
    beat_schedule = {
        "nightly": {"task": "worker.tasks.nightly", "schedule": cron(**NIGHTLY)},
    }


celery_app.config_from_object(Config)


def install_schedule(app):
    celery_app.conf.beat_schedule.update({
        "hourly": {"task": "worker.tasks.hourly", "schedule": cron(minute=0)},
    })
