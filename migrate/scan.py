"""The scan pipeline: parsed sources -> converted, verified, named jobs -> a catalog.

`scan_files` is pure (values in, values out): the clock (`now`), the horizon and the zone are
arguments. `scan_paths` adds the reading of files (`sources.reader`). Writing is `emit/`'s.

Per job:
1. convert the parsed schedule for its zone (`schedule.convert.to_aws`);
2. verify the expressions against the legacy schedule over the horizon
   (`schedule.verify.verify`): `exact` is the engine's verdict and nothing else — except
   that a job whose legacy instants are not known is never exact (`@reboot`, cronie's
   random `~` ranges and `RANDOM_DELAY`, anacron's window), and a job whose instants the
   scan anchored itself (`interval-anchored`) gets the verdict `anchored` instead;
3. add the findings that explain a difference (`dst-drift` from the engine's fires per
   offset; `not-exact` when no other finding explains one);
4. the same job as EventBridge Scheduler schedules in its own zone, with their own proof
   (`schedule.scheduler.scheduler_target`): `schedule.scheduler` in the catalog.

Then, over all jobs at once, the migration-risk analyses (`migrate.analysis.analyse`):
duplicates merged (unless `merge=False`), risk findings added, secrets redacted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from typing import cast

from migrate.analysis import codes
from migrate.analysis.burst import DEFAULT_THRESHOLD
from migrate.analysis.rules import reaches
from migrate.analysis.runner import Analysis, AnalysisOptions, analyse
from migrate.analysis.secrets import redact_text
from migrate.emit.catalog import Catalog
from migrate.errors import MigrateError
from migrate.heap import no_full_collections
from migrate.model import Finding, Job, SchedulerTarget, Severity, origin_kind
from migrate.naming import assign_names, describe
from migrate.parallel import available_cpus, map_chunks
from migrate.schedule.convert import Conversion, dst_drift_finding, to_aws
from migrate.schedule.cron import CronSchedule
from migrate.schedule.scheduler import scheduler_target, scheduler_targets
from migrate.schedule.verify import Check, VerifyResult, verify, verify_many
from migrate.schedule.zones import DST_POLICIES, UnknownZone, resolve_zone
from migrate.sources.base import ParsedFile, Progress, summarize, total_counts
from migrate.sources.reader import read_inputs
from migrate.sources.whenever.dedup import merge_whenever_duplicates

# Codes whose finding explains a verification difference (no `not-exact` then), and codes
# whose legacy instants are random (never exact): flags on the registry's `Code`s.
EXPLAINS_INEXACT = frozenset(c.code for c in codes.CODES.values() if c.explains_inexact)
# Zones whose scheduler matches the wall clock every minute (skipped local times never
# fire, repeated ones fire twice): cronie's CRON_TZ jobs, and Python schedulers (Celery
# and APScheduler evaluate local wall-clock time; neither has cronie's DST catch-up).
# Only jobs in the cron daemon's own zone ("host") get cronie's DST compensation.
WALL_CLOCK_ZONES = {"CRON_TZ", "file", "interval"}
UNKNOWN_INSTANTS = frozenset(c.code for c in codes.CODES.values() if c.unknown_instants)
# Below this many distinct schedules, starting worker processes costs more than it saves.
PARALLEL_MIN_SCHEDULES = 2000
BATCHED_MIN_SCHEDULES = 64  # fewer: one by one, cached (a proof alone costs ~2x one in a batch)
# The legacy instants are unknown and the scan chose an anchor (an interval counted from
# when its scheduler started): the expressions are proven for that anchor only, so the job
# is `anchored`, never `exact`.
ANCHOR_CHOSEN = frozenset({codes.INTERVAL_ANCHORED.code})


class ScanError(MigrateError, ValueError):
    """A usage error (bad option value): reported as one line, exit code 2."""


def default_horizon(now: datetime) -> tuple[date, date]:
    """The calendar year after the scan date."""
    return date(now.year + 1, 1, 1), date(now.year + 2, 1, 1)


def parse_horizon(text: str) -> tuple[date, date]:
    try:
        a, b = text.split(":")
        start, end = date.fromisoformat(a), date.fromisoformat(b)
    except ValueError as exc:
        raise ScanError(f"--horizon {text!r}: expected START:END as YYYY-MM-DD:YYYY-MM-DD") from exc
    if end <= start:
        raise ScanError(f"--horizon {text!r}: END must be after START")
    if start.year < 1971 or end.year > 2199:
        raise ScanError(f"--horizon {text!r}: must lie within 1971..2199")
    return start, end


@dataclass(frozen=True, slots=True)
class ScanOptions:
    timezone: str | None = None  # --tz; None: each host's own zone (sources.hostzone)
    fmt: str | None = None
    horizon: tuple[date, date] | None = None
    dst: str = "standard"
    now: datetime = field(default_factory=lambda: datetime(1970, 1, 1, tzinfo=UTC))
    # whenever's `--set name=value` for schedule.rb files (e.g. environment=staging)
    whenever_set: tuple[tuple[str, str], ...] = ()
    # whenever's `--roles` for schedule.rb files: jobs restricted to other roles are left out
    whenever_roles: tuple[str, ...] = ()
    merge: bool = True  # --no-merge: keep duplicate jobs apart
    burst_threshold: int = DEFAULT_THRESHOLD  # --burst-threshold
    # --workers: processes converting schedules. None: every CPU when a scan has at least
    # PARALLEL_MIN_SCHEDULES distinct schedules, else this process; 1: this process only.
    workers: int | None = None
    scheduler_at: bool = False  # --scheduler-at: one-time schedules for skipped DST runs

    def check(self) -> None:
        try:
            if self.timezone is not None:
                resolve_zone(self.timezone)
        except UnknownZone as exc:
            raise ScanError(f"--tz: {exc}") from None
        if self.dst not in DST_POLICIES:
            raise ScanError(f"--dst {self.dst!r}: expected standard or daylight")
        if self.fmt not in (None, "user", "system"):
            raise ScanError(f"--format {self.fmt!r}: expected user or system")
        if self.burst_threshold < 1:
            raise ScanError(f"--burst-threshold {self.burst_threshold}: expected at least 1")
        if self.workers is not None and self.workers < 1:
            raise ScanError(f"--workers {self.workers}: expected at least 1")


@dataclass(slots=True)
class ScanResult:
    catalog: Catalog
    files: list[ParsedFile]
    summary_line: str
    analysis: Analysis | None = None

    @property
    def jobs(self) -> list[Job]:
        return self.catalog.jobs


# What conversion, proof and description depend on: the parsed schedule, its zone, and
# whether that zone is matched against the wall clock (see WALL_CLOCK_ZONES).
ScheduleKey = tuple[CronSchedule, str, bool]
# Its results (immutable): conversion, proof (None for @reboot), description.
SchedulerResult = tuple[SchedulerTarget, tuple[Finding, ...]] | None
# A schedule's rules conversion, its proof, its description and its Scheduler target.
Converted = tuple[Conversion, VerifyResult | None, str, SchedulerResult]


def schedule_key(job: Job) -> ScheduleKey | None:
    sched = job.schedule
    if sched.parsed is None:
        return None
    return sched.parsed, sched.timezone, origin_kind(sched.timezone_from) in WALL_CLOCK_ZONES


@lru_cache(maxsize=65536)
def _convert_and_verify(
    parsed: CronSchedule, zone: str, wall_clock: bool, horizon: tuple[date, date], dst: str
) -> tuple[Conversion, VerifyResult | None]:
    """Conversion and proof depend on these values only: a fleet repeating a schedule on a
    thousand hosts pays for it once (results are immutable)."""
    conversion = to_aws(parsed, zone, horizon, dst=dst)
    if parsed.reboot:
        return conversion, None
    return conversion, verify(parsed, zone, conversion.expressions, horizon, cron_tz=wall_clock)


@lru_cache(maxsize=65536)
def _scheduler(
    parsed: CronSchedule, zone: str, wall_clock: bool, horizon: tuple[date, date], dst: str,
    remedy: bool,
) -> SchedulerResult:
    conversion, result = _convert_and_verify(parsed, zone, wall_clock, horizon, dst)
    if result is None:
        return None
    return scheduler_target(parsed, zone, wall_clock, horizon, (conversion, result),
                            remedy=remedy)


def _convert_keys(keys: list[ScheduleKey], horizon: tuple[date, date], dst: str,
                  remedy: bool) -> list[Converted]:
    """Worker side: every key computed afresh (a worker's keys are distinct), the proofs of
    all of them evaluated together (`verify_many`)."""
    with no_full_collections():  # a worker's caches grow; full walks of them find nothing
        return _convert_all(keys, horizon, dst, remedy)


def _convert_all(keys: list[ScheduleKey], horizon: tuple[date, date], dst: str,
                 remedy: bool) -> list[Converted]:
    conversions = [to_aws(parsed, zone, horizon, dst=dst) for parsed, zone, _ in keys]
    live = [i for i, (parsed, _, _) in enumerate(keys) if not parsed.reboot]
    proofs = verify_many([Check(keys[i][0], keys[i][1], conversions[i].expressions, horizon,
                                keys[i][2]) for i in live])
    targets = scheduler_targets([keys[i] for i in live], horizon,
                                [(conversions[i], p) for i, p in zip(live, proofs, strict=True)],
                                remedy=remedy)
    results: dict[int, tuple[VerifyResult, SchedulerResult]] = {
        i: (p, t) for i, p, t in zip(live, proofs, targets, strict=True)}
    out: list[Converted] = []
    for i, (parsed, zone, _) in enumerate(keys):
        result, target = results.get(i, (None, None))
        out.append((conversions[i], result, describe(parsed, zone), target))
    return out


def _convert_here(key: ScheduleKey, horizon: tuple[date, date], dst: str,
                  remedy: bool) -> Converted:
    conversion, result = _convert_and_verify(*key, horizon, dst)
    return (conversion, result, describe(key[0], key[1]),
            _scheduler(*key, horizon, dst, remedy))


def convert_schedules(
    keys: Sequence[ScheduleKey], horizon: tuple[date, date], dst: str, workers: int | None,
    remedy: bool = False,
) -> dict[ScheduleKey, Converted]:
    """Every distinct schedule of a scan converted, verified (for rules and for Scheduler)
    and described, in worker processes when there are many (the results do not depend on
    where they were computed), their proofs in batches (`verify_many`). A scan of a few
    schedules proves them one by one, through per-schedule caches that serve repeated scans
    of the same schedules in this process. `remedy`: --scheduler-at."""
    if workers is None:
        workers = available_cpus() if len(keys) >= PARALLEL_MIN_SCHEDULES else 1
    if workers <= 1:
        if len(keys) < BATCHED_MIN_SCHEDULES:
            return {key: _convert_here(key, horizon, dst, remedy) for key in keys}
        return dict(zip(keys, _convert_keys(list(keys), horizon, dst, remedy), strict=True))
    # One schedule in several zones lands in one worker's chunk, whose caches then share its
    # zone-free Scheduler conversion (`_unshifted`) and expression arrays. The order of the
    # work does not change any result.
    ordered = sorted(keys, key=lambda k: (k[0].text, k[1], k[2]))
    results = map_chunks(partial(_convert_keys, horizon=horizon, dst=dst, remedy=remedy),
                         ordered, workers, preload=[__name__])
    done = dict(zip(ordered, results, strict=True))
    return {key: done[key] for key in keys}  # in the order of `keys`, as in one process


def convert_job(job: Job, horizon: tuple[date, date], dst: str,
                converted: Mapping[ScheduleKey, Converted] | None = None, *,
                scheduler_at: bool = False) -> None:
    """Fill in `job.schedule.aws/exact/verification/scheduler/description` and the findings
    that explain them; `converted`: results computed beforehand (`convert_schedules`)."""
    sched = job.schedule
    key = schedule_key(job)
    if key is None:
        return
    done = converted.get(key) if converted is not None else None
    if done is None:
        done = _convert_here(key, horizon, dst, scheduler_at)
    conversion, result, job.description, target = done
    sched.aws = conversion.expressions
    job.findings.extend(conversion.findings)
    if result is None:  # @reboot
        sched.exact = False
        sched.verification = None
        return
    if target is not None:
        sched.scheduler = target[0]
        have = {f.code for f in job.findings}
        job.findings.extend(f for f in target[1] if f.code not in have)
    sched.verification = result.verification
    found = {f.code for f in job.findings}
    proven = result.verification.exact and not (found & UNKNOWN_INSTANTS)
    sched.anchored = proven and bool(found & ANCHOR_CHOSEN)
    sched.exact = proven and not sched.anchored
    if sched.scheduler is not None and (found & (UNKNOWN_INSTANTS | ANCHOR_CHOSEN)):
        # the legacy instants are not known (or the scan chose them): never exact
        sched.scheduler = replace(sched.scheduler, exact=False)
    if conversion.offset is not None and len(conversion.offsets) > 1:
        drift = dst_drift_finding(sched.timezone, conversion.offset, result.fires_by_offset,
                                  result.verification.source_fires, horizon)
        if drift is not None and not result.verification.exact:
            job.findings.append(drift)
            found.add(drift.code)
    v = result.verification
    if not v.exact and not (found & EXPLAINS_INEXACT):
        job.findings.append(codes.NOT_EXACT.finding(
            f"verification over {horizon[0]}..{horizon[1]} found {v.missing} missing, "
            f"{v.extra} extra and {v.duplicates} duplicate fires",
            "; ".join(v.examples[:3]),
        ))


REVIEW_KEYS = ("max_runtime", "overrides")


def carry_review(jobs: Sequence[Job], previous: Catalog | None) -> None:
    """Keep what a reviewer edited in the previous catalog, matched by job id: `max_runtime`
    and `overrides`, and `active: false` (a reviewer's "do not migrate"). A job the source
    itself disabled stays disabled."""
    if previous is None:
        return
    before = {j.id: j for j in previous.jobs}
    for job in jobs:
        old = before.get(job.id)
        if old is None:
            continue
        for key in REVIEW_KEYS:
            if key in old.extra:
                job.extra[key] = old.extra[key]
        if not old.active and job.active:
            job.active = False
            job.findings.append(codes.KEPT_INACTIVE.finding(
                "active: false kept from the reviewed catalog (the source line is active)"))


def scan_files(
    files: Sequence[ParsedFile], options: ScanOptions, previous: Catalog | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """`previous`: the catalog a reviewer edited, whose review fields carry over;
    `progress` (from the CLI edge) hears of each job converted and of the analysis.
    No full garbage collection meanwhile (`heap.no_full_collections`)."""
    with no_full_collections():
        return _scan_files(files, options, previous, progress)


def _scan_files(
    files: Sequence[ParsedFile], options: ScanOptions, previous: Catalog | None,
    progress: Progress | None,
) -> ScanResult:
    options.check()
    horizon = options.horizon or default_horizon(options.now)
    # A crontab line whenever installed for a scanned schedule.rb job is that same job.
    jobs = merge_whenever_duplicates([job for f in files for job in f.jobs])
    keys = list(dict.fromkeys(key for job in jobs if (key := schedule_key(job)) is not None))
    converted = convert_schedules(keys, horizon, options.dst, options.workers,
                                  options.scheduler_at)
    for done, job in enumerate(jobs, 1):
        convert_job(job, horizon, options.dst, converted, scheduler_at=options.scheduler_at)
        if progress is not None:
            progress("convert", done, len(jobs))
    if progress is not None:
        progress("analyse", len(jobs), None)
    assign_names(jobs)
    carry_review(jobs, previous)
    analysis = analyse(jobs, AnalysisOptions(
        horizon=horizon, merge=options.merge, burst_threshold=options.burst_threshold,
        dst=options.dst))
    jobs = analysis.jobs
    diagnostics = [redact_text(str(d)) for f in files for d in f.diagnostics]
    skipped = [f"{f.path}: skipped: {f.skipped}" for f in files if f.skipped]
    skipped += [line for f in files for line in f.left_out]
    catalog = Catalog(
        jobs=jobs,
        generated_at=options.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        horizon=horizon,
        summary=_summary(files, jobs),
        diagnostics=diagnostics,
        skipped=skipped,
    )
    return ScanResult(catalog, list(files), summarize(files), analysis)


def scan_paths(
    paths: Sequence[str], options: ScanOptions, stdin_text: str | None = None,
    previous: Catalog | None = None, progress: Progress | None = None,
) -> ScanResult:
    options.check()
    with no_full_collections():
        files = read_inputs(paths, fmt=options.fmt, timezone=options.timezone,
                            stdin_text=stdin_text, settings=options.whenever_set,
                            progress=progress, roles=options.whenever_roles)
        return scan_files(files, options, previous, progress)


def _summary(files: Sequence[ParsedFile], jobs: Sequence[Job]) -> dict[str, object]:
    counts = total_counts(files)
    by_code: Counter[str] = Counter(f.code for j in jobs for f in j.findings)
    by_severity: Counter[str] = Counter(f.severity for j in jobs for f in j.findings)
    active = [j for j in jobs if j.active]
    return {
        "files": counts.files,
        "lines": counts.lines,
        "jobs": len(jobs),
        "active": len(active),
        "disabled": len(jobs) - len(active),
        "exact": sum(1 for j in jobs if j.schedule.verdict == "exact"),
        "anchored": sum(1 for j in jobs if j.schedule.verdict == "anchored"),
        "not_exact": sum(1 for j in jobs if j.schedule.verdict == "not exact"),
        "scheduler_exact": sum(1 for j in jobs
                               if j.schedule.scheduler and j.schedule.scheduler.exact),
        "rules": sum(len(j.schedule.aws) for j in active),
        "env": counts.env,
        "comments": counts.comments,
        "errors": counts.errors,
        "findings": dict(sorted(by_code.items())),
        "findings_by_severity": {s: by_severity[s] for s in ("error", "warning", "info")},
    }


def exit_code(result: ScanResult, fail_on: str = "error") -> int:
    """0: every active job exact and nothing at or above `fail_on`; 1: something for a
    human to review (an active job not exact, including an `anchored` one whose legacy
    instants are unknown, a finding at the threshold, a bad line)."""
    for job in result.jobs:
        if not job.active:
            continue
        if not job.schedule.exact:
            return 1
        if reaches(job.findings, cast(Severity, fail_on)):
            return 1
    if result.catalog.diagnostics:
        return 1
    return 0
