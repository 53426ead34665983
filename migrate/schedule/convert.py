"""Conversion: a legacy schedule in its zone -> EventBridge `cron(...)` expressions in UTC.

A legacy schedule is a set of local instants: dates in a *day set* (months x the day rule)
times minutes in a *time set* (hours x minutes). With a fixed UTC offset D, local minute t
becomes UTC minute t - D of the same day, the previous day (k = -1) or the next (k = +1).
So the time set splits by k; each part is re-grouped into hours x minutes products, and the
day set is shifted by k days and re-expressed in AWS's day vocabulary:

* day-of-week only: weekdays shift cyclically;
* day-of-month only (or every day) with a month set: shift (month, day) pairs; the day
  before the 1st is the last day of the previous month (`L`), and February depends on leap
  years; what is year-dependent is split by the Year field;
* both day fields (cron's OR rule): one day-of-month and one day-of-week family of
  expressions; days matching both then fire twice (`double-fire` finding);
* AND of both restricted fields is expressible only as `n#k` (k-th weekday of the month)
  when the days are whole weeks of the month (1-7, 8-14, ...), unshifted; otherwise we emit
  the nearest form that never misses a legacy fire and report it (`day-and-inexpressible`);
* a day-of-week with a month restriction shifted across midnight crosses month boundaries on
  some dates, which no year-agnostic AWS expression can follow (`month-boundary`).

Zones with daylight saving have no single offset: the `dst` policy picks one (`standard`,
the default, is the lower offset, so AWS fires are never earlier than the legacy ones;
`daylight` the higher) and the pipeline reports the drift measured by the engine.

This module never evaluates fire instants; `verify.py` checks its output independently.

The partition step (`partition.py`: UTC day shifts, products, day parts) and the rendering
step (`render.py`: merging rows, writing and validating the text) do the work; this module
chooses the offset, runs both and adds the findings about the whole schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from migrate.analysis import codes
from migrate.model import Finding
from migrate.schedule.calendar import horizon_calendar, lookup
from migrate.schedule.cron import CronSchedule
from migrate.schedule.partition import (
    ALL_DAYS,
    ALL_WEEKDAYS,
    describe_days,
    describe_weekdays,
    partition,
)
from migrate.schedule.render import merge
from migrate.schedule.zones import choose_offset, format_offset, horizon_offsets


@dataclass(frozen=True, slots=True)
class Conversion:
    expressions: tuple[str, ...]
    findings: tuple[Finding, ...]
    offset: int | None  # the UTC offset (minutes) the expressions were converted for
    offsets: tuple[int, ...] = ()  # every offset the zone has over the horizon


def to_aws(
    schedule: CronSchedule,
    zone: str,
    horizon: tuple[date, date],
    *,
    dst: str = "standard",
) -> Conversion:
    """The AWS expressions (UTC) for `schedule` in `zone`, and why they may not be exact."""
    offsets = horizon_offsets(zone, horizon)
    offset = choose_offset(offsets, dst)
    if schedule.reboot:
        return Conversion((), (), None, offsets)
    rows, findings = partition(schedule, offset, horizon[0].year)
    if (schedule.day_rule == "or" and schedule.days != ALL_DAYS
            and schedule.weekdays != ALL_WEEKDAYS):
        both = _double_fire_days(schedule.months, schedule.days, schedule.weekdays, horizon)
        if both:
            findings.append(_double_fire(schedule, both, horizon))

    expressions = tuple(merge(rows))
    if not expressions:
        findings.append(codes.NEVER_FIRES.finding(
            f"'{schedule.text}' matches no date (e.g. a day its months never have): "
            "cron never runs it, so no rule is created",
            schedule.text,
        ))
    return Conversion(expressions, tuple(_dedupe(findings)), offset, offsets)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.code not in seen:
            seen.add(f.code)
            out.append(f)
    return out


@lru_cache(maxsize=1024)
def _double_fire_days(months: frozenset[int], days: frozenset[int], weekdays: frozenset[int],
                      horizon: tuple[date, date]) -> int:
    """Days in the horizon matching both day fields (cached: distinct schedules share their
    day fields far more often than their times)."""
    cal = horizon_calendar(*horizon)
    a, b = cal.index(horizon[0]), cal.index(horizon[1])
    both = (
        lookup(months, 13)[cal.month] & lookup(days, 32)[cal.dom] & lookup(weekdays, 7)[cal.dow]
    )[a:b]
    return int(np.count_nonzero(both))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _double_fire(schedule: CronSchedule, days: int, horizon: tuple[date, date]) -> Finding:
    per_day = len(schedule.hours) * len(schedule.minutes)
    span = f"{horizon[0].isoformat()}..{horizon[1].isoformat()}"
    return codes.DOUBLE_FIRE.finding(
        f"cron ORs day-of-month {describe_days(schedule.days)} and day-of-week "
        f"{describe_weekdays(schedule.weekdays)}; AWS needs one rule for each, so on the "
        f"{_plural(days, 'day')} in {span} that match both, the job runs twice "
        f"({_plural(days * per_day, 'extra run')}).",
        schedule.text,
    )


def dst_drift_finding(
    zone: str, offset: int, fires_by_offset: dict[int, int], total: int,
    horizon: tuple[date, date],
) -> Finding | None:
    """Report fires that move because the zone's offset changes over the horizon."""
    moved = {o: n for o, n in fires_by_offset.items() if o != offset and n}
    if not moved:
        return None
    parts = []
    for o, n in sorted(moved.items()):
        shift = offset - o  # AWS runs at local(o) + (o - offset)... minutes later if > 0
        later = "later" if o > offset else "earlier"
        parts.append(f"{n} fires while {zone} is at UTC{format_offset(o)} run "
                     f"{abs(shift)} min {later} in local time")
    span = f"{horizon[0].isoformat()}..{horizon[1].isoformat()}"
    return codes.DST_DRIFT.finding(
        f"{zone} changes its UTC offset (daylight saving); an EventBridge rule runs in UTC, "
        f"converted here for UTC{format_offset(offset)}. In {span}: " + "; ".join(parts)
        + f" (of {total}).",
        zone,
    )
