# path: proj/celery.py
"""Celery's own field semantics, where they differ from cron's."""
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.update(timezone="UTC")

app.conf.beat_schedule = {
    # A backwards range wraps around midnight in Celery (cron rejects it).
    "wrap-hours": {"task": "q.wrap", "schedule": crontab(minute=0, hour="22-2")},
    # Month names are tried first: "mar" is 3, a Wednesday.
    "mar-is-wednesday": {"task": "q.mar", "schedule": crontab(minute=0, hour=0, day_of_week="mar")},
    # Weekend wrapping: saturday to monday.
    "weekend": {"task": "q.weekend", "schedule": crontab(minute=0, hour=12, day_of_week="sat-mon")},
    # Day of month AND day of week (cron would OR them).
    "friday-13th": {"task": "q.f13", "schedule": crontab(minute=0, hour=9, day_of_month=13, day_of_week="fri")},
    "even-days": {"task": "q.even", "schedule": crontab(0, 0, day_of_month="2-30/2")},
}
