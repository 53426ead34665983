"""The partition step of conversion: a legacy schedule's local instants, split by the UTC
day shift, as (minutes, hours, day part) rows in AWS's day vocabulary.

With a fixed UTC offset D, local minute t becomes UTC minute t - D of the same day (k = 0),
the previous day (k = -1) or the next (k = +1). `partition` splits the time set by k,
re-groups each part into hours x minutes products (`products`) and shifts the day set by k
days (`dom_specs`, `dow_specs`, `nth_specs`), reporting what a year-agnostic UTC rule cannot
follow (`month-boundary`, `day-and-inexpressible`). `render.py` turns the rows into text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from migrate.analysis import codes
from migrate.model import Finding
from migrate.schedule.aws import render_set
from migrate.schedule.cron import CronSchedule
from migrate.schedule.fields import AWS_DAY_OF_WEEK, AWS_YEAR, DAY_OF_MONTH, MONTH

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


Row = tuple[frozenset[int], frozenset[int], DaySpec]  # (minutes, hours, day part)


# ----------------------------------------------------------------------------- years


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def year_set(leap: bool, first_year: int) -> frozenset[int]:
    return frozenset(
        y for y in range(max(first_year, AWS_YEAR.low), AWS_YEAR.high + 1) if _leap(y) == leap
    )


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


def dom_specs(days: frozenset[int], months: frozenset[int], k: int, first_year: int
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


def dow_specs(weekdays: frozenset[int], months: frozenset[int], k: int) -> list[DaySpec]:
    shifted = frozenset((w + k) % 7 + 1 for w in weekdays)
    return [DaySpec("dow", shifted, months)]


_WEEK_BLOCKS = {1: range(1, 8), 2: range(8, 15), 3: range(15, 22), 4: range(22, 29),
                5: range(29, 32)}


def nth_specs(days: frozenset[int], weekdays: frozenset[int], months: frozenset[int]
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


def products(minutes_of_day: Iterable[int]) -> list[tuple[frozenset[int], frozenset[int]]]:
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


def partition(schedule: CronSchedule, offset: int, first_year: int
              ) -> tuple[list[Row], list[Finding]]:
    """The rows (minutes, hours, day part) that together fire at the schedule's local
    instants moved by `offset` minutes to UTC, and the findings on what they cannot follow."""
    findings: list[Finding] = []
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
                specs = dom_specs(ALL_DAYS, months, k, first_year)
        elif dom_r and not dow_r:
            specs = dom_specs(days, months, k, first_year)
        elif dow_r and not dom_r:
            specs = dow_specs(weekdays, months, k)
            if k and months != ALL_MONTHS:
                findings.append(_month_boundary(schedule, k))
        elif rule == "or":
            specs = dom_specs(days, months, k, first_year) + dow_specs(weekdays, months, k)
            if k and months != ALL_MONTHS:
                findings.append(_month_boundary(schedule, k))
        else:
            nth = nth_specs(days, weekdays, months) if k == 0 else None
            if nth is not None:
                specs = nth
            else:
                specs, finding = _and_superset(schedule, k, first_year)
                findings.append(finding)
        for minutes, hours in products(utc_minutes):
            rows.extend((minutes, hours, spec) for spec in specs)

    return rows, findings


# ----------------------------------------------------------------------------- findings


def describe_days(values: Iterable[int]) -> str:
    return render_set(values, DAY_OF_MONTH)


def describe_weekdays(weekdays: Iterable[int]) -> str:
    return render_set((w + 1 for w in weekdays), AWS_DAY_OF_WEEK, steps=False)


def _month_boundary(schedule: CronSchedule, k: int) -> Finding:
    direction = "previous" if k < 0 else "next"
    return codes.MONTH_BOUNDARY.finding(
        f"In UTC some fires fall on the {direction} day, and on the first or last day of a "
        f"month that day belongs to another month; a day-of-week rule limited to months "
        f"{render_set(schedule.months, MONTH)} cannot follow that, so fires near month "
        "boundaries are missing or extra (see verification).",
        schedule.text,
    )


def _and_superset(schedule: CronSchedule, k: int, first_year: int
                  ) -> tuple[list[DaySpec], Finding]:
    """Cron ANDs the two day fields (one starts with `*`); AWS cannot. Emit the side that
    fires least (a superset of the legacy days: nothing is missed) and say so."""
    dom_share = len(schedule.days) / 31
    dow_share = len(schedule.weekdays) / 7
    if dow_share <= dom_share:
        specs = dow_specs(schedule.weekdays, schedule.months, k)
        kept = f"every {describe_weekdays(schedule.weekdays)}"
        guard = f"day of month {describe_days(schedule.days)}"
    else:
        specs = dom_specs(schedule.days, schedule.months, k, first_year)
        kept = f"days {describe_days(schedule.days)}"
        guard = f"weekday {describe_weekdays(schedule.weekdays)}"
    return specs, codes.DAY_AND_INEXPRESSIBLE.finding(
        f"cron runs this only on days matching both day-of-month and day-of-week (one field "
        f"starts with '*', so cron ANDs them); AWS cannot AND them, so the rule fires on "
        f"{kept} and the extra days must be skipped by the job itself.",
        schedule.text,
        recommendation=f"Make the job exit early unless the local {guard} matches, or use a "
        "scheduler that can express the rule.",
    )
