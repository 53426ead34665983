"""The AWS half of a cut-over: find the owned rules and schedules of the chosen jobs, enable
them and record `migrate:cutover-at` (cut-over), or disable them and drop the record
(rollback).

Only what migrate owns for the environment is touched, applied from the same catalog: rules
tagged ours (`live.is_owned`) with this `migrate:catalog-digest`; schedules in the
environment's schedule group when the group is tagged ours with this digest (Scheduler tags
groups, not schedules). A job normally has rules or schedules; after an interrupted move
between the two it has both, and both are switched. The record (`cutover_record.py`) is a
record tag on a rule (`tag_resource` / `untag_resource`) and a task tag of a schedule's
target; `migrate apply` keeps it and keeps a cut-over job ENABLED in a shadow-mode
(`state: DISABLED`) environment (`plan.make_plan`).

A schedule is switched with one `UpdateSchedule`, which "uses all values, including empty
values, specified in the request and overrides the existing schedule" (Scheduler API
reference): the schedule is read again (`GetSchedule`) and sent back whole, every member of
UpdateSchedule's input taken from it (botocore's model), with only `State` and the record
changed. A `StartDate` already past is left out (it restricts nothing any more, and Scheduler
refuses one "earlier than 5 minutes ago"). Each body is checked against the model before it
is sent (`requests.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from migrate.aws.calls import applied_at
from migrate.aws.clients import AwsError, Backoff, call, friendly
from migrate.aws.config import Environment
from migrate.aws.cutover_record import Deployed, cutover_at, is_cut_over, is_rolled_back
from migrate.aws.live import read_live, read_schedules
from migrate.aws.requests import request_problems, service_model
from migrate.aws.schedule_state import (
    ScheduleGroupState,
    ScheduleState,
    split_records,
    with_records,
)
from migrate.aws.schedules import group_name
from migrate.aws.state import TAG_CUTOVER_AT, TAG_DIGEST, RuleState

__all__ = ["Deployed", "NotDeployed", "is_cut_over", "is_rolled_back", "job_resources",
           "set_cutover", "update_params"]


class NotDeployed(AwsError):
    """A chosen job has no owned rule or schedule in the environment, or one from another
    catalog."""


def job_resources(events: Any, scheduler: Any, env: Environment, job_ids: Collection[str],
                  digest: str, backoff: Backoff, workers: int = 8
                  ) -> dict[str, list[Deployed]]:
    """The owned rules and schedules of each job (rules first, by name), checked: every job
    has at least one, all applied from the catalog of `digest`. Read-only."""
    live = read_live(events, env, (), backoff, workers)
    mine, _, _ = read_schedules(scheduler, env, group_name(env.rule_prefix, env.name),
                                backoff, workers)
    found: dict[str, list[Deployed]] = {j: [] for j in job_ids}
    for r in [*live.owned.values(), *mine]:
        if isinstance(r, RuleState | ScheduleState) and r.job_id in found:
            found[r.job_id].append(r)
    missing = sorted(j for j, rs in found.items() if not rs)
    if missing:
        raise NotDeployed(
            f"environment {env.name}: not deployed: {', '.join(missing)} (no rule or schedule "
            f"migrate owns for it); run `migrate apply --env {env.name}` first (in shadow "
            "mode, state: DISABLED, the rules and schedules exist without firing)")
    group = next((g for g in mine if isinstance(g, ScheduleGroupState)), None)
    group_digest = group.tag(TAG_DIGEST) if group is not None else None
    stale = sorted({r.name for rs in found.values() for r in rs
                    if (r.tag(TAG_DIGEST) if isinstance(r, RuleState) else group_digest)
                    != digest})
    if stale:
        raise NotDeployed(
            f"environment {env.name}: {', '.join(stale)} applied from another catalog "
            f"(migrate:catalog-digest of the rule or schedule group differs); run `migrate "
            f"apply --env {env.name}` with this catalog first")
    return {j: sorted(rs, key=lambda r: (r.kind, r.name)) for j, rs in found.items()}


def set_cutover(events: Any, scheduler: Any, env: Environment, resources: Sequence[Deployed],
                enable: bool, now: datetime, backoff: Backoff) -> int:
    """Enable and record (or disable and unrecord) each rule and schedule not already so;
    returns the calls that changed something."""
    calls = 0
    for r in resources:
        if is_cut_over(r) if enable else is_rolled_back(r):
            continue
        where = f"environment {env.name}: {r.kind} {r.name}"
        try:
            if isinstance(r, ScheduleState):
                calls += _set_schedule(scheduler, env, r, enable, now, backoff)
            else:
                calls += _set_rule(events, r, enable, now, backoff)
        except Exception as exc:
            raise friendly(exc, where) from None
    return calls


def _set_rule(events: Any, rule: RuleState, enable: bool, now: datetime,
              backoff: Backoff) -> int:
    calls = 0
    if rule.state != ("ENABLED" if enable else "DISABLED"):
        call(events, "enable_rule" if enable else "disable_rule", {"Name": rule.name}, backoff)
        calls += 1
    if enable:
        call(events, "tag_resource", _tags(rule, {TAG_CUTOVER_AT: applied_at(now)}), backoff)
        calls += 1
    elif cutover_at(rule) is not None:
        call(events, "untag_resource", {"ResourceARN": rule.arn or "",
                                        "TagKeys": [TAG_CUTOVER_AT]}, backoff)
        calls += 1
    return calls


def _set_schedule(scheduler: Any, env: Environment, schedule: ScheduleState, enable: bool,
                  now: datetime, backoff: Backoff) -> int:
    current = call(scheduler, "get_schedule", {"Name": schedule.name,
                                               "GroupName": schedule.group}, backoff)
    params = update_params(current, enable, now)
    problems = request_problems("update_schedule", params, env.region, "scheduler")
    if problems:
        raise AwsError(f"environment {env.name}: schedule {schedule.name}: UpdateSchedule "
                       f"would be refused: {'; '.join(problems)}; nothing sent")
    call(scheduler, "update_schedule", params, backoff)
    return 1


def update_params(current: Mapping[str, Any], enable: bool, now: datetime) -> dict[str, Any]:
    """The `UpdateSchedule` body that cuts over (or rolls back) the schedule `current` (a
    `GetSchedule` response): the whole schedule, only `State` and the record changed."""
    members = service_model("scheduler").operation_model("UpdateSchedule").input_shape.members
    params = {k: v for k, v in current.items() if k in members and v is not None}
    params.pop("ClientToken", None)
    start = params.get("StartDate")
    if isinstance(start, datetime) and start.astimezone(UTC) <= now.astimezone(UTC):
        del params["StartDate"]  # past: restricts nothing; Scheduler refuses it (see above)
    params["State"] = "ENABLED" if enable else "DISABLED"
    _, kept = split_records(current["Target"])
    records = {k: v for k, v in kept if k != TAG_CUTOVER_AT}
    if enable:
        records[TAG_CUTOVER_AT] = applied_at(now)
    params["Target"] = with_records(current["Target"], records)
    return params


def _tags(rule: RuleState, tags: Mapping[str, str]) -> dict[str, Any]:
    return {"ResourceARN": rule.arn or "",
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}
