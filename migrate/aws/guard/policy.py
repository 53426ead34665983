"""The IAM policies of the run guard, as data, with exactly the permissions it uses.

* `machine_policy`: the state machine's role. `ecs:RunTask` on the task definitions the jobs
  use (any revision of a family, or the pinned one), only on the environment's cluster;
  `ecs:StopTask` / `ecs:DescribeTasks` (the `.sync` integration polls and, on timeout or
  abort, stops the task; AWS's own example grants them on `*` because task ARNs are not
  known in advance); `iam:PassRole` on the task and execution roles of those task
  definitions, to ECS only; `ecs:TagResource` on the cluster's new tasks, for RunTask only
  (the tasks carry the job's tags, as the rules' tasks do);
  `events:PutTargets/PutRule/DescribeRule` on the managed rule
  `StepFunctionsGetEventsForECSTaskRule` (how `.sync` learns that the task stopped);
  `dynamodb:PutItem/GetItem/DeleteItem` on the lock table; `states:DescribeExecution` on
  this machine's executions (whether a lease holder still runs); `sns:Publish` on the
  alert topic when one is configured.
* `events_policy`: the role EventBridge (rules) and EventBridge Scheduler (schedules) assume
  to start executions: `states:StartExecution` on the state machine only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ECS_EVENTS_RULE = "StepFunctionsGetEventsForECSTaskRule"
STATES_TRUST = ("states.amazonaws.com",)
# the start role: EventBridge rules, and Scheduler schedules of jobs in DST zones (a guarded
# job on Scheduler starts the machine with this role too, aws/guard/wrap.py)
EVENTS_TRUST = ("events.amazonaws.com", "scheduler.amazonaws.com")


@dataclass(frozen=True, slots=True)
class Account:
    partition: str
    region: str
    account: str

    @staticmethod
    def of(arn: str) -> Account:
        """From any ARN of the account (e.g. the cluster's)."""
        parts = arn.split(":")
        if len(parts) < 6 or parts[0] != "arn":
            raise ValueError(f"not an ARN: {arn!r}")
        return Account(parts[1], parts[3], parts[4])

    def arn(self, service: str, resource: str, region: bool = True) -> str:
        return (f"arn:{self.partition}:{service}:{self.region if region else ''}:"
                f"{self.account}:{resource}")


def task_definition_resource(arn: str) -> str:
    """A family ARN (no revision) allows every revision; a pinned ARN only itself."""
    return arn if ":" in arn.rsplit("/", 1)[-1] else f"{arn}:*"


def trust_policy(services: Sequence[str]) -> dict[str, Any]:
    principal: str | list[str] = services[0] if len(services) == 1 else sorted(services)
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}]}


def machine_policy(
    acct: Account,
    cluster_arn: str,
    task_definitions: Sequence[str],
    pass_roles: Sequence[str],
    table: str,
    machine_name: str,
    topic_arn: str | None,
) -> dict[str, Any]:
    statements: list[dict[str, Any]] = [
        {"Sid": "RunJobTasks", "Effect": "Allow", "Action": "ecs:RunTask",
         "Resource": sorted({task_definition_resource(a) for a in task_definitions}),
         "Condition": {"ArnEquals": {"ecs:cluster": cluster_arn}}},
        # RunTask with `tags` (the job's identity, aws/alerts.py) needs ecs:TagResource on
        # the task being created (ECS: "Grant permission to tag resources on creation")
        {"Sid": "TagJobTasks", "Effect": "Allow", "Action": "ecs:TagResource",
         "Resource": acct.arn("ecs", f"task/{cluster_arn.rsplit('/', 1)[-1]}/*"),
         "Condition": {"StringEquals": {"ecs:CreateAction": "RunTask"}}},
        {"Sid": "FollowTasks", "Effect": "Allow",
         "Action": ["ecs:DescribeTasks", "ecs:StopTask"], "Resource": "*"},
        {"Sid": "SyncRule", "Effect": "Allow",
         "Action": ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
         "Resource": acct.arn("events", f"rule/{ECS_EVENTS_RULE}")},
        {"Sid": "Locks", "Effect": "Allow",
         "Action": ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
         "Resource": acct.arn("dynamodb", f"table/{table}")},
        {"Sid": "LeaseHolders", "Effect": "Allow", "Action": "states:DescribeExecution",
         "Resource": acct.arn("states", f"execution:{machine_name}:*")},
    ]
    if pass_roles:
        statements.insert(1, {
            "Sid": "PassTaskRoles", "Effect": "Allow", "Action": "iam:PassRole",
            "Resource": sorted(set(pass_roles)),
            "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}})
    if topic_arn is not None:
        statements.append({"Sid": "Alert", "Effect": "Allow", "Action": "sns:Publish",
                           "Resource": topic_arn})
    return {"Version": "2012-10-17", "Statement": statements}


def events_policy(machine_arn: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "StartGuard", "Effect": "Allow", "Action": "states:StartExecution",
        "Resource": machine_arn}]}
