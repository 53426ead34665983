"""The reporting box's scheduler: run with `python scheduler.py` under systemd."""

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from reports import exports
from reports.warehouse import refresh_materialized_views

logging.basicConfig(level=logging.INFO)

scheduler = BlockingScheduler(timezone="Asia/Tokyo")


def heartbeat():
    logging.info("scheduler alive")


scheduler.add_job(refresh_materialized_views, "cron", hour="*/2", minute=5,
                  id="refresh-views")
# APScheduler counts weekdays from Monday = 0: 0-4 is Monday to Friday.
scheduler.add_job(exports.daily_export, "cron", day_of_week="0-4", hour=6, minute=45,
                  kwargs={"target": "s3://exports/daily"}, id="daily-export")
scheduler.add_job(exports.weekly_summary, CronTrigger.from_crontab("0 9 * * 0"),
                  id="weekly-summary")
scheduler.add_job(exports.quarterly, "cron", month="1,4,7,10", day=1, hour=8,
                  timezone="Europe/London", id="quarterly-export")
scheduler.add_job(exports.month_end, "cron", day="last", hour=22, id="month-end")
scheduler.add_job(heartbeat, "interval", minutes=5, id="heartbeat")


@scheduler.scheduled_job("cron", day_of_week="sat", hour=3, id="vacuum")
def vacuum():
    logging.info("vacuum")


if __name__ == "__main__":
    scheduler.start()
