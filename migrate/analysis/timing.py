"""When jobs start, as arrays: fire components, per-minute start counts, heatmaps, intervals.

A schedule's fire instants over a horizon are a union of *components*, each a product
`days × hours × minutes`: a set of calendar days (a row of a shared day-pattern table, one
bool per horizon day) times a 24-bit hour mask times a 60-bit minute mask. A legacy cron
schedule is one component in its own zone; shifting it to UTC by a zone offset splits it into
at most six (minute carry × day shift), all computed with numpy bit operations per distinct
offset. An EventBridge `cron(...)` expression is one component in UTC.

Everything downstream is matrix arithmetic over these arrays, never a loop over fire times
and never a comparison of job pairs:

* `start_counts`: starts per (horizon day, minute of day) = patterns^T @ (per-pattern sums of
  hour ⊗ minute masks): one (P × 1440) table and one matrix product;
* `heatmap`: those counts folded to 7 weekdays × 24 hours, averaged per week;
* `hot_components`: which components start in a minute whose count passes a threshold;
* `shortest_interval`: the smallest gap between two starts of a job, from its masks.

Values only: the calendar comes from the horizon passed in, zone offsets from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from migrate.schedule.cron import CronSchedule

MINUTES_PER_DAY = 1440
_H_BITS = np.arange(24, dtype=np.uint64)
_M_BITS = np.arange(60, dtype=np.uint64)
_ONE = np.uint64(1)
_HOUR_FULL = np.uint64((1 << 24) - 1)

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
U64Array = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Calendar:
    """The horizon's days, extended by one day on each side for zone shifts."""

    start: date
    days: int
    dom: IntArray  # day of month per extended day (index 0 = start - 1 day)
    month: IntArray
    dow: IntArray  # cron numbering: Sunday = 0
    iso_weekday: IntArray  # per horizon day (not extended): Monday = 0 ... Sunday = 6

    @classmethod
    def of(cls, horizon: tuple[date, date]) -> Calendar:
        start, end = horizon
        days = max((end - start).days, 1)
        ext = np.arange(-1, days + 1)
        base = np.datetime64(start.isoformat(), "D") + ext
        ymd = base.astype("datetime64[D]")
        months = ymd.astype("datetime64[M]")
        dom = (ymd - months).astype(np.int64) + 1
        month = months.astype(np.int64) % 12 + 1
        # 1970-01-01 was a Thursday (cron 4, ISO index 3).
        epoch_days = ymd.astype(np.int64)
        dow = (epoch_days + 4) % 7
        iso = ((epoch_days + 3) % 7)[1:-1]
        return cls(start, days, dom, month, dow, iso)

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=int(day))


@dataclass(frozen=True, slots=True)
class DayRule:
    """Which calendar days a schedule fires on (cron semantics, the zone's own calendar)."""

    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # Sunday = 0
    rule: str  # "and" | "or" (cronie's DOM_STAR / DOW_STAR)


@dataclass(slots=True)
class Fires:
    """Fire components of many jobs in one frame (UTC or each job's local time)."""

    calendar: Calendar
    n_jobs: int
    job: IntArray  # job index per component
    pattern: IntArray  # row of `patterns` per component
    hours: U64Array  # 24-bit masks
    minutes: U64Array  # 60-bit masks
    patterns: BoolArray  # (P, days)

    def __len__(self) -> int:
        return int(self.job.shape[0])


class PatternTable:
    """Deduplicated day patterns: one bool row per (day rule, day shift)."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self._rows: list[BoolArray] = []
        self._index: dict[tuple[object, int], int] = {}
        self._base: dict[object, BoolArray] = {}

    def row(self, key: object, shift: int, base: Callable[[], BoolArray]) -> int:
        """Row id of the pattern `key` moved by `shift` days (UTC day = local day + shift)."""
        found = self._index.get((key, shift))
        if found is not None:
            return found
        ext = self._base.get(key)
        if ext is None:
            ext = self._base[key] = base()
        n = self.calendar.days
        row = ext[1 - shift : 1 - shift + n]
        self._rows.append(row)
        self._index[(key, shift)] = len(self._rows) - 1
        return len(self._rows) - 1

    def cron_row(self, rule: DayRule, shift: int) -> int:
        return self.row(rule, shift, lambda: _cron_day_mask(self.calendar, rule))

    def array(self) -> BoolArray:
        if not self._rows:
            return np.zeros((0, self.calendar.days), dtype=bool)
        return np.vstack(self._rows)


def _cron_day_mask(cal: Calendar, rule: DayRule) -> BoolArray:
    in_month = np.isin(cal.month, list(rule.months))
    dom_ok = np.isin(cal.dom, list(rule.days))
    dow_ok = np.isin(cal.dow, list(rule.weekdays))
    days_ok = (dom_ok & dow_ok) if rule.rule == "and" else (dom_ok | dow_ok)
    return np.asarray(in_month & days_ok, dtype=bool)


@lru_cache(maxsize=1 << 14)
def _schedule_masks(parsed: CronSchedule) -> tuple[int, int, DayRule]:
    hours = sum(1 << h for h in parsed.hours)
    minutes = sum(1 << m for m in parsed.minutes)
    return hours, minutes, DayRule(parsed.days, parsed.months, parsed.weekdays, parsed.day_rule)


@dataclass(frozen=True, slots=True)
class ScheduleTable:
    """Jobs' legacy schedules, deduplicated: `sid[i]` is job i's row (-1: none, `@reboot`)."""

    sid: IntArray
    distinct: tuple[CronSchedule, ...]

    @classmethod
    def of(cls, schedules: Sequence[CronSchedule | None]) -> ScheduleTable:
        index: dict[CronSchedule, int] = {}
        sid = np.fromiter(
            (-1 if p is None or p.reboot else index.setdefault(p, len(index))
             for p in schedules),
            dtype=np.int64,
            count=len(schedules),
        )
        return cls(sid, tuple(index))


def fires_from_schedules(
    schedules: Sequence[CronSchedule | None] | ScheduleTable,
    shifts: Sequence[int] | IntArray,
    horizon: tuple[date, date],
    include: BoolArray | None = None,
) -> Fires:
    """Components of legacy schedules moved by `shifts[i]` minutes (UTC = local - offset).

    `None` schedules, `@reboot` and jobs where `include` is False have no components. A shift
    of 0 gives local time. Python touches each job once (a dictionary lookup of its
    schedule); masks are built per distinct schedule and spread to jobs by numpy indexing.
    """
    sched = schedules if isinstance(schedules, ScheduleTable) else ScheduleTable.of(schedules)
    cal = Calendar.of(horizon)
    table = PatternTable(cal)
    sid = sched.sid if include is None else np.where(include, sched.sid, -1)
    distinct = [_schedule_masks(p) for p in sched.distinct]
    rules: dict[DayRule, int] = {}
    h_u = np.asarray([d[0] for d in distinct], dtype=np.uint64)
    m_u = np.asarray([d[1] for d in distinct], dtype=np.uint64)
    r_u = np.asarray([rules.setdefault(d[2], len(rules)) for d in distinct], dtype=np.int64)
    rule_list = list(rules)
    job_a = np.flatnonzero(sid >= 0)
    if len(distinct):
        keep = (h_u[sid[job_a]] != 0) & (m_u[sid[job_a]] != 0)
        job_a = job_a[keep]
    sel_sid = sid[job_a]
    h_a, m_a, rid = h_u[sel_sid], m_u[sel_sid], r_u[sel_sid]
    s_a = np.asarray(shifts, dtype=np.int64)[job_a]
    out_job: list[IntArray] = []
    out_rule: list[IntArray] = []
    out_day: list[IntArray] = []
    out_h: list[U64Array] = []
    out_m: list[U64Array] = []
    for shift in np.unique(s_a).tolist():
        sel = np.flatnonzero(s_a == shift)
        for day_shift, keep, hh, mm in _shift_masks(h_a[sel], m_a[sel], int(shift)):
            out_job.append(job_a[sel][keep])
            out_rule.append(rid[sel][keep])
            out_day.append(np.full(int(keep.sum()), day_shift, dtype=np.int64))
            out_h.append(hh[keep])
            out_m.append(mm[keep])
    if out_job:
        job_c = np.concatenate(out_job)
        rule_c = np.concatenate(out_rule)
        day_c = np.concatenate(out_day)
        h_c = np.concatenate(out_h)
        m_c = np.concatenate(out_m)
    else:
        job_c = rule_c = day_c = np.zeros(0, dtype=np.int64)
        h_c = m_c = np.zeros(0, dtype=np.uint64)
    pairs = rule_c * 3 + (day_c + 1)
    uniq, inverse = np.unique(pairs, return_inverse=True)
    rows = np.asarray(
        [table.cron_row(rule_list[int(u) // 3], int(u) % 3 - 1) for u in uniq], dtype=np.int64
    )
    pattern_c = rows[inverse] if len(uniq) else np.zeros(0, dtype=np.int64)
    return Fires(cal, len(sid), job_c, pattern_c, h_c, m_c, table.array())


def _shift_masks(
    hours: U64Array, minutes: U64Array, shift: int
) -> list[tuple[int, BoolArray, U64Array, U64Array]]:
    """Move (hours × minutes) by `shift` minutes: [(day shift, non-empty, hours, minutes)]."""
    if shift == 0:
        return [(0, np.ones(hours.shape, dtype=bool), hours, minutes)]
    sh, sm = divmod(shift, 60)  # sm in 0..59, sh may be negative
    out: list[tuple[int, BoolArray, U64Array, U64Array]] = []
    if sm == 0:
        carries = [(0, minutes)]
    else:
        low = minutes & np.uint64((1 << (60 - sm)) - 1)
        high = minutes >> np.uint64(60 - sm)
        carries = [(0, low << np.uint64(sm)), (1, high)]
    wide = hours << np.uint64(24)  # day -1 in bits 0..23, day 0 in 24..47, day +1 in 48..63
    for carry, mm in carries:
        t = sh + carry
        moved = wide << np.uint64(t) if t >= 0 else wide >> np.uint64(-t)
        for day_shift in (-1, 0, 1):
            hh = (moved >> np.uint64(24 * (day_shift + 1))) & _HOUR_FULL
            keep = (hh != 0) & (mm != 0)
            if keep.any():
                out.append((day_shift, keep, hh, mm))
    return out


# ---------------------------------------------------------------- bit helpers


def hour_bits(hours: U64Array) -> npt.NDArray[np.uint8]:
    return ((hours[:, None] >> _H_BITS) & _ONE).astype(np.uint8)


def minute_bits(minutes: U64Array) -> npt.NDArray[np.uint8]:
    return ((minutes[:, None] >> _M_BITS) & _ONE).astype(np.uint8)


def lowest_bit(masks: U64Array) -> IntArray:
    """Index of the lowest set bit of each non-zero mask."""
    low = masks & (~masks + _ONE)
    return np.rint(np.log2(low.astype(np.float64))).astype(np.int64)


def tod_masks(fires: Fires, rows: IntArray) -> BoolArray:
    """(len(rows), 1440) minute-of-day masks of the given components."""
    hb = hour_bits(fires.hours[rows]).astype(bool)
    mb = minute_bits(fires.minutes[rows]).astype(bool)
    masks: BoolArray = (hb[:, :, None] & mb[:, None, :]).reshape(len(rows), MINUTES_PER_DAY)
    return masks


# ---------------------------------------------------------------- counting


def pattern_tod_counts(fires: Fires, weights: FloatArray | None = None) -> FloatArray:
    """(P, 1440): per day pattern, how many components start at each minute of the day."""
    n_pat = fires.patterns.shape[0]
    table = np.zeros((n_pat, 24, 60), dtype=np.float32)
    if len(fires) == 0:
        return table.reshape(n_pat, MINUTES_PER_DAY)
    order = np.argsort(fires.pattern, kind="stable")
    pats = fires.pattern[order]
    hb = hour_bits(fires.hours[order]).astype(np.float32)
    mb = minute_bits(fires.minutes[order]).astype(np.float32)
    if weights is not None:
        hb *= weights[order][:, None]
    bounds = np.flatnonzero(np.diff(pats)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(pats)]))
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        table[pats[s]] = hb[s:e].T @ mb[s:e]
    return table.reshape(n_pat, MINUTES_PER_DAY)


def start_counts(fires: Fires) -> FloatArray:
    """(days, 1440): how many job starts fall in each minute of the horizon."""
    per_pattern = pattern_tod_counts(fires)
    if per_pattern.shape[0] == 0:
        return np.zeros((fires.calendar.days, MINUTES_PER_DAY), dtype=np.float32)
    counts: FloatArray = fires.patterns.T.astype(np.float32) @ per_pattern
    return counts


def heatmap(counts: FloatArray, calendar: Calendar) -> FloatArray:
    """(7, 24) average starts per week: rows Monday..Sunday, columns hours 0..23."""
    per_hour = counts.reshape(counts.shape[0], 24, 60).sum(axis=2)
    out = np.zeros((7, 24), dtype=np.float32)
    np.add.at(out, calendar.iso_weekday, per_hour)
    weeks = np.bincount(calendar.iso_weekday, minlength=7).astype(np.float32)
    result: FloatArray = (out / np.maximum(weeks, 1)[:, None]).astype(np.float32)
    return result


def minute_masks_by_hour(table: BoolArray) -> U64Array:
    """(..., 24, 60) bools -> (..., 24) 60-bit masks."""
    weights = _ONE << _M_BITS
    result: U64Array = (table.astype(np.uint64) * weights).sum(axis=-1, dtype=np.uint64)
    return result


def first_hit(fires: Fires, rows: IntArray, hot_bits: U64Array) -> IntArray:
    """Per component in `rows`: the first minute of the day (h*60+m) it starts in whose bit is
    set in `hot_bits[pattern, hour]` (-1: none). Work is rows × 24 mask operations."""
    hb = hour_bits(fires.hours[rows]).astype(bool)
    hits = hot_bits[fires.pattern[rows]] & fires.minutes[rows][:, None]
    hits = np.where(hb, hits, np.uint64(0))
    any_hour = hits != 0
    hour = np.argmax(any_hour, axis=1)
    found = any_hour[np.arange(len(rows)), hour]
    minute = lowest_bit(np.where(found, hits[np.arange(len(rows)), hour], _ONE))
    return np.where(found, hour * 60 + minute, -1)


def hot_components(fires: Fires, hot: BoolArray) -> BoolArray:
    """Per component: does it start in any minute marked in `hot` (days × 1440)?"""
    result = np.zeros(len(fires), dtype=bool)
    if len(fires) == 0 or not hot.any():
        return result
    hot_by_pattern: BoolArray = np.asarray(
        (fires.patterns.astype(np.float32) @ hot.astype(np.float32)) > 0, dtype=bool
    )
    bits = minute_masks_by_hour(hot_by_pattern.reshape(-1, 24, 60))
    pattern_hot: BoolArray = np.asarray(hot_by_pattern.any(axis=1), dtype=bool)
    candidates = np.flatnonzero(pattern_hot[fires.pattern])
    result[candidates] = first_hit(fires, candidates, bits) >= 0
    return result


def shortest_interval(fires: Fires, jobs: Sequence[int]) -> dict[int, int]:
    """Smallest gap in minutes between two starts of each job (None when it starts once).

    Exact for a job with one component; for several components the union of their minutes
    of the day is taken on the union of their days, a lower bound (it may pair starts of two
    components that never share a day), which is the safe side for an overlap warning.
    """
    out: dict[int, int] = {}
    wanted = np.asarray(sorted(set(jobs)), dtype=np.int64)
    if len(wanted) == 0 or len(fires) == 0:
        return out
    rows_all = np.flatnonzero(np.isin(fires.job, wanted))
    if len(rows_all) == 0:
        return out
    order = rows_all[np.argsort(fires.job[rows_all], kind="stable")]
    tod = tod_masks(fires, order)
    day = fires.patterns[fires.pattern[order]]
    job_ids, first = np.unique(fires.job[order], return_index=True)
    tod_u = np.logical_or.reduceat(tod, first, axis=0)
    day_u = np.logical_or.reduceat(day, first, axis=0)
    within = _min_gap(tod_u)
    day_gap = _min_gap(day_u)
    first_tod = np.argmax(tod_u, axis=1)
    last_tod = MINUTES_PER_DAY - 1 - np.argmax(tod_u[:, ::-1], axis=1)
    across = np.where(
        day_gap > 0, first_tod + MINUTES_PER_DAY * day_gap - last_tod, np.iinfo(np.int64).max
    )
    best = np.minimum(np.where(within > 0, within, np.iinfo(np.int64).max), across)
    for j, b in zip(job_ids.tolist(), best.tolist(), strict=True):
        if b < np.iinfo(np.int64).max:
            out[j] = int(b)
    return out


def _min_gap(mask: BoolArray) -> IntArray:
    """Per row, the smallest distance between two set positions (0 when fewer than two)."""
    n, width = mask.shape
    pos = np.where(mask, np.arange(width)[None, :], -1)
    prev = np.maximum.accumulate(pos, axis=1)
    prev_shift = np.concatenate((np.full((n, 1), -1), prev[:, :-1]), axis=1)
    gaps = np.where(mask & (prev_shift >= 0), np.arange(width)[None, :] - prev_shift, width + 1)
    best = gaps.min(axis=1) if width else np.zeros(n, dtype=np.int64)
    return np.where(best > width, 0, best).astype(np.int64)


# ---------------------------------------------------------------- zone offsets


def zone_offset_minutes(zone: str, on: date, dst: str = "standard") -> int | None:
    """Minutes east of UTC for `zone` ("UTC", "+05:30", "Asia/Tokyo", ...); None if unknown.

    For zones with daylight saving, "standard" takes the smaller of the January and July
    offsets of `on`'s year and "daylight" the larger. Only used when a job has no AWS
    expressions yet; a converted job's timing comes from its expressions.
    """
    text = zone.strip()
    if text.upper() in ("UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT"):
        return 0
    if text[:1] in "+-" and len(text) > 1:
        sign = -1 if text[0] == "-" else 1
        hh, _, mm = text[1:].partition(":")
        if hh.isdigit() and (mm == "" or mm.isdigit()):
            return sign * (int(hh) * 60 + int(mm or 0))
        return None
    try:
        tz = ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    offsets = []
    for month in (1, 7):
        off = datetime(on.year, month, 1, 12, tzinfo=tz).utcoffset()
        offsets.append(int(off.total_seconds() // 60) if off is not None else 0)
    return min(offsets) if dst == "standard" else max(offsets)


def daily_profile(fires: Fires) -> tuple[IntArray, IntArray]:
    """Per job: first start minute of the day (-1: none) and starts per firing day (at most)."""
    first = np.full(fires.n_jobs, MINUTES_PER_DAY, dtype=np.int64)
    per_day = np.zeros(fires.n_jobs, dtype=np.int64)
    if len(fires):
        tod = lowest_bit(fires.hours) * 60 + lowest_bit(fires.minutes)
        np.minimum.at(first, fires.job, tod)
        count = np.bitwise_count(fires.hours).astype(np.int64) * np.bitwise_count(
            fires.minutes
        ).astype(np.int64)
        np.add.at(per_day, fires.job, count)
    first[first == MINUTES_PER_DAY] = -1
    return first, per_day


def job_days(fires: Fires, job: int) -> BoolArray:
    """The union of a job's day patterns (all False when it has no components)."""
    rows = fires.pattern[fires.job == job]
    if len(rows) == 0:
        return np.zeros(fires.calendar.days, dtype=bool)
    result: BoolArray = np.logical_or.reduce(fires.patterns[rows], axis=0)
    return result
