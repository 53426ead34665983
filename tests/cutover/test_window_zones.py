"""The window of jobs deployed as Scheduler schedules: their instants are the expressions on
the wall clock of their time zone, across daylight-saving changes (cronsim, an independent
engine, iterates the same local times), not the UTC rule expressions of the catalog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from cronsim import CronSim

from migrate.cutover.timing import decide
from migrate.cutover.window import find_window, fire_mask, next_fire
from migrate.model import Command, Job, Schedule, SchedulerTarget

NY = "America/New_York"
# Friday before New York springs forward (Sunday 2027-03-14 02:00 local becomes 03:00)
BEFORE_SPRING = datetime(2027, 3, 12, 19, 58, 30, tzinfo=UTC)
BEFORE_FALL = datetime(2027, 11, 5, 11, 59, 30, tzinfo=UTC)  # fall back: Sunday 2027-11-07


@pytest.mark.parametrize(("legacy", "expression", "zone", "now"), [
    ("0 9 * * 1-5", "cron(0 9 ? * MON-FRI *)", NY, BEFORE_SPRING),
    ("15 */3 * * *", "cron(15 0/3 * * ? *)", NY, BEFORE_SPRING),
    ("45 7,19 * * *", "cron(45 7,19 * * ? *)", NY, BEFORE_FALL),
    ("10 3 * * 0", "cron(10 3 ? * SUN *)", "Europe/London",
     datetime(2027, 3, 25, 0, 0, 30, tzinfo=UTC)),
    ("0 12 * * *", "cron(0 12 * * ? *)", "Asia/Tokyo", BEFORE_SPRING),
])
def test_zoned_fires_and_window_cronsim_agrees(legacy: str, expression: str, zone: str,
                                               now: datetime) -> None:
    """Every minute of 8 days from `now`, against cronsim iterating the zone's local times
    (the chosen times are never inside a skipped or repeated hour)."""
    start = now.replace(second=0) + timedelta(minutes=1)
    fires = set()
    for t in CronSim(legacy, (start - timedelta(minutes=1)).astimezone(ZoneInfo(zone))):
        if t.astimezone(UTC) > start + timedelta(days=8):
            break
        fires.add(t.astimezone(UTC))
    assert next_fire([(expression, zone)], now) == min(fires)
    w = find_window([(expression, zone)], now, timedelta(minutes=10))
    assert w is not None
    t = start
    while any(t + timedelta(minutes=k) in fires for k in range(10)):
        t += timedelta(minutes=1)
    assert w.start == t and w.end == min(f for f in fires if f > t)


def _fires(expression: str, day: datetime) -> list[str]:
    mask = fire_mask([(expression, NY)], day, 1)
    return [(day + timedelta(minutes=int(m))).strftime("%H:%MZ") for m in np.flatnonzero(mask)]


def test_a_skipped_local_time_never_fires_a_repeated_one_blocks_both_instants() -> None:
    assert _fires("cron(30 2 * * ? *)", datetime(2027, 3, 13, tzinfo=UTC)) == ["07:30Z"]
    assert _fires("cron(30 2 * * ? *)", datetime(2027, 3, 14, tzinfo=UTC)) == []  # no 02:30
    assert _fires("cron(30 1 * * ? *)", datetime(2027, 11, 7, tzinfo=UTC)) == ["05:30Z",
                                                                                "06:30Z"]
    assert _fires("at(2027-03-15T09:00:00)", datetime(2027, 3, 15, tzinfo=UTC)) == ["13:00Z"]


def _job() -> Job:
    """09:00 New York on weekdays: UTC rules are exact only in winter (cron(0 14 ...))."""
    target = SchedulerTarget(("cron(0 9 ? * MON-FRI *)",), NY, True, None)
    return Job("j-1", "digest", "", True, [], Schedule(
        "0 9 * * 1-5", NY, aws=("cron(0 14 ? * MON-FRI *)",), exact=False, scheduler=target),
        Command("true"))


def test_decide_uses_the_instants_of_where_the_job_is_deployed() -> None:
    now = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)  # Monday, New York on daylight time
    ten = timedelta(minutes=10)
    on_rules = decide([_job()], now, None, False, ten)
    assert on_rules.window is not None and on_rules.window.end.hour == 14
    assert "not proven exact" in on_rules.text
    on_scheduler = decide([_job()], now, None, False, ten, {"j-1": {"schedule"}})
    assert on_scheduler.window is not None and on_scheduler.window.end.hour == 13  # 09:00 EDT
    assert "not proven exact" not in on_scheduler.text
    both = decide([_job()], now, None, False, ten, {"j-1": {"rule", "schedule"}})
    assert both.window == on_scheduler.window and "not proven exact" in both.text
    late = decide([_job()], now.replace(hour=13, minute=30), None, False, ten,
                  {"j-1": {"rule", "schedule"}})
    assert late.window is not None and late.window.start.minute == 30  # between 13:00 and 14:00
    assert late.window.end.hour == 14 and not late.window.end.minute
    assert "the run at 2027-03-15T13:00Z" in decide([_job()], now, None, True, ten,
                                                     {"j-1": {"schedule"}}).text
