# path: worker/clock.py
"""The @scheduled_job decorator, CronTrigger and from_crontab, a scheduler-wide zone."""
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

sched = BackgroundScheduler()
sched.configure(timezone="Europe/Berlin")


@sched.scheduled_job("cron", day_of_week="sat,sun", hour="8-20/4")
def weekend_sweep():
    pass


@sched.scheduled_job("interval", hours=1)
def hourly():
    pass


@sched.scheduled_job(CronTrigger(month="jan-mar", day="1-7", day_of_week="tue", hour=6))
def first_tuesday_q1():
    pass


@sched.scheduled_job(CronTrigger.from_crontab("0 6 * * 1-5"))
def from_crontab_weekdays():
    # from_crontab keeps APScheduler's numbering: 1-5 is Tuesday to Saturday.
    pass


@sched.scheduled_job(CronTrigger.from_crontab("30 22 * * mon-fri", timezone="UTC"))
def late_utc():
    pass


def main():
    sched.start()
