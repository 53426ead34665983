# path: celeryconfig.py
"""A celeryconfig module (app.config_from_object("celeryconfig")): lower-case settings."""
from celery.schedules import crontab

broker_url = "pyamqp://guest@localhost//"
timezone = "America/New_York"
enable_utc = True

EVENING = "%d" % (12 + 6)
WINDOW = "-".join(["22", "2"])

beat_schedule = {
    "evening": {"task": "jobs.evening", "schedule": crontab(minute="30", hour=EVENING)},
    "overnight": {"task": "jobs.overnight", "schedule": crontab(minute=0, hour=WINDOW)},
    "from-string": {"task": "jobs.weekly", "schedule": crontab.from_string("15 4 * * sun")},
    "hours-list": {"task": "jobs.hours", "schedule": crontab(minute=0, hour=[8, 12, 16])},
    "range-hours": {"task": "jobs.rng", "schedule": crontab(minute=0, hour=range(9, 18, 3))},
}
