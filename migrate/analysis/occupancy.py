"""Counting job starts from fire components (see `timing`): all numpy, no loops over fires.

* `start_counts`: starts per (horizon day, minute of day) = patterns^T @ (per-pattern sums of
  hour ⊗ minute masks): one (P × 1440) table and one matrix product;
* `heatmap`: those counts folded to 7 weekdays × 24 hours, averaged per week;
* `hot_components` / `first_hit`: which components start in a minute marked hot, tested
  hour by hour as 60-bit masks;
* `shortest_interval`: the smallest gap between two starts of a job;
* `daily_profile`: each job's first start of the day and starts per day.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from migrate.analysis.timing import (
    MINUTES_PER_DAY,
    ONE,
    BoolArray,
    Fires,
    FloatArray,
    IntArray,
    U64Array,
    hour_bits,
    lowest_bit,
    minute_bits,
)
from migrate.schedule.calendar import Horizon


def tod_masks(fires: Fires, rows: IntArray) -> BoolArray:
    """(len(rows), 1440) minute-of-day masks of the given components."""
    hb = hour_bits(fires.hours[rows]).astype(bool)
    mb = minute_bits(fires.minutes[rows]).astype(bool)
    masks: BoolArray = (hb[:, :, None] & mb[:, None, :]).reshape(len(rows), MINUTES_PER_DAY)
    return masks


# ---------------------------------------------------------------- counting


# Patterns per block in the (P × 1440) tables below: a fleet of distinct schedules has tens of
# thousands of day patterns, and one table for all of them cost ~0.5 GiB at 100,000 jobs.
# Blocks keep every table at ~50 MiB; counts are small integers, exact in float32 in any order.
PATTERN_BLOCK = 8192


def _blocks(n: int) -> list[tuple[int, int]]:
    return [(lo, min(lo + PATTERN_BLOCK, n)) for lo in range(0, n, PATTERN_BLOCK)]


def pattern_tod_counts(fires: Fires, lo: int = 0, hi: int | None = None) -> FloatArray:
    """(hi - lo, 1440): per day pattern lo..hi-1, how many components start at each minute
    of the day."""
    hi = fires.patterns.shape[0] if hi is None else hi
    table = np.zeros((hi - lo, 24, 60), dtype=np.float32)
    rows = np.flatnonzero((fires.pattern >= lo) & (fires.pattern < hi))
    if len(rows) == 0:
        return table.reshape(hi - lo, MINUTES_PER_DAY)
    order = rows[np.argsort(fires.pattern[rows], kind="stable")]
    pats = fires.pattern[order] - lo
    hb = hour_bits(fires.hours[order]).astype(np.float32)
    mb = minute_bits(fires.minutes[order]).astype(np.float32)
    bounds = np.flatnonzero(np.diff(pats)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(pats)]))
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        table[pats[s]] = hb[s:e].T @ mb[s:e]
    return table.reshape(hi - lo, MINUTES_PER_DAY)


def start_counts(fires: Fires) -> FloatArray:
    """(days, 1440): how many job starts fall in each minute of the horizon (summed over
    blocks of day patterns)."""
    counts: FloatArray = np.zeros((fires.horizon.days, MINUTES_PER_DAY), dtype=np.float32)
    for lo, hi in _blocks(fires.patterns.shape[0]):
        counts += fires.patterns[lo:hi].T.astype(np.float32) @ pattern_tod_counts(fires, lo, hi)
    return counts


def heatmap(counts: FloatArray, horizon: Horizon) -> FloatArray:
    """(7, 24) average starts per week: rows Monday..Sunday, columns hours 0..23."""
    per_hour = counts.reshape(counts.shape[0], 24, 60).sum(axis=2)
    out = np.zeros((7, 24), dtype=np.float32)
    weekday = horizon.iso_weekday
    np.add.at(out, weekday, per_hour)
    weeks = np.bincount(weekday, minlength=7).astype(np.float32)
    result: FloatArray = (out / np.maximum(weeks, 1)[:, None]).astype(np.float32)
    return result


def minute_masks_by_hour(table: BoolArray) -> U64Array:
    """(..., 24, 60) bools -> (..., 24) 60-bit masks (bit m = minute m), packed 8 bits a byte
    (no 64-bit integer per minute in between)."""
    packed = np.packbits(table, axis=-1, bitorder="little")  # (..., 24, 8): 60 bits + 4 zero
    result: U64Array = packed.view("<u8")[..., 0].astype(np.uint64)
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
    minute = lowest_bit(np.where(found, hits[np.arange(len(rows)), hour], ONE))
    return np.where(found, hour * 60 + minute, -1)


def hot_bits(fires: Fires, hot: BoolArray) -> U64Array:
    """(patterns, 24) 60-bit masks: the minutes of each hour marked in `hot` (days × 1440)
    on any day of the pattern (one matrix product per block of patterns)."""
    bits = np.zeros((fires.patterns.shape[0], 24), dtype=np.uint64)
    hot32 = hot.astype(np.float32)
    for lo, hi in _blocks(fires.patterns.shape[0]):
        hot_by_pattern = (fires.patterns[lo:hi].astype(np.float32) @ hot32) > 0
        bits[lo:hi] = minute_masks_by_hour(hot_by_pattern.reshape(-1, 24, 60))
    return bits


def hot_components(fires: Fires, hot: BoolArray, bits: U64Array | None = None) -> BoolArray:
    """Per component: does it start in any minute marked in `hot` (days × 1440)?
    `bits`: `hot_bits(fires, hot)` when the caller has it."""
    result = np.zeros(len(fires), dtype=bool)
    if len(fires) == 0 or not hot.any():
        return result
    bits = hot_bits(fires, hot) if bits is None else bits
    pattern_hot: BoolArray = np.asarray((bits != 0).any(axis=1), dtype=bool)
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
