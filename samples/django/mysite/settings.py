"""Django settings for mysite: Celery beat for the queue workers, django-crontab for the
jobs that still run from the batch server's crontab."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-sample-only"
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django_crontab",
    "django_celery_results",
    "shop",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = "redis://redis:6379/0"
CELERY_RESULT_BACKEND = "django-db"
CELERY_TIMEZONE = "Asia/Kolkata"  # the operations team in Bengaluru owns these jobs

REPORT_HOUR = 7
WEEKDAYS = "mon-fri"

CELERY_BEAT_SCHEDULE = {
    "refresh-exchange-rates": {
        "task": "shop.tasks.refresh_exchange_rates",
        "schedule": crontab(minute="*/15"),
    },
    "daily-sales-report": {
        "task": "shop.tasks.sales_report",
        "schedule": crontab(minute=30, hour=REPORT_HOUR, day_of_week=WEEKDAYS),
        "kwargs": {"recipients": ["ops@example.com"]},
        "options": {"queue": "reports"},
    },
    "expire-carts": {
        "task": "shop.tasks.expire_carts",
        "schedule": timedelta(hours=1),
    },
    "month-end-close": {
        "task": "shop.tasks.month_end_close",
        "schedule": crontab(minute=0, hour=23, day_of_month="28-31"),
    },
    "first-monday-newsletter": {
        "task": "shop.tasks.newsletter",
        "schedule": crontab(minute=0, hour=10, day_of_week=1, day_of_month="1-7"),
        "args": ("monthly",),
    },
    "sync-inventory": {
        "task": "shop.tasks.sync_inventory",
        "schedule": timedelta(minutes=90),
    },
}

# --- django-crontab (installed with `python manage.py crontab add`) -------------------------
CRONTAB_COMMAND_PREFIX = "DJANGO_ENV=production"
CRONTAB_DJANGO_SETTINGS_MODULE = "mysite.settings"

CRONJOBS = [
    ("*/10 * * * *", "shop.cron.retry_failed_payments"),
    ("0 3 * * *", "django.core.management.call_command", ["clearsessions"]),
    ("15 4 1 * 1", "shop.cron.archive_orders", [], {"older_than_days": 365}),
    ("0 2 * * sun", "shop.cron.rebuild_search_index", ">> /var/log/mysite/search.log 2>&1"),
]
