"""Which jobs the run guard wraps, with which options, and how they chain.

Pure: `select_guarded(jobs, settings, catalog_path)` -> `Selection`.

Per job, the catalog's `overrides` may say:

* `guard: on | off` (YAML `on`/`off` read as true/false are accepted too): wrap this job,
  or never wrap it, whatever the environment's mode;
* `overlap: skip | allow`: with `skip`, a run that finds the previous one still running is
  skipped and recorded. It needs the job's `max_runtime` (the lease lasts that long at
  most). Default: `skip` when the job has a `self-overlap` finding and a `max_runtime`,
  otherwise `allow`;
* `after: <job id>`: run as the next step of that job's execution, only when it succeeded.
  The chain's first job keeps its schedule; later jobs get no rule of their own.

The environment's `guard.mode` picks the rest: `stepfunctions` wraps every deployed job,
`findings` only jobs with an `at-least-once`, `self-overlap` or `chain` finding, jobs with
`guard: on`, and every member of a chain.

Bad input raises `GuardError` naming the catalog and the job: `after:` naming an unknown,
inactive or undeployable job or the job itself, a cycle, two jobs after the same job (a
chain is one line), a chain across legacy hosts (environments) or time zones, `guard: off`
on a chain member, `overlap: skip` without `max_runtime`, or with one so long that a run
could hold the lease beyond its time to live (table.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrate.analysis.codes.risk import AT_LEAST_ONCE, CHAIN, SELF_OVERLAP
from migrate.analysis.overlap import parse_duration
from migrate.aws.guard.settings import GuardSettings, backoff_waits
from migrate.aws.guard.table import MIN_RETENTION
from migrate.errors import MigrateError
from migrate.model import Job

GUARD_KEYS = ("guard", "overlap", "after")
GUARD_CODES = (AT_LEAST_ONCE.code, SELF_OVERLAP.code, CHAIN.code)
OVERLAP = ("skip", "allow")


class GuardError(MigrateError, ValueError):
    """The catalog's guard options cannot be deployed; the message names the job."""


@dataclass(frozen=True, slots=True)
class JobGuard:
    job_id: str
    overlap: str  # skip | allow
    max_runtime: int  # seconds
    after: str | None  # predecessor's job id
    resolves: tuple[str, ...]  # the job's findings this guard answers


@dataclass(frozen=True, slots=True)
class Selection:
    guarded: Mapping[str, JobGuard] = field(default_factory=dict)  # job id -> options
    chains: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # head -> followers
    followers: Mapping[str, str] = field(default_factory=dict)  # job id -> chain head

    def is_follower(self, job_id: str) -> bool:
        return job_id in self.followers


def _where(path: str, job: Job) -> str:
    return f"{path}: job {job.name} (id {job.id})"


def _raw(job: Job) -> Mapping[str, Any]:
    raw = job.extra.get("overrides")
    return raw if isinstance(raw, Mapping) else {}


def _switch(v: Any, where: str) -> bool | None:
    if v is None:
        return None
    if v in (True, "on"):
        return True
    if v in (False, "off"):
        return False
    raise GuardError(f"{where}: overrides.guard: expected on or off, got {v!r}")


def lease_hold(settings: GuardSettings, runtime: int) -> int:
    """Seconds a run may hold its job's lease at most (asl.py): every attempt up to
    `runtime` (`Run`'s TimeoutSecondsPath) after up to the whole backoff of ECS API-error
    retries (`Run`'s Retry), and the backoff waits between failed-to-start attempts."""
    waits = sum(backoff_waits(settings.retry_attempts, settings.retry_interval,
                              settings.backoff_rate))
    return (settings.retry_attempts + 1) * (runtime + waits) + waits


def _deployable(job: Job) -> bool:
    return job.active and bool(job.schedule.aws)


def select_guarded(jobs: Sequence[Job], settings: GuardSettings | None,
                   catalog_path: str = "catalog.yaml") -> Selection:
    by_id = {j.id: j for j in jobs}
    after: dict[str, str] = {}
    for job in jobs:
        raw = _raw(job)
        pred = raw.get("after")
        if pred is None or not job.active:
            continue
        where = _where(catalog_path, job)
        if not isinstance(pred, str) or not pred:
            raise GuardError(f"{where}: overrides.after: expected a job id, got {pred!r}")
        other = by_id.get(pred)
        if other is None:
            raise GuardError(f"{where}: overrides.after: no job with id {pred!r} in the catalog")
        if other.id == job.id:
            raise GuardError(f"{where}: overrides.after: a job cannot run after itself")
        if not other.active:
            raise GuardError(f"{where}: overrides.after: job {other.name} (id {pred}) is "
                             "inactive (active: false); a chain needs every step deployed")
        if other.schedule.timezone != job.schedule.timezone:
            raise GuardError(f"{where}: overrides.after: job {other.name} runs in "
                             f"{other.schedule.timezone}, this job in "
                             f"{job.schedule.timezone}; a chain stays in one time zone")
        if other.source.host != job.source.host:
            raise GuardError(f"{where}: overrides.after: job {other.name} ran on host "
                             f"{other.source.host or '(none)'}, this job on "
                             f"{job.source.host or '(none)'}; a chain stays in one environment")
        if _switch(raw.get("guard"), where) is False:
            raise GuardError(f"{where}: overrides.guard: off, but the job runs after "
                             f"{other.name}; chained jobs always run guarded")
        after[job.id] = pred
    successor: dict[str, str] = {}
    for job_id, pred in after.items():
        if pred in successor:
            a, b = by_id[successor[pred]], by_id[job_id]
            raise GuardError(f"{_where(catalog_path, b)}: overrides.after: job {a.name} (id "
                             f"{a.id}) already runs after {by_id[pred].name}; a chain is one "
                             "line (give one of them its own schedule or chain it after the "
                             "other)")
        successor[pred] = job_id
    heads: dict[str, tuple[str, ...]] = {}
    followers: dict[str, str] = {}
    for job_id in after:
        seen = [job_id]
        cur = job_id
        while cur in after:
            cur = after[cur]
            if cur in seen:
                cycle = " -> ".join(by_id[x].name for x in [*seen, cur])
                raise GuardError(f"{_where(catalog_path, by_id[job_id])}: overrides.after: "
                                 f"a cycle ({cycle})")
            seen.append(cur)
        first = by_id[cur]
        if not _deployable(first):
            raise GuardError(f"{_where(catalog_path, by_id[job_id])}: overrides.after: the "
                             f"chain's first job {first.name} has no AWS schedule to start it")
        followers[job_id] = cur
    for head in sorted(set(followers.values())):
        chain: list[str] = []
        cur = head
        while cur in successor:
            cur = successor[cur]
            chain.append(cur)
        heads[head] = tuple(chain)

    guarded: dict[str, JobGuard] = {}
    if settings is None:
        if after:
            job = by_id[next(iter(after))]
            raise GuardError(f"{_where(catalog_path, job)}: overrides.after needs the run "
                             "guard: set guard: stepfunctions or findings for the environment "
                             "in migrate.yaml")
        return Selection()
    members = set(followers) | set(heads)
    for job in jobs:
        if not job.active or (job.id not in members and not _deployable(job)):
            continue
        where = _where(catalog_path, job)
        raw = _raw(job)
        switch = _switch(raw.get("guard"), where)
        codes = {f.code for f in job.findings} & set(GUARD_CODES)
        wanted = job.id in members or switch is True or (
            switch is None and (settings.mode == "stepfunctions" or bool(codes)))
        if switch is False and job.id in members:
            raise GuardError(f"{where}: overrides.guard: off, but jobs run after it; "
                             "chained jobs always run guarded")
        if not wanted:
            continue
        minutes = parse_duration(job.extra.get("max_runtime"))
        overlap = raw.get("overlap")
        if overlap is None:
            overlap = "skip" if SELF_OVERLAP.code in codes and minutes is not None else "allow"
        if overlap not in OVERLAP:
            raise GuardError(f"{where}: overrides.overlap: expected skip or allow, got "
                             f"{overlap!r}")
        if overlap == "skip" and minutes is None:
            raise GuardError(f"{where}: overrides.overlap: skip needs the job's max_runtime "
                             "(how long a run may hold the lease), e.g. max_runtime: 45m")
        runtime = minutes * 60 if minutes is not None else settings.max_runtime
        hold = lease_hold(settings, runtime)
        if overlap == "skip" and hold > MIN_RETENTION.total_seconds():
            raise GuardError(
                f"{where}: max_runtime {minutes}m: with {settings.retry_attempts} retries of a "
                f"task that failed to start, a run may hold its lease {hold // 3600} hours, "
                f"longer than the lease's time to live ({MIN_RETENTION.days} days, "
                "aws/guard/table.py); lower max_runtime or the retry attempts")
        resolves = [AT_LEAST_ONCE.code]
        if overlap == "skip":
            resolves.append(SELF_OVERLAP.code)
        if job.id in members:
            resolves.append(CHAIN.code)
        guarded[job.id] = JobGuard(
            job.id, overlap, runtime,
            after.get(job.id), tuple(c for c in GUARD_CODES if c in resolves and c in codes))
    return Selection(guarded, heads, followers)
