from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from jobs import report

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_schedule(report, CronTrigger(hour=7))

if __name__ == "__main__":
    scheduler.start()
