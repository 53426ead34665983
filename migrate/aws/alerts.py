"""Failure alerts: what cron's MAILTO gave for free, as owned, planned AWS resources.

Per environment with `alerts:` in migrate.yaml (pure functions; the plan diffs the result
like the rules):

* an SNS topic `migrate-alerts-<env>` (when `topic: create`), tagged as migrate's own, whose
  resource policy lets `events.amazonaws.com` publish (only from this account's rules);
* its email subscriptions: `email:` or, by default, the MAILTO addresses of the jobs
  deployed in the environment;
* one EventBridge rule `<rule_prefix>migrate-alerts` on the default bus whose pattern
  (`event_pattern`) matches ECS "Task State Change" events of this environment's cluster,
  `lastStatus` STOPPED, tasks started by migrate (`group` begins `migrate:`, the `Group`
  every job rule's ECS target and `migrate run` set), and
  - `failed`: the overridden container (`container:`) exited non-zero, or has no exit code
    while the task did not fail to start (killed, never ran: e.g. a sidecar failed first);
  - `failed-to-start`: `stopCode` TaskFailedToStart;
  its target is the topic, through an input transformer (`message_template`) that writes a
  message a person can act on.

ECS events carry `containers` as an array of objects. AWS matches the fields of one array
element together (EventBridge's engine, event-ruler, is "array-consistent"), so
`{"name": ["app"], "exitCode": [{"anything-but": 0}]}` means "app exited non-zero". An
engine that matches each field on any element (LocalStack's, used in the tests) also
alerts when `app` exited 0 and another container exited non-zero; see README.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.aws.alerts_config import CREATE, EMAIL
from migrate.aws.config import Environment
from migrate.aws.resources import SubscriptionState, TopicState
from migrate.aws.state import (
    MANAGED_BY,
    MAX_TAG_VALUE,
    TAG_ENVIRONMENT,
    TAG_MANAGED_BY,
    RuleState,
)
from migrate.model import Job

GROUP_PREFIX = "migrate:"
MAX_GROUP = 255  # ECS task group names
ALERT_RULE = "migrate-alerts"  # after the environment's rule_prefix
ALERT_TARGET_ID = "migrate-alerts"
TAG_ROLE = "migrate:role"  # "alerts" on the alert rule and topic
ROLE_ALERTS = "alerts"


def topic_name(env: Environment) -> str:
    return f"migrate-alerts-{env.name}"


def alert_rule_name(env: Environment) -> str:
    return f"{env.rule_prefix}{ALERT_RULE}"


def task_group(job: Job) -> str:
    """The ECS task group of every task of `job`: `migrate:<job id>:<job name>`, cut to 255
    characters (the job id always fits: ids are at most 256 and checked shorter here)."""
    return f"{GROUP_PREFIX}{job.id}:{job.name}"[:MAX_GROUP]


def task_tags(job: Job, env: Environment) -> list[dict[str, str]]:
    """Tags every task of `job` carries (ECS: `Tags` of the target, `tags` of RunTask)."""
    return [{"Key": TAG_ENVIRONMENT, "Value": env.name},
            {"Key": "migrate:job-id", "Value": job.id[:MAX_TAG_VALUE]}]


def mailto_addresses(job: Job) -> list[str]:
    """The addresses cron would have mailed: MAILTO split on commas and spaces (cronie
    passes the value to sendmail as is), only those that are email addresses."""
    value = job.command.env.get("MAILTO", "")
    return [a for a in re.split(r"[,\s]+", value) if a and EMAIL.fullmatch(a)]


def recipients(env: Environment, jobs: Sequence[Job]) -> list[str]:
    assert env.alerts is not None
    if env.alerts.email is not None:
        return list(env.alerts.email)
    out: dict[str, None] = {}
    for job in jobs:
        for a in mailto_addresses(job):
            out.setdefault(a)
    return sorted(out)


def event_pattern(env: Environment, cluster_arn: str) -> dict[str, Any]:
    assert env.alerts is not None
    alternatives: list[dict[str, Any]] = []
    if "failed" in env.alerts.on:
        alternatives.append({"containers": {"name": [env.container],
                                            "exitCode": [{"anything-but": 0}]}})
        alternatives.append({"containers": {"name": [env.container],
                                            "exitCode": [{"exists": False}]},
                             "stopCode": [{"anything-but": "TaskFailedToStart"}]})
    if "failed-to-start" in env.alerts.on:
        alternatives.append({"stopCode": ["TaskFailedToStart"]})
    detail: dict[str, Any] = {
        "clusterArn": [cluster_arn],
        "lastStatus": ["STOPPED"],
        "group": [{"prefix": GROUP_PREFIX}],
    }
    if len(alternatives) == 1:
        detail.update(alternatives[0])
    else:
        detail["$or"] = alternatives
    return {"source": ["aws.ecs"], "detail-type": ["ECS Task State Change"], "detail": detail}


MAX_CONTAINERS_SHOWN = 3  # a task's containers, by position (paths cannot select by name)
INPUT_PATHS = {
    "group": "$.detail.group",
    "task": "$.detail.taskArn",
    "stopCode": "$.detail.stopCode",
    "reason": "$.detail.stoppedReason",
    "stoppedAt": "$.detail.stoppedAt",
    **{f"c{i}{k}": f"$.detail.containers[{i}].{p}"
       for i in range(MAX_CONTAINERS_SHOWN) for k, p in (("name", "name"), ("exit", "exitCode"))},
}


def message_template(env: Environment, logs: str) -> str:
    """The InputTemplate: a plain-text message (a JSON string, as EventBridge wants it)."""
    text = (
        f"migrate: a job failed in environment {env.name} ({env.region}).\n"
        "Job (migrate:ID:NAME): <group>\n"
        "Stopped at: <stoppedAt>; stop code: <stopCode>; reason: <reason>\n"
        f"Exit codes (the command runs in {env.container}; empty = no exit code): "
        + " ".join(f"<c{i}name>=<c{i}exit>" for i in range(MAX_CONTAINERS_SHOWN)) + "\n"
        "Task: <task>\n"
        f"Logs: {logs}\n"
        f"Run it again: migrate run ID --env {env.name} --wait"
    )
    # EventBridge fills <placeholders> in the template and refuses unknown ones, so the
    # text has no other angle brackets; the quotes make it a JSON string
    assert "<" not in logs and ">" not in logs
    return json.dumps(text)


def log_location(log_config: Mapping[str, Any] | None, container: str, region: str) -> str:
    """Where the container's output goes, from its task definition's logConfiguration."""
    if not log_config or log_config.get("logDriver") != "awslogs":
        return (f"the task definition sends no logs of container {container!r} to CloudWatch "
                "Logs (add an awslogs logConfiguration to keep job output)")
    opts = log_config.get("options") or {}
    group = opts.get("awslogs-group", "?")
    prefix = opts.get("awslogs-stream-prefix")
    stream = f"{prefix}/{container}/TASK_ID" if prefix else "TASK_ID"
    text = (f"CloudWatch Logs ({opts.get('awslogs-region', region)}) group {group}, stream "
            f"{stream} (TASK_ID: the last part of the task ARN)")
    return text.replace("<", "(").replace(">", ")")


def topic_policy(topic_arn: str, account: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "migrate-events-publish",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }],
    }, sort_keys=True, separators=(",", ":"))


def topic_arn(env: Environment, partition: str, account: str) -> str:
    assert env.alerts is not None
    if env.alerts.topic != CREATE:
        return env.alerts.topic
    return f"arn:{partition}:sns:{env.region}:{account}:{topic_name(env)}"


@dataclass(frozen=True, slots=True)
class AlertResources:
    rule: RuleState
    topic: TopicState | None  # None: an existing topic given by ARN (not ours)
    subscriptions: tuple[SubscriptionState, ...]
    topic_arn: str
    recipients: tuple[str, ...]


def ownership(env: Environment) -> dict[str, str]:
    return {TAG_MANAGED_BY: MANAGED_BY, TAG_ENVIRONMENT: env.name, TAG_ROLE: ROLE_ALERTS,
            **dict(env.tags)}


def alert_resources(env: Environment, jobs: Sequence[Job], cluster_arn: str, account: str,
                    partition: str, logs: str) -> AlertResources:
    """The desired alert rule, topic and subscriptions of `env` (which has `alerts`)."""
    assert env.alerts is not None
    arn = topic_arn(env, partition, account)
    tags = ownership(env)
    target = {
        "Id": ALERT_TARGET_ID,
        "Arn": arn,
        "InputTransformer": {"InputPathsMap": dict(INPUT_PATHS),
                             "InputTemplate": message_template(env, logs)},
    }
    pattern = json.dumps(event_pattern(env, cluster_arn))
    on = " and ".join(env.alerts.on)
    rule = RuleState.build(alert_rule_name(env), "", "ENABLED",
                           f"migrate: failure alerts ({on}) of environment {env.name} to SNS",
                           [target], tags, pattern=pattern)
    topic = None
    if env.alerts.topic == CREATE:
        topic = TopicState.build(topic_name(env), arn, topic_policy(arn, account), tags)
    emails = recipients(env, jobs)
    subs = tuple(SubscriptionState(arn, "email", e) for e in emails)
    return AlertResources(rule, topic, subs, arn, tuple(emails))


def where_failures_go(alerts: AlertResources | None, env: Environment, jobs: Sequence[Job]
                      ) -> list[str]:
    """One line per job with a MAILTO: where its failures are reported now."""
    out = []
    for job in jobs:
        if "MAILTO" not in job.command.env:
            continue
        if alerts is None:
            out.append(f"{job.name}: MAILTO={job.command.env['MAILTO']!r} is not deployed; "
                       f"environment {env.name} has no alerts (set alerts: in migrate.yaml)")
            continue
        to = ", ".join(alerts.recipients) or "no email subscription"
        out.append(f"{job.name}: failures alert SNS topic {alerts.topic_arn} ({to}) instead "
                   f"of MAILTO={job.command.env['MAILTO']!r}")
    return out

