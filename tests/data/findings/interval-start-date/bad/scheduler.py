from apscheduler.schedulers.blocking import BlockingScheduler


def job():
    pass


sched = BlockingScheduler(timezone="UTC")
sched.add_job(job, "interval", hours=2, start_date="2027-01-01 01:30:00")
