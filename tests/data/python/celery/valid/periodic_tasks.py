# path: proj/tasks.py
"""The on_after_configure hook with add_periodic_task and task signatures."""
from celery import Celery
from celery.schedules import crontab

app = Celery("proj", timezone="Asia/Tokyo")


@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    # Calls test('hello') every hour.
    sender.add_periodic_task(3600.0, test.s("hello"), name="add every hour")

    # Executes every Monday morning at 7:30 a.m.
    sender.add_periodic_task(
        crontab(hour=7, minute=30, day_of_week=1),
        test.s("Happy Mondays!"),
    )
    sender.add_periodic_task(crontab(minute=0, hour="*/4"), cleanup.si(), name="cleanup")


@app.task
def test(arg):
    print(arg)


@app.task(name="maintenance.cleanup")
def cleanup():
    pass
