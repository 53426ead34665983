from apscheduler.schedulers.blocking import BlockingScheduler
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, "cron", month=1, day=1, hour=7)

if __name__ == "__main__":
    scheduler.start()
