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

Many proofs at once (`verify_many`): a fleet has tens of thousands of distinct schedules, and
one proof is only a few dozen small array operations, so their fixed cost would dominate.
Proofs in the same zone over the same horizon share the zone's days, so up to `BATCH` of them
are evaluated together: one (schedule, signature) table for all of them (their day
signatures sorted once), their legacy and AWS patterns built as rows of one array, the
differences counted for every row at once and summed per schedule. `verify` is one proof
through the same code; every result is the one a proof on its own would give.

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from migrate.model import Verification
from migrate.schedule.calendar import EPOCH, Calendar, IntArray, horizon_calendar
from migrate.schedule.cron import CronSchedule
from migrate.schedule.verify_base import (
    LARGE_JUMP,
    MAX_DIFFERENCES,
    MAX_EXAMPLES,
    MAX_EXPRESSIONS,
    SMALL_JUMP,
    TARGETS,
    VerifyResult,
    add_at,
    at_minute,
    day_masks,
    example,
    expr_arrays,
    minute_masks,
    row_stats,
    shifted,
    source_day_mask,
    source_minute_mask,
    zone_days,
)

__all__ = ["BATCH", "Check", "VerifyResult", "at_minute", "source_day_mask",
           "source_minute_mask", "verify", "verify_many"]

BATCH = 256  # proofs evaluated together (rows of a few MB each)
_WORD_BYTES = 6  # signature bytes per int64 word (the proof index goes above them)


@dataclass(frozen=True, slots=True)
class Check:
    """One proof: `expressions` against `schedule` in `zone` over `horizon` = [start, end)
    in UTC dates. `cron_tz`: the zone came from CRON_TZ. `target`: `rules` (expressions in
    UTC) or `scheduler` (expressions and `at(...)` in `zone`'s wall clock)."""

    schedule: CronSchedule
    zone: str
    expressions: tuple[str, ...]
    horizon: tuple[date, date]
    cron_tz: bool = False
    target: str = "rules"


def verify(
    schedule: CronSchedule,
    zone: str,
    expressions: Sequence[str],
    horizon: tuple[date, date],
    *,
    cron_tz: bool = False,
    target: str = "rules",
) -> VerifyResult:
    """Compare legacy fires (in `zone`) with the union of `expressions` over `horizon` (see
    `Check`)."""
    return verify_many([Check(schedule, zone, tuple(expressions), horizon, cron_tz, target)])[0]


def verify_many(checks: Sequence[Check]) -> list[VerifyResult]:
    """Every proof of `checks`, in their order; those in one zone over one horizon are
    evaluated together, `BATCH` at a time. A malformed check raises ValueError (an
    expression that does not parse, or a rate: when its group is evaluated)."""
    groups: dict[tuple[str, date, date, str], list[int]] = {}
    for i, check in enumerate(checks):
        _validate(check)
        groups.setdefault((check.zone, *check.horizon, check.target), []).append(i)
    out: list[VerifyResult | None] = [None] * len(checks)
    for (zone, start, end, target), indices in groups.items():
        for lo in range(0, len(indices), BATCH):
            part = indices[lo : lo + BATCH]
            group = _Group([checks[i] for i in part], zone, start, end, target == "scheduler")
            for i, result in zip(part, group.results(), strict=True):
                out[i] = result
    return [r for r in out if r is not None]


def _validate(check: Check) -> None:
    if check.target not in TARGETS:
        raise ValueError(f"unknown target {check.target!r} "
                         f"(expected one of {', '.join(TARGETS)})")
    texts = [t for t in check.expressions if not t.startswith("at(")]
    if len(texts) < len(check.expressions):
        if check.target != "scheduler":
            raise ValueError("at(...) expressions are EventBridge Scheduler one-time schedules")
        for text in check.expressions:
            if text.startswith("at("):
                at_minute(text, check.zone)
    if len(texts) > MAX_EXPRESSIONS:
        raise ValueError("too many expressions to verify at once")


class _Group:
    """Proofs in one zone over one horizon, for one target, evaluated together."""

    def __init__(self, checks: list[Check], zone: str, start: date, end: date,
                 local: bool) -> None:
        self.checks, self.zone, self.start, self.local = checks, zone, start, local
        self.cal = cal = horizon_calendar(start, end)
        self.u0, self.n = cal.index(start), (end - start).days
        self.zd = zone_days(zone, start, end)
        schedules = [c.schedule for c in checks]
        self.dloc = day_masks(schedules, cal)  # (B, calendar days)
        self.tmask = minute_masks(schedules)  # (B, 1440)
        self.texts = [[t for t in c.expressions if not t.startswith("at(")] for c in checks]
        self.ats = [[t for t in c.expressions if t.startswith("at(")] for c in checks]
        self.emax = emax = max((len(t) for t in self.texts), default=0)
        # expression e of proof b at [b, e]; absent ones are all zero (never fire)
        self.edays = np.zeros((len(checks), emax, len(cal)), dtype=np.uint8)
        self.emins = np.zeros((len(checks), emax, 1440), dtype=np.uint8)
        for b, texts in enumerate(self.texts):
            for e, text in enumerate(texts):
                self.edays[b, e], self.emins[b, e] = expr_arrays(text, start, end)

    def results(self) -> list[VerifyResult]:
        b_count, zd = len(self.checks), self.zd
        regular = _Regular(self)
        missing, extra, dups, src_total, aws_total = regular.totals
        fires = regular.fires_by_offset  # (B, offsets)
        differing: list[list[int]] = [regular.first_bad_days(b) for b in range(b_count)]
        details: list[dict[int, tuple[IntArray, IntArray, IntArray]]] = [
            {} for _ in range(b_count)]
        transitions: list[list[tuple[int, int, int]]] = [[] for _ in range(b_count)]
        if len(zd.irregular_days):
            src_i = self._legacy_irregular()
            aws_i = self._scheduler_irregular() if self.local else self._rules_irregular()
            m1, e1, d1, s1, a1 = row_stats(src_i, aws_i)  # (B, irregular days)
            missing, extra = missing + m1.sum(axis=1), extra + e1.sum(axis=1)
            dups = dups + d1.sum(axis=1)
            src_total, aws_total = src_total + s1.sum(axis=1), aws_total + a1.sum(axis=1)
            offs_i = zd.irregular_offsets
            for o, off in enumerate(zd.offsets):
                fires[:, o] += (src_i * (offs_i == off)).sum(axis=(1, 2))
            bad_rows = (m1 + e1 + d1) > 0
            for b in np.flatnonzero(bad_rows.any(axis=1)).tolist():
                for row in np.flatnonzero(bad_rows[b]).tolist():
                    d = int(zd.irregular_days[row])
                    differing[b].append(d)
                    details[b][d] = (src_i[b, row], aws_i[b, row], offs_i[row])
                # every differing instant, in time order (rows are days in order)
                rows, xs = np.nonzero(src_i[b] != aws_i[b])
                rows, xs = rows[:MAX_DIFFERENCES], xs[:MAX_DIFFERENCES]
                transitions[b] = list(zip(zd.irregular_minutes[rows, xs].tolist(),
                                          src_i[b, rows, xs].tolist(),
                                          aws_i[b, rows, xs].tolist(), strict=True))
        else:
            for ats in self.ats:
                if ats:  # raises: at(...) only falls on transition days
                    add_at(np.zeros((0, 1440), dtype=np.int32), ats, self.zone, zd)
        label = "Scheduler" if self.local else "AWS"
        horizon = self.checks[0].horizon
        out = []
        columns = zip(src_total.tolist(), aws_total.tolist(), missing.tolist(), extra.tolist(),
                      dups.tolist(), fires.tolist(), regular.bad_schedule.tolist(), strict=True)
        for b, (src_n, aws_n, mi, ex, du, by_offset, off_transitions) in enumerate(columns):
            examples = (self._examples(b, sorted(differing[b]), details[b], regular, label)
                        if differing[b] else ())
            out.append(VerifyResult(
                Verification(horizon, src_n, aws_n, mi, ex, du, examples),
                {off: n for off, n in zip(zd.offsets, by_offset, strict=True) if n},
                tuple(transitions[b]),
                off_transitions,
            ))
        return out

    def _legacy_irregular(self) -> IntArray:
        """(B, irregular days, 1440): legacy fire counts minute by minute on the UTC days
        on which the offset changes."""
        zd, cal = self.zd, self.cal
        src = _natural(self.dloc, self.tmask, zd.irregular_minutes + zd.irregular_offsets, cal)
        fixed = np.flatnonzero([not (c.cron_tz or c.schedule.wildcard) for c in self.checks])
        if not len(fixed):  # CRON_TZ jobs and wildcard jobs follow the wall clock
            return src
        minutes = zd.irregular_minutes
        first = minutes[:, 0]
        for prev, seg in zip(zd.segments, zd.segments[1:], strict=False):
            jump, t = seg.offset - prev.offset, seg.start
            rows = np.flatnonzero((first <= t) & (t < first + 1440))
            if jump > 0 and SMALL_JUMP < jump + 1 <= LARGE_JUMP:
                # fixed-time jobs of the skipped local minutes run once each, right after
                skipped = np.arange(t + prev.offset, t + seg.offset, dtype=np.int64)[None, :]
                late = _natural(self.dloc[fixed], self.tmask[fixed], skipped, cal)
                for r in rows.tolist():
                    src[fixed, r, t - first[r]] += late.sum(axis=(1, 2)).astype(np.int32)
            elif jump < 0 and -(jump + 1) <= LARGE_JUMP:
                # the repeated local period: fixed-time jobs do not run a second time
                repeat = (minutes >= t) & (minutes < t - jump)
                part = src[fixed]
                part[:, repeat] = 0
                src[fixed] = part
        return src

    def _rules_irregular(self) -> IntArray:
        """(B, irregular days, 1440): each expression's UTC fires on those days."""
        days = self.edays[:, :, self.u0 + self.zd.irregular_days].astype(np.int32)
        out: IntArray = np.einsum("bed,bem->bdm", days, self.emins.astype(np.int32))
        return out

    def _scheduler_irregular(self) -> IntArray:
        """Scheduler fires, minute by minute, on the days of `irregular_days`: each
        expression on the wall clock (a skipped local time never shows, so never fires),
        and a repeated local time only at its first occurrence (our assumption; AWS leaves
        it open); then the `at(...)` instants."""
        zd = self.zd
        minutes = zd.irregular_minutes
        local_minutes = minutes + zd.irregular_offsets
        out = np.zeros((len(self.checks), *minutes.shape), dtype=np.int32)
        for e in range(self.emax):
            out += _natural(self.edays[:, e], self.emins[:, e], local_minutes, self.cal)
        for prev, seg in zip(zd.segments, zd.segments[1:], strict=False):
            if seg.offset < prev.offset:
                out[:, (minutes >= seg.start) & (minutes < seg.start + prev.offset - seg.offset)
                    ] = 0
        for b, ats in enumerate(self.ats):
            add_at(out[b], ats, self.zone, zd)
        return out

    def _examples(self, b: int, days: list[int],
                  detail: dict[int, tuple[IntArray, IntArray, IntArray]],
                  regular: _Regular, label: str) -> tuple[str, ...]:
        """The first differing instants of proof b, for the report."""
        examples: list[str] = []
        for d in days:
            if len(examples) >= MAX_EXAMPLES:
                break
            if d in detail:
                src_d, aws_d, offs = detail[d]
            else:
                src_d, aws_d = regular.rows_of(b, d)
                offs = np.full(1440, int(self.zd.day_offset[d]), dtype=np.int64)
            xs = np.flatnonzero(src_d != aws_d)[: MAX_EXAMPLES - len(examples)]
            day = self.start + timedelta(days=d)
            examples += [example(day, x, legacy, aws, off, label) for x, legacy, aws, off
                         in zip(xs.tolist(), src_d[xs].tolist(), aws_d[xs].tolist(),
                                offs[xs].tolist(), strict=True)]
        return tuple(examples)


class _Regular:
    """The days with one offset all day, for every proof of a group: each (proof, day)
    gets a signature (see the module docstring); the distinct (proof, signature) pairs are
    the rows whose legacy and AWS patterns are built and compared.

    The signature of horizon day d (UTC date start + d, calendar index u = u0 + d) packs
    all its 1440-minute patterns depend on, low bits first (W = `width`: enough bits for an
    index into zd.offsets, at least 1):
      bits 0 .. W-1   index of the offset in force all day (zd.off_index[d])
      bit  W          the legacy day rule holds on local date u-1 (row 0 of `shifted`)
      bit  W+1        ... on local date u   (row 1)
      bit  W+2        ... on local date u+1 (row 2)
      then            rules: bit W+3+e, expression e's day fields hold on UTC date u;
                      Scheduler: bits W+3+3e+r, expression e holds on local date u-1+r
    packed into int64 words (`_distinct`)."""

    def __init__(self, g: _Group) -> None:
        zd, u0, n, b_count = g.zd, g.u0, g.n, len(g.checks)
        reg = self.reg = zd.regular_days
        width = max(len(zd.offsets) - 1, 1).bit_length()
        per_expr = 3 if g.local else 1
        nb = width + 3 + per_expr * g.emax
        # bit i of every (proof, day) as one uint8 plane, over all horizon days; then the
        # regular days are taken once
        planes = np.empty((nb, b_count, n), dtype=np.uint8)
        for k in range(width):
            planes[k] = ((zd.off_index >> k) & 1)[None, :]
        for r in range(3):
            planes[width + r] = g.dloc[:, u0 - 1 + r : u0 - 1 + r + n]
        for e in range(g.emax):
            for r in range(per_expr):
                lo = u0 - 1 + r if g.local else u0
                planes[width + 3 + per_expr * e + r] = g.edays[:, e, lo : lo + n]
        pair, self.inverse, counts, bits = _distinct(planes[:, :, reg])
        off_p = bits[:, :width] @ (1 << np.arange(width))
        # legacy rows: the three local days' parts at the day's offset. Rows are uint8 (at
        # most 3 legacy and MAX_EXPRESSIONS AWS fires a minute): a quarter of the traffic.
        parts = shifted(g.tmask, zd.offsets)
        src = np.zeros((len(pair), 1440), dtype=np.uint8)
        for r in range(3):
            sel = np.flatnonzero(bits[:, width + r])
            src[sel] += parts[off_p[sel], r, pair[sel]]
        aws = np.zeros_like(src)
        if g.local:  # each expression on the wall clock: its three local days' parts
            for o, offset in enumerate(zd.offsets):
                x = np.arange(1440) + offset
                wall, local_day = np.mod(x, 1440), np.floor_divide(x, 1440)
                at_offset = off_p == o
                for col in range(3 * g.emax):
                    sel = np.flatnonzero(bits[:, width + 3 + col] & at_offset)
                    if len(sel):
                        e, r = divmod(col, 3)
                        aws[sel] += g.emins[pair[sel], e][:, wall] * (local_day == r - 1)
        else:
            for e in range(g.emax):
                sel = np.flatnonzero(bits[:, width + 3 + e])
                if len(sel):
                    aws[sel] += g.emins[pair[sel], e]
        self.src, self.aws = src, aws
        # most rows are equal: count differences only where a row differs
        sf = src.sum(axis=1, dtype=np.int64)
        mi, ex, du = (np.zeros(len(pair), dtype=np.int64) for _ in range(3))
        af = sf.copy()
        bad = np.flatnonzero((src != aws).any(axis=1))
        if len(bad):
            mi[bad], ex[bad], du[bad], _, af[bad] = row_stats(
                src[bad].astype(np.int32), aws[bad].astype(np.int32))

        def per_proof(values: IntArray) -> IntArray:
            total: IntArray = np.bincount(pair, weights=values * counts, minlength=b_count
                                          ).astype(np.int64)
            return total

        self.totals = tuple(per_proof(v) for v in (mi, ex, du, sf, af))
        n_off = len(zd.offsets)
        self.fires_by_offset: IntArray = np.bincount(
            pair * n_off + off_p, weights=sf * counts, minlength=b_count * n_off
        ).astype(np.int64).reshape(b_count, n_off)
        self.bad = (mi + ex + du) > 0
        self.bad_schedule = np.bincount(pair[self.bad], minlength=b_count) > 0
        self.n_reg = len(reg)

    def first_bad_days(self, b: int) -> list[int]:
        """Proof b's first differing regular days (at most MAX_EXAMPLES)."""
        if not self.bad_schedule[b]:
            return []
        row = self.inverse[b * self.n_reg : (b + 1) * self.n_reg]
        days: list[int] = self.reg[self.bad[row]][:MAX_EXAMPLES].tolist()
        return days

    def rows_of(self, b: int, d: int) -> tuple[IntArray, IntArray]:
        """(legacy, AWS) fires per minute of proof b on regular day d."""
        p = self.inverse[b * self.n_reg + int(np.searchsorted(self.reg, d))]
        return self.src[p], self.aws[p]


def _distinct(planes: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The distinct (proof, signature) pairs of the bit planes (bit, proof, day): (the proof
    of each pair, the pair of each (proof, day) flattened proof-major, how many days share
    each pair, the bits of each pair). The planes are packed 8 to a byte and the bytes
    `_WORD_BYTES` to an int64 word, so a proof's signature is usually one word that, with
    the proof's index above it, `np.unique` sorts once for the whole group."""
    nb, b_count, days = planes.shape
    flat = planes.reshape(nb, -1)
    packed = np.packbits(flat, axis=0, bitorder="little")  # (bytes, proof x day)
    words = np.zeros((max(-(-len(packed) // _WORD_BYTES), 1), flat.shape[1]), dtype=np.int64)
    for j, byte in enumerate(packed):
        words[j // _WORD_BYTES] |= byte.astype(np.int64) << (8 * (j % _WORD_BYTES))
    proof = np.repeat(np.arange(b_count, dtype=np.int64), days)
    shift = 8 * _WORD_BYTES
    if len(words) == 1 and shift + max(b_count - 1, 1).bit_length() <= 63:
        _, first, inverse, counts = np.unique(proof << shift | words[0], return_index=True,
                                              return_inverse=True, return_counts=True)
    else:  # wide signatures: sort by proof, then by every word
        order = np.lexsort([*words[::-1], proof])
        table = np.vstack([proof, *words])[:, order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = (table[:, 1:] != table[:, :-1]).any(axis=0)
        first = order[starts]
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.cumsum(starts) - 1
        counts = np.diff(np.append(np.flatnonzero(starts), len(order)))
    bits = flat[:, first].T.astype(np.int64)
    return proof[first], inverse.reshape(-1), counts, bits


def _natural(days: IntArray, minute_mask: IntArray, local_minutes: IntArray, cal: Calendar
             ) -> IntArray:
    """(B, *local_minutes.shape) int32: wall-clock matching of absolute local minutes
    (epoch-based) against B (day mask, minute mask) pairs."""
    day_index = np.floor_divide(local_minutes, 1440) - (cal.first - EPOCH).days
    out: IntArray = (days[:, day_index] * minute_mask[:, np.mod(local_minutes, 1440)]
                     ).astype(np.int32)
    return out
