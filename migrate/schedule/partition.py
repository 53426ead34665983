"""The partition step of conversion: a legacy schedule's local instants, split by the UTC
day shift, as (minutes, hours, day part) rows in AWS's day vocabulary.

With a fixed UTC offset D, local minute t becomes UTC minute t - D of the same day (k = 0),
the previous day (k = -1) or the next (k = +1). `partition` splits the time set by k,
re-groups each part into hours x minutes products (`utc_times`) and shifts the day set by k
days (`dom_specs`, `dow_specs`, `nth_specs`), reporting what a year-agnostic UTC rule cannot
follow (`month-boundary`, `day-and-inexpressible`). `render.py` turns the rows into text.

Speed (a fleet of 100,000 distinct schedules converts each twice): the work is split into
pure functions of small values that distinct schedules share, each cached with a bound —
`utc_times` (minutes, hours, offset), `day_specs` (day fields, k, first year), `dom_specs`
(days, months, k, first year). Day sets are handled as bit masks (bit d = day d), which
keeps `dom_specs` exact and cheap when it does run; the findings, which name the schedule,
are built outside the caches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from migrate.analysis import codes
from migrate.model import Finding
from migrate.schedule.aws import render_set
from migrate.schedule.cron import CronSchedule
from migrate.schedule.fields import AWS_DAY_OF_WEEK, AWS_YEAR, DAY_OF_MONTH, MONTH

MAX_NTH_EXPRESSIONS = 12  # beyond this many `n#k` rules, prefer the superset form

ALL_MONTHS = MONTH.values
ALL_DAYS = DAY_OF_MONTH.values
ALL_WEEKDAYS = frozenset(range(7))
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


@lru_cache(maxsize=64)
def year_set(leap: bool, first_year: int) -> frozenset[int]:
    return frozenset(
        y for y in range(max(first_year, AWS_YEAR.low), AWS_YEAR.high + 1) if _leap(y) == leap
    )


# ----------------------------------------------------------------------------- days


# Day sets as bit masks: bit d is day d (1-31). `_FULL[n]` holds days 1..n, `_FREE[m]` the
# days month m never has (not even in a leap year).
_FULL = tuple((1 << (n + 1)) - 2 for n in range(32))
_FREE = (0, *(_FULL[31] & ~_FULL[days_in_month(m, True)] for m in range(1, 13)))


def _mask(values: Iterable[int]) -> int:
    out = 0
    for v in values:
        out |= 1 << v
    return out


@lru_cache(maxsize=4096)
def _set_of(mask: int) -> frozenset[int]:
    """The set of a mask (days, months, weekdays: 0-31). Cached, so that the specs in the
    caches share one frozenset per set: memory, and cheap hashing of equal sets."""
    return frozenset(d for d in range(32) if mask >> d & 1)


def _shift_masks(days: int, months: frozenset[int], k: int, leap: bool) -> list[int]:
    """Per UTC month (index 1-12), the days of local dates (month in months, day in the mask
    `days`) shifted k days, for a year of the given leap type (dates crossing New Year do not
    depend on it): the day before the 1st is the previous month's last day, the day after
    the last is the next month's 1st."""
    out = [0] * 13
    for m in months:
        dim = days_in_month(m, leap)
        here = days & _FULL[dim]
        if not here:
            continue
        if k == 0:
            out[m] |= here
        elif k < 0:
            out[m] |= (here & ~2) >> 1
            if here & 2:
                pm = 12 if m == 1 else m - 1
                out[pm] |= 1 << days_in_month(pm, leap)
        else:
            last = 1 << dim
            out[m] |= (here & ~last) << 1
            if here & last:
                out[1 if m == 12 else m + 1] |= 2
    return out


@lru_cache(maxsize=8192)
def dom_specs(days: frozenset[int], months: frozenset[int], k: int, first_year: int
               ) -> tuple[DaySpec, ...]:
    """Exact AWS day specs for the UTC dates of (days x months) shifted by k."""
    day_mask = _mask(days)
    by_type = {leap: _shift_masks(day_mask, months, k, leap) for leap in (False, True)}
    specs: list[DaySpec] = []
    per_month: dict[int, int] = {}  # year-agnostic days per month (masks)
    feb_last = False
    for m in range(1, 13):
        xn, xl = by_type[False][m], by_type[True][m]
        if m == 2 and xn != xl:
            solved = _solve_february(_set_of(xn), _set_of(xl))
            if solved is not None:
                feb, feb_last = solved
                per_month[2] = _mask(feb)
                continue
        common = xn & xl
        if common:
            per_month[m] = common
        for leap, only in ((False, xn & ~xl), (True, xl & ~xn)):
            if only:
                specs.append(DaySpec("dom", _set_of(only), _set_of(1 << m),
                                     year_set(leap, first_year)))
    specs.extend(_group_months(per_month, feb_last))
    return tuple(specs)


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


def _group_months(per_month: dict[int, int], feb_last: bool) -> list[DaySpec]:
    """Group months with equal day sets (masks) into as few specs as we can find: each
    month's last day may be written `L`, and days a month never has are free to add (`31` in
    April)."""
    if not per_month and not feb_last:
        return []

    def plan(use_last: bool) -> list[DaySpec]:
        numeric: dict[int, int] = {}
        last_months: set[int] = {2} if feb_last else set()
        for m, days in per_month.items():
            dim_max = days_in_month(m, True)
            if use_last and dim_max == days_in_month(m, False) and days >> dim_max & 1:
                last_months.add(m)
                days &= ~(1 << dim_max)
            if days:
                numeric[m] = days
        groups: dict[int, set[int]] = defaultdict(set)
        for m, days in numeric.items():
            groups[days].add(m)
        # merge groups whose differences are days the other group's months never have
        merged = True
        while merged:
            merged = False
            items = list(groups.items())
            for i, (da, ma) in enumerate(items):
                for db, mb in items[i + 1 :]:
                    if (all(not (db & ~da & ~_FREE[m]) for m in ma)
                            and all(not (da & ~db & ~_FREE[m]) for m in mb)):
                        del groups[da], groups[db]
                        groups[da | db] = ma | mb
                        merged = True
                        break
                if merged:
                    break
        # months with no numeric days may join a group to make its month field `*`
        for days, ms in groups.items():
            others = {m for m in range(1, 13) if m not in numeric and not (days & ~_FREE[m])}
            if len(ms | others) == 12:
                ms |= others
        specs = [DaySpec("dom", _set_of(days), _set_of(_mask(ms))) for days, ms in groups.items()]
        if last_months:
            specs.append(DaySpec("last", frozenset(), _set_of(_mask(last_months))))
        return specs

    with_last, without = plan(True), plan(False)
    return with_last if len(with_last) < len(without) else without


def dow_specs(weekdays: frozenset[int], months: frozenset[int], k: int) -> tuple[DaySpec, ...]:
    shifted = _set_of(_mask((w + k) % 7 + 1 for w in weekdays))
    return (DaySpec("dow", shifted, months),)


_WEEK_BLOCKS = {1: range(1, 8), 2: range(8, 15), 3: range(15, 22), 4: range(22, 29),
                5: range(29, 32)}


def nth_specs(days: frozenset[int], weekdays: frozenset[int], months: frozenset[int]
               ) -> tuple[DaySpec, ...] | None:
    """AND of day-of-month and day-of-week as `w#k` rules, when the days are whole weeks."""
    blocks = [b for b, r in _WEEK_BLOCKS.items() if set(r) <= days]
    if frozenset().union(*(frozenset(_WEEK_BLOCKS[b]) for b in blocks)) != days:
        return None
    if len(blocks) * len(weekdays) > MAX_NTH_EXPRESSIONS:
        return None
    return tuple(DaySpec("nth", frozenset(), months, nth=(w + 1, b))
                 for w in sorted(weekdays) for b in blocks)


def _keeps_weekdays(days: frozenset[int], weekdays: frozenset[int]) -> bool:
    """For an AND of both day fields AWS cannot express: keep the side that fires least."""
    return len(weekdays) / 7 <= len(days) / 31


@lru_cache(maxsize=8192)
def day_specs(days: frozenset[int], weekdays: frozenset[int], months: frozenset[int],
              rule: str, k: int, first_year: int) -> tuple[tuple[DaySpec, ...], str]:
    """The day parts for the local days shifted by k, and what they cannot follow: "" (they
    are exact), "month-boundary" or "and" (a superset of an AND, `day-and-inexpressible`)."""
    dom_r = days != ALL_DAYS
    dow_r = weekdays != ALL_WEEKDAYS
    if rule == "or" and (not dom_r or not dow_r):
        dom_r = dow_r = False  # one side matches every day: every day matches
    if not dom_r and not dow_r:
        if months == ALL_MONTHS:
            return (DaySpec("dom", ALL_DAYS, ALL_MONTHS),), ""
        return dom_specs(ALL_DAYS, months, k, first_year), ""
    if dom_r and not dow_r:
        return dom_specs(days, months, k, first_year), ""
    boundary = "month-boundary" if k and months != ALL_MONTHS else ""
    if dow_r and not dom_r:
        return dow_specs(weekdays, months, k), boundary
    if rule == "or":
        return dom_specs(days, months, k, first_year) + dow_specs(weekdays, months, k), boundary
    nth = nth_specs(days, weekdays, months) if k == 0 else None
    if nth is not None:
        return nth, ""
    if _keeps_weekdays(days, weekdays):
        return dow_specs(weekdays, months, k), "and"
    return dom_specs(days, months, k, first_year), "and"


# ----------------------------------------------------------------------------- times

Products = tuple[tuple[frozenset[int], frozenset[int]], ...]  # (minutes, hours) pairs


@lru_cache(maxsize=1024)
def utc_times(minutes: frozenset[int], hours: frozenset[int], offset: int
              ) -> tuple[tuple[int, Products], ...]:
    """The local times hours x minutes moved `offset` minutes to UTC, by UTC day shift k
    (ascending): each part as (minutes, hours) products, hours with equal minute sets sharing
    one product.

    Worked per hour, not per minute: with offset = 60 q + r (0 <= r < 60), local h:m is UTC
    hour h - q at minute m - r when m >= r, else hour h - q - 1 at minute m - r + 60. So
    each UTC hour (counted from local midnight) gets `upper`, `lower` or both."""
    q, r = divmod(offset, 60)
    if r == 0:  # whole hours: the minute set stays as it is (one product per k)
        if q == 0:
            return ((0, ((minutes, hours),)),)
        whole: dict[int, list[int]] = defaultdict(list)
        for h in hours:
            k, hour = divmod(h - q, 24)
            whole[k].append(hour)
        return tuple((k, ((minutes, frozenset(hs)),)) for k, hs in sorted(whole.items()))
    upper = frozenset(m - r for m in minutes if m >= r)
    lower = frozenset(m - r + 60 for m in minutes if m < r)
    both = upper | lower
    hours_from_midnight = {h - q for h in hours} if upper else set()
    if lower:
        hours_from_midnight.update(h - q - 1 for h in hours)
    by_k: dict[int, dict[frozenset[int], list[int]]] = defaultdict(dict)
    for a in hours_from_midnight:
        up = bool(upper) and a + q in hours
        low = bool(lower) and a + q + 1 in hours
        ms = both if up and low else upper if up else lower
        k, hour = divmod(a, 24)
        by_k[k].setdefault(ms, []).append(hour)
    return tuple((k, tuple((ms, frozenset(hs)) for ms, hs in groups.items()))
                 for k, groups in sorted(by_k.items()))


# ----------------------------------------------------------------------------- driver


def partition(schedule: CronSchedule, offset: int, first_year: int
              ) -> tuple[list[Row], list[Finding]]:
    """The rows (minutes, hours, day part) that together fire at the schedule's local
    instants moved by `offset` minutes to UTC, and the findings on what they cannot follow."""
    findings: list[Finding] = []
    rows: list[Row] = []
    for k, times in utc_times(schedule.minutes, schedule.hours, offset):
        specs, cannot = day_specs(schedule.days, schedule.weekdays, schedule.months,
                                  schedule.day_rule, k, first_year)
        if cannot == "month-boundary":
            findings.append(_month_boundary(schedule, k))
        elif cannot == "and":
            findings.append(_and_superset(schedule))
        rows += [(minutes, hours, spec) for minutes, hours in times for spec in specs]
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


def _and_superset(schedule: CronSchedule) -> Finding:
    """Cron ANDs the two day fields (one starts with `*`); AWS cannot. `day_specs` emits the
    side that fires least (a superset of the legacy days: nothing is missed); say so."""
    if _keeps_weekdays(schedule.days, schedule.weekdays):
        kept = f"every {describe_weekdays(schedule.weekdays)}"
        guard = f"day of month {describe_days(schedule.days)}"
    else:
        kept = f"days {describe_days(schedule.days)}"
        guard = f"weekday {describe_weekdays(schedule.weekdays)}"
    return codes.DAY_AND_INEXPRESSIBLE.finding(
        f"cron runs this only on days matching both day-of-month and day-of-week (one field "
        f"starts with '*', so cron ANDs them); AWS cannot AND them, so the rule fires on "
        f"{kept} and the extra days must be skipped by the job itself.",
        schedule.text,
        recommendation=f"Make the job exit early unless the local {guard} matches, or use a "
        "scheduler that can express the rule.",
    )
