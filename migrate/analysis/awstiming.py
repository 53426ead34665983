"""Fire components of EventBridge `cron(...)` expressions: what AWS will actually start.

Each expression is parsed by the schedule engine's own grammar
(`schedule.aws.parse_expression`) and becomes one component in UTC: its hour and minute
sets as masks, and its day fields (day-of-month incl. `L`/`W`, month, day-of-week incl.
`L`/`#`, year) evaluated by `AwsCron.day_mask` over the horizon into a row of the shared
pattern table (rows are shared by every expression with the same day fields). `rate(...)`
expressions have no wall-clock anchor and contribute no components.

Speed (a fleet of distinct schedules has ~160,000 distinct expressions, ~30 us each to
parse whole): the grammar checks each field on its own (only day-of-month and day-of-week
are checked together), so an expression is parsed as four smaller expressions built from
its fields, each parsed once per scan however many expressions share it: the minute field
(`cron(M 0 * * ? *)`), the hour field (`cron(0 H * * ? *)`), the month field
(`cron(0 0 * MON ? *)`), the year field (`cron(0 0 * * ? YEAR)`) and the day-of-month and
day-of-week fields together (`cron(0 0 DOM * DOW *)`). Such a fleet has ~15,000 minute,
~5,000 hour, ~900 month, 3 year and ~6,000 day texts. The expression is valid exactly when
all of them are (each is no longer than the expression, so the length limit holds for them
whenever it holds for it), and they give its minutes, hours and day fields (the day fields
of one expression: the day-of-month/day-of-week parse with the month and year values put
in). Text the split does not cover (no `cron(...)` with six single-space-separated fields,
a line break) is parsed whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache, partial

import numpy as np

from migrate.analysis.timing import BoolArray, Parts, PatternTable
from migrate.schedule.aws import NAME_MAX, AwsCron, AwsExpressionError, parse_expression
from migrate.schedule.calendar import Calendar


@lru_cache(maxsize=1 << 14)
def _parsed(text: str) -> AwsCron | None:
    try:
        expr = parse_expression(text)
    except AwsExpressionError:
        return None
    return expr if isinstance(expr, AwsCron) else None


def _day_key(expr: AwsCron) -> tuple[object, ...]:
    """The expression's day fields: equal keys fire on equal days (a tuple: cheaper than a
    blanked copy of the expression, one per expression of a fleet)."""
    return ("aws", expr.months, expr.years, expr.dom, expr.dom_last, expr.dom_weekday,
            expr.dow, expr.dow_last, expr.dow_nth, expr.dom_question)


# What one expression contributes: hour mask, minute mask, the key of its day fields and
# the parsed day fields (for the pattern row); None: nothing.
_Parsed = tuple[int, int, tuple[object, ...], AwsCron] | None
_Days = tuple[tuple[object, ...], AwsCron] | None


class _Fields:
    """The expressions of one `aws_parts` call, parsed field by field (module docstring)."""

    def __init__(self) -> None:
        self.minutes: dict[str, int | None] = {}
        self.hours: dict[str, int | None] = {}
        self.days: dict[str, _Days] = {}  # the four day fields' text -> key, fields
        self.dom_dow: dict[tuple[str, str], AwsCron | None] = {}
        self.months: dict[str, frozenset[int] | None] = {}
        self.years: dict[str, frozenset[int] | None] = {}

    def parse(self, text: str) -> _Parsed:
        fields = _split(text)
        if fields is None:
            whole = _parsed(text)
            if whole is None:
                return None
            return _mask(whole.hours), _mask(whole.minutes), _day_key(whole), whole
        minute, hour, days = fields
        m = self.minutes.get(minute, -1)
        if m == -1:
            expr = _parsed(f"cron({minute} 0 * * ? *)")
            m = self.minutes[minute] = None if expr is None else _mask(expr.minutes)
        h = self.hours.get(hour, -1)
        if h == -1:
            expr = _parsed(f"cron(0 {hour} * * ? *)")
            h = self.hours[hour] = None if expr is None else _mask(expr.hours)
        if days in self.days:
            d = self.days[days]
        else:
            d = self.days[days] = self._days(days)
        if m is None or h is None or d is None:
            return None
        return h, m, d[0], d[1]

    def _days(self, days: str) -> _Days:
        dom, month, dow, year = days.split(" ")
        if (dom, dow) not in self.dom_dow:
            self.dom_dow[(dom, dow)] = _parsed(f"cron(0 0 {dom} * {dow} *)")
        if month not in self.months:
            expr = _parsed(f"cron(0 0 * {month} ? *)")
            self.months[month] = None if expr is None else expr.months
        if year not in self.years:
            expr = _parsed(f"cron(0 0 * * ? {year})")
            self.years[year] = None if expr is None else expr.years
        on, months, years = self.dom_dow[(dom, dow)], self.months[month], self.years[year]
        if on is None or months is None or years is None:
            return None
        expr = replace(on, months=months, years=years)
        return _day_key(expr), expr


def _split(text: str) -> tuple[str, str, str] | None:
    """(minute field, hour field, the four day fields) of `cron(...)` with six non-empty
    fields separated by single spaces, as `parse_expression` splits it; else None."""
    if (len(text) > NAME_MAX or not text.startswith("cron(") or not text.endswith(")")
            or "\n" in text):
        return None
    parts = text[5:-1].split(" ", 2)
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return None
    rest = parts[2].split(" ")
    if len(rest) != 4 or not all(rest):
        return None
    return parts[0], parts[1], parts[2]


def aws_parts(
    table: PatternTable, expressions: Sequence[Sequence[str]], include: BoolArray
) -> Parts:
    """Components of `expressions[i]` (job i's UTC expressions) for jobs where `include`."""
    cal = table.horizon.calendar
    fields = _Fields()
    jobs: list[int] = []
    rows: list[int] = []
    hours: list[int] = []
    minutes: list[int] = []
    for i in np.flatnonzero(include).tolist():
        for text in expressions[i]:
            parsed = fields.parse(text)
            if parsed is None or not parsed[0] or not parsed[1]:
                continue
            h, m, key, days = parsed
            jobs.append(i)
            rows.append(table.row(key, 0, partial(_days, days, cal)))
            hours.append(h)
            minutes.append(m)
    if not jobs:
        return Parts.empty()
    return Parts(
        np.asarray(jobs, dtype=np.int64),
        np.asarray(rows, dtype=np.int64),
        np.asarray(hours, dtype=np.uint64),
        np.asarray(minutes, dtype=np.uint64),
    )


def _days(key: AwsCron, cal: Calendar) -> BoolArray:
    return np.asarray(key.day_mask(cal), dtype=bool)


@lru_cache(maxsize=4096)
def _mask(values: frozenset[int]) -> int:
    return sum(1 << v for v in values)
