"""python-crontab, our declared crontab reader, behind a small adapter.

python-crontab reads a crontab into jobs but silently drops lines it cannot parse, starts
`crontab -l` from its constructor when given a user, and reads the clock for schedules. Here
it only ever gets text (`CronTab(tab=text)`: no subprocess, no clock) and its logging is
silenced while it parses. It is right about the plain lines; our parser (`crontab.py`) is
the reader of record because it accounts for every line. `crosscheck` states the contract:
every job python-crontab finds must also be one of ours, with the same schedule, command and
state (enabled/disabled); what it returns are the disagreements, for tests and reviewers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from crontab import CronTab

from migrate.errors import MigrateError
from migrate.model import Job
from migrate.schedule.cron import CronSchedule, CronSyntaxError, parse_cron
from migrate.sources.base import ParsedFile
from migrate.sources.crontab.format import CrontabFormat


class PyCrontabError(MigrateError, ValueError):
    """python-crontab raised while reading the text (e.g. IndexError on `NAME=`)."""


@dataclass(frozen=True, slots=True)
class PyCronJob:
    """A job as python-crontab reads it (its rendering of the schedule and command)."""

    enabled: bool
    schedule: str
    command: str
    user: str | None
    comment: str


@contextmanager
def _quiet() -> Iterator[None]:
    # python-crontab logs every line it drops at ERROR on the "crontab" logger.
    logger = logging.getLogger("crontab")
    before = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = before


def read_pycrontab(text: str, fmt: CrontabFormat) -> list[PyCronJob]:
    """python-crontab's jobs for `text` read in format `fmt` (system: user column)."""
    with _quiet():
        try:
            tab = CronTab(user=False if fmt == "system" else None, tab=text)
        except Exception as err:  # its parser has bugs (IndexError on an empty value)
            raise PyCrontabError(f"{type(err).__name__}: {err}") from err
        jobs = []
        for item in tab.crons:
            if not item.is_valid():
                continue
            jobs.append(
                PyCronJob(
                    enabled=bool(item.is_enabled()),
                    schedule=str(item.slices),
                    command=str(item.command or ""),
                    user=item.user if fmt == "system" else None,
                    comment=str(item.comment or ""),
                )
            )
    return jobs


def _fires(schedule: CronSchedule) -> tuple[object, ...]:
    """What decides when a schedule fires (not how it was written)."""
    return (
        schedule.reboot,
        schedule.minutes,
        schedule.hours,
        schedule.days,
        schedule.months,
        schedule.weekdays,
        schedule.day_rule if schedule.days_restricted or schedule.weekdays_restricted else "",
    )


def _same_command(ours: str, theirs: str) -> bool:
    ours = ours.strip()
    if ours == theirs:
        return True
    # python-crontab cuts a trailing ` # comment` off the command; cron hands it to the shell.
    return ours.startswith(theirs) and ours[len(theirs) :].lstrip().startswith("#")


def _matches(job: Job, theirs: PyCronJob, their_fires: tuple[object, ...]) -> bool:
    parsed = job.schedule.parsed
    return (
        parsed is not None
        and job.active == theirs.enabled
        and _fires(parsed) == their_fires
        and _same_command(job.command.shell, theirs.command)
        and (theirs.user is None or job.source.user == theirs.user)
    )


def crosscheck(parsed: ParsedFile, text: str) -> list[str]:
    """python-crontab's jobs for `text` that are not jobs of `parsed` (same format)."""
    fmt: CrontabFormat = "system" if parsed.format == "system" else "user"
    unmatched = list(parsed.jobs)
    problems: list[str] = []
    try:
        theirs_all = read_pycrontab(text, fmt)
    except PyCrontabError as err:
        return [f"python-crontab could not read the file: {err}"]
    for theirs in theirs_all:
        try:
            their_fires = _fires(parse_cron(theirs.schedule))
        except CronSyntaxError as err:
            problems.append(f"python-crontab schedule {theirs.schedule!r}: {err.message}")
            continue
        for job in unmatched:
            if _matches(job, theirs, their_fires):
                unmatched.remove(job)
                break
        else:
            state = "enabled" if theirs.enabled else "disabled"
            user = f" user {theirs.user!r}" if theirs.user is not None else ""
            problems.append(
                f"python-crontab {state} job {theirs.schedule!r}{user} {theirs.command!r} "
                "is not one of ours"
            )
    return problems
