"""Our schedules fire when Celery and APScheduler themselves would: every crontab entry of
the samples and of tests/data/python/*/valid is run through the library's own next-fire
computation (Celery `crontab.remaining_delta`, APScheduler `CronTrigger.get_next_fire_time`)
for the whole of 2027, and the wall-clock fire times compared with our parsed sets.

Wall-clock times are compared as sets of times that exist in the zone: what a framework does
when daylight saving repeats or skips an hour (APScheduler fires a repeated 02:05 twice) is
the verification engine's concern, not the reading of the fields."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from celery.schedules import crontab

from migrate.model import Job
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
