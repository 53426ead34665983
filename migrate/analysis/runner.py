"""`analyse(jobs, options)`: every finding family over a whole scan, as one pure function.

Order: duplicates are merged first (what AWS would run is one job per group), then the
per-job rules read each command once (the shell parse is cached), then the timing arrays are
built once for the whole fleet (UTC for `burst` and `self-overlap`, legacy local time for
`chain` and the heatmap), and last every job is redacted so no secret leaves the analysis.

Re-running on jobs that already carry analysis findings (a catalog read back) replaces them:
findings of the families in `rules.RULES` are recomputed, other findings (from sources and
conversion: `dst-drift`, `double-fire` ...) are kept in front.

The UTC timing source is a parameter: by default the legacy schedule shifted by its zone's
offset (`legacy_utc_fires`); the pipeline passes the EventBridge expressions' evaluator so
bursts are counted on exactly what AWS will fire.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from threadpoolctl import threadpool_limits

from migrate.analysis import (
    burst,
    chain,
    hostpath,
    idempotency,
    mailto,
    maintenance,
    near_duplicates,
    network,
    overlap,
    secrets,
)
from migrate.analysis.awstiming import aws_parts
from migrate.analysis.duplicates import merge_duplicates_keyed
from migrate.analysis.occupancy import heatmap, shortest_interval, start_counts
from migrate.analysis.rules import RULES, RULES_BY_CODE, reaches
from migrate.analysis.timing import (
    Fires,
    FloatArray,
    PatternTable,
    ScheduleTable,
    assemble,
    fires_from_schedules,
    legacy_parts,
)
from migrate.model import Finding, Job, Severity
from migrate.schedule.calendar import horizon_window
from migrate.schedule.cron import CronSchedule, CronSyntaxError, parse_cron
from migrate.schedule.zones import UnknownZone, zone_offset

JOB_RULES: tuple[Callable[[Job], list[Finding]], ...] = (
    overlap.check_guard,
    idempotency.check,
    network.check_fixed_ip,
    network.check_localhost,
    hostpath.check,
    maintenance.check,
    mailto.check,
    secrets.check,
)
_ORDER = {r.code: i for i, r in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    horizon: tuple[date, date]
    merge: bool = True  # False: --no-merge
    burst_threshold: int = burst.DEFAULT_THRESHOLD
    busiest: int = 10  # how many busiest minutes the report lists
    chain_window: int = chain.DEFAULT_WINDOW
    dst: str = "standard"  # offset taken for daylight-saving zones without AWS expressions
    redact: bool = True


@dataclass(slots=True)
class Analysis:
    jobs: list[Job]
    options: AnalysisOptions
    busiest: list[burst.BusyMinute] = field(default_factory=list)
    heatmap_local: FloatArray = field(default_factory=lambda: np.zeros((7, 24), np.float32))
    heatmap_utc: FloatArray = field(default_factory=lambda: np.zeros((7, 24), np.float32))

    def findings(self) -> Iterator[tuple[Job, Finding]]:
        for job in self.jobs:
            for f in job.findings:
                yield job, f

    def reaches(self, fail_on: Severity | None) -> bool:
        """`--fail-on`: does any finding reach that severity?"""
        return reaches((f for _, f in self.findings()), fail_on)


UtcFires = Callable[[Sequence[Job], AnalysisOptions], Fires]


def schedule_of(job: Job) -> CronSchedule | None:
    if job.schedule.parsed is not None:
        return job.schedule.parsed
    try:  # a catalog read back carries no parsed value
        return parse_cron(job.schedule.cron)
    except CronSyntaxError:
        return None


def schedule_table(jobs: Sequence[Job]) -> ScheduleTable:
    return ScheduleTable.of([schedule_of(j) if j.active else None for j in jobs])


def utc_fires(
    jobs: Sequence[Job], options: AnalysisOptions, table: ScheduleTable | None = None
) -> Fires:
    """What EventBridge will start, in UTC: each active job's AWS expressions; a job not yet
    converted (no expressions) counts with its legacy schedule moved by the offset the
    converter would take (`zones.zone_offset`: `options.dst` picks it in zones with daylight
    saving); a job in a zone `resolve_zone` rejects has no UTC starts."""
    table = table or schedule_table(jobs)
    patterns = PatternTable(horizon_window(*options.horizon))
    has_aws = np.fromiter((bool(j.schedule.aws) and j.active for j in jobs), bool, len(jobs))
    offsets: dict[str, int | None] = {}
    shifts = np.zeros(len(jobs), dtype=np.int64)
    legacy = ~has_aws
    for i in np.flatnonzero(legacy).tolist():
        zone = jobs[i].schedule.timezone
        if zone not in offsets:
            offsets[zone] = _legacy_offset(zone, options)
        off = offsets[zone]
        if off is None:
            legacy[i] = False
        else:
            shifts[i] = -off
    parts = [
        aws_parts(patterns, [j.schedule.aws for j in jobs], has_aws),
        legacy_parts(patterns, table, shifts, legacy),
    ]
    return assemble(patterns, len(jobs), parts)


def _legacy_offset(zone: str, options: AnalysisOptions) -> int | None:
    try:
        return zone_offset(zone, options.horizon, options.dst)
    except UnknownZone:
        return None


def local_fires(
    jobs: Sequence[Job], options: AnalysisOptions, table: ScheduleTable | None = None
) -> Fires:
    shifts = np.zeros(len(jobs), dtype=np.int64)
    return fires_from_schedules(table or schedule_table(jobs), shifts, options.horizon)


@contextmanager
def fleet_scale() -> Iterator[None]:
    """Run a fleet-sized computation without two costs that dwarf it on a small machine:

    * the cyclic garbage collector: with 100,000 jobs alive each full collection walks
      millions of objects, and nothing here creates reference cycles (measured: the per-job
      rules ran 5-10x faster paused); reference counting still frees everything;
    * multi-threaded BLAS: our matrix products are small, and OpenBLAS's threads fighting
      over two busy cores made one (100,000 x 24)^T (100,000 x 60) product take 0.5-5 s
      instead of 5 ms. One thread is used inside this block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        if was_enabled:
            gc.enable()


def analyse(
    jobs: Sequence[Job], options: AnalysisOptions, utc_fires: UtcFires | None = None
) -> Analysis:
    with fleet_scale():
        return _analyse(jobs, options, utc_fires)


def _analyse(
    jobs: Sequence[Job], options: AnalysisOptions, custom_utc: UtcFires | None
) -> Analysis:
    kept = [_without_analysis_findings(j) for j in jobs]
    merged, keys = merge_duplicates_keyed(kept, options.merge)
    new: list[list[Finding]] = [[] for _ in merged]
    for i, f in near_duplicates.check(merged, keys).items():
        new[i].append(f)
    for i, job in enumerate(merged):
        for rule in JOB_RULES:
            new[i].extend(rule(job))

    table = schedule_table(merged)
    utc = custom_utc(merged, options) if custom_utc else utc_fires(merged, options, table)
    counts_utc = start_counts(utc)
    for i, f in burst.check(utc, counts_utc, options.burst_threshold).items():
        new[i].append(f)
    with_runtime = [i for i, j in enumerate(merged) if overlap.max_runtime(j) is not None]
    if with_runtime:
        gaps = shortest_interval(utc, with_runtime)
        for i in with_runtime:
            new[i].extend(overlap.check_runtime(merged[i], gaps, i))

    local = local_fires(merged, options, table)
    for i, fs in chain.check(merged, local, options.chain_window).items():
        new[i].extend(fs)

    out: list[Job] = []
    for job, found in zip(merged, new, strict=True):
        if found:
            found.sort(key=lambda f: _ORDER[f.code])
            job = replace(job, findings=[*job.findings, *found])
        if options.redact and _may_carry_secret(job, found):
            job = secrets.redact_job(job)
        out.append(job)
    return Analysis(
        jobs=out,
        options=options,
        busiest=burst.busiest_minutes(
            counts_utc, utc.horizon, options.burst_threshold, options.busiest
        ),
        heatmap_local=heatmap(start_counts(local), local.horizon),
        heatmap_utc=heatmap(counts_utc, utc.horizon),
    )


def _may_carry_secret(job: Job, found: list[Finding]) -> bool:
    """The `secret` rule read the command, stdin, env and source lines; findings that came
    with the job (from sources or conversion) are read here."""
    if any(f.code == "secret" for f in found):
        return True
    return any(secrets.find_secrets(f.evidence) or secrets.find_secrets(f.message)
               for f in job.findings if f.code not in RULES_BY_CODE)


def _without_analysis_findings(job: Job) -> Job:
    if not any(f.code in RULES_BY_CODE for f in job.findings):
        return job
    return replace(job, findings=[f for f in job.findings if f.code not in RULES_BY_CODE])
