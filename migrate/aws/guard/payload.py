"""What a guarded rule sends: the execution input and the rule target's input transformer.

The task parameters are the ECS target's own (`desired.target`, the very dict an unguarded
rule carries), rewritten into the `RunTask` parameter names Step Functions takes, so a
guarded job runs exactly the task its plain rule would have run.

`<` and `>` in the template are written as JSON escapes (`\\u003c`, `\\u003e`): EventBridge
replaces `<name>` placeholders anywhere in an InputTemplate, and a job's command may well
contain `<file>`-like text; the escapes decode to the same characters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TIME_VAR = "time"
TIME_PLACEHOLDER = "@@MIGRATE_TIME@@"


@dataclass(frozen=True, slots=True)
class GuardedStep:
    """One job of a guarded execution (the head, or a chained successor)."""

    job_id: str
    overlap: str  # skip | allow
    max_runtime: int  # seconds
    task: Mapping[str, Any]  # RunTask parameters


def run_task_parameters(target: Mapping[str, Any]) -> dict[str, Any]:
    """An EventBridge ECS target (`desired.target`) -> Step Functions RunTask parameters."""
    ecs = target["EcsParameters"]
    out: dict[str, Any] = {"Cluster": target["Arn"], "TaskDefinition": ecs["TaskDefinitionArn"]}
    if "LaunchType" in ecs:
        out["LaunchType"] = ecs["LaunchType"]
    if "CapacityProviderStrategy" in ecs:
        out["CapacityProviderStrategy"] = [
            {"CapacityProvider": c["capacityProvider"], "Weight": c["weight"], "Base": c["base"]}
            for c in ecs["CapacityProviderStrategy"]
        ]
    if "PlatformVersion" in ecs:
        out["PlatformVersion"] = ecs["PlatformVersion"]
    vpc = ecs.get("NetworkConfiguration", {}).get("awsvpcConfiguration")
    if vpc:
        out["NetworkConfiguration"] = {"AwsvpcConfiguration": {
            k: vpc[k] for k in ("Subnets", "SecurityGroups", "AssignPublicIp") if k in vpc}}
    if "PropagateTags" in ecs:
        out["PropagateTags"] = ecs["PropagateTags"]
    # the task's identity the alert rule matches (aws/alerts.py): `Group` migrate:<id>:<name>
    # and the job's tags, as RunTask's own `group` / `tags` (PascalCase in Step Functions)
    if "Group" in ecs:
        out["Group"] = ecs["Group"]
    if "Tags" in ecs:
        out["Tags"] = [{"Key": t["Key"], "Value": t["Value"]} for t in ecs["Tags"]]
    if ecs.get("EnableExecuteCommand") is not None:
        out["EnableExecuteCommand"] = ecs["EnableExecuteCommand"]
    overrides = json.loads(target["Input"])
    task_overrides: dict[str, Any] = {"ContainerOverrides": [
        {"Name": c["name"], "Command": c["command"],
         "Environment": [{"Name": e["name"], "Value": e["value"]} for e in c["environment"]]}
        for c in overrides["containerOverrides"]
    ]}
    for k in ("cpu", "memory"):
        if k in overrides:
            task_overrides[k.capitalize()] = overrides[k]
    out["Overrides"] = task_overrides
    return out


def task_keys(task: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(task))


def _step(step: GuardedStep, rest: list[GuardedStep]) -> dict[str, Any]:
    return {
        "job": step.job_id,
        "overlap": step.overlap,
        "max_runtime": step.max_runtime,
        "task": dict(step.task),
        "next": _step(rest[0], rest[1:]) if rest else None,
    }


def execution_input(steps: list[GuardedStep], time: str) -> dict[str, Any]:
    """The execution input for a chain `steps` (head first) scheduled at `time`."""
    d = _step(steps[0], steps[1:])
    return {"job": d["job"], "time": time, **{k: v for k, v in d.items() if k != "job"}}


def dump_input(body: Mapping[str, Any], time: str) -> str:
    """The text of an execution input `body` whose top-level `time` is the placeholder `time`
    the sender replaces (`<time>` for a rule's transformer, Scheduler's
    `<aws.scheduler.scheduled-time>`): canonical JSON, every other `<` and `>` escaped."""
    text = json.dumps({**body, "time": TIME_PLACEHOLDER}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return text.replace(json.dumps(TIME_PLACEHOLDER), json.dumps(time))


def input_transformer(steps: list[GuardedStep]) -> dict[str, Any]:
    """The rule target's InputTransformer: the event's scheduled `time` into the input."""
    text = dump_input(execution_input(steps, ""), f"<{TIME_VAR}>")
    return {"InputPathsMap": {TIME_VAR: "$.time"}, "InputTemplate": text}


def render_template(transformer: Mapping[str, Any], event: Mapping[str, Any]) -> dict[str, Any]:
    """What EventBridge sends for `event` (for tests and `migrate run`): the one placeholder
    replaced by the event's `time`. Values here are plain strings, as the `time` field is."""
    text = str(transformer["InputTemplate"])
    for var, path in transformer["InputPathsMap"].items():
        value = event[path.removeprefix("$.")]
        text = text.replace(f'"<{var}>"', json.dumps(value))
    result: dict[str, Any] = json.loads(text)
    return result
