from apscheduler.schedulers.blocking import BlockingScheduler


def report():
    pass


scheduler = BlockingScheduler(timezone="UTC")
scheduler.add_job(report, "cron", hour=7)
scheduler.start()
