"""The verification engine's building blocks (the engine itself and its model: `verify.py`).

Per (zone, horizon): which UTC days have one offset all day and the minute-by-minute detail
of the others (`ZoneDays`). Per schedule: its legacy day and minute masks. Per AWS
expression: its day bits over the horizon calendar and its minute mask, parsed from the
expression *text*. And the small pieces around them: a minute pattern shifted by an offset
into the three local days a UTC day meets, `at(...)` instants, the wording of examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

from migrate.model import Verification
from migrate.schedule.aws import AwsCron, AwsRate, parse_expression
from migrate.schedule.calendar import (
    EPOCH,
    BoolArray,
    Calendar,
    IntArray,
    horizon_calendar,
    lookup,
)
from migrate.schedule.cron import CronSchedule
from migrate.schedule.zones import Segment, format_offset, offset_segments, resolve_zone

MAX_EXAMPLES = 5
MAX_DIFFERENCES = 1000
MAX_EXPRESSIONS = 50  # per proof: a schedule is never converted into more
TARGETS = ("rules", "scheduler")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
SMALL_JUMP = 5  # cronie: a forward jump of more than 5 minutes is "medium"
LARGE_JUMP = 180  # cronie: a jump of more than 3 hours is "large"


@dataclass(frozen=True, slots=True)
class VerifyResult:
    verification: Verification
    # Legacy fires in the horizon per UTC offset in force (minutes): DST drift accounting.
    fires_by_offset: dict[int, int]
    # (UTC epoch minute, legacy fires, AWS fires) at every differing instant on the days
    # around an offset change, in time order (at most MAX_DIFFERENCES)
    transitions: tuple[tuple[int, int, int], ...] = ()
    off_transitions: bool = False  # some difference lies on a day without a transition


def source_day_mask(s: CronSchedule, cal: Calendar) -> BoolArray:
    """Which local dates of `cal` the legacy schedule fires on (cronie's day rule)."""
    months = lookup(s.months, 13)[cal.month]
    dom = lookup(s.days, 32)[cal.dom]
    dow = lookup(s.weekdays, 7)[cal.dow]
    days = (dom & dow) if s.day_rule == "and" else (dom | dow)
    return months & days


def source_minute_mask(s: CronSchedule) -> BoolArray:
    return np.logical_and.outer(lookup(s.hours, 24), lookup(s.minutes, 60)).reshape(1440)


def day_masks(schedules: Sequence[CronSchedule], cal: Calendar) -> IntArray:
    """(len(schedules), len(cal)) uint8: `source_day_mask` of each, in one pass."""
    months = np.stack([lookup(s.months, 13) for s in schedules])[:, cal.month]
    dom = np.stack([lookup(s.days, 32) for s in schedules])[:, cal.dom]
    dow = np.stack([lookup(s.weekdays, 7) for s in schedules])[:, cal.dow]
    both = np.array([s.day_rule == "and" for s in schedules])[:, None]
    out: IntArray = (months & np.where(both, dom & dow, dom | dow)).astype(np.uint8)
    return out


def minute_masks(schedules: Sequence[CronSchedule]) -> IntArray:
    """(len(schedules), 1440) uint8: `source_minute_mask` of each."""
    hours = np.stack([lookup(s.hours, 24) for s in schedules])
    minutes = np.stack([lookup(s.minutes, 60) for s in schedules])
    out: IntArray = (hours[:, :, None] & minutes[:, None, :]).reshape(-1, 1440).astype(np.uint8)
    return out


@lru_cache(maxsize=4096)  # two shared arrays each
def expr_arrays(text: str, start: date, end: date) -> tuple[IntArray, IntArray]:
    """(day bits over the horizon calendar, minute mask) of one AWS expression."""
    expr = parse_expression(text)
    if isinstance(expr, AwsRate):
        raise ValueError(f"{text}: rate expressions have no wall-clock instants to verify")
    # Expressions of distinct schedules still share their day fields (`* * ? *`) or their
    # times: each part is evaluated once per distinct value.
    return (_day_bits(expr.months, expr.years, expr.dom, expr.dom_last, expr.dom_weekday,
                      expr.dow, expr.dow_last, expr.dow_nth, expr.dom_question, start, end),
            _minute_bits(expr.hours, expr.minutes))


@lru_cache(maxsize=4096)
def _day_bits(months: frozenset[int], years: frozenset[int], dom: frozenset[int] | None,
              dom_last: bool, dom_weekday: int | None, dow: frozenset[int] | None,
              dow_last: int | None, dow_nth: tuple[int, int] | None, dom_question: bool,
              start: date, end: date) -> IntArray:
    """The day bits of an expression with these day fields (`AwsCron.day_mask`), uint8."""
    fields = AwsCron("", frozenset(), frozenset(), months, years, dom, dom_last, dom_weekday,
                     dow, dow_last, dow_nth, dom_question)
    days: IntArray = fields.day_mask(horizon_calendar(start, end)).astype(np.uint8)
    days.setflags(write=False)
    return days


@lru_cache(maxsize=4096)
def _minute_bits(hours: frozenset[int], minutes: frozenset[int]) -> IntArray:
    """The minute mask of an expression with these times (`AwsCron.minute_mask`), uint8."""
    mask: IntArray = AwsCron("", minutes, hours, frozenset(), frozenset()).minute_mask(
        ).astype(np.uint8)
    mask.setflags(write=False)
    return mask


@dataclass(frozen=True, eq=False)
class ZoneDays:
    """Per (zone, horizon): the offset of each UTC day and which days need minute detail."""

    segments: tuple[Segment, ...]
    offsets: tuple[int, ...]
    day_start: IntArray  # epoch minute of each horizon day's 00:00 UTC
    day_offset: IntArray
    off_index: IntArray  # index into offsets
    regular_days: IntArray  # horizon day indices with one offset all day
    irregular_days: IntArray  # the others (a transition inside, or within 3 hours)
    irregular_minutes: IntArray  # (len(irregular_days), 1440) epoch minutes
    irregular_offsets: IntArray  # the offset at each of those minutes


@lru_cache(maxsize=1024)
def zone_days(zone: str, start: date, end: date) -> ZoneDays:
    segments = offset_segments(zone, start, end)
    offsets = tuple(sorted({s.offset for s in segments}))
    n = (end - start).days
    first_epoch_day = (start - EPOCH).days
    day_start = (first_epoch_day + np.arange(n, dtype=np.int64)) * 1440
    seg_starts = np.array([s.start for s in segments], dtype=np.int64)
    seg_offsets = np.array([s.offset for s in segments], dtype=np.int64)
    day_offset = seg_offsets[np.searchsorted(seg_starts, day_start, side="right") - 1]
    irregular = np.zeros(n, dtype=bool)
    for seg in segments[1:]:
        lo = (seg.start - 1) // 1440 - first_epoch_day
        hi = (seg.start + LARGE_JUMP + 1) // 1440 - first_epoch_day
        irregular[max(lo, 0) : max(min(hi + 1, n), 0)] = True
    off_index = np.searchsorted(np.array(offsets), day_offset).astype(np.int64)
    irregular_days = np.flatnonzero(irregular)
    minutes = day_start[irregular_days][:, None] + np.arange(1440, dtype=np.int64)
    minute_offsets = seg_offsets[np.searchsorted(seg_starts, minutes, side="right") - 1]
    return ZoneDays(segments, offsets, day_start, day_offset, off_index,
                    np.flatnonzero(~irregular), irregular_days, minutes, minute_offsets)


def shifted(masks: IntArray, offsets: Sequence[int]) -> IntArray:
    """(len(offsets), 3, len(masks), 1440) uint8: each 1440-minute wall-clock pattern of
    `masks` as it falls on a UTC day when the offset is constant, split by the local day it
    comes from (row r: local day u - 1 + r of UTC day u)."""
    out = np.zeros((len(offsets), 3, len(masks), 1440), dtype=np.uint8)
    for o, offset in enumerate(offsets):
        x = np.arange(1440) + offset
        k = np.floor_divide(x, 1440)
        pattern = masks[:, np.mod(x, 1440)]
        for row in range(3):
            out[o, row] = pattern * (k == row - 1)
    return out


def at_minute(text: str, zone: str) -> int:
    """UTC epoch minute of a Scheduler `at(yyyy-mm-ddThh:mm:ss)` in `zone` (a repeated local
    time: its first occurrence, Python's fold=0)."""
    m = _AT.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{text!r}: expected at(yyyy-mm-ddThh:mm:ss)")
    moment = datetime.fromisoformat(m.group(1)).replace(tzinfo=resolve_zone(zone))
    return int(moment.timestamp()) // 60


def add_at(aws_i: IntArray, ats: Sequence[str], zone: str, zd: ZoneDays) -> None:
    """Count one-time `at(...)` instants into the transition-day rows they fall on."""
    if not ats:
        return
    firsts = zd.irregular_minutes[:, 0] if len(aws_i) else np.zeros(0, dtype=np.int64)
    for text in ats:
        minute = at_minute(text, zone)
        rows = np.flatnonzero((firsts <= minute) & (minute < firsts + 1440))
        if not len(rows):
            raise ValueError(f"{text}: one-time schedules are verified on days with a "
                             "daylight-saving transition only")
        aws_i[rows[0], minute - firsts[rows[0]]] += 1


def example(day: date, minute: int, src: int, aws: int, offset: int, label: str) -> str:
    """`2027-03-14T07:00Z (2027-03-14 02:00 UTC-05:00): ...` (`minute` of UTC `day`)."""
    local = minute + offset
    local_day = day + timedelta(days=local // 1440) if not 0 <= local < 1440 else day
    what = "extra" if src == 0 else ("duplicate" if aws > src else "missing")
    return (
        f"{day.isoformat()}T{_HHMM[minute]}Z ({local_day.isoformat()} {_HHMM[local % 1440]} "
        f"UTC{_utc_offset(offset)}): legacy fires {src}x, {label} fires {aws}x ({what})"
    )


_HHMM = [f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)]


@lru_cache(maxsize=256)
def _utc_offset(offset: int) -> str:
    return format_offset(offset)


def row_stats(src: IntArray, aws: IntArray) -> tuple[IntArray, ...]:
    """Over the last axis: (missing, extra, duplicates, legacy fires, aws fires)."""
    diff = src - aws
    missing = np.maximum(diff, 0).sum(axis=-1)
    over = np.maximum(-diff, 0)
    extra = np.where(src == 0, over, 0).sum(axis=-1)
    return missing, extra, over.sum(axis=-1) - extra, src.sum(axis=-1), aws.sum(axis=-1)
