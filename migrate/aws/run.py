"""`migrate run JOB --env NAME [--wait]`: start a job's task now, exactly as its rule would.

The `RunTask` request is derived from the rule's ECS target (`run_task_request`): the
target's `EcsParameters` (task definition, count, launch type or capacity providers,
platform version, network, group, tags, tag propagation) and its `Input` (the container
overrides) map one to one onto RunTask's parameters. The target is the one the live rule
has (what the schedule would start); desired and live are built by the same code
(`desired.target`), so a rule in sync runs the same task. An EcsParameters key this module
does not know is an error, never dropped.

Refused: a job that is not in the catalog, inactive, without AWS expressions, with a
command still `REDACTED`, or without its rule in the environment (apply first).

`wait_for_task` polls `DescribeTasks` until the task is STOPPED and returns the overridden
container's exit code; a task that failed to start, or whose container has no exit code,
gives `TaskOutcome.exit_code` None and the stop code and reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.aws.clients import AwsError, Backoff, call, friendly
from migrate.aws.config import Environment
from migrate.aws.plan import Plan
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


def deployed_target(plan: Plan, job: Job) -> dict[str, Any]:
    """The ECS target of the job's (first) rule as it is in the account."""
    env = plan.environment
    for reason in plan.skipped:
        if reason.startswith(f"{job.name}: "):
            raise RunRefused(f"job {job.name} (id {job.id}) is not deployed in {env}: "
                             f"{reason.split(': ', 1)[1]}")
    changes = [c for c in plan.changes if c.job_id == job.id and c.kind == "rule"]
    live = [c.live for c in changes if isinstance(c.live, RuleState)
            and c.action in ("unchanged", "update")]
    if not live:
        raise RunRefused(f"job {job.name} (id {job.id}) has no rule in environment {env}: "
                         f"run `migrate apply --env {env}` first")
    first = sorted(live, key=lambda r: r.name)[0]
    targets = [t for t in first.target_dicts() if "EcsParameters" in t]
    if not targets:
        raise RunRefused(f"rule {first.name} in {env} has no ECS target")
    return targets[0]


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


def start_job(conn: Connection, env: Environment, jobs: Sequence[Job], digest: str,
              catalog_path: str, ref: str) -> Started:
    """Find the job, check it is deployed, start its task with the rule's parameters."""
    job = find_job(jobs, ref, catalog_path)
    if not job.active:
        raise RunRefused(f"job {job.name} (id {job.id}) is inactive (active: false in "
                         f"{catalog_path}); it is not deployed, so it is not run")
    plan = build_plan(conn, env, jobs, digest, catalog_path)
    request = run_task_request(deployed_target(plan, job))
    task = start_task(conn.client("ecs", env), request, conn.backoff)
    return Started(job, task, str(request["cluster"]), request)
