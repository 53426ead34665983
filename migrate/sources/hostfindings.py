"""The findings a host's own files give jobs (zone, anacron, run-parts): the messages,
worded in one place. The codes are declared in `migrate.analysis.codes.host`."""

from __future__ import annotations

from migrate.analysis import codes
from migrate.model import Finding, Job


def timezone_unknown(root: str | None) -> Finding:
    if root is None:
        where = ("the file lies under no host root (<root>/etc/ or <root>/var/spool/cron/), "
                 "so its server's zone is unknown")
    else:
        where = (f"host {root} has none of /etc/localtime, /etc/timezone or a TZ= for its "
                 "cron daemon")
    return codes.TIMEZONE_UNKNOWN.finding(
        f"{where}, and --tz was not given: the schedule is read in UTC, which is right only "
        "if the server ran in UTC",
        f"host root: {root}" if root is not None else "",
    )


def anacron_window(period: str, delay: int, random_delay: int,
                   start_hours: tuple[int, int] | None, earliest: str) -> Finding:
    hours = (f"between {start_hours[0]}:00 and {start_hours[1]}:00"
             if start_hours else "at any hour")
    random = f" plus a random 0-{random_delay} min" if random_delay else ""
    return codes.ANACRON.finding(
        f"anacron runs this once per period ({period}) when the machine is up, "
        f"{delay} min{random} after anacron starts, {hours} (START_HOURS_RANGE): "
        f"not a fixed instant; the schedule shows the earliest one ({earliest})",
        f"period {period}, delay {delay}, RANDOM_DELAY {random_delay}, "
        f"START_HOURS_RANGE {start_hours}",
    )


def anacron_runs_it(anacron: Job) -> Finding:
    return codes.ANACRON_GUARD.finding(
        "guarded by `test -x /usr/sbin/anacron ||`: where anacron is installed this line "
        f"does nothing, and anacron runs the folder ({anacron.source.path}:"
        f"{anacron.source.line}); the folder's scripts are listed with anacron's schedule",
        anacron.source.text,
        recommendation="set active: false (the scripts are jobs of their own)",
    )


def assumed_no_anacron(runner: Job) -> Finding:
    return codes.ANACRON_GUARD.finding(
        "the line running this folder is guarded by `test -x /usr/sbin/anacron ||`: cron "
        "runs it only where anacron is not installed, and the host has no /etc/anacrontab "
        "line for it, so the scan takes cron's schedule",
        runner.source.text,
    )


def periodic_script(via: Job) -> Finding:
    return codes.PERIODIC_SCRIPT.finding(
        f"run by run-parts from {via.source.path}:{via.source.line}; run-parts runs a "
        "folder's scripts one after another in name order, the migrated jobs start at the "
        "same instant",
        via.source.text,
    )
