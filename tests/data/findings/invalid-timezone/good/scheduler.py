from apscheduler.schedulers.blocking import BlockingScheduler
from jobs import report

scheduler = BlockingScheduler(timezone="Europe/Paris")
scheduler.add_job(report, "cron", hour=7)

if __name__ == "__main__":
    scheduler.start()
