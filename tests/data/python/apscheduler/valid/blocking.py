# path: scheduler.py
"""A BlockingScheduler script: add_job with 'cron' and 'interval', started under __main__."""
import billing.tasks as billing
from apscheduler.schedulers.blocking import BlockingScheduler
from reports.jobs import send_report

scheduler = BlockingScheduler(timezone="Asia/Shanghai")


def cleanup(days):
    print("cleanup", days)


scheduler.add_job(cleanup, "cron", hour=3, minute=15, args=[30], id="nightly-cleanup")
scheduler.add_job(send_report, "cron", day_of_week="mon-fri", hour=9)
# day_of_week 0 is Monday in APScheduler
scheduler.add_job(billing.charge, "cron", day_of_week="0", hour=10, minute=30,
                  kwargs={"dry_run": False})
scheduler.add_job(cleanup, "cron", day=1, args=[90], name="monthly")
scheduler.add_job(send_report, "interval", minutes=20)
scheduler.add_job("reports.jobs:rollup", "interval", hours=6)

if __name__ == "__main__":
    scheduler.start()
