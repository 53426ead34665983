from celery import Celery

app = Celery("proj")
app.conf.timezone = "UTC"


@app.task
def report():
    pass


@app.on_after_configure.connect
def setup(sender, **kwargs):
    sender.add_periodic_task(3600.0, report.s())
