"""Where the run guard meets the desired state (desired.py): pure helpers, so desired.py only
asks "is this job guarded, and what is its target then".

* `follower_reason`: why a chained job gets no rule or schedule of its own;
* `wrap`: the target of a guarded job (its ECS target replaced by the state machine with the
  job's and its successors' RunTask parameters in the input), refused when the input would
  be over EventBridge's InputTemplate limit;
* `scheduler_form`: the same target for a job deployed as Scheduler schedules (DST zones,
  aws/schedules.py): Scheduler's templated target for Step Functions `StartExecution` takes
  a plain `Input` in which Scheduler replaces the context attribute
  `<aws.scheduler.scheduled-time>` (Scheduler User Guide, "Adding context attributes"), so
  the input carries the schedule's scheduled time where a rule's carries the event's `time`;
* `guard_lines`: one line per guarded job for the plan (options, findings resolved, chain).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from migrate.aws.guard.notes import JobNote
from migrate.aws.guard.payload import dump_input, render_template
from migrate.aws.guard.select import Selection
from migrate.aws.guard.settings import GuardSettings
from migrate.aws.guard.target import MAX_TEMPLATE, guarded_target, template_size
from migrate.aws.names import DesiredStateError
from migrate.model import Job

SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"
CHAINED = "runs in the chain of "  # a follower's reason (aws/run.py reads it)


def follower_reason(job: Job, guard: Selection, by_id: Mapping[str, Job]) -> str:
    head = by_id[guard.followers[job.id]]
    return (f"{job.name}: {CHAINED}{head.name} (after: "
            f"{guard.guarded[job.id].after}), started by its run guard; no rule or schedule "
            "of its own")


def wrap(job: Job, ecs_target: Mapping[str, Any], guard: Selection, settings: GuardSettings,
         cluster_arn: str, target_of: Callable[[Job], Mapping[str, Any]],
         by_id: Mapping[str, Job], where: str) -> dict[str, Any]:
    """The guarded rule target of `job` (head of its chain, if any); `target_of` builds the
    ECS target of a successor with the very code that built `ecs_target`."""
    chain = [(guard.guarded[job.id], ecs_target)] + [
        (guard.guarded[f], target_of(by_id[f])) for f in guard.chains.get(job.id, ())]
    tgt = guarded_target(chain, settings, cluster_arn)
    if template_size(tgt) > MAX_TEMPLATE:
        raise DesiredStateError(
            f"{where}: the run guard's input is {template_size(tgt)} bytes, more than "
            f"EventBridge's {MAX_TEMPLATE} for an InputTemplate (shorten the chain, the "
            "commands or their environment)")
    return tgt


def scheduler_form(rule_target: Mapping[str, Any]) -> dict[str, Any]:
    """A guarded rule target -> the target to give `schedules.job_schedules` (which drops
    `Id` and sets the role): `Input` with Scheduler's scheduled-time attribute in place of
    the input transformer's `<time>`. The role stays the guard's start role (it trusts
    Scheduler too, aws/guard/deploy.py)."""
    out = {k: v for k, v in rule_target.items() if k != "InputTransformer"}
    body = render_template(rule_target["InputTransformer"], {"time": SCHEDULED_TIME})
    out["Input"] = dump_input(body, SCHEDULED_TIME)
    return out


def guard_lines(by_id: Mapping[str, Job], guard: Selection) -> tuple[str, ...]:
    names = {k: j.name for k, j in by_id.items()}
    return tuple(
        f"{by_id[i].name} (id {i}): " + JobNote(g.overlap, g.max_runtime, g.resolves, g.after,
                                                guard.chains.get(i, ())).text(names)
        for i, g in guard.guarded.items())


def scheduled_input(target_input: str, scheduled_time: str) -> dict[str, Any]:
    """The execution input Scheduler starts for a guarded schedule's `Input` at
    `scheduled_time` (its context attribute replaced; for tests and reasoning)."""
    body: dict[str, Any] = json.loads(
        target_input.replace(json.dumps(SCHEDULED_TIME), json.dumps(scheduled_time)))
    return body
