"""The cut-over record, `migrate:cutover-at` = the UTC time `migrate cutover` enabled a job's
rules and schedules (`aws/cutover.py` writes it, rollback removes it), and how `plan` keeps
it.

Where it lives: on a rule, as a record tag (`state.RECORD_TAGS`, `RuleState.records`); on a
schedule, as one of the target's task tags (`EcsParameters.Tags`, `ScheduleState.records`;
schedule_state.py says why not a tag or a StartDate). Neither is compared by `plan`.

Cut over is a property of the job: once any owned rule or schedule of a job carries the
record, `keep_cut_over` makes every desired rule and schedule of that job ENABLED with the
record, so that `migrate apply` in a shadow-mode (`state: DISABLED`) environment neither
disables a cut-over job nor leaves a new expression of it, or its new home after moving
between rules and Scheduler, disabled while its legacy lines are commented out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TypeVar

from migrate.aws.resources import Resource
from migrate.aws.schedule_state import ScheduleState
from migrate.aws.state import TAG_CUTOVER_AT, RuleState

Deployed = RuleState | ScheduleState
D = TypeVar("D", RuleState, ScheduleState)


def cutover_at(resource: Deployed) -> str | None:
    return resource.tag(TAG_CUTOVER_AT)


def is_cut_over(resource: Deployed) -> bool:
    """ENABLED and recorded: `migrate cutover` has nothing left to do for it."""
    return resource.state == "ENABLED" and cutover_at(resource) is not None


def is_rolled_back(resource: Deployed) -> bool:
    return resource.state == "DISABLED" and cutover_at(resource) is None


def marked(resource: D, at: str | None) -> D:
    """`resource` cut over at `at` (ENABLED, recorded), or rolled back (`at` None: DISABLED,
    the record removed); its other records stay."""
    records: tuple[tuple[str, str], ...] = tuple(
        kv for kv in resource.records if kv[0] != TAG_CUTOVER_AT)
    if at is None:
        return replace(resource, state="DISABLED", records=records)
    return replace(resource, state="ENABLED",
                   records=tuple(sorted((*records, (TAG_CUTOVER_AT, at)))))


def cut_over_jobs(live: Iterable[Resource]) -> dict[str, str]:
    """job id -> its earliest cut-over record, over the owned live rules and schedules."""
    out: dict[str, str] = {}
    for r in live:
        if isinstance(r, RuleState | ScheduleState) and r.job_id:
            at = cutover_at(r)
            if at is not None and (r.job_id not in out or at < out[r.job_id]):
                out[r.job_id] = at
    return out


def keep_cut_over(desired: Resource, mine: Resource | None, jobs: Mapping[str, str]
                  ) -> Resource:
    """`desired` as apply must write it: marked cut over when its job is (`jobs`, from
    `cut_over_jobs`), with its own live record when it has one (so nothing differs)."""
    if not isinstance(desired, RuleState | ScheduleState) or desired.job_id not in jobs:
        return desired
    own = cutover_at(mine) if isinstance(mine, RuleState | ScheduleState) else None
    at = own or jobs[desired.job_id]
    return marked(desired, at) if isinstance(desired, RuleState) else marked(desired, at)
