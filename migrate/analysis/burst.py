"""`burst`: many jobs starting in the same UTC minute once they run on EventBridge.

Each scheduled rule's ECS target is one `RunTask` call. Fargate accepts `RunTask` at 20 calls
a second per account and Region (burst and sustained; "AWS Fargate throttling quotas" in the
ECS developer guide), and EventBridge fires all rules of a minute at the start of that
minute. So the default threshold is 20 starts in one minute: beyond it calls are throttled
and only EventBridge's retries (with back-off, and none when the retry policy allows zero
attempts) start the rest, late. The threshold is an option (`burst_threshold`).

Counts come from `timing.start_counts` over the whole horizon (a monthly job that meets the
daily ones on the 1st is seen), the busiest minutes are listed for the report, and each job
that starts in a minute over the threshold gets a finding naming the minute and its count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from migrate.analysis.codes import BURST
from migrate.analysis.occupancy import first_hit, hot_bits, hot_components
from migrate.analysis.timing import MINUTES_PER_DAY, Fires, FloatArray, IntArray
from migrate.model import Finding
from migrate.schedule.calendar import Horizon

DEFAULT_THRESHOLD = 20


@dataclass(frozen=True, slots=True)
class BusyMinute:
    minute: int  # minute of the UTC day, 0..1439
    peak: int  # most starts in this minute on any day of the horizon
    peak_date: date  # first day with that many
    days_over: int  # days of the horizon on which this minute passes the threshold

    @property
    def label(self) -> str:
        return f"{self.minute // 60:02d}:{self.minute % 60:02d} UTC"


def busiest_minutes(
    counts: FloatArray, horizon: Horizon, threshold: int, limit: int = 10
) -> list[BusyMinute]:
    """The `limit` minutes of the day with the highest peak count (busiest first)."""
    if counts.size == 0:
        return []
    peak = counts.max(axis=0)
    peak_day = counts.argmax(axis=0)
    over = (counts > threshold).sum(axis=0)
    order = np.lexsort((np.arange(MINUTES_PER_DAY), -over, -peak))
    out = []
    for minute in order[:limit].tolist():
        if peak[minute] <= 0:
            break
        out.append(BusyMinute(int(minute), int(peak[minute]),
                              horizon.date_of(int(peak_day[minute])), int(over[minute])))
    return out



def check(fires: Fires, counts: FloatArray, threshold: int) -> dict[int, Finding]:
    """Per job index (into the jobs `fires` was built from): its burst finding.

    The minute named is the first minute of the day in which the job's first hot component
    starts while over the threshold; the count is that minute's peak over the component's
    days. Which minutes of a day pattern are hot on any of its days is one matrix product
    (`occupancy.hot_bits`); components are tested hour by hour as 60-bit masks, and the peak
    is taken for each component's one minute only (no 1440-wide row per day pattern: a
    fleet of distinct schedules has tens of thousands of patterns).
    """
    hot = counts > threshold
    if len(fires) == 0 or not hot.any():
        return {}
    bits = hot_bits(fires, hot)
    comps = np.flatnonzero(hot_components(fires, hot, bits))
    if len(comps) == 0:
        return {}
    _, first = np.unique(fires.job[comps], return_index=True)
    comps = comps[first]
    heat = np.where(hot, counts, np.float32(0))  # the counts of hot minutes, else 0
    positive = heat > 0
    if not np.array_equal(positive, hot):  # (only a threshold below 0 counts 0 as hot)
        bits = hot_bits(fires, positive)
    minute = first_hit(fires, comps, bits)
    count = _peaks(fires, heat, comps, np.maximum(minute, 0))
    out: dict[int, Finding] = {}
    for job, m, c in zip(fires.job[comps].tolist(), minute.tolist(), count.tolist(),
                         strict=True):
        label = f"{m // 60:02d}:{m % 60:02d} UTC"
        out[job] = BURST.finding(
            f"starts at {label} with up to {int(c)} jobs in that minute (threshold {threshold})",
            label,
        )
    return out


PEAK_BLOCK = 8192  # components per (block × days) table in `_peaks` (~12 MiB each)


def _peaks(fires: Fires, heat: FloatArray, comps: IntArray, minute: IntArray) -> FloatArray:
    """Per component `comps[i]`: the largest `heat[day, minute[i]]` over its pattern's days."""
    out = np.zeros(len(comps), dtype=np.float32)
    for lo in range(0, len(comps), PEAK_BLOCK):
        rows = fires.pattern[comps[lo : lo + PEAK_BLOCK]]
        column = heat[:, minute[lo : lo + PEAK_BLOCK]].T  # (block, days)
        out[lo : lo + PEAK_BLOCK] = np.where(fires.patterns[rows], column, 0).max(axis=1)
    return out
