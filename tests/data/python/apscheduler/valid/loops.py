# path: jobs/schedule.py
"""Jobs added in a loop over constants: one job per iteration."""
import jobs.tasks as tasks
from apscheduler.schedulers.background import BackgroundScheduler

scheduler = BackgroundScheduler({"apscheduler.timezone": "Australia/Adelaide"})

FEEDS = {"prices": 5, "stock": 35}
for name, minute in FEEDS.items():
    scheduler.add_job(tasks.fetch, "cron", minute=minute, args=[name], id=f"fetch-{name}")

for hour in (6, 18):
    scheduler.add_job(tasks.snapshot, "cron", hour=hour)
