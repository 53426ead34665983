"""Fire components of EventBridge `cron(...)` expressions: what AWS will actually start.

Each expression is parsed once by the schedule engine's own grammar
(`schedule.aws.parse_expression`) and becomes one component in UTC: its hour and minute
sets as masks, and its day fields (day-of-month incl. `L`/`W`, month, day-of-week incl.
`L`/`#`, year) evaluated by `AwsCron.day_mask` over the horizon into a row of the shared
pattern table (rows are shared by every expression with the same day fields). `rate(...)`
expressions have no wall-clock anchor and contribute no components.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial

import numpy as np

from migrate.analysis.timing import BoolArray, Parts, PatternTable
from migrate.schedule.aws import AwsCron, AwsExpressionError, parse_expression
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


def aws_parts(
    table: PatternTable, expressions: Sequence[Sequence[str]], include: BoolArray
) -> Parts:
    """Components of `expressions[i]` (job i's UTC expressions) for jobs where `include`."""
    cal = table.horizon.calendar
    jobs: list[int] = []
    rows: list[int] = []
    hours: list[int] = []
    minutes: list[int] = []
    for i in np.flatnonzero(include).tolist():
        for text in expressions[i]:
            expr = _parsed(text)
            if expr is None or not expr.hours or not expr.minutes:
                continue
            jobs.append(i)
            rows.append(table.row(_day_key(expr), 0, partial(_days, expr, cal)))
            hours.append(_mask(expr.hours))
            minutes.append(_mask(expr.minutes))
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
