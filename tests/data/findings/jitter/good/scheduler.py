from apscheduler.schedulers.blocking import BlockingScheduler
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, "cron", hour=7, jitter=0)

if __name__ == "__main__":
    scheduler.start()
