"""Fire components against independent evaluations: a numpy walk over every minute of the
horizon (legacy cron semantics written out directly), the schedule engine's converted AWS
expressions, and brute-force gaps between starts."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.analysis.awstiming import aws_parts
from migrate.analysis.occupancy import heatmap, shortest_interval, start_counts
from migrate.analysis.timing import (
    PatternTable,
    ScheduleTable,
    assemble,
    fires_from_schedules,
)
from migrate.schedule.calendar import horizon_window
from migrate.schedule.convert import to_aws
from migrate.schedule.cron import CronSchedule, parse_cron
from migrate.schedule.verify import verify
from migrate.schedule.zones import zone_offset
from tests.schedule.strategies import FIXED_ZONES, cron_lines

HORIZON = (date(2027, 1, 25), date(2027, 4, 5))  # month ends, February, a leap-free March


def walk(schedule: CronSchedule, shift: int, horizon: tuple[date, date]) -> np.ndarray:
    """Starts per (horizon day, minute) by testing every local minute around the horizon."""
    start = np.datetime64(horizon[0].isoformat()) - np.timedelta64(2, "D")
    stop = np.datetime64(horizon[1].isoformat()) + np.timedelta64(2, "D")
    local = np.arange(start, stop, dtype="datetime64[m]")
    day = local.astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    minute = (local - day).astype(np.int64)
    ok = np.isin(minute % 60, list(schedule.minutes)) & np.isin(minute // 60,
                                                                list(schedule.hours))
    ok &= np.isin(month_start.astype(np.int64) % 12 + 1, list(schedule.months))
    dom = np.isin((day - month_start.astype("datetime64[D]")).astype(np.int64) + 1,
                  list(schedule.days))
    dow = np.isin((day.astype(np.int64) + 4) % 7, list(schedule.weekdays))
    ok &= (dom & dow) if schedule.day_rule == "and" else (dom | dow)
    shifted = local[ok] + np.timedelta64(shift, "m")
    index = (shifted - np.datetime64(horizon[0].isoformat())).astype(np.int64)
    days = (horizon[1] - horizon[0]).days
    index = index[(index >= 0) & (index < days * 1440)]
    return np.bincount(index, minlength=days * 1440).reshape(days, 1440).astype(np.float32)


@settings(max_examples=60, deadline=None)
@given(st.lists(cron_lines(), min_size=1, max_size=4), st.lists(st.sampled_from(FIXED_ZONES),
                                                                 min_size=4, max_size=4))
def test_start_counts_match_a_minute_walk(lines: list[str], zones: list[str]) -> None:
    schedules = [parse_cron(line) for line in lines]
    shifts = [-zone_offset(z, HORIZON) for z in zones[: len(lines)]]
    fires = fires_from_schedules(schedules, shifts, HORIZON)
    expected = sum(walk(s, sh, HORIZON) for s, sh in zip(schedules, shifts, strict=True))
    assert np.array_equal(start_counts(fires), expected)


@settings(max_examples=40, deadline=None)
@given(cron_lines(), st.sampled_from(FIXED_ZONES))
def test_aws_expressions_start_when_the_shifted_legacy_schedule_does(line: str,
                                                                     zone: str) -> None:
    parsed = parse_cron(line)
    conversion = to_aws(parsed, zone, HORIZON)
    if not verify(parsed, zone, conversion.expressions, HORIZON).verification.exact:
        return  # an inexact conversion has its own finding; nothing to compare
    table = PatternTable(horizon_window(*HORIZON))
    aws = assemble(table, 1, [aws_parts(table, [conversion.expressions],
                                        np.ones(1, dtype=bool))])
    legacy = fires_from_schedules([parsed], [-zone_offset(zone, HORIZON)], HORIZON)
    assert np.array_equal(start_counts(aws), start_counts(legacy))


@settings(max_examples=60, deadline=None)
@given(cron_lines(dense=False), st.sampled_from(FIXED_ZONES))
def test_shortest_interval_matches_the_gaps_between_starts(line: str, zone: str) -> None:
    parsed = parse_cron(line)
    shift = -zone_offset(zone, HORIZON)
    fires = fires_from_schedules([parsed], [shift], HORIZON)
    starts = np.flatnonzero(walk(parsed, shift, HORIZON).ravel())
    got = shortest_interval(fires, [0])
    if len(starts) < 2:
        return
    true_gap = int(np.diff(starts).min())
    # Exact for one component; a lower bound (never larger) when a zone shift splits it.
    assert got[0] <= true_gap
    if len(fires) == 1:
        assert got[0] == true_gap


def test_shortest_interval_examples() -> None:
    cases = {"0,50 * * * *": 10, "0 */2 * * *": 120, "30 2 * * 1-5": 1440,
             "0 3 * * 0": 7 * 1440, "*/5 * * * *": 5, "0 0 1 * *": 28 * 1440}
    fires = fires_from_schedules([parse_cron(c) for c in cases], [0] * len(cases),
                                 (date(2027, 1, 1), date(2028, 1, 1)))
    assert shortest_interval(fires, range(len(cases))) == dict(enumerate(cases.values()))


def test_schedule_table_shares_equal_schedules() -> None:
    table = ScheduleTable.of([parse_cron("0 1 * * *"), None, parse_cron("0 1 * * *"),
                              parse_cron("@reboot")])
    assert table.sid.tolist() == [0, -1, 0, -1] and len(table.distinct) == 1


def test_heatmap_is_starts_per_week_by_weekday_and_hour() -> None:
    horizon = (date(2027, 1, 4), date(2027, 1, 18))  # two whole weeks, Monday to Sunday
    fires = fires_from_schedules([parse_cron("15 9 * * 1-5"), parse_cron("*/30 * * * 0")],
                                 [0, 0], horizon)
    grid = heatmap(start_counts(fires), fires.horizon)
    assert grid[0, 9] == 1 and grid[4, 9] == 1 and grid[5, 9] == 0  # Mon..Fri 09:xx
    assert grid[6].tolist() == [2.0] * 24  # Sunday: two starts every hour
    assert grid.sum() == 5 + 48

