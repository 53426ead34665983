# path: proj/celery.py
"""Values Celery itself refuses when beat starts (kept, as errors)."""
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.timezone = "Mars/Olympus_Mons"

app.conf.beat_schedule = {
    "sunday-as-seven": {"task": "t.a", "schedule": crontab(minute=0, hour=0, day_of_week=7)},
    "step-on-value": {"task": "t.b", "schedule": crontab(minute="5/15")},
    "february-30": {"task": "t.c", "schedule": crontab(0, 0, day_of_month=30, month_of_year=2)},
    "bad-keyword": {"task": "t.d", "schedule": crontab(minutes=5)},
    "no-schedule": {"task": "t.e"},
    "from-string-double-space": {"task": "t.f", "schedule": crontab.from_string("0  4 * * *")},
}
