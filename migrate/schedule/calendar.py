"""Day arrays over a span of dates, shared by every evaluation on the same horizon.

A `Calendar` holds, for each day of a span, its year, month, day of month, day of week
(0 = Sunday) and the length of its month, as numpy arrays. Evaluating a day rule is then a
handful of table look-ups over these arrays instead of a loop over dates.

A `Horizon` is the window [start, end) of UTC dates that an evaluation covers, on the calendar
that holds it with its margins: the verification engine and the analysis both index days
through it, so both read the same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.integer[Any]]
BoolArray = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
MARGIN_DAYS = 2  # local dates around the UTC horizon (offsets reach -12h .. +14h)


@dataclass(frozen=True, eq=False)
class Calendar:
    first: date  # the date of index 0
    year: IntArray
    month: IntArray
    dom: IntArray
    dow: IntArray  # 0 = Sunday
    dim: IntArray  # days in the month of that date

    def __len__(self) -> int:
        return len(self.year)

    def index(self, d: date) -> int:
        return (d - self.first).days

    def date_of(self, index: int) -> date:
        return self.first + timedelta(days=index)


@lru_cache(maxsize=64)
def calendar(first: date, last: date) -> Calendar:
    """Days `first` .. `last` inclusive."""
    days = np.arange(
        np.datetime64(first.isoformat(), "D"), np.datetime64(last.isoformat(), "D") + 1
    )
    months = days.astype("datetime64[M]")
    month_start = months.astype("datetime64[D]")
    next_month_start = (months + 1).astype("datetime64[D]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    dom = (days - month_start).astype(np.int64) + 1
    dow = (days.astype(np.int64) + 4) % 7  # 1970-01-01 was a Thursday
    dim = (next_month_start - month_start).astype(np.int64)
    cal = Calendar(first, year, month, dom, dow, dim)
    for arr in (cal.year, cal.month, cal.dom, cal.dow, cal.dim):
        arr.setflags(write=False)
    return cal


def horizon_calendar(start: date, end: date) -> Calendar:
    """The calendar a horizon [start, end) needs, margins included."""
    return calendar(start - timedelta(days=MARGIN_DAYS), end + timedelta(days=MARGIN_DAYS))


@dataclass(frozen=True, eq=False)
class Horizon:
    """Days `start` .. `start + days - 1` as a window on `calendar` (which has margins):
    horizon day d is calendar index `first + d`."""

    start: date
    days: int
    calendar: Calendar
    first: int

    def window(self, values: npt.NDArray[Any], shift: int = 0) -> npt.NDArray[Any]:
        """`values` (one per calendar day) for each horizon day, read `shift` days earlier:
        the local day that UTC day d meets when UTC day = local day + shift."""
        lo = self.first - shift
        return values[lo : lo + self.days]

    @property
    def iso_weekday(self) -> IntArray:
        """Per horizon day: Monday = 0 ... Sunday = 6."""
        result: IntArray = (self.window(self.calendar.dow) + 6) % 7
        return result

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=int(day))


@lru_cache(maxsize=64)
def horizon_window(start: date, end: date) -> Horizon:
    """The horizon [start, end) (at least one day) on `horizon_calendar`."""
    days = max((end - start).days, 1)
    cal = horizon_calendar(start, start + timedelta(days=days))
    return Horizon(start, days, cal, cal.index(start))


@lru_cache(maxsize=65536)
def lookup(values: frozenset[int], size: int) -> BoolArray:
    """A read-only boolean table t with t[v] true for v in values (0 <= v < size)."""
    table = np.zeros(size, dtype=bool)
    if values:
        table[list(values)] = True
    table.setflags(write=False)
    return table
