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

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from migrate.analysis import (
    burst,
    chain,
    hostpath,
    idempotency,
    mailto,
    maintenance,
    network,
    overlap,
    secrets,
)
from migrate.analysis.duplicates import merge_duplicates
from migrate.analysis.rules import RULES, RULES_BY_CODE, reaches
from migrate.analysis.timing import (
    Fires,
    FloatArray,
    fires_from_schedules,
    heatmap,
    shortest_interval,
    start_counts,
    zone_offset_minutes,
)
from migrate.model import Finding, Job, Severity
from migrate.schedule.cron import CronSchedule, CronSyntaxError, parse_cron

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

    def count_by_code(self) -> dict[str, int]:
        return dict(Counter(f.code for _, f in self.findings()))

    def count_by_severity(self) -> dict[str, int]:
        return dict(Counter(f.severity for _, f in self.findings()))

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


def legacy_utc_fires(jobs: Sequence[Job], options: AnalysisOptions) -> Fires:
    """UTC components from each job's legacy schedule moved by its zone's offset."""
    offsets: dict[str, int | None] = {}
    schedules: list[CronSchedule | None] = []
    shifts: list[int] = []
    for job in jobs:
        zone = job.schedule.timezone
        if zone not in offsets:
            offsets[zone] = zone_offset_minutes(zone, options.horizon[0], options.dst)
        off = offsets[zone]
        schedules.append(schedule_of(job) if off is not None and job.active else None)
        shifts.append(-(off or 0))
    return fires_from_schedules(schedules, shifts, options.horizon)


def local_fires(jobs: Sequence[Job], options: AnalysisOptions) -> Fires:
    schedules = [schedule_of(j) if j.active else None for j in jobs]
    return fires_from_schedules(schedules, [0] * len(jobs), options.horizon)


def analyse(
    jobs: Sequence[Job], options: AnalysisOptions, utc_fires: UtcFires | None = None
) -> Analysis:
    kept = [_without_analysis_findings(j) for j in jobs]
    merged = merge_duplicates(kept, options.merge)
    new: list[list[Finding]] = [[] for _ in merged]
    for i, job in enumerate(merged):
        for rule in JOB_RULES:
            new[i].extend(rule(job))

    utc = (utc_fires or legacy_utc_fires)(merged, options)
    counts_utc = start_counts(utc)
    for i, f in burst.check(utc, counts_utc, options.burst_threshold).items():
        new[i].append(f)
    with_runtime = [i for i, j in enumerate(merged) if overlap.max_runtime(j) is not None]
    if with_runtime:
        gaps = shortest_interval(utc, with_runtime)
        for i in with_runtime:
            new[i].extend(overlap.check_runtime(merged[i], gaps, i))

    local = local_fires(merged, options)
    for i, fs in chain.check(merged, local, options.chain_window).items():
        new[i].extend(fs)

    out: list[Job] = []
    for job, found in zip(merged, new, strict=True):
        if found:
            found.sort(key=lambda f: _ORDER[f.code])
            job = replace(job, findings=[*job.findings, *found])
        out.append(secrets.redact_job(job) if options.redact else job)
    return Analysis(
        jobs=out,
        options=options,
        busiest=burst.busiest_minutes(
            counts_utc, utc.calendar, options.burst_threshold, options.busiest
        ),
        heatmap_local=heatmap(start_counts(local), local.calendar),
        heatmap_utc=heatmap(counts_utc, utc.calendar),
    )


def _without_analysis_findings(job: Job) -> Job:
    if not any(f.code in RULES_BY_CODE for f in job.findings):
        return job
    return replace(job, findings=[f for f in job.findings if f.code not in RULES_BY_CODE])
