# path: app/scheduling.py
"""Keyword trigger arguments, a trigger bound to a name, **kwargs from a constant, async jobs,
a scheduler created inside a function."""
import pytz
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from app import tasks

EVERY_NIGHT = {"hour": 2, "minute": 30}


def create_scheduler():
    scheduler = AsyncIOScheduler(timezone=pytz.utc)
    scheduler.add_job(func=tasks.rotate_keys, trigger="cron", day_of_week="sun", hour=1)
    nightly = CronTrigger(**EVERY_NIGHT)
    scheduler.add_job(tasks.compact, nightly, id="compact")
    scheduler.add_job(tasks.digest, "cron", **{"hour": 8, "minute": 0}, id="digest")

    @scheduler.scheduled_job("cron", minute="*/10", timezone=pytz.timezone("Asia/Seoul"))
    async def poll():
        await tasks.poll()

    return scheduler
