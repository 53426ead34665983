"""Converting and proving a schedule (`migrate/schedule/`, `migrate/scan.py`): what one set
of UTC `cron(...)` rules cannot follow, and what the verification engine found."""

from __future__ import annotations

from migrate.analysis.codes.base import Family, declare

CONVERSION = Family("conversion", "converting a schedule", "Reading or converting the schedule")

NEVER_FIRES = declare(
    CONVERSION, "never-fires", "warning",
    "the schedule matches no date (e.g. a day its months never have)",
    "no rule is created: cron never ran the job either",
    "Fix or delete the line; nothing will be deployed for it.",
    blocks_deploy=True,
)
MONTH_BOUNDARY = declare(
    CONVERSION, "month-boundary", "error",
    "a weekday rule limited to some months crosses a month boundary in UTC",
    "no year-agnostic UTC expression follows it: fires near month boundaries are missing or "
    "extra",
    "Schedule in a zone-aware scheduler (EventBridge Scheduler with a time zone), or widen "
    "the months and let the job check the local month itself.",
    explains_inexact=True,
)
DAY_AND_INEXPRESSIBLE = declare(
    CONVERSION, "day-and-inexpressible", "error",
    "day-of-month AND day-of-week (one field starts with `*`), not whole weeks",
    "EventBridge cannot AND the day fields: the rule fires on a superset of the days",
    "Make the job exit early unless the local day matches, or use a scheduler that can "
    "express the rule.",
    explains_inexact=True,
)
DOUBLE_FIRE = declare(
    CONVERSION, "double-fire", "warning",
    "cron's OR of day-of-month and day-of-week: days matching both run twice",
    "one rule per day field: on days matching both the task starts twice",
    "Make the job idempotent or guard against the second run; or drop one of the two day "
    "conditions if it was not intended (cron's OR rule surprises many authors).",
    explains_inexact=True,
)
DST_DRIFT = declare(
    CONVERSION, "dst-drift", "warning",
    "the zone changes its UTC offset (daylight saving): some fires move",
    "an EventBridge rule runs in UTC, converted for one offset (--dst)",
    "Accept the drift (choose --dst standard|daylight), or move the job to EventBridge "
    "Scheduler, which evaluates cron in a time zone.",
    explains_inexact=True,
)
NOT_EXACT = declare(
    CONVERSION, "not-exact", "error",
    "verification found fires that differ, with no finding that explains them",
    "the rules would not fire at the legacy instants",
    "Review the AWS expressions by hand before deploying.",
)
KEPT_INACTIVE = declare(
    CONVERSION, "kept-inactive", "info",
    "`active: false` kept from the reviewed catalog (`--keep-review`)",
    "the job is not deployed until a reviewer sets `active: true`",
    "Set active: true in catalog.yaml and re-scan to deploy it.",
    blocks_deploy=True,
)
SCHEDULER_DST = declare(
    CONVERSION, "scheduler-dst", "warning",
    "as EventBridge Scheduler schedules (in the job's zone) some fires differ from the legacy "
    "job, at daylight-saving transitions",
    "Scheduler skips a local time that does not exist and runs a repeated one once (assumed: "
    "the first); cronie runs a skipped fixed-time job after the jump and wildcard jobs twice",
    "Accept the named instants, or re-scan with --scheduler-at to add one-time at() "
    "schedules for the skipped runs within the horizon.",
    # about the Scheduler target only: it never explains a rule's difference
)
