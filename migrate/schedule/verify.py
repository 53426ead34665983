"""The verification engine: do the AWS expressions fire exactly when the legacy job fired?

Both sides are evaluated from their own definitions, independently of the converter:
the legacy side from the parsed crontab fields (`CronSchedule`) by cron semantics in the
job's zone, the AWS side from the expression *text* (`aws.parse_expression`) in UTC. Fire
instants are compared minute by minute over the horizon, with multiplicity.

How it stays fast (no per-fire loop): a day's fires are (which days) x (which minutes). For a
UTC day u on which the zone's offset D is constant, the legacy fires at UTC minute x are
`Dloc[u + k(x)] * T[(x + D) mod 1440]` with k(x) in {-1, 0, 1}: three local-day bits and one
offset pick the day's whole 1440-minute pattern. The AWS pattern is likewise one bit per
expression. So each UTC day gets a small integer *signature*; days with equal signatures
have equal patterns, the patterns are compared once per distinct signature (a handful), and
the counts are weighted by how many days share it. Days on which the offset changes are
evaluated minute by minute (a few per year).

Legacy behaviour at daylight-saving transitions follows cronie (`cron.c`, the "virtual
time" loop inherited from Vixie cron 4.1), for jobs scheduled in the daemon's own zone:

* clock jumps forward by 5..179 minutes: "wildcard" jobs (minute or hour field starting
  with `*`) run at the current minute only; fixed-time jobs whose local time was skipped run
  right after the jump, once per skipped matching minute;
* clock jumps back by up to 180 minutes: during the repeated local period only wildcard jobs
  run; fixed-time jobs do not run a second time;
* larger jumps: every job matching the new local time runs, skipped times are lost.

Jobs with `CRON_TZ` are matched against the wall clock of their own zone every minute
(cronie's `find_jobs` comment: "there will be jobs missed or run twice"): a skipped local
time never fires, a repeated one fires twice.

Two models of the AWS side (`target`):

* `rules`: EventBridge rules evaluate cron in UTC, so each expression is one bit per UTC day.
* `scheduler`: EventBridge Scheduler evaluates cron in `ScheduleExpressionTimezone` (the
  job's zone), so an expression is matched on the wall clock like a legacy line: three
  local-day bits per UTC day on regular days, minute by minute around transitions. Its
  documented daylight-saving behaviour: a local time that does not exist (spring forward) is
  skipped; a local time that occurs twice (fall back) runs once. Which of the two instants
  is undocumented; we assume the first (as cronie does for fixed-time jobs). One-time
  `at(yyyy-mm-ddThh:mm:ss)` expressions (local time, first occurrence) add single instants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

from migrate.model import Verification
from migrate.schedule.aws import AwsRate, parse_expression
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
TARGETS = ("rules", "scheduler")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_SMALL_JUMP = 5  # cronie: a forward jump of more than 5 minutes is "medium"
_LARGE_JUMP = 180  # cronie: a jump of more than 3 hours is "large"


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


@lru_cache(maxsize=4096)  # ~1.8 KB each; more only costs a worker of distinct schedules
def _expr_arrays(text: str, start: date, end: date) -> tuple[IntArray, IntArray]:
    """(day bits over the horizon calendar, minute mask) of one AWS expression."""
    expr = parse_expression(text)
    if isinstance(expr, AwsRate):
        raise ValueError(f"{text}: rate expressions have no wall-clock instants to verify")
    cal = horizon_calendar(start, end)
    # uint8 keeps the cache small (a fleet has tens of thousands of distinct expressions)
    days = expr.day_mask(cal).astype(np.uint8)
    minutes = expr.minute_mask().astype(np.uint8)
    days.setflags(write=False)
    minutes.setflags(write=False)
    return days, minutes


@dataclass(frozen=True, eq=False)
class _ZoneDays:
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
def _zone_days(zone: str, start: date, end: date) -> _ZoneDays:
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
        hi = (seg.start + _LARGE_JUMP + 1) // 1440 - first_epoch_day
        irregular[max(lo, 0) : max(min(hi + 1, n), 0)] = True
    off_index = np.searchsorted(np.array(offsets), day_offset).astype(np.int64)
    irregular_days = np.flatnonzero(irregular)
    minutes = day_start[irregular_days][:, None] + np.arange(1440, dtype=np.int64)
    minute_offsets = seg_offsets[np.searchsorted(seg_starts, minutes, side="right") - 1]
    return _ZoneDays(segments, offsets, day_start, day_offset, off_index,
                     np.flatnonzero(~irregular), irregular_days, minutes, minute_offsets)


@lru_cache(maxsize=4096)
def _parts(hours: frozenset[int], minutes: frozenset[int], offset: int) -> IntArray:
    """(3, 1440): legacy minute pattern on a UTC day contributed by local day u-1, u, u+1
    when the offset is constant."""
    return _shift(np.logical_and.outer(lookup(hours, 24), lookup(minutes, 60)).reshape(1440),
                  offset)


@lru_cache(maxsize=256)  # ~17 KB per expression each, rarely shared across zones
def _local_parts(texts: tuple[str, ...], start: date, end: date, offset: int) -> IntArray:
    """(3 * len(texts), 1440): each expression evaluated on the wall clock of a constant
    `offset`, as contributed to a UTC day by its local days u-1, u, u+1 (Scheduler)."""
    if not texts:
        return np.zeros((0, 1440), dtype=np.int32)
    rows = [_shift(_expr_arrays(t, start, end)[1].astype(bool), offset) for t in texts]
    out = np.concatenate(rows).astype(np.int32)
    out.setflags(write=False)
    return out


def _shift(tmask: BoolArray, offset: int) -> IntArray:
    x = np.arange(1440) + offset
    k = np.floor_divide(x, 1440)
    pattern = tmask[np.mod(x, 1440)]
    parts = np.stack([pattern & (k == row - 1) for row in range(3)]).astype(np.uint8)
    parts.setflags(write=False)
    return parts


def _count(bits: IntArray, patterns: IntArray) -> IntArray:
    """Row i: the sum of `patterns[j]` over the j with bits[i, j] = 1 (fires per minute).
    A float32 product (BLAS) is exact for these small counts and many times faster than
    numpy's integer matrix product."""
    product = bits.astype(np.float32) @ patterns.astype(np.float32)
    counts: IntArray = product.astype(np.int32)
    return counts


def _stats(src: IntArray, aws: IntArray) -> tuple[IntArray, ...]:
    """Per row: (missing, extra, duplicates, legacy fires, aws fires)."""
    if np.array_equal(src, aws):  # the common case: nothing to count but the fires
        fires = src.sum(axis=-1)
        zero = np.zeros_like(fires)
        return zero, zero, zero, fires, fires
    diff = src - aws
    missing = np.maximum(diff, 0).sum(axis=-1)
    over = np.maximum(-diff, 0)
    extra = np.where(src == 0, over, 0).sum(axis=-1)
    return missing, extra, over.sum(axis=-1) - extra, src.sum(axis=-1), aws.sum(axis=-1)


def verify(
    schedule: CronSchedule,
    zone: str,
    expressions: Sequence[str],
    horizon: tuple[date, date],
    *,
    cron_tz: bool = False,
    target: str = "rules",
) -> VerifyResult:
    """Compare legacy fires (in `zone`) with the union of `expressions` over `horizon` =
    [start, end) in UTC dates. `cron_tz`: the zone came from CRON_TZ. `target`: `rules`
    (expressions in UTC) or `scheduler` (expressions and `at(...)` in `zone`'s wall clock)."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    local = target == "scheduler"
    start, end = horizon
    cal = horizon_calendar(start, end)
    u0 = cal.index(start)
    n = (end - start).days
    zd = _zone_days(zone, start, end)
    dloc = source_day_mask(schedule, cal).astype(np.int64)
    texts = tuple(t for t in expressions if not t.startswith("at("))
    ats = [t for t in expressions if t.startswith("at(")]
    if ats and not local:
        raise ValueError("at(...) expressions are EventBridge Scheduler one-time schedules")
    arrays = [_expr_arrays(text, start, end) for text in texts]
    if len(arrays) > 50:
        raise ValueError("too many expressions to verify at once")
    aws_minutes = (np.stack([m for _, m in arrays]) if arrays
                   else np.zeros((0, 1440), dtype=np.uint8))

    # ---- regular days: a signature per day, patterns compared once per signature
    # The signature of horizon day d (UTC date start + d, calendar index u = u0 + d) packs
    # all its 1440-minute patterns depend on, low bits first (W = `width`: enough bits for an
    # index into zd.offsets, at least 1):
    #   bits 0 .. W-1   index of the offset in force all day (zd.off_index[d])
    #   bit  W          the legacy day rule holds on local date u-1 (dloc; row 0 of `_parts`)
    #   bit  W+1        ... on local date u   (row 1 of `_parts`)
    #   bit  W+2        ... on local date u+1 (row 2 of `_parts`)
    #   bit  W+3+e      AWS expression e's day fields hold on UTC date u
    # Unpacked below as `bits` (columns 0-2: the three local days, 3+e: expression e) and
    # `off_of_code`. Up to 16 bits, `np.bincount` over the codes replaces `np.unique`.
    width = max(len(zd.offsets) - 1, 1).bit_length()
    reg = zd.regular_days
    columns: list[IntArray] = [(zd.off_index[reg] >> b) & 1 for b in range(width)]
    columns += [dloc[u0 - 1 + r : u0 - 1 + r + n][reg] for r in range(3)]
    for days, _ in arrays:
        if local:  # the expression's own local days u-1, u, u+1
            columns += [days[u0 - 1 + r : u0 - 1 + r + n][reg] for r in range(3)]
        else:
            columns.append(days[u0 : u0 + n][reg])
    bits, counts, inverse = _signatures(columns)
    off_of_code = bits[:, :width] @ (1 << np.arange(width))
    day_bits = bits[:, width : width + 3].astype(np.int32)
    expr_bits = bits[:, width + 3 :].astype(np.int32)
    if len(zd.offsets) == 1:
        src = _count(day_bits, _parts(schedule.hours, schedule.minutes, zd.offsets[0]))
        aws = (_count(expr_bits, _local_parts(texts, start, end, zd.offsets[0])) if local
               else _count(expr_bits, aws_minutes))
    else:
        src = np.zeros((len(counts), 1440), dtype=np.int32)
        aws = src.copy() if local else _count(expr_bits, aws_minutes)
        for o, off in enumerate(zd.offsets):
            rows = off_of_code == o
            if rows.any():
                src[rows] = _count(day_bits[rows], _parts(schedule.hours, schedule.minutes, off))
                if local:
                    aws[rows] = expr_bits[rows] @ _local_parts(texts, start, end, off)
    mi, ex, du, sf, af = _stats(src, aws)
    missing, extra, duplicates = int(mi @ counts), int(ex @ counts), int(du @ counts)
    src_total, aws_total = int(sf @ counts), int(af @ counts)
    weighted = sf * counts
    fires_by_offset = {
        off: int(weighted[off_of_code == o].sum()) for o, off in enumerate(zd.offsets)
    }
    bad = (mi + ex + du) > 0
    off_transitions = bool(bad.any())
    differing: list[int] = reg[bad[inverse]][:MAX_EXAMPLES].tolist() if off_transitions else []

    # ---- days on which the offset changes: minute by minute, all at once
    detail: dict[int, tuple[IntArray, IntArray, IntArray]] = {}
    transitions: list[tuple[int, int, int]] = []
    if len(zd.irregular_days):
        irr = zd.irregular_days
        src_i = _irregular_days(schedule, cal, zd, cron_tz)
        if local:
            aws_i = _scheduler_irregular(arrays, cal, zd)
            _add_at(aws_i, ats, zone, zd)
        else:
            aws_i = (_count(np.stack([d[u0 + irr] for d, _ in arrays], axis=1), aws_minutes)
                     if arrays else np.zeros_like(src_i))
        m1, e1, d1, s1, a1 = _stats(src_i, aws_i)
        missing += int(m1.sum())
        extra += int(e1.sum())
        duplicates += int(d1.sum())
        src_total += int(s1.sum())
        aws_total += int(a1.sum())
        offs_i = zd.irregular_offsets
        for off in zd.offsets:
            fires_by_offset[off] = fires_by_offset.get(off, 0) + int(src_i[offs_i == off].sum())
        for row, d in enumerate(irr.tolist()):
            if m1[row] or e1[row] or d1[row]:
                differing.append(d)
                detail[d] = (src_i[row], aws_i[row], offs_i[row])
                for x in np.flatnonzero(src_i[row] != aws_i[row]).tolist():
                    if len(transitions) < MAX_DIFFERENCES:
                        transitions.append((int(zd.irregular_minutes[row, x]),
                                            int(src_i[row, x]), int(aws_i[row, x])))
    elif ats:
        _add_at(np.zeros((0, 1440), dtype=np.int32), ats, zone, zd)

    def regular_row(d: int, off: int) -> IntArray:
        u = u0 + d
        if local:
            sel = np.array([days[u + r] for days, _ in arrays for r in (-1, 0, 1)],
                           dtype=np.int32)
            return sel @ _local_parts(texts, start, end, off)
        row = np.zeros(1440, dtype=np.int32)
        for days_mask, minutes in arrays:
            if days_mask[u]:
                row = row + minutes
        return row

    examples = _examples(sorted(differing), detail, start, u0, dloc, regular_row, zd, schedule,
                         "Scheduler" if local else "AWS")
    return VerifyResult(
        Verification(
            horizon=(start, end),
            source_fires=src_total,
            aws_fires=aws_total,
            missing=missing,
            extra=extra,
            duplicates=duplicates,
            examples=examples,
        ),
        {k: v for k, v in fires_by_offset.items() if v},
        tuple(transitions),
        off_transitions,
    )


def _signatures(columns: Sequence[IntArray]) -> tuple[IntArray, IntArray, IntArray]:
    """The distinct rows of the (day x bit) matrix given by `columns`: (bits per distinct
    row, how many days share it, the distinct row of each day)."""
    nb = len(columns)
    if nb > 62:  # too wide for one integer: compare whole rows
        mat = np.stack(columns, axis=1).astype(np.uint8)
        rows, inverse, counts = np.unique(mat, axis=0, return_inverse=True, return_counts=True)
        return rows.astype(np.int64), counts, inverse.reshape(-1)
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for i, col in enumerate(columns):
        code |= col.astype(np.int64) << i
    if nb <= 16:
        counts_all = np.bincount(code, minlength=1)
        codes = np.flatnonzero(counts_all)
        index = np.zeros(len(counts_all), dtype=np.int64)
        index[codes] = np.arange(len(codes))
        inverse = index[code]
        counts = counts_all[codes]
    else:
        codes, inverse, counts = np.unique(code, return_inverse=True, return_counts=True)
    bits = (codes[:, None] >> np.arange(nb)) & 1
    return bits, counts, inverse


def _scheduler_irregular(
    arrays: list[tuple[IntArray, IntArray]], cal: Calendar, zd: _ZoneDays
) -> IntArray:
    """Scheduler fires, minute by minute, on the days of `zd.irregular_days`: each
    expression on the wall clock (a skipped local time never shows, so never fires), and a
    repeated local time only at its first occurrence (our assumption; AWS leaves it open)."""
    minutes = zd.irregular_minutes
    local_minutes = minutes + zd.irregular_offsets
    out = np.zeros(minutes.shape, dtype=np.int32)
    for days, mmask in arrays:
        out += _natural(local_minutes, days.astype(np.int64), mmask.astype(bool), cal
                        ).astype(np.int32)
    for prev, seg in zip(zd.segments, zd.segments[1:], strict=False):
        if seg.offset < prev.offset:
            out[(minutes >= seg.start) & (minutes < seg.start + prev.offset - seg.offset)] = 0
    return out


def at_minute(text: str, zone: str) -> int:
    """UTC epoch minute of a Scheduler `at(yyyy-mm-ddThh:mm:ss)` in `zone` (a repeated local
    time: its first occurrence, Python's fold=0)."""
    m = _AT.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"{text!r}: expected at(yyyy-mm-ddThh:mm:ss)")
    moment = datetime.fromisoformat(m.group(1)).replace(tzinfo=resolve_zone(zone))
    return int(moment.timestamp()) // 60


def _add_at(aws_i: IntArray, ats: Sequence[str], zone: str, zd: _ZoneDays) -> None:
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


def _examples(
    days: list[int],
    detail: dict[int, tuple[IntArray, IntArray, IntArray]],
    start: date,
    u0: int,
    dloc: IntArray,
    regular_row: Callable[[int, int], IntArray],
    zd: _ZoneDays,
    schedule: CronSchedule,
    label: str,
) -> tuple[str, ...]:
    """The first differing instants, for the report."""
    examples: list[str] = []
    for d in days:
        if len(examples) >= MAX_EXAMPLES:
            break
        if d in detail:
            src_d, aws_d, offs = detail[d]
        else:
            off = int(zd.day_offset[d])
            u = u0 + d
            src_d = np.array([dloc[u - 1], dloc[u], dloc[u + 1]], dtype=np.int32) @ _parts(
                schedule.hours, schedule.minutes, off)
            aws_d = regular_row(d, off)
            offs = np.full(1440, off, dtype=np.int64)
        for x in np.flatnonzero(src_d != aws_d)[: MAX_EXAMPLES - len(examples)].tolist():
            examples.append(_example(start + timedelta(days=d), x, int(src_d[x]), int(aws_d[x]),
                                     int(offs[x]), label))
    return tuple(examples)


def _example(day: date, minute: int, src: int, aws: int, offset: int, label: str) -> str:
    """`2027-03-14T07:00Z (2027-03-14 02:00 UTC-05:00): ...` (`minute` of UTC `day`)."""
    local = minute + offset
    local_day = day + timedelta(days=local // 1440)
    what = "extra" if src == 0 else ("duplicate" if aws > src else "missing")
    return (
        f"{day.isoformat()}T{_hhmm(minute)}Z ({local_day.isoformat()} {_hhmm(local % 1440)} "
        f"UTC{format_offset(offset)}): legacy fires {src}x, {label} fires {aws}x ({what})"
    )


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@lru_cache(maxsize=8)  # the rules and the Scheduler proof of one job ask in turn
def _irregular_days(s: CronSchedule, cal: Calendar, zd: _ZoneDays, cron_tz: bool) -> IntArray:
    """Legacy fire counts, minute by minute, for the UTC days on which the offset changes
    (one row per day of `zd.irregular_days`; read-only)."""
    tmask, dloc = source_minute_mask(s), source_day_mask(s, cal).astype(np.int64)
    minutes = zd.irregular_minutes
    src = _natural(minutes + zd.irregular_offsets, dloc, tmask, cal).astype(np.int32)
    if cron_tz or s.wildcard:
        # CRON_TZ jobs follow the wall clock; wildcard jobs do so in the daemon zone too.
        src.setflags(write=False)
        return src
    first = minutes[:, 0]
    for prev, seg in zip(zd.segments, zd.segments[1:], strict=False):
        jump = seg.offset - prev.offset
        t = seg.start
        rows = np.flatnonzero((first <= t) & (t < first + 1440))
        if jump > 0 and _SMALL_JUMP < jump + 1 <= _LARGE_JUMP:
            # fixed-time jobs of the skipped local minutes run once each, right after the jump
            skipped = np.arange(t + prev.offset, t + seg.offset, dtype=np.int64)
            extra = int(_natural(skipped, dloc, tmask, cal).sum())
            for r in rows.tolist():
                src[r, t - first[r]] += extra
        elif jump < 0 and -(jump + 1) <= _LARGE_JUMP:
            # the repeated local period: fixed-time jobs do not run a second time
            repeat = (minutes >= t) & (minutes < t - jump)
            src[repeat] = 0
    src.setflags(write=False)
    return src


def _natural(
    local_minutes: IntArray, dloc: IntArray, tmask: BoolArray, cal: Calendar
) -> IntArray:
    """Wall-clock matching of absolute local minutes (epoch-based) against the schedule."""
    first_local_day = (cal.first - EPOCH).days
    day_index = np.floor_divide(local_minutes, 1440) - first_local_day
    fires: IntArray = dloc[day_index] * tmask[np.mod(local_minutes, 1440)].astype(np.int64)
    return fires
