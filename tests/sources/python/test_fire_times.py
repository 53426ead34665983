"""Our schedules fire when Celery and APScheduler themselves would: every crontab entry of
the samples and of tests/data/python/*/valid is run through the library's own next-fire
computation (Celery `crontab.remaining_delta`, APScheduler `CronTrigger.get_next_fire_time`)
for the whole of 2027, and the wall-clock fire times compared with our parsed sets.

Wall-clock times are compared as sets of times that exist in the zone: what a framework does
when daylight saving repeats or skips an hour (APScheduler fires a repeated 02:05 twice) is
the verification engine's concern, not the reading of the fields.

Then, for every such entry in a zone without daylight saving, the AWS expressions the
pipeline emits (`scan.convert_job`) are evaluated on their own and must fire at exactly the
framework's instants, in UTC."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from apscheduler.triggers.cron import CronTrigger
from celery.schedules import crontab

from migrate.model import Job
from migrate.scan import EXPLAINS_INEXACT, convert_job
from migrate.schedule.aws import AwsCron, parse_expression
from migrate.schedule.calendar import calendar
from migrate.schedule.cron import CronSchedule
from migrate.sources.python import read_python_schedules

ROOT = Path(__file__).parents[3]
FILES = sorted([*ROOT.glob("samples/**/*.py"), *ROOT.glob("tests/data/python/*/valid/*.py")])
YEAR = 2027
LIMIT = 40_000  # fires compared per entry (a year of `*/15` is 35,040)


def jobs(kind: str) -> list[tuple[str, Job]]:
    found = []
    for path in FILES:
        result = read_python_schedules(path.read_text(), str(path.relative_to(ROOT)),
                                       timezone="Asia/Tokyo")
        found += [(f"{path.name}:{j.source.line}:{j.name}", j) for j in result.jobs
                  if j.source.kind == kind and j.schedule.parsed is not None
                  and j.schedule.timezone_from != "interval"]
    return found


def exists(wall: datetime, zone: ZoneInfo) -> bool:
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) == wall


def wall_times(fires: list[datetime], zone: ZoneInfo) -> list[datetime]:
    return sorted({f.replace(fold=0) for f in fires if exists(f.replace(fold=0), zone)})


def our_fires(parsed: CronSchedule) -> list[datetime]:
    """Wall-clock fires in YEAR; day fields ANDed (Celery, APScheduler)."""
    assert parsed.day_rule == "and"
    out: list[datetime] = []
    day = datetime(YEAR, 1, 1)
    while day.year == YEAR and len(out) < LIMIT:
        if (day.month in parsed.months and day.day in parsed.days
                and (day.weekday() + 1) % 7 in parsed.weekdays):
            out += [day.replace(hour=h, minute=m) for h in sorted(parsed.hours)
                    for m in sorted(parsed.minutes)]
        day += timedelta(days=1)
    return out[:LIMIT]


CELERY = jobs("celery")
APS = jobs("apscheduler")


def test_there_are_entries_to_check() -> None:
    assert len(CELERY) >= 15 and len(APS) >= 8


@pytest.mark.parametrize(("label", "job"), CELERY, ids=[c[0] for c in CELERY])
def test_celery_agrees(label: str, job: Job) -> None:
    zone = ZoneInfo(job.schedule.timezone)
    schedule = crontab(**job.extra["crontab"])
    fires: list[datetime] = []
    at = datetime(YEAR - 1, 12, 31, 23, 59, tzinfo=zone)
    while len(fires) < LIMIT:
        last, delta, _ = schedule.remaining_delta(at, tz=zone)
        at = last + delta
        if at.year > YEAR:
            break
        fires.append(at.replace(tzinfo=None))
    assert job.schedule.parsed is not None
    assert wall_times(fires, zone) == wall_times(our_fires(job.schedule.parsed), zone)


@pytest.mark.parametrize(("label", "job"), APS, ids=[a[0] for a in APS])
def test_apscheduler_agrees(label: str, job: Job) -> None:
    zone = ZoneInfo(job.schedule.timezone)
    trigger = CronTrigger(timezone=zone, **job.extra["cron_fields"])
    fires: list[datetime] = []
    previous = None
    now = datetime(YEAR, 1, 1, tzinfo=zone)
    while len(fires) < LIMIT:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None or nxt.year > YEAR:
            break
        fires.append(nxt.replace(tzinfo=None))
        previous = now = nxt
    assert job.schedule.parsed is not None
    assert wall_times(fires, zone) == wall_times(our_fires(job.schedule.parsed), zone)


# ------------------------------------------------------------ the emitted AWS expressions

UTC_ZONE = ZoneInfo("UTC")
WINDOW = (datetime(YEAR, 1, 1, tzinfo=UTC_ZONE), datetime(YEAR + 1, 1, 1, tzinfo=UTC_ZONE))


def fixed_offset(zone: ZoneInfo) -> bool:
    probes = [datetime(YEAR, m, 15, tzinfo=zone).utcoffset() for m in range(1, 13)]
    return len(set(probes)) == 1


def library_fires_utc(job: Job) -> list[datetime]:
    """The framework's own fire instants, in UTC, inside WINDOW."""
    zone = ZoneInfo(job.schedule.timezone)
    fires: list[datetime] = []
    start = datetime(YEAR - 1, 12, 30, tzinfo=zone)
    if job.source.kind == "celery":
        schedule = crontab(**job.extra["crontab"])
        at = start
        while at < WINDOW[1]:
            last, delta, _ = schedule.remaining_delta(at, tz=zone)
            at = last + delta
            fires.append(at.astimezone(UTC_ZONE))
    else:
        trigger = CronTrigger(timezone=zone, **job.extra["cron_fields"])
        previous, now = None, start
        while now < WINDOW[1]:
            nxt = trigger.get_next_fire_time(previous, now)
            if nxt is None:
                break
            fires.append(nxt.astimezone(UTC_ZONE))
            previous = now = nxt
    return [f for f in fires if WINDOW[0] <= f < WINDOW[1]]


def aws_fires_utc(expressions: tuple[str, ...]) -> list[datetime]:
    cal = calendar(date(YEAR, 1, 1), date(YEAR, 12, 31))
    fires: list[datetime] = []
    for text in expressions:
        expr = parse_expression(text)
        assert isinstance(expr, AwsCron)
        minutes = np.flatnonzero(expr.minute_mask())
        for index in np.flatnonzero(expr.day_mask(cal)):
            day = datetime.combine(cal.date_of(int(index)), datetime.min.time(), UTC_ZONE)
            fires += [day + timedelta(minutes=int(m)) for m in minutes]
    return sorted(fires)


CONVERTIBLE = [(label, job) for label, job in [*CELERY, *APS]
               if fixed_offset(ZoneInfo(job.schedule.timezone))]


def test_there_are_fixed_offset_entries() -> None:
    assert len(CONVERTIBLE) >= 20


@pytest.mark.parametrize(("label", "job"), CONVERTIBLE, ids=[c[0] for c in CONVERTIBLE])
def test_emitted_aws_expressions_fire_when_the_framework_does(label: str, job: Job) -> None:
    convert_job(job, (date(YEAR, 1, 1), date(YEAR + 1, 1, 1)), "standard")
    if not job.schedule.exact:  # e.g. Friday the 13th: AND of both day fields
        assert {f.code for f in job.findings} & EXPLAINS_INEXACT, job.findings
        return
    assert aws_fires_utc(job.schedule.aws) == library_fires_utc(job)
