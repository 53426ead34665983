"""Reading Python schedulers (`migrate/sources/python/`: Celery beat, django-crontab,
APScheduler): values only known at run time, and framework semantics EventBridge lacks.

Every message starts with `path:line:`; the advice is worded at each call site (it names
the setting or the call), so these codes carry no default recommendation.
"""

from __future__ import annotations

from migrate.analysis.codes.base import Family, declare

PYTHON = Family("python", "reading a Python scheduler", "Reading or converting the schedule")

INVALID_SCHEDULE = declare(
    PYTHON, "invalid-schedule", "error",
    "a schedule the framework itself refuses (bad field, missing time, unknown argument)",
    "no rule is created: the legacy scheduler refused the job too",
    blocks_deploy=True,
)
SOLAR_SCHEDULE = declare(
    PYTHON, "solar-schedule", "error",
    "Celery `solar(...)`: the time moves every day with the sun",
    "no cron or rate expression reproduces it: no rule is created",
    blocks_deploy=True,
)
CONDITIONAL_ENTRY = declare(
    PYTHON, "conditional-entry", "warning",
    "the entry is set under a condition (`if`, `except`, a loop over run-time data)",
    "a rule is created whether or not the condition holds",
)
APSCHEDULER_4 = declare(
    PYTHON, "apscheduler-4", "error",
    "APScheduler 4 `add_schedule`: its trigger semantics are not read",
    "the job is kept without a schedule: no rule is created",
    blocks_deploy=True,
)
DYNAMIC_VALUE = declare(
    PYTHON, "dynamic-value", "warning",
    "a value known only at run time (environment, a call, a comprehension)",
    "the task's command or schedule lacks that value until a reviewer fills it in",
)
APSCHEDULER_IMPORT_STARTS = declare(
    PYTHON, "apscheduler-import-starts", "warning",
    "importing the script starts its scheduler (`.start()` outside `__main__`)",
    "the task's `python -c` import would start the scheduler inside the container",
)
INVALID_TIMEZONE = declare(
    PYTHON, "invalid-timezone", "error",
    "a zone setting that names no IANA zone",
    "the rule is converted for --tz instead",
)
APSCHEDULER_MODULE_DERIVED = declare(
    PYTHON, "apscheduler-module-derived", "info",
    "the job function's module is taken from the file's path",
    "the task imports that module: the image's working directory must make it importable",
)
INTERVAL_ANCHORED = declare(
    PYTHON, "interval-anchored", "warning",
    "an interval anchored at 00:00 UTC: its legacy phase (process start) is unknown",
    "one cron expression fires at multiples of the interval; the legacy phase was process start",
)
INTERVAL_START_DATE = declare(
    PYTHON, "interval-start-date", "info",
    "an APScheduler interval anchored at its `start_date`: the instants are known",
    "one cron expression fires at the same instants, so the job can be exact",
)
INTERVAL_RATE = declare(
    PYTHON, "interval-rate", "warning",
    "an interval dividing neither an hour nor a day: EventBridge `rate(...)`",
    "`rate(...)` counts from when the rule is created and cannot be verified",
)
SUB_MINUTE = declare(
    PYTHON, "sub-minute", "error",
    "fires more than once a minute, or not on whole minutes",
    "EventBridge fires at most once a minute: no rule is created",
    blocks_deploy=True,
)
CELERY_TASK_NAME_DERIVED = declare(
    PYTHON, "celery-task-name-derived", "info",
    "the task name is Celery's default (module + function)",
    "`celery call` sends that name: it must match the worker's registered task",
)
ENTRY_REPLACED = declare(
    PYTHON, "entry-replaced", "info",
    "an earlier value of the entry is replaced (Python keeps the last)",
    "none: the rule follows the last value",
)
CELERY_APP_DERIVED = declare(
    PYTHON, "celery-app-derived", "info",
    "the `-A` app is derived (no `Celery(\"name\")`; warning: from the file's path)",
    "the task's `celery -A <app> call` must name the app the workers run",
)
CELERY_TIMEZONE_UNSTATED = declare(
    PYTHON, "celery-timezone-unstated", "warning",
    "no Celery `timezone` (or Django `TIME_ZONE`) in the file: read in --tz",
    "the rule is converted for --tz; Celery runs beat in UTC when no zone is configured",
)
UNSUPPORTED_TRIGGER = declare(
    PYTHON, "unsupported-trigger", "error",
    "an APScheduler trigger that combines or computes fire times (`OrTrigger` ...)",
    "no rule is created",
    blocks_deploy=True,
)
ONE_SHOT = declare(
    PYTHON, "one-shot", "warning",
    "an APScheduler `date` trigger (or none): runs once",
    "not a recurring schedule: no rule is created",
    blocks_deploy=True,
)
UNSUPPORTED_FIELD = declare(
    PYTHON, "unsupported-field", "error",
    "an APScheduler field cron cannot express (`year`, `week`, `last`, `2nd fri`)",
    "no rule is created (EventBridge has a year field, `L` and `#`: write it by hand)",
    blocks_deploy=True,
)
SECONDS_OFFSET = declare(
    PYTHON, "seconds-offset", "warning",
    "fires at a second other than 0 of its minutes",
    "EventBridge starts targets at the minute, not at a given second",
)
DATE_BOUNDS = declare(
    PYTHON, "date-bounds", "warning",
    "`start_date` / `end_date` limit when the job runs",
    "an EventBridge rule has no start or end date",
)
JITTER = declare(
    PYTHON, "jitter", "warning",
    "APScheduler `jitter`: each run delayed by random seconds",
    "EventBridge runs at the scheduled minute",
)
APSCHEDULER_WEEKDAY_NUMBERS = declare(
    PYTHON, "apscheduler-weekday-numbers", "info",
    "`from_crontab` reads weekday numbers with Monday = 0 (one day later than cron)",
    "the rule follows APScheduler's reading",
)
CELERY_ARGS_NOT_JSON = declare(
    PYTHON, "celery-args-not-json", "error",
    "the task's args or kwargs cannot be written as JSON for `celery call`",
    "the task's command holds `<unresolved>` until a reviewer fills it in",
)
CELERY_OPTION_DROPPED = declare(
    PYTHON, "celery-option-dropped", "warning",
    "an entry option with no `celery call` equivalent",
    "the task is sent without it",
)
DJANGO_CRONTAB_HASH = declare(
    PYTHON, "django-crontab-hash", "info",
    "the container runs `crontab run <md5 of the entry>` (error: no hash possible)",
    "editing the entry changes the hash: re-scan and re-apply after every edit",
)
DJANGO_CRONTAB_PREFIX = declare(
    PYTHON, "django-crontab-prefix", "warning",
    "`CRONTAB_COMMAND_PREFIX` holds more than NAME=value assignments",
    "the container command leaves the prefix out",
)
OUTPUT_REDIRECT = declare(
    PYTHON, "output-redirect", "warning",
    "a django-crontab suffix redirects or post-processes the output",
    "the container's output goes to its log instead",
)
LOCK_PER_CONTAINER = declare(
    PYTHON, "lock-per-container", "warning",
    "`CRONTAB_LOCK_JOBS`: a lock file in the host's temp directory",
    "each container has its own temp directory: overlapping runs are no longer prevented",
)
