from apscheduler.schedulers.blocking import BlockingScheduler

scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job("jobs:report", "cron", hour=7)

if __name__ == "__main__":
    scheduler.start()
