# path: mysite/settings.py
"""django-crontab's README formats, with a settings module and an environment prefix."""
INSTALLED_APPS = ["django_crontab", "myapp"]
TIME_ZONE = "Europe/Paris"  # Django's zone: cron does not read it

CRONTAB_DJANGO_SETTINGS_MODULE = "mysite.settings.production"
CRONTAB_COMMAND_PREFIX = "STAGE=production LANG=C.UTF-8"

CRONJOBS = [
    ("*/5 * * * *", "myapp.cron.my_scheduled_job"),
    # format 1
    ("0   0 1 * *", "myapp.cron.my_scheduled_job", ">> /tmp/scheduled_job.log"),
    # format 2
    ("0   0 1 * *", "myapp.cron.other_scheduled_job", ["myapp"]),
    ("0   0 * * 0", "django.core.management.call_command", ["dumpdata", "auth"], {"indent": 4}),
    ("30 2 * * mon-fri", "myapp.cron.weekdays"),
    ("@daily", "myapp.cron.daily"),
]
