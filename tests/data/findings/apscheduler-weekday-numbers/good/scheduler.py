from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, CronTrigger.from_crontab("0 7 * * mon"))

if __name__ == "__main__":
    scheduler.start()
