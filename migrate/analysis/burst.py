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

from migrate.analysis.rules import BURST
from migrate.analysis.timing import (
    MINUTES_PER_DAY,
    Calendar,
    Fires,
    FloatArray,
    hot_components,
    tod_masks,
)
from migrate.model import Finding

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
    counts: FloatArray, calendar: Calendar, threshold: int, limit: int = 10
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
                              calendar.date_of(int(peak_day[minute])), int(over[minute])))
    return out


def check(fires: Fires, counts: FloatArray, threshold: int) -> dict[int, Finding]:
    """Per job index (into the jobs `fires` was built from): its burst finding."""
    hot = counts > threshold
    comps = np.flatnonzero(hot_components(fires, hot))
    if len(comps) == 0:
        return {}
    # Keep one component per job (its first hot one), then find the busiest hot minute it
    # starts in: per day pattern, the column maxima of the counts over that pattern's days.
    _, first = np.unique(fires.job[comps], return_index=True)
    comps = comps[first]
    peak_minute = np.zeros(len(comps), dtype=np.int64)
    peak_count = np.zeros(len(comps), dtype=np.int64)
    pats = fires.pattern[comps]
    for p in np.unique(pats).tolist():
        sel = np.flatnonzero(pats == p)
        days = fires.patterns[p]
        col_max = np.where(hot[days], counts[days], 0).max(axis=0)
        values = np.where(tod_masks(fires, comps[sel]), col_max[None, :], 0)
        peak_minute[sel] = values.argmax(axis=1)
        peak_count[sel] = values.max(axis=1)
    out: dict[int, Finding] = {}
    for job, minute, count in zip(fires.job[comps].tolist(), peak_minute.tolist(),
                                  peak_count.tolist(), strict=True):
        label = f"{minute // 60:02d}:{minute % 60:02d} UTC"
        out[job] = BURST.finding(
            f"starts at {label} with up to {count} jobs in that minute (threshold {threshold})",
            label,
        )
    return out
