"""EventBridge Scheduler as a target: cron evaluated in the job's own time zone.

A rule evaluates cron in UTC, so a job in a zone with daylight saving cannot be exact as a
rule. Scheduler takes `ScheduleExpressionTimezone`: the expressions are the legacy schedule
re-expressed *without* a UTC shift, by the same converter (`to_aws` for offset 0: the AWS
grammar still splits cron's OR day rule), and the engine verifies them with its Scheduler
model (`verify(..., target="scheduler")`):

* spring forward: a local time that does not exist is skipped, where cronie runs a
  fixed-time job of the skipped hour right after the jump;
* fall back: a repeated local time runs once. Which of the two instants is not documented
  by AWS; we assume the first (`ASSUMPTION`), as cronie does for fixed-time jobs. cronie runs
  wildcard jobs (and `CRON_TZ` jobs) in the repeated hour twice.

Where the two differ the `scheduler-dst` finding lists every differing instant per year.
The opt-in remedy (`remedy=True`, `migrate scan --scheduler-at`) adds one one-time
`at(yyyy-mm-ddThh:mm:ss)` schedule per skipped legacy run within the horizon and proves
expressions + `at(...)` equal to the legacy instants with the same engine.

Zones: an IANA name is passed through. A fixed offset without one maps to `Etc/GMT∓N` for
whole hours (POSIX's inverted sign: `Etc/GMT-5` is UTC+05:00); other offsets (+05:30,
+05:45) map to an IANA zone that kept that offset, unchanged, over the whole horizon
(`Asia/Kolkata`, `Asia/Kathmandu`). When none exists, the schedule runs the rule's UTC
expressions with `ScheduleExpressionTimezone: UTC` and the rule's verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, available_timezones

from migrate.analysis import codes
from migrate.model import Finding, SchedulerTarget, Verification
from migrate.schedule.convert import Conversion, to_aws
from migrate.schedule.cron import CronSchedule
from migrate.schedule.verify import Check, VerifyResult, verify, verify_many
from migrate.schedule.zones import format_offset, offset_segments, resolve_zone

ASSUMPTION = ("a local time that occurs twice (fall back) runs once, assumed at its first "
              "occurrence (AWS does not document which)")
MAX_LISTED_PER_YEAR = 8
# conversion findings that already explain why the expressions cannot be exact
CONVERSION_EXPLAINS = frozenset({"double-fire", "day-and-inexpressible"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _canonical_zones() -> list[str]:
    """Zone names of tzdata's zone1970.tab (no backward links) when readable, else all."""
    for base in TZPATH:
        tab = Path(base) / "zone1970.tab"
        if tab.is_file():
            return sorted(line.split("\t")[2] for line in tab.read_text().splitlines()
                          if line and not line.startswith("#"))
    return sorted(available_timezones())


@cache
def _steady_zone(offset: int, start: date, end: date) -> str | None:
    for name in _canonical_zones():
        segments = offset_segments(name, start, end)
        if len(segments) == 1 and segments[0].offset == offset:
            return name
    return None


def scheduler_zone(zone: str, horizon: tuple[date, date]) -> str | None:
    """The `ScheduleExpressionTimezone` for a legacy zone, or None when no IANA zone has
    its fixed offset throughout the horizon."""
    tz = resolve_zone(zone)
    if isinstance(tz, ZoneInfo):
        return tz.key
    if tz is UTC:
        return "UTC"
    assert isinstance(tz, timezone)
    delta = tz.utcoffset(None)
    offset = int(delta.total_seconds()) // 60
    if offset == 0:
        return "UTC"
    if offset % 60 == 0:
        # POSIX-style names invert the sign: Etc/GMT-5 is five hours *ahead* of UTC.
        return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset) // 60}"
    return _steady_zone(offset, *horizon)


SchedulerResult = tuple[SchedulerTarget, tuple[Finding, ...]]


def scheduler_target(
    parsed: CronSchedule,
    zone: str,
    wall_clock: bool,
    horizon: tuple[date, date],
    rules: tuple[Conversion, VerifyResult],
    *,
    remedy: bool = False,
) -> SchedulerResult:
    """The Scheduler expressions for `parsed` in `zone`, their proof, and the findings that
    explain a difference. `rules`: the job's rule conversion and its verdict."""
    return scheduler_targets([(parsed, zone, wall_clock)], horizon, [rules], remedy=remedy)[0]


def scheduler_targets(
    keys: Sequence[tuple[CronSchedule, str, bool]],
    horizon: tuple[date, date],
    rules: Sequence[tuple[Conversion, VerifyResult]],
    *,
    remedy: bool = False,
) -> list[SchedulerResult]:
    """`scheduler_target` for each (schedule, zone, wall_clock) of `keys`, with its rule
    conversion and verdict in `rules`; the proofs are evaluated together (`verify_many`)."""
    names = [scheduler_zone(zone, horizon) for _, zone, _ in keys]
    own = [i for i, name in enumerate(names) if name not in (None, "UTC")]
    steady = [i for i in own if len(offset_segments(keys[i][1], *horizon)) == 1]
    _prove_on_wall_clock([keys[i][0] for i in steady], horizon)
    proofs: dict[int, VerifyResult] = {}
    for i in steady:
        result = _steady(keys[i][0], keys[i][1], horizon, rules[i][1])
        if result is not None:
            proofs[i] = result
    pending = [i for i in own if i not in proofs]
    checks = [Check(keys[i][0], keys[i][1], _unshifted(keys[i][0], horizon).expressions,
                    horizon, keys[i][2], "scheduler") for i in pending]
    proofs.update(zip(pending, verify_many(checks), strict=True))
    out: list[SchedulerResult] = []
    for i, ((parsed, zone, wall_clock), name) in enumerate(zip(keys, names, strict=True)):
        if name is None or name == "UTC":
            # no IANA zone: the rule's UTC expressions, evaluated in UTC; in UTC itself the
            # Scheduler expressions and instants are the rule's (no shift, no transitions)
            conversion, result = rules[i]
            out.append((SchedulerTarget(conversion.expressions, "UTC",
                                        result.verification.exact, result.verification), ()))
            continue
        out.append(_target(parsed, zone, wall_clock, horizon, name, proofs[i], remedy))
    return out


def _target(parsed: CronSchedule, zone: str, wall_clock: bool, horizon: tuple[date, date],
            name: str, result: VerifyResult, remedy: bool) -> SchedulerResult:
    conversion = _unshifted(parsed, horizon)
    exprs = conversion.expressions
    at: tuple[str, ...] = ()
    if remedy and not result.verification.exact and not result.off_transitions:
        at = skipped_runs(result, zone)
        if at:
            result = verify(parsed, zone, exprs + at, horizon, cron_tz=wall_clock,
                            target="scheduler")
    v = result.verification
    findings = list(conversion.findings)
    if not v.exact and not (result.off_transitions
                            and {f.code for f in findings} & CONVERSION_EXPLAINS):
        findings.append(dst_finding(name, result, bool(at)))
    return SchedulerTarget(exprs, name, v.exact, v, at), tuple(findings)


def _steady(parsed: CronSchedule, zone: str, horizon: tuple[date, date],
            rules: VerifyResult) -> VerifyResult | None:
    """The Scheduler proof in a zone with one offset over the horizon (no transition), when
    the expressions match the legacy schedule on every wall-clock minute of the local dates
    that horizon reaches: then both fire at the same local times, so at the same instants,
    and the verdict is the engine's exact one with the legacy counts of the rules proof
    (the legacy side of a proof does not depend on the target). The wall-clock check is one
    per schedule, shared by every such zone (a fleet runs one schedule in many zones). None:
    not that case, verify in the zone itself."""
    if len(offset_segments(zone, *horizon)) != 1 or not _exact_on_wall_clock(parsed, horizon):
        return None
    v = rules.verification
    return VerifyResult(Verification(v.horizon, v.source_fires, v.source_fires, 0, 0, 0),
                        dict(rules.fires_by_offset))


_WALL_CLOCK: dict[tuple[CronSchedule, tuple[date, date]], bool] = {}
_WALL_CLOCK_SIZE = 16384  # verdicts kept (a fleet's schedules recur in many zones)


def _exact_on_wall_clock(parsed: CronSchedule, horizon: tuple[date, date]) -> bool:
    """The zone-free expressions equal the schedule on every minute of the local dates any
    UTC offset (under a day) reaches from the horizon: one day more on each side."""
    _prove_on_wall_clock([parsed], horizon)
    return _WALL_CLOCK[parsed, horizon]


def _prove_on_wall_clock(schedules: Sequence[CronSchedule], horizon: tuple[date, date]
                         ) -> None:
    """`_exact_on_wall_clock` of each of `schedules` not yet known, proven together."""
    todo = list(dict.fromkeys(s for s in schedules if (s, horizon) not in _WALL_CLOCK))
    if not todo:
        return
    wide = (horizon[0] - timedelta(days=1), horizon[1] + timedelta(days=1))
    checks = [Check(s, "UTC", _unshifted(s, horizon).expressions, wide, target="scheduler")
              for s in todo]
    for s, result in zip(todo, verify_many(checks), strict=True):
        while len(_WALL_CLOCK) >= _WALL_CLOCK_SIZE:
            del _WALL_CLOCK[next(iter(_WALL_CLOCK))]  # the oldest first
        _WALL_CLOCK[s, horizon] = result.verification.exact


@lru_cache(maxsize=65536)
def _unshifted(parsed: CronSchedule, horizon: tuple[date, date]) -> Conversion:
    """The same converter for offset 0: the expressions for any zone (no shift)."""
    return to_aws(parsed, "UTC", horizon)


def _local(minute: int, zone: str) -> datetime:
    return (_EPOCH + timedelta(minutes=minute)).astimezone(resolve_zone(zone))


def skipped_runs(result: VerifyResult, zone: str) -> tuple[str, ...]:
    """One `at(...)` per legacy run Scheduler misses at a transition, in local time; runs
    at an ambiguous local time (inside a fall-back overlap) cannot be addressed by `at`."""
    out: list[str] = []
    for minute, legacy, scheduler in result.transitions:
        if legacy <= scheduler:
            continue
        local = _local(minute, zone)
        naive = local.replace(tzinfo=None)
        tz = resolve_zone(zone)
        if naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz,
                                                                          fold=1).utcoffset():
            continue  # the local time occurs twice
        out.extend([f"at({naive.isoformat(timespec='seconds')})"] * (legacy - scheduler))
    return tuple(out)


def dst_finding(name: str, result: VerifyResult, remedied: bool) -> Finding:
    """`scheduler-dst`: every instant at which Scheduler and the legacy job differ, per year."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for minute, legacy, scheduler in result.transitions:
        local = _local(minute, name)
        off = local.utcoffset()
        assert off is not None
        by_year[local.year].append(
            f"{local.strftime('%Y-%m-%d %H:%M')} UTC{format_offset(int(off.total_seconds()) // 60)}"
            f" legacy {legacy}x, Scheduler {scheduler}x")
    parts = []
    for year, items in sorted(by_year.items()):
        more = len(items) - MAX_LISTED_PER_YEAR
        listed = "; ".join(items[:MAX_LISTED_PER_YEAR]) + (f"; and {more} more" if more > 0
                                                           else "")
        parts.append(f"{year}: {listed}")
    v = result.verification
    n = v.missing + v.extra + v.duplicates
    if result.off_transitions:  # not the daylight-saving model: a converter bug, say so
        return codes.SCHEDULER_DST.finding(
            f"as EventBridge Scheduler schedules in {name}: verification over "
            f"{v.horizon[0]}..{v.horizon[1]} found {v.missing} missing, {v.extra} extra and "
            f"{v.duplicates} duplicate fires, also away from daylight-saving transitions",
            "; ".join(v.examples[:3]), severity="error",
            recommendation="Review the Scheduler expressions by hand, or deploy as rules.")
    return codes.SCHEDULER_DST.finding(
        f"as EventBridge Scheduler schedules in {name}, {n} "
        f"{'fire differs' if n == 1 else 'fires differ'} from the legacy job at "
        "daylight-saving transitions (cronie runs a "
        "fixed-time job of a skipped hour right after the jump and wildcard jobs twice in a "
        f"repeated hour; Scheduler skips a local time that does not exist and {ASSUMPTION}). "
        + " | ".join(parts),
        name,
        recommendation=(
            "The one-time at() schedules cover the skipped runs they can address; the rest "
            "remain." if remedied else None),
    )
