"""The engine's EventBridge Scheduler model against an independent minute-by-minute walk of
wall-clock time (tests/schedule/scheduler_walk.py) and cronie's loop (naive.py), over zones
with every kind of transition."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from migrate.schedule.convert import to_aws
from migrate.schedule.cron import parse_cron
from migrate.schedule.scheduler import skipped_runs
from migrate.schedule.verify import verify
from migrate.schedule.zones import resolve_zone
from tests.schedule import naive
from tests.schedule.scheduler_walk import scheduler_walk, transition_days

# (zone, a span to search for transitions): America/Mexico_City abolished daylight saving
# after 2022-10-30, so its 2023 span has a last transition (2022) and none where April's was.
ZONES = [
    ("America/New_York", date(2027, 1, 1), date(2028, 1, 1)),
    ("Europe/London", date(2027, 1, 1), date(2028, 1, 1)),
    ("Australia/Lord_Howe", date(2027, 1, 1), date(2028, 1, 1)),  # 30-minute shift
    ("America/Santiago", date(2027, 1, 1), date(2028, 1, 1)),  # transitions at midnight
    ("Pacific/Chatham", date(2027, 1, 1), date(2028, 1, 1)),  # at 02:45 / 03:45 local
    ("America/Mexico_City", date(2022, 3, 1), date(2023, 6, 1)),
]
LINES = ["30 2 * * *", "*/20 * * * *", "0 0 * * *", "45 2 * * 0", "15 1 1,15 * 1",
         "10 0-3 * * *", "0 1 * * *"]


def _windows() -> list[tuple[str, tuple[date, date]]]:
    out = []
    for zone, start, end in ZONES:
        for day in transition_days(resolve_zone(zone), start, end):
            out.append((zone, (day - timedelta(days=2), day + timedelta(days=2))))
    return out


WINDOWS = _windows()


def test_every_zone_has_its_transitions() -> None:
    counts = Counter(zone for zone, _ in WINDOWS)
    assert all(counts[z] == 2 for z, _, _ in ZONES[:5])
    # Mexico City: spring 2022 and autumn 2022, none in 2023
    assert counts["America/Mexico_City"] == 2
    assert max(h[1] for z, h in WINDOWS if z == "America/Mexico_City") < date(2022, 11, 5)


def _minute(t: datetime) -> int:
    return int(t.timestamp()) // 60


@pytest.mark.parametrize("cron_tz", [False, True])
@pytest.mark.parametrize("zone,horizon", WINDOWS, ids=[f"{z}-{h[0]}" for z, h in WINDOWS])
def test_scheduler_model_matches_the_wall_clock_walk(
    zone: str, horizon: tuple[date, date], cron_tz: bool
) -> None:
    tz = resolve_zone(zone)
    for line in LINES:
        schedule = parse_cron(line)
        exprs = to_aws(schedule, "UTC", horizon).expressions
        result = verify(schedule, zone, exprs, horizon, cron_tz=cron_tz, target="scheduler")
        v = result.verification
        legacy = naive.cronie_loop_fires(line, tz, *horizon, cron_tz=cron_tz)
        sched = scheduler_walk(list(exprs), tz, *horizon)
        where = (line, zone, horizon)
        assert v.source_fires == sum(legacy.values()), where
        assert v.aws_fires == sum(sched.values()), where
        assert (v.missing, v.extra, v.duplicates) == naive.compare(legacy, sched), where
        differing = {_minute(t): (legacy[t], sched[t]) for t in legacy | sched
                     if legacy[t] != sched[t]}
        listed = {m: (a, b) for m, a, b in result.transitions}
        if result.off_transitions:  # cron's OR day rule: double fires on ordinary days
            assert listed.items() <= differing.items() and line == "15 1 1,15 * 1", where
        else:
            assert listed == differing, where
        # the remedy: one-time schedules for the skipped runs, checked by the walk too
        at = skipped_runs(result, zone)
        if at:
            fixed = verify(schedule, zone, exprs + at, horizon, cron_tz=cron_tz,
                           target="scheduler").verification
            walked = scheduler_walk(list(exprs + at), tz, *horizon)
            assert (fixed.missing, fixed.extra, fixed.duplicates) == naive.compare(
                legacy, walked), where
            assert fixed.missing == 0, where


def test_new_york_fixed_time_job_in_the_gap() -> None:
    # cronie runs 02:30 at 03:00 EDT on 2027-03-14; Scheduler skips it; at() restores it.
    h = (date(2027, 1, 1), date(2028, 1, 1))
    s = parse_cron("30 2 * * *")
    r = verify(s, "America/New_York", ("cron(30 2 * * ? *)",), h, target="scheduler")
    assert (r.verification.missing, r.verification.extra) == (1, 0)
    assert r.transitions == ((_minute(datetime(2027, 3, 14, 7, tzinfo=UTC)), 1, 0),)
    assert skipped_runs(r, "America/New_York") == ("at(2027-03-14T03:00:00)",)
    fixed = verify(s, "America/New_York", ("cron(30 2 * * ? *)", "at(2027-03-14T03:00:00)"),
                   h, target="scheduler")
    assert fixed.verification.exact


def test_wildcard_job_in_the_overlap_runs_once_at_the_first_occurrence() -> None:
    h = (date(2027, 11, 6), date(2027, 11, 9))
    r = verify(parse_cron("0 * * * *"), "America/New_York", ("cron(0 * * * ? *)",), h,
               target="scheduler")
    # cronie's wildcard job fires at 01:00 EDT and again at 01:00 EST; Scheduler once.
    assert r.transitions == ((_minute(datetime(2027, 11, 7, 6, tzinfo=UTC)), 1, 0),)
    assert skipped_runs(r, "America/New_York") == ()  # an ambiguous local time


def test_at_outside_transition_days_is_refused() -> None:
    with pytest.raises(ValueError, match="transition"):
        verify(parse_cron("0 9 * * *"), "America/New_York", ("at(2027-06-01T09:00:00)",),
               (date(2027, 6, 1), date(2027, 6, 2)), target="scheduler")


def test_rules_target_refuses_at() -> None:
    with pytest.raises(ValueError, match="one-time"):
        verify(parse_cron("0 9 * * *"), "UTC", ("at(2027-06-01T09:00:00)",),
               (date(2027, 6, 1), date(2027, 6, 2)))
