from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, CronTrigger(hour="7,19"))

if __name__ == "__main__":
    scheduler.start()
