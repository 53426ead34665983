# path: scheduler.py
"""Values APScheduler refuses, and a function and trigger this reader cannot follow."""
import os

from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler(timezone=os.environ["TZ"])


def job():
    pass


scheduler.add_job(job, "cron", day_of_week="fri-mon")
scheduler.add_job(job, "cron", hour=24)
scheduler.add_job(job, "cron", days_of_week="mon")
scheduler.add_job(job, "cron", minute="*/75")
scheduler.add_job(lambda: job(), "cron", hour=1)
scheduler.add_job(job, "cron", hour=int(os.getenv("HOUR", "2")))
scheduler.add_job(job, build_trigger())
scheduler.add_job(job, "cron", hour=5, timezone="Nowhere/City")
for spec in load_specs():
    scheduler.add_job(job, "cron", **spec)
