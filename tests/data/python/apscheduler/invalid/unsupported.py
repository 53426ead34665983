# path: scheduler.py
"""APScheduler features cron cannot express, and runs that are not schedules."""
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler()


def job():
    pass


scheduler.add_job(job, "cron", day="last", hour=23)
scheduler.add_job(job, "cron", day="2nd fri", hour=9)
scheduler.add_job(job, "cron", second="*/10")
scheduler.add_job(job, "cron", second=30)
scheduler.add_job(job, "cron", year=2027, month=6, day=1)
scheduler.add_job(job, "cron", week="1-10", day_of_week="mon")
scheduler.add_job(job, "cron", hour=4, jitter=120, start_date="2027-03-01", end_date="2027-12-31")
scheduler.add_job(job, "date", run_date=datetime(2027, 5, 1, 9, 0))
scheduler.add_job(job)
scheduler.add_job(job, "interval", minutes=90)
scheduler.add_job(job, "interval", seconds=45)
scheduler.add_job(job, "interval", hours=2, start_date="2027-01-01 01:30:00")
scheduler.add_job(job, "cron")
scheduler.start()
