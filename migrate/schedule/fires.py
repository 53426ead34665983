"""How many times an AWS schedule expression fires in a window of UTC time, by the same
evaluators the verification engine uses (`AwsCron.day_mask` / `minute_mask`): one day mask
over the window's calendar and a prefix sum of the minute mask, so the count is a few numpy
operations whatever the window or frequency (no loop over fires).

`cron(...)` fires at second 0 of each matching minute, so a minute m of a day is in
[start, end) when `ceil(start) <= m < ceil(end)` (minutes since midnight, rounded up).
`rate(n unit)` counts from when the rule was created, which the account does not tell: the
count is `window // n`, give or take one (`Fires.slack`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from migrate.schedule.aws import AwsRate, parse_expression
from migrate.schedule.calendar import calendar


@dataclass(frozen=True, slots=True)
class Fires:
    count: int
    slack: int = 0  # the true count may differ by this much (rate expressions)


def _minute_ceil(t: datetime) -> int:
    m = t.hour * 60 + t.minute
    return m + (1 if t.second or t.microsecond else 0)


def count_fires(text: str, start: datetime, end: datetime) -> Fires:
    """Fires of `text` in [start, end) (aware UTC datetimes)."""
    if end <= start:
        return Fires(0)
    expr = parse_expression(text)
    if isinstance(expr, AwsRate):
        return Fires(int((end - start) / timedelta(minutes=expr.minutes)), 1)
    last = end - timedelta(microseconds=1)
    cal = calendar(start.date(), last.date())
    days = expr.day_mask(cal)
    prefix = np.concatenate([[0], np.cumsum(expr.minute_mask(), dtype=np.int64)])
    lo = np.zeros(len(cal), dtype=np.int64)
    hi = np.full(len(cal), 1440, dtype=np.int64)
    lo[0] = min(_minute_ceil(start), 1440)
    end_minute = _minute_ceil(end)
    hi[-1] = end_minute if end.date() == last.date() else 1440
    per_day = np.maximum(prefix[hi] - prefix[lo], 0)
    return Fires(int(per_day[days].sum()))
