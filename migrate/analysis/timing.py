"""When jobs start, as arrays: fire components, per-minute start counts, heatmaps, intervals.

A schedule's fire instants over a horizon are a union of *components*, each a product
`days × hours × minutes`: a set of calendar days (a row of a shared day-pattern table, one
bool per horizon day) times a 24-bit hour mask times a 60-bit minute mask. A legacy cron
schedule is one component in its own zone; shifting it to UTC by a zone offset splits it into
at most six (minute carry × day shift), all computed with numpy bit operations per distinct
offset. An EventBridge `cron(...)` expression is one component in UTC.

Counting starts from components is `occupancy`'s; the components of EventBridge expressions
are built by `awstiming`.

Nothing about dates or zones is decided here: day arrays come from the schedule engine's
calendar (`schedule.calendar.Horizon`), a legacy schedule's days from the engine's day rule
(`verify.source_day_mask`), and zone offsets from the caller (`schedule.zones.zone_offset`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from migrate.schedule.calendar import Horizon, horizon_window
from migrate.schedule.cron import CronSchedule
from migrate.schedule.verify import source_day_mask

MINUTES_PER_DAY = 1440
H_BITS = np.arange(24, dtype=np.uint64)
M_BITS = np.arange(60, dtype=np.uint64)
ONE = np.uint64(1)
_HOUR_FULL = np.uint64((1 << 24) - 1)

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
U64Array = npt.NDArray[np.uint64]
FloatArray = npt.NDArray[np.float32]


@dataclass(slots=True)
class Fires:
    """Fire components of many jobs in one frame (UTC or each job's local time)."""

    horizon: Horizon
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

    def __init__(self, horizon: Horizon) -> None:
        self.horizon = horizon
        self._rows: list[BoolArray] = []
        self._index: dict[tuple[object, int], int] = {}
        self._base: dict[object, BoolArray] = {}

    def row(self, key: object, shift: int, base: Callable[[], BoolArray]) -> int:
        """Row id of the pattern `key` moved by `shift` days (UTC day = local day + shift);
        `base()` gives the pattern over every day of `horizon.calendar`."""
        found = self._index.get((key, shift))
        if found is not None:
            return found
        days = self._base.get(key)
        if days is None:
            days = self._base[key] = base()
        row = self.horizon.window(days, shift)
        self._rows.append(row)
        self._index[(key, shift)] = len(self._rows) - 1
        return len(self._rows) - 1

    def cron_row(self, days: CronSchedule, shift: int) -> int:
        """Row of a legacy schedule's days (cron's day rule, `verify.source_day_mask`)."""
        return self.row(day_key(days), shift,
                        lambda: source_day_mask(days, self.horizon.calendar))

    def array(self) -> BoolArray:
        if not self._rows:
            return np.zeros((0, self.horizon.days), dtype=bool)
        return np.vstack(self._rows)


def day_key(parsed: CronSchedule) -> tuple[object, ...]:
    """What `source_day_mask` reads of a schedule (and `reboot`): equal keys fire on equal
    days (a tuple: ~10x cheaper than a copy of the schedule with its time of day blanked)."""
    return ("cron", parsed.days, parsed.months, parsed.weekdays, parsed.dom_star,
            parsed.dow_star, parsed.reboot)


@dataclass(frozen=True, slots=True)
class ScheduleTable:
    """Jobs' legacy schedules, deduplicated: `sid[i]` is job i's row (-1: none, `@reboot`).

    Per distinct schedule, computed once (the UTC and the local fires of a scan share the
    table): `hours` and `minutes` masks and `rule`, its day rule's index in `rules` (one
    schedule standing for each distinct `day_key`)."""

    sid: IntArray
    distinct: tuple[CronSchedule, ...]
    hours: U64Array
    minutes: U64Array
    rule: IntArray
    rules: tuple[CronSchedule, ...]

    @classmethod
    def of(cls, schedules: Sequence[CronSchedule | None]) -> ScheduleTable:
        index: dict[CronSchedule, int] = {}
        sid = np.fromiter(
            (-1 if p is None or p.reboot else index.setdefault(p, len(index))
             for p in schedules),
            dtype=np.int64,
            count=len(schedules),
        )
        rule_of: dict[tuple[object, ...], int] = {}
        rules: list[CronSchedule] = []
        rule: list[int] = []
        for p in index:
            r = rule_of.setdefault(day_key(p), len(rules))
            if r == len(rules):
                rules.append(p)
            rule.append(r)
        n = len(index)
        return cls(
            sid, tuple(index),
            np.fromiter((_bits(p.hours) for p in index), dtype=np.uint64, count=n),
            np.fromiter((_bits(p.minutes) for p in index), dtype=np.uint64, count=n),
            np.asarray(rule, dtype=np.int64), tuple(rules),
        )


def _bits(values: frozenset[int]) -> int:
    return sum(1 << v for v in values)


@dataclass(slots=True)
class Parts:
    """Components before assembly: rows refer to one shared `PatternTable`."""

    job: IntArray
    pattern: IntArray
    hours: U64Array
    minutes: U64Array

    @classmethod
    def empty(cls) -> Parts:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64))


def legacy_parts(
    table: PatternTable,
    sched: ScheduleTable,
    shifts: Sequence[int] | IntArray,
    include: BoolArray | None = None,
) -> Parts:
    """Components of legacy schedules moved by `shifts[i]` minutes (UTC = local - offset).

    `None` schedules, `@reboot` and jobs where `include` is False have no components. A shift
    of 0 gives local time. Python touches each distinct schedule once; masks are spread to
    jobs by numpy indexing and shifted per distinct offset with bit operations.
    """
    sid = sched.sid if include is None else np.where(include, sched.sid, -1)
    h_u, m_u, r_u, rule_list = sched.hours, sched.minutes, sched.rule, sched.rules
    job_a = np.flatnonzero(sid >= 0)
    if len(sched.distinct):
        keep = (h_u[sid[job_a]] != 0) & (m_u[sid[job_a]] != 0)
        job_a = job_a[keep]
    if len(job_a) == 0:
        return Parts.empty()
    sel_sid = sid[job_a]
    h_a, m_a, rid = h_u[sel_sid], m_u[sel_sid], r_u[sel_sid]
    s_a = np.asarray(shifts, dtype=np.int64)[job_a]
    out: list[tuple[IntArray, IntArray, IntArray, U64Array, U64Array]] = []
    for shift in np.unique(s_a).tolist():
        sel = np.flatnonzero(s_a == shift)
        for day_shift, keep, hh, mm in _shift_masks(h_a[sel], m_a[sel], int(shift)):
            out.append((job_a[sel][keep], rid[sel][keep],
                        np.full(int(keep.sum()), day_shift, dtype=np.int64), hh[keep], mm[keep]))
    job_c, rule_c, day_c = (np.concatenate([o[k] for o in out]) for k in range(3))
    h_c = np.concatenate([o[3] for o in out])
    m_c = np.concatenate([o[4] for o in out])
    uniq, inverse = np.unique(rule_c * 3 + (day_c + 1), return_inverse=True)
    rows = np.asarray(
        [table.cron_row(rule_list[int(u) // 3], int(u) % 3 - 1) for u in uniq], dtype=np.int64
    )
    return Parts(job_c, rows[inverse], h_c, m_c)


def assemble(table: PatternTable, n_jobs: int, parts: Sequence[Parts]) -> Fires:
    """One `Fires` value from the parts built on `table`."""
    parts = [p for p in parts if len(p.job)] or [Parts.empty()]
    return Fires(
        table.horizon,
        n_jobs,
        np.concatenate([p.job for p in parts]),
        np.concatenate([p.pattern for p in parts]),
        np.concatenate([p.hours for p in parts]),
        np.concatenate([p.minutes for p in parts]),
        table.array(),
    )


def fires_from_schedules(
    schedules: Sequence[CronSchedule | None] | ScheduleTable,
    shifts: Sequence[int] | IntArray,
    horizon: tuple[date, date],
    include: BoolArray | None = None,
) -> Fires:
    """`legacy_parts` of the schedules, assembled on a fresh pattern table."""
    sched = schedules if isinstance(schedules, ScheduleTable) else ScheduleTable.of(schedules)
    table = PatternTable(horizon_window(*horizon))
    return assemble(table, len(sched.sid), [legacy_parts(table, sched, shifts, include)])


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
    return ((hours[:, None] >> H_BITS) & ONE).astype(np.uint8)


def minute_bits(minutes: U64Array) -> npt.NDArray[np.uint8]:
    return ((minutes[:, None] >> M_BITS) & ONE).astype(np.uint8)


def lowest_bit(masks: U64Array) -> IntArray:
    """Index of the lowest set bit of each non-zero mask."""
    low = masks & (~masks + ONE)
    return np.rint(np.log2(low.astype(np.float64))).astype(np.int64)
