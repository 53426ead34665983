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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from migrate.model import Finding
from migrate.schedule.aws import AwsExpressionError, parse_expression, render_set
from migrate.schedule.calendar import horizon_calendar, lookup
from migrate.schedule.cron import CronSchedule
from migrate.schedule.fields import (
    AWS_DAY_OF_WEEK,
    AWS_YEAR,
    DAY_OF_MONTH,
    HOUR,
    MINUTE,
    MONTH,
)
from migrate.schedule.zones import format_offset, offset_segments

DST_POLICIES = ("standard", "daylight")
MAX_NTH_EXPRESSIONS = 12  # beyond this many `n#k` rules, prefer the superset form

ALL_MONTHS = MONTH.values
ALL_DAYS = DAY_OF_MONTH.values
_DIM = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def days_in_month(month: int, leap: bool) -> int:
    return 29 if (month == 2 and leap) else _DIM[month]


@dataclass(frozen=True, slots=True)
class DaySpec:
    """The day part of one AWS expression. kind: dom (numeric days), last (`L`),
    dow (AWS weekdays 1-7), nth (`w#k`)."""

    kind: str
    values: frozenset[int]
    months: frozenset[int]
    years: frozenset[int] | None = None  # None: every year
    nth: tuple[int, int] | None = None

    def render(self) -> tuple[str, str, str, str]:
        months = render_set(self.months, MONTH)
        years = "*" if self.years is None else render_years(self.years)
        if self.kind == "dom":
            return render_set(self.values, DAY_OF_MONTH), months, "?", years
        if self.kind == "last":
            return "L", months, "?", years
        if self.kind == "dow":
            return "?", months, render_set(self.values, AWS_DAY_OF_WEEK, steps=False), years
        assert self.nth is not None
        return "?", months, f"{self.nth[0]}#{self.nth[1]}", years


Row = tuple[frozenset[int], frozenset[int], DaySpec]  # (minutes, hours, day part)


@dataclass(frozen=True, slots=True)
class Conversion:
    expressions: tuple[str, ...]
    findings: tuple[Finding, ...]
    offset: int | None  # the UTC offset (minutes) the expressions were converted for
    offsets: tuple[int, ...] = ()  # every offset the zone has over the horizon


# ----------------------------------------------------------------------------- years


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def year_set(leap: bool, first_year: int) -> frozenset[int]:
    return frozenset(
        y for y in range(max(first_year, AWS_YEAR.low), AWS_YEAR.high + 1) if _leap(y) == leap
    )


def render_years(years: frozenset[int]) -> str:
    """Years as residues mod 4 (`2029/4`) where a whole residue class up to 2199 is included,
    and single years otherwise (2100 is the only non-leap multiple of 4 in range)."""
    remaining = set(years)
    parts: list[str] = []
    for start in sorted(years):
        if start not in remaining:
            continue
        cls = set(range(start, AWS_YEAR.high + 1, 4))
        if len(cls) >= 3 and cls <= remaining:
            parts.append(f"{start}/4")
            remaining -= cls
    parts.extend(str(y) for y in sorted(remaining))
    return ",".join(sorted(parts, key=lambda p: int(p.split("/")[0])))


# ----------------------------------------------------------------------------- days


def _shift_pairs(days: frozenset[int], months: frozenset[int], k: int, leap: bool
                 ) -> set[tuple[int, int]]:
    """UTC (month, day) pairs of local dates (month in months, day in days) shifted k days,
    for a year of the given leap type (dates crossing New Year do not depend on it)."""
    out: set[tuple[int, int]] = set()
    for m in months:
        dim = days_in_month(m, leap)
        for d in days:
            if d > dim:
                continue
            if k == 0:
                out.add((m, d))
            elif k < 0:
                if d > 1:
                    out.add((m, d - 1))
                else:
                    pm = 12 if m == 1 else m - 1
                    out.add((pm, days_in_month(pm, leap)))
            elif d < dim:
                out.add((m, d + 1))
            else:
                out.add((1 if m == 12 else m + 1, 1))
    return out


def _dom_specs(days: frozenset[int], months: frozenset[int], k: int, first_year: int
               ) -> list[DaySpec]:
    """Exact AWS day specs for the UTC dates of (days x months) shifted by k."""
    by_type = {leap: _shift_pairs(days, months, k, leap) for leap in (False, True)}
    specs: list[DaySpec] = []
    per_month: dict[int, frozenset[int]] = {}  # year-agnostic days per month
    feb_last = False
    for m in range(1, 13):
        xn = frozenset(d for (mm, d) in by_type[False] if mm == m)
        xl = frozenset(d for (mm, d) in by_type[True] if mm == m)
        if m == 2 and xn != xl:
            solved = _solve_february(xn, xl)
            if solved is not None:
                per_month[2], feb_last = solved
                continue
        common = xn & xl
        if common:
            per_month[m] = common
        for leap, only in ((False, xn - xl), (True, xl - xn)):
            if only:
                specs.append(DaySpec("dom", only, frozenset({m}), year_set(leap, first_year)))
    specs.extend(_group_months(per_month, feb_last))
    return specs


def _solve_february(xn: frozenset[int], xl: frozenset[int]
                    ) -> tuple[frozenset[int], bool] | None:
    """February days of non-leap (xn) and leap (xl) years as one year-agnostic token set
    (numbers, plus `L` = 28th or 29th), if one exists."""
    if xn - {28} != xl - {28, 29}:
        return None
    a, b, c = 28 in xn, 28 in xl, 29 in xl
    base = xn - {28}
    if b:
        return (base | {28} | ({29} if c else set()), False) if a else None
    if a:
        return (base, True) if c else None
    return (base | ({29} if c else set()), False)


def _group_months(per_month: dict[int, frozenset[int]], feb_last: bool) -> list[DaySpec]:
    """Group months with equal day sets into as few specs as we can find: each month's last
    day may be written `L`, and days a month never has are free to add (`31` in April)."""
    if not per_month and not feb_last:
        return []

    def free(m: int) -> frozenset[int]:
        return frozenset(range(days_in_month(m, True) + 1, 32))

    def plan(use_last: bool) -> list[DaySpec]:
        numeric: dict[int, frozenset[int]] = {}
        last_months: set[int] = {2} if feb_last else set()
        for m, days in per_month.items():
            dim_max = days_in_month(m, True)
            if use_last and dim_max == days_in_month(m, False) and dim_max in days:
                last_months.add(m)
                days = days - {dim_max}
            if days:
                numeric[m] = days
        groups: dict[frozenset[int], set[int]] = defaultdict(set)
        for m, days in numeric.items():
            groups[days].add(m)
        # merge groups whose differences are days the other group's months never have
        merged = True
        while merged:
            merged = False
            items = list(groups.items())
            for i, (da, ma) in enumerate(items):
                for db, mb in items[i + 1 :]:
                    if all(db - da <= free(m) for m in ma) and all(da - db <= free(m) for m in mb):
                        del groups[da], groups[db]
                        groups[da | db] = ma | mb
                        merged = True
                        break
                if merged:
                    break
        # months with no numeric days may join a group to make its month field `*`
        for days, ms in groups.items():
            others = {m for m in range(1, 13) if m not in numeric and days <= free(m)}
            if len(ms | others) == 12:
                ms |= others
        specs = [DaySpec("dom", days, frozenset(ms)) for days, ms in groups.items()]
        if last_months:
            specs.append(DaySpec("last", frozenset(), frozenset(last_months)))
        return specs

    with_last, without = plan(True), plan(False)
    return with_last if len(with_last) < len(without) else without


def _dow_specs(weekdays: frozenset[int], months: frozenset[int], k: int) -> list[DaySpec]:
    shifted = frozenset((w + k) % 7 + 1 for w in weekdays)
    return [DaySpec("dow", shifted, months)]


_WEEK_BLOCKS = {1: range(1, 8), 2: range(8, 15), 3: range(15, 22), 4: range(22, 29),
                5: range(29, 32)}


def _nth_specs(days: frozenset[int], weekdays: frozenset[int], months: frozenset[int]
               ) -> list[DaySpec] | None:
    """AND of day-of-month and day-of-week as `w#k` rules, when the days are whole weeks."""
    blocks = [b for b, r in _WEEK_BLOCKS.items() if set(r) <= days]
    if frozenset().union(*(frozenset(_WEEK_BLOCKS[b]) for b in blocks)) != days:
        return None
    if len(blocks) * len(weekdays) > MAX_NTH_EXPRESSIONS:
        return None
    return [DaySpec("nth", frozenset(), months, nth=(w + 1, b))
            for w in sorted(weekdays) for b in blocks]


# ----------------------------------------------------------------------------- times


def _products(minutes_of_day: Iterable[int]) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Minutes of a day grouped into (minutes, hours) products: hours with equal minute sets
    share one product."""
    by_hour: dict[int, set[int]] = defaultdict(set)
    for t in minutes_of_day:
        by_hour[t // 60].add(t % 60)
    groups: dict[frozenset[int], set[int]] = defaultdict(set)
    for h, ms in by_hour.items():
        groups[frozenset(ms)].add(h)
    return [(ms, frozenset(hs)) for ms, hs in groups.items()]


# ----------------------------------------------------------------------------- driver


def choose_offset(offsets: Iterable[int], dst: str) -> int:
    if dst not in DST_POLICIES:
        raise ValueError(f"unknown --dst policy {dst!r} (expected standard or daylight)")
    return min(offsets) if dst == "standard" else max(offsets)


def to_aws(
    schedule: CronSchedule,
    zone: str,
    horizon: tuple[date, date],
    *,
    dst: str = "standard",
) -> Conversion:
    """The AWS expressions (UTC) for `schedule` in `zone`, and why they may not be exact."""
    offsets = tuple(sorted({s.offset for s in offset_segments(zone, *horizon)}))
    offset = choose_offset(offsets, dst)
    if schedule.reboot:
        return Conversion((), (), None, offsets)
    findings: list[Finding] = []
    first_year = horizon[0].year

    times: dict[int, set[int]] = defaultdict(set)
    for h in schedule.hours:
        for m in schedule.minutes:
            x = h * 60 + m - offset
            times[x // 1440].add(x % 1440)

    days = schedule.days
    weekdays = schedule.weekdays
    months = schedule.months
    rule = schedule.day_rule
    dom_r = days != ALL_DAYS
    dow_r = weekdays != frozenset(range(7))
    if rule == "or" and (not dom_r or not dow_r):
        dom_r = dow_r = False  # one side matches every day: every day matches

    rows: list[Row] = []
    for k, utc_minutes in sorted(times.items()):
        specs: list[DaySpec]
        if not dom_r and not dow_r:
            if months == ALL_MONTHS:
                specs = [DaySpec("dom", ALL_DAYS, ALL_MONTHS)]
            else:
                specs = _dom_specs(ALL_DAYS, months, k, first_year)
        elif dom_r and not dow_r:
            specs = _dom_specs(days, months, k, first_year)
        elif dow_r and not dom_r:
            specs = _dow_specs(weekdays, months, k)
            if k and months != ALL_MONTHS:
                findings.append(_month_boundary(schedule, k))
        elif rule == "or":
            specs = _dom_specs(days, months, k, first_year) + _dow_specs(weekdays, months, k)
            if k and months != ALL_MONTHS:
                findings.append(_month_boundary(schedule, k))
        else:
            nth = _nth_specs(days, weekdays, months) if k == 0 else None
            if nth is not None:
                specs = nth
            else:
                specs, finding = _and_superset(schedule, k, first_year)
                findings.append(finding)
        for minutes, hours in _products(utc_minutes):
            rows.extend((minutes, hours, spec) for spec in specs)

    if rule == "or" and dom_r and dow_r:
        both = _double_fire_days(schedule, horizon)
        if both:
            findings.append(_double_fire(schedule, both, horizon))

    expressions = tuple(_merge(rows))
    if not expressions:
        findings.append(Finding(
            "never-fires", "warning",
            f"'{schedule.text}' matches no date (e.g. a day its months never have): "
            "cron never runs it, so no rule is created",
            evidence=schedule.text,
            recommendation="Fix or delete the line; nothing will be deployed for it.",
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


def _merge(rows: list[Row]) -> list[str]:
    """Fewer expressions: union times of equal day specs, then months of otherwise equal rows,
    then day values of otherwise equal rows, until nothing changes. Returns the expressions,
    rendered and sorted."""
    by_day: dict[DaySpec, set[int]] = defaultdict(set)
    for minutes, hours, spec in rows:
        by_day[spec].update(h * 60 + m for h in hours for m in minutes)
    out = [(mi, hr, spec) for spec, tod in by_day.items() for mi, hr in _products(tod)]
    changed = True
    while changed:
        changed = False
        for merge in ("months", "values"):
            # Grouping keys are the row with the merged field left out (a plain tuple, the
            # same equality as the DaySpec with that field blanked, without building one).
            groups: dict[object, list[Row]] = defaultdict(list)
            for r in out:
                mi, hr, sp = r
                if merge == "months":
                    groups[(mi, hr, sp.kind, sp.values, sp.years, sp.nth)].append(r)
                elif sp.kind in ("dom", "dow"):
                    groups[(mi, hr, sp.kind, sp.months, sp.years, sp.nth)].append(r)
                else:
                    groups[("keep", r)].append(r)
            merged: list[Row] = []
            for members in groups.values():
                if len(members) == 1:
                    merged.append(members[0])
                    continue
                mi, hr, spec = members[0]
                if merge == "months":
                    union = frozenset().union(*(m[2].months for m in members))
                    merged.append((mi, hr, replace(spec, months=union)))
                else:
                    union = frozenset().union(*(m[2].values for m in members))
                    merged.append((mi, hr, replace(spec, values=union)))
                changed = True
            out = merged
    return sorted(_render(r) for r in out)


def _render(row: Row) -> str:
    minutes, hours, spec = row
    dom, month, dow, year = spec.render()
    time = f"{render_set(minutes, MINUTE)} {render_set(hours, HOUR)}"
    text = f"cron({time} {dom} {month} {dow} {year})"
    try:
        parse_expression(text)  # cached: the verification parses the same text next
    except AwsExpressionError as exc:  # pragma: no cover - a bug in this module
        raise AssertionError(f"converter produced an invalid expression: {exc}") from exc
    return text


# ----------------------------------------------------------------------------- findings


def _describe_days(values: Iterable[int]) -> str:
    return render_set(values, DAY_OF_MONTH)


def _describe_weekdays(weekdays: Iterable[int]) -> str:
    return render_set((w + 1 for w in weekdays), AWS_DAY_OF_WEEK, steps=False)


def _month_boundary(schedule: CronSchedule, k: int) -> Finding:
    direction = "previous" if k < 0 else "next"
    return Finding(
        "month-boundary", "error",
        f"In UTC some fires fall on the {direction} day, and on the first or last day of a "
        f"month that day belongs to another month; a day-of-week rule limited to months "
        f"{render_set(schedule.months, MONTH)} cannot follow that, so fires near month "
        "boundaries are missing or extra (see verification).",
        evidence=schedule.text,
        recommendation="Schedule in a zone-aware scheduler (EventBridge Scheduler with a "
        "time zone), or widen the months and let the job check the local month itself.",
    )


def _and_superset(schedule: CronSchedule, k: int, first_year: int
                  ) -> tuple[list[DaySpec], Finding]:
    """Cron ANDs the two day fields (one starts with `*`); AWS cannot. Emit the side that
    fires least (a superset of the legacy days: nothing is missed) and say so."""
    dom_share = len(schedule.days) / 31
    dow_share = len(schedule.weekdays) / 7
    if dow_share <= dom_share:
        specs = _dow_specs(schedule.weekdays, schedule.months, k)
        kept = f"every {_describe_weekdays(schedule.weekdays)}"
        guard = f"day of month {_describe_days(schedule.days)}"
    else:
        specs = _dom_specs(schedule.days, schedule.months, k, first_year)
        kept = f"days {_describe_days(schedule.days)}"
        guard = f"weekday {_describe_weekdays(schedule.weekdays)}"
    return specs, Finding(
        "day-and-inexpressible", "error",
        f"cron runs this only on days matching both day-of-month and day-of-week (one field "
        f"starts with '*', so cron ANDs them); AWS cannot AND them, so the rule fires on "
        f"{kept} and the extra days must be skipped by the job itself.",
        evidence=schedule.text,
        recommendation=f"Make the job exit early unless the local {guard} matches, or use a "
        "scheduler that can express the rule.",
    )


def _double_fire_days(schedule: CronSchedule, horizon: tuple[date, date]) -> int:
    cal = horizon_calendar(*horizon)
    a, b = cal.index(horizon[0]), cal.index(horizon[1])
    both = (
        lookup(schedule.months, 13)[cal.month]
        & lookup(schedule.days, 32)[cal.dom]
        & lookup(schedule.weekdays, 7)[cal.dow]
    )[a:b]
    return int(np.count_nonzero(both))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _double_fire(schedule: CronSchedule, days: int, horizon: tuple[date, date]) -> Finding:
    per_day = len(schedule.hours) * len(schedule.minutes)
    span = f"{horizon[0].isoformat()}..{horizon[1].isoformat()}"
    return Finding(
        "double-fire", "warning",
        f"cron ORs day-of-month {_describe_days(schedule.days)} and day-of-week "
        f"{_describe_weekdays(schedule.weekdays)}; AWS needs one rule for each, so on the "
        f"{_plural(days, 'day')} in {span} that match both, the job runs twice "
        f"({_plural(days * per_day, 'extra run')}).",
        evidence=schedule.text,
        recommendation="Make the job idempotent or guard against the second run; or drop "
        "one of the two day conditions if it was not intended (cron's OR rule surprises "
        "many authors).",
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
    return Finding(
        "dst-drift", "warning",
        f"{zone} changes its UTC offset (daylight saving); an EventBridge rule runs in UTC, "
        f"converted here for UTC{format_offset(offset)}. In {span}: " + "; ".join(parts)
        + f" (of {total}).",
        evidence=zone,
        recommendation="Accept the drift (choose --dst standard|daylight), or move the job "
        "to EventBridge Scheduler, which evaluates cron in a time zone.",
    )
