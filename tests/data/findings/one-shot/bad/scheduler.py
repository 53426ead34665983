from apscheduler.schedulers.blocking import BlockingScheduler
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, "date", run_date="2027-01-01 07:00:00")

if __name__ == "__main__":
    scheduler.start()
