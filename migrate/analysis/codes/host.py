"""Reading a host's own files (`migrate/sources/hostzone.py`, `anacron.py`, `periodic.py`):
its zone, anacron, and the scripts run-parts runs from the periodic folders."""

from __future__ import annotations

from migrate.analysis.codes.base import Family, declare

HOST = Family("host", "reading a host's files", "Reading or converting the schedule")

TIMEZONE_UNKNOWN = declare(
    HOST, "timezone-unknown", "warning",
    "no --tz and no zone file of the host (etc/localtime, etc/timezone, cron's TZ=): read in UTC",
    "the rule is converted as if the server ran in UTC; wrong by its offset otherwise",
    "pass --tz with the legacy server's zone (or scan its host root with etc/localtime)",
)
ANACRON = declare(
    HOST, "anacron", "warning",
    "run by anacron: once per period within START_HOURS_RANGE, after a delay; not fixed",
    "the rule fires at the earliest instant anacron could have started the job",
    "pick the time the job should run at and write it as a cron schedule",
    explains_inexact=True, unknown_instants=True,
)
ANACRON_GUARD = declare(
    HOST, "anacron-guard", "info",
    "`test -x /usr/sbin/anacron ||` decides whether cron runs this folder",
    "where anacron stands in, the cron line does nothing and its scripts take anacron's "
    "schedule",
)
PERIODIC_SCRIPT = declare(
    HOST, "periodic-script", "info",
    "a script run-parts runs from /etc/cron.{hourly,daily,weekly,monthly}",
    "run-parts ran a folder's scripts one after another; the migrated jobs start together",
)
