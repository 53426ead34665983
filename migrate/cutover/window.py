"""The cut-over window: the next stretch of minutes in which none of the chosen jobs fires.

Why a window makes the cut-over exact: the legacy line and the rule fire at the same
instants (the verification engine proved it for exact jobs). If the crontab edit and the
rule's enabling both happen strictly between two fires f1 < f2, run f1 was started by cron
(the line was still there) and run f2 will be started by EventBridge (the rule is enabled,
the line is gone): no run is skipped and none doubled. cron reads a crontab at the start of
a minute, so a fire minute itself is never part of a window.

The fires come from the expressions the job is deployed with, evaluated with the
verification engine's day and minute masks (`schedule.aws.AwsCron`), vectorised over the
days searched: one (days x 1440) boolean array per expression, OR-ed together. A rule's
expression is UTC; a Scheduler schedule's is in its time zone (`Timed`, `(expression,
zone)`): each UTC minute is turned into the zone's wall clock (`zones.offset_segments`) and
matched there, so a local time skipped by daylight saving never fires and one repeated
counts at both instants (Scheduler runs it once, at an instant AWS does not document: the
window avoids both). One-time `at(...)` schedules fire at their local time. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from migrate.cutover.edits import CutoverError
from migrate.schedule.aws import AwsRate, parse_expression
from migrate.schedule.calendar import EPOCH, calendar
from migrate.schedule.verify import at_minute
from migrate.schedule.zones import offset_segments

SEARCH_DAYS = 7
DEFAULT_DURATION = timedelta(minutes=10)  # playbook on a few hosts plus the AWS calls
Timed = tuple[str, str]  # (expression, time zone): a Scheduler schedule's instants


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive: the next fire of a chosen job (or the search end)

    def __str__(self) -> str:
        return f"{_fmt(self.start)}..{_fmt(self.end)}"


def _fmt(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _minute(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(second=0, microsecond=0)


def fire_mask(expressions: Sequence[str | Timed], start: datetime, days: int) -> np.ndarray:
    """Booleans, one per UTC minute from `start`'s day 00:00 for `days` days: does any of
    the expressions (UTC, or `(expression, zone)`) fire then. Rate expressions have no fixed
    instants: `CutoverError`."""
    first = start.astimezone(UTC).date()
    cal = calendar(first, first + timedelta(days=days - 1))
    busy = np.zeros((days, 1440), dtype=bool)
    flat = busy.reshape(-1)  # a view: the zoned fires are set minute by minute
    for item in dict.fromkeys(expressions):  # a fleet repeats expressions: each once
        text, zone = (item, "UTC") if isinstance(item, str) else item
        if text.startswith("at("):
            minute = at_minute(text, zone) - (first - EPOCH).days * 1440
            if 0 <= minute < len(flat):
                flat[minute] = True
            continue
        expr = parse_expression(text)
        if isinstance(expr, AwsRate):
            raise CutoverError(f"{text}: a rate expression fires at instants set when the rule "
                               "was enabled, so no window can be computed; pass --window "
                               "START..END or --now")
        if zone == "UTC":
            busy |= np.logical_and.outer(expr.day_mask(cal), expr.minute_mask())
            continue
        local = _wall_clock(zone, first, days)
        local_cal = calendar(first - timedelta(days=1), first + timedelta(days=days))
        day = local // 1440 - (local_cal.first - EPOCH).days
        flat |= expr.day_mask(local_cal)[day] & expr.minute_mask()[local % 1440]
    return flat


def _wall_clock(zone: str, first: date, days: int) -> np.ndarray:
    """The local epoch minute in `zone` of each UTC minute from `first` 00:00 for `days`."""
    minutes = (first - EPOCH).days * 1440 + np.arange(days * 1440, dtype=np.int64)
    segments = offset_segments(zone, first, first + timedelta(days=days))
    starts = np.array([s.start for s in segments], dtype=np.int64)
    offsets = np.array([s.offset for s in segments], dtype=np.int64)
    local: np.ndarray = minutes + offsets[np.searchsorted(starts, minutes, side="right") - 1]
    return local


def next_fire(expressions: Sequence[str | Timed], now: datetime) -> datetime | None:
    """The first fire at or after `now`'s next minute, within the search days."""
    base = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), UTC)
    busy = fire_mask(expressions, now, SEARCH_DAYS + 1)
    offset = int((_minute(now) - base).total_seconds() // 60) + 1
    hits = np.flatnonzero(busy[offset:])
    if not len(hits):
        return None
    return base + timedelta(minutes=offset + int(hits[0]))


def find_window(expressions: Sequence[str | Timed], now: datetime,
                duration: timedelta = DEFAULT_DURATION) -> Window | None:
    """The earliest window of at least `duration` starting at or after `now` (to the
    minute) within `SEARCH_DAYS`, in which none of the expressions fires; it ends at the
    next fire. None when there is none (a job firing every few minutes)."""
    need = max(1, int(np.ceil(duration.total_seconds() / 60)))
    base = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), UTC)
    busy = fire_mask(expressions, now, SEARCH_DAYS + 2)
    begin = int((_minute(now) - base).total_seconds() // 60)
    if now.astimezone(UTC) > _minute(now):
        begin += 1  # a window starts on a minute boundary
    horizon = begin + SEARCH_DAYS * 1440
    free = ~busy[begin:horizon + need]
    # run lengths of free minutes, vectorised: runs start where free follows busy
    padded = np.concatenate(([False], free, [False])).astype(np.int8)
    edges = np.diff(padded)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    ok = np.flatnonzero((ends - starts >= need) & (starts < SEARCH_DAYS * 1440))
    if not len(ok):
        return None
    s, e = int(starts[ok[0]]), int(ends[ok[0]])
    return Window(base + timedelta(minutes=begin + s), base + timedelta(minutes=begin + e))


def parse_window(text: str) -> Window:
    """`START..END` or `START:END` in UTC ISO 8601 (`2026-12-05T03:00Z`)."""
    m = re.fullmatch(r"(.+?)(?:\.\.|:)(\d{4}-\d\d-\d\d[T ].+)", text.strip())
    if not m:
        raise CutoverError(f"--window {text!r}: expected START..END (or START:END) in UTC, "
                           "e.g. 2026-12-05T03:00Z..2026-12-05T03:30Z")
    try:
        start, end = (_parse_time(x) for x in m.groups())
    except ValueError as exc:
        raise CutoverError(f"--window {text!r}: {exc}") from None
    if end <= start:
        raise CutoverError(f"--window {text!r}: the end is not after the start")
    return Window(start, end)


def _parse_time(text: str) -> datetime:
    t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
