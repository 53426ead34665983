"""`migrate run JOB --env NAME [--wait]`: start a job now, exactly as its schedule would.

The job's target is the one its first rule or EventBridge Scheduler schedule has in the
account (`deployed_target`): a rule or schedule migrate owns for the environment (a rule by
its tags, a schedule by its group's tags; the plan's reading, so what `migrate plan` calls
ours), in sync with the catalog or not. Then, by target:

* an ECS target: `RunTask` derived from it (`run_task_request`): the target's
  `EcsParameters` (task definition, count, launch type or capacity providers, platform
  version, network, group, tags, tag propagation) and its `Input` (the container overrides)
  map one to one onto RunTask's parameters, with `startedBy: migrate-run`. A schedule's
  target has the same members (`ecs_target` turns Scheduler's task-tag form into
  EventBridge's; its record task tags, e.g. `migrate:cutover-at`, are sent as the schedule
  sends them). Desired and live are built by the same code (`desired.target`), so a target
  in sync runs the same task. An EcsParameters key this module does not know is an error,
  never dropped;
* the run guard's state machine (a guarded job): an execution with the input the rule or
  schedule sends, the scheduled time being now (aws/guard/manual.py), so exactly-once,
  the overlap lease, retries and alerts apply to the manual run; a chained job (`after:`)
  runs from its step of its chain's input.

Refused: a job that is not in the catalog, inactive, without AWS expressions, with a
command still `REDACTED`, without its rule or schedule in the environment (apply first), or
whose rule or schedule there is not migrate's. Nothing is started then.

`wait_for_task` polls `DescribeTasks` until the task is STOPPED and returns the overridden
container's exit code; a task that failed to start, or whose container has no exit code,
gives `TaskOutcome.exit_code` None and the stop code and reason. A guarded run is waited for
by `guard.manual.wait_for_execution`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from migrate.aws.clients import AwsError, Backoff, call, friendly
from migrate.aws.config import Environment
from migrate.aws.guard.manual import (
    chain_jobs,
    execution_name,
    guard_input,
    is_guard_target,
    scheduled_time,
    start_execution,
    step_input,
)
from migrate.aws.guard.wrap import CHAINED
from migrate.aws.plan import Change, Plan
from migrate.aws.schedule_state import ScheduleState
from migrate.aws.state import RuleState
from migrate.aws.workflow import Connection, build_plan
from migrate.model import Job

STARTED_BY = "migrate-run"  # ECS startedBy: letters, digits, - / _ (128)

_SCALARS = {
    "TaskDefinitionArn": "taskDefinition",
    "TaskCount": "count",
    "LaunchType": "launchType",
    "PlatformVersion": "platformVersion",
    "Group": "group",
    "PropagateTags": "propagateTags",
    "EnableECSManagedTags": "enableECSManagedTags",
    "EnableExecuteCommand": "enableExecuteCommand",
    "ReferenceId": "referenceId",
}
_VPC = {"Subnets": "subnets", "SecurityGroups": "securityGroups",
        "AssignPublicIp": "assignPublicIp"}


class RunRefused(AwsError):
    """The job cannot be run in this environment; the message says why."""


def run_task_request(target: Mapping[str, Any], started_by: str = STARTED_BY) -> dict[str, Any]:
    """RunTask parameters equal to what EventBridge sends for this ECS target."""
    ecs = dict(target["EcsParameters"])
    req: dict[str, Any] = {"cluster": target["Arn"], "startedBy": started_by}
    for key, value in ecs.items():
        if key in _SCALARS:
            req[_SCALARS[key]] = value
        elif key == "CapacityProviderStrategy":
            req["capacityProviderStrategy"] = [dict(x) for x in value]
        elif key == "NetworkConfiguration":
            vpc = value["awsvpcConfiguration"]
            req["networkConfiguration"] = {"awsvpcConfiguration": {
                _VPC[k]: v for k, v in vpc.items()}}
        elif key == "Tags":
            req["tags"] = [{"key": t["Key"], "value": t["Value"]} for t in value]
        elif key in ("PlacementConstraints", "PlacementStrategy"):
            req[key[0].lower() + key[1:]] = [dict(x) for x in value]
        else:
            raise AwsError(f"EcsParameters.{key}: not known to `migrate run` (cannot start "
                           "the task exactly as the rule would)")
    if "Input" in target:
        req["overrides"] = json.loads(target["Input"])
    return req


def find_job(jobs: Sequence[Job], ref: str, catalog_path: str) -> Job:
    by_id = [j for j in jobs if j.id == ref]
    found = by_id or [j for j in jobs if j.name == ref]
    if not found:
        raise RunRefused(f"{catalog_path}: no job with id or name {ref!r}")
    if len(found) > 1:
        ids = ", ".join(j.id for j in found)
        raise RunRefused(f"{catalog_path}: {len(found)} jobs are named {ref!r} ({ids}); "
                         "pass the job id")
    return found[0]


@dataclass(frozen=True, slots=True)
class Deployed:
    """What the schedule of a job starts: the target of its (first) rule or schedule as it
    is in the account, and for a chained job the job whose target starts the chain."""

    kind: str  # rule | schedule
    name: str  # the rule's name, `group/name` of a schedule
    target: dict[str, Any]  # as the service sends it (a schedule's record task tags in)
    head: str = ""  # the chain's first job (`after:`), when not the job itself

    @property
    def guarded(self) -> bool:
        return is_guard_target(self.target)


def _live(plan: Plan) -> list[tuple[Change, Deployed]]:
    """Every owned rule and schedule the plan found in the account (ours, in sync or not)."""
    out: list[tuple[Change, Deployed]] = []
    for c in plan.changes:
        if c.action not in ("unchanged", "update") or c.adopt:
            continue
        if isinstance(c.live, RuleState):
            targets = [t for t in c.live.target_dicts()
                       if "EcsParameters" in t or is_guard_target(t)]
            out.append((c, Deployed("rule", c.live.name, targets[0] if targets else {})))
        elif isinstance(c.live, ScheduleState):
            out.append((c, Deployed("schedule", f"{c.live.group}/{c.live.name}",
                                    c.live.params()["Target"])))
    return sorted(out, key=lambda x: (x[1].kind, x[1].name))


def _chain_head(live: list[tuple[Change, Deployed]], job: Job) -> Deployed | None:
    """The guarded target whose chain runs `job` after its head (`after:`)."""
    for _, d in live:
        if d.guarded:
            jobs = chain_jobs(guard_input(d.target, ""))
            if job.id in jobs[1:]:
                return replace(d, head=jobs[0])
    return None


def deployed_target(plan: Plan, job: Job) -> Deployed:
    """The target of the job's (first) rule or schedule, owned by migrate for this
    environment; refused when the job is not deployed there."""
    env = plan.environment
    live = _live(plan)
    mine = [d for c, d in live if c.job_id == job.id]
    if mine and not mine[0].target:
        raise RunRefused(f"{mine[0].kind} {mine[0].name} in {env} has neither an ECS target "
                         "nor the run guard's")
    if mine:
        return mine[0]
    head = _chain_head(live, job)
    if head is not None:
        return head
    for reason in plan.skipped:
        if reason.startswith(f"{job.name}: "):
            why = reason.split(": ", 1)[1]
            if why.startswith(CHAINED):  # its head is not deployed (yet)
                raise RunRefused(f"job {job.name} (id {job.id}) {why.split(',')[0]}, whose "
                                 f"first job has no rule or schedule in environment {env}: "
                                 f"run `migrate apply --env {env}` first")
            raise RunRefused(f"job {job.name} (id {job.id}) is not deployed in {env}: "
                             f"{reason.split(': ', 1)[1]}")
    ours = [c for c in plan.changes if c.job_id == job.id and c.kind in ("rule", "schedule")]
    foreign = [c for c in ours if c.action == "conflict"]
    if foreign:
        raise RunRefused(f"job {job.name} (id {job.id}): its {foreign[0].kind} "
                         f"{foreign[0].name} in {env} is not managed by migrate for this "
                         "environment; migrate runs only what it owns")
    what = "schedule" if any(c.kind == "schedule" for c in ours) else "rule"
    raise RunRefused(f"job {job.name} (id {job.id}) has no {what} in environment {env}: "
                     f"run `migrate apply --env {env}` first")


def rule_form(schedule_target: Mapping[str, Any]) -> dict[str, Any]:
    """A Scheduler ECS target in EventBridge's form: its task tags as `{Key, Value}`
    (Scheduler's TagList is a list of one-entry maps, botocore's model); every other member
    is named as EventBridge's."""
    ecs = dict(schedule_target["EcsParameters"])
    if "Tags" in ecs:
        ecs["Tags"] = [{"Key": k, "Value": v} for t in ecs["Tags"] for k, v in t.items()]
    return {**schedule_target, "EcsParameters": ecs}


def start_task(ecs: Any, request: Mapping[str, Any], backoff: Backoff) -> str:
    try:
        out = call(ecs, "run_task", request, backoff)
    except Exception as exc:
        raise friendly(exc, "RunTask") from None
    failures = out.get("failures") or []
    tasks = out.get("tasks") or []
    if failures or not tasks:
        f = failures[0] if failures else {}
        raise AwsError(f"RunTask started no task: {f.get('reason', 'no reason given')} "
                       f"{f.get('detail', '')}".rstrip())
    return str(tasks[0]["taskArn"])


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    task_arn: str
    exit_code: int | None  # the overridden container's; None: no exit code
    stop_code: str
    reason: str

    @property
    def cli_exit(self) -> int:
        return 2 if self.exit_code is None else self.exit_code


def wait_for_task(ecs: Any, cluster: str, task_arn: str, container: str, backoff: Backoff,
                  interval: float = 6.0, sleep: Callable[[float], None] = time.sleep
                  ) -> TaskOutcome:
    while True:
        try:
            out = call(ecs, "describe_tasks", {"cluster": cluster, "tasks": [task_arn]},
                       backoff)
        except Exception as exc:
            raise friendly(exc, f"DescribeTasks {task_arn}") from None
        tasks = out.get("tasks") or []
        if not tasks:
            raise AwsError(f"task {task_arn} is no longer known to ECS")
        task = tasks[0]
        if task.get("lastStatus") == "STOPPED":
            mine = [c for c in task.get("containers", []) if c.get("name") == container]
            code = mine[0].get("exitCode") if mine else None
            stop = str(task.get("stopCode") or "")
            if stop == "TaskFailedToStart":
                code = None
            return TaskOutcome(task_arn, code if isinstance(code, int) else None, stop,
                               str(task.get("stoppedReason") or ""))
        sleep(interval)


@dataclass(frozen=True, slots=True)
class Started:
    job: Job
    task_arn: str
    cluster: str
    request: dict[str, Any]
    source: str  # "rule NAME" / "schedule GROUP/NAME"


@dataclass(frozen=True, slots=True)
class GuardStarted:
    """An execution of the run guard, started as the job's rule or schedule would."""

    job: Job
    execution_arn: str
    machine_arn: str
    time: str  # the scheduled time it runs for (now, to the minute)
    input: dict[str, Any]
    source: str  # "rule NAME" / "schedule GROUP/NAME"


def locate_job(conn: Connection, env: Environment, jobs: Sequence[Job], digest: str,
               catalog_path: str, ref: str) -> tuple[Job, Deployed]:
    """The job `ref` names and what its rule or schedule starts; refused (`RunRefused`)
    when it cannot be run in `env`. Reads only."""
    job = find_job(jobs, ref, catalog_path)
    if not job.active:
        raise RunRefused(f"job {job.name} (id {job.id}) is inactive (active: false in "
                         f"{catalog_path}); it is not deployed, so it is not run")
    plan = build_plan(conn, env, jobs, digest, catalog_path)
    return job, deployed_target(plan, job)


def start_deployed(conn: Connection, env: Environment, job: Job, found: Deployed,
                   now: datetime, token: str | None = None) -> Started | GuardStarted:
    """Start what `found` starts: the task with the target's parameters, or (a guarded job)
    an execution of the run guard with the target's input for scheduled time `now` (to the
    minute). `token` makes the execution's name unique (default: random)."""
    source = f"{found.kind} {found.name}"
    if found.guarded:
        at = scheduled_time(now)
        body = guard_input(found.target, at)
        if found.head:
            body = step_input(body, job.id)
        name = execution_name(job.id, at, token or uuid.uuid4().hex[:8])
        arn = start_execution(conn.client("stepfunctions", env), found.target["Arn"], name,
                              body, conn.backoff)
        return GuardStarted(job, arn, str(found.target["Arn"]), at, body, source)
    request = run_task_request(rule_form(found.target) if found.kind == "schedule"
                               else found.target)
    task = start_task(conn.client("ecs", env), request, conn.backoff)
    return Started(job, task, str(request["cluster"]), request, source)


def start_job(conn: Connection, env: Environment, jobs: Sequence[Job], digest: str,
              catalog_path: str, ref: str, now: datetime,
              token: str | None = None) -> Started | GuardStarted:
    """`locate_job`, then `start_deployed`."""
    job, found = locate_job(conn, env, jobs, digest, catalog_path, ref)
    return start_deployed(conn, env, job, found, now, token)
