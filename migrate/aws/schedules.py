"""EventBridge Scheduler schedules as desired state: which service runs a job, the schedule
names, and the `CreateSchedule` parameters, built from the rule target.

Values only (no boto3 here); `plan`/`apply` wiring follows the resource-kind generalisation
of `aws/` state. What is fixed here:

* `service_for`: `rules` (the default) keeps every job on rules; `scheduler` moves every job
  that has a `schedule.scheduler` in the catalog; `auto` moves exactly the jobs that are
  exact as Scheduler schedules and not as rules.
* One schedule group per environment (`group_name`), created and tagged by migrate with the
  rules' ownership tags (Scheduler tags groups, not single schedules): a group without them
  is never written to.
* Names follow the rule-name rules (`desired.rule_names`: <= 64 characters, a hash of the job
  id when shortened, `-2`, `-3` ... for further expressions), then the one-time `at(...)`
  schedules as `-at1`, `-at2` ...; botocore's model: `^[0-9a-zA-Z-_.]+$`, 1-64.
* The target is the rule target (`desired.target`: same cluster, task definition, network,
  command, environment, overrides, retry policy and dead-letter queue) with Scheduler's
  role (`role_arn`, or `scheduler_role_arn`, which must trust `scheduler.amazonaws.com`);
  Scheduler's `EcsParameters` members are named as EventBridge's. `FlexibleTimeWindow` is
  `OFF`: exact times.
* Limits from botocore's service model: name 1-64, description <= 512, expression <= 256
  characters, retry 0-185 attempts / 60-86400 s. The model sets no maximum for `Input`; the
  rules' 8192 bytes apply anyway (the same Input must fit both services for `auto`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from migrate.aws.desired import DesiredStateError, description, rule_names
from migrate.aws.state import canonical_target
from migrate.model import Job

SERVICES = ("rules", "scheduler", "auto")
SCHEDULE_NAME = re.compile(r"[0-9a-zA-Z\-_.]{1,64}")
MAX_EXPRESSION = 256
MAX_DESCRIPTION = 512
SCHEDULER_PRINCIPAL = "scheduler.amazonaws.com"


def service_for(job: Job, service: str) -> str:
    """`rules` or `scheduler`: the service that runs `job` in an environment set to
    `service` (rules | scheduler | auto)."""
    if service not in SERVICES:
        raise DesiredStateError(f"service {service!r}: expected one of {', '.join(SERVICES)}")
    target = job.schedule.scheduler
    if service == "rules":
        return "rules"
    if target is None:
        if service == "auto":
            return "rules"
        raise DesiredStateError(f"{job.name}: the catalog has no schedule.scheduler for it "
                                "(re-scan with this version of migrate)")
    if service == "scheduler":
        return "scheduler"
    return "scheduler" if target.exact and not job.schedule.exact else "rules"


def group_name(prefix: str, env_name: str) -> str:
    """The environment's schedule group, e.g. `stg-migrate-staging`."""
    name = f"{prefix}migrate-{env_name}"[:64]
    if not SCHEDULE_NAME.fullmatch(name):
        raise DesiredStateError(f"schedule group {name!r} is not 1-64 letters, digits, "
                                "'.', '-', '_' (change rule_prefix or the environment name)")
    return name


def schedule_names(prefix: str, job: Job) -> list[tuple[str, str]]:
    """(name, expression) of every schedule of `job`: its cron expressions named as rules,
    then its one-time `at(...)` schedules."""
    target = job.schedule.scheduler
    assert target is not None
    named = list(zip(rule_names(prefix, _as_rules(job, target.expressions)),
                     target.expressions, strict=True))
    base = named[0][0] if named else rule_names(prefix, job)[0]
    for i, at in enumerate(target.at, 1):
        suffix = f"-at{i}"
        named.append((base[: 64 - len(suffix)] + suffix, at))
    return named


def _as_rules(job: Job, expressions: Sequence[str]) -> Job:
    """`job` with its Scheduler expressions in place of its rules (for `rule_names`)."""
    return replace(job, schedule=replace(job.schedule, aws=tuple(expressions)))


def scheduler_target(rule_target: Mapping[str, Any], role_arn: str) -> dict[str, Any]:
    """Scheduler's `Target` for the task a rule target starts (no `Id`; Scheduler's role)."""
    t = canonical_target(rule_target)
    t.pop("Id", None)
    t["RoleArn"] = role_arn
    return t


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """One schedule, desired or live, in canonical form (compared field by field)."""

    name: str
    group: str
    expression: str
    timezone: str
    state: str
    description: str
    target: str  # canonical JSON text

    @staticmethod
    def build(name: str, group: str, expression: str, timezone: str, state: str,
              text: str, target: Mapping[str, Any]) -> ScheduleState:
        for value, limit, what in ((expression, MAX_EXPRESSION, "expression"),
                                   (text, MAX_DESCRIPTION, "description")):
            if len(value) > limit:
                raise DesiredStateError(f"schedule {name}: {what} longer than {limit} "
                                        "characters (Scheduler's limit)")
        if not SCHEDULE_NAME.fullmatch(name):
            raise DesiredStateError(f"schedule name {name!r} is not 1-64 letters, digits, "
                                    "'.', '-', '_' (fix the job name)")
        return ScheduleState(name, group, expression, timezone, state, text,
                             json.dumps(canonical_target(target), sort_keys=True))

    def params(self) -> dict[str, Any]:
        """`CreateSchedule` / `UpdateSchedule` parameters."""
        return {
            "Name": self.name,
            "GroupName": self.group,
            "ScheduleExpression": self.expression,
            "ScheduleExpressionTimezone": self.timezone,
            "State": self.state,
            "Description": self.description,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": json.loads(self.target),
        }

    @staticmethod
    def from_live(item: Mapping[str, Any]) -> ScheduleState:
        """From a `GetSchedule` response."""
        return ScheduleState(
            item["Name"], item.get("GroupName", "default"), item["ScheduleExpression"],
            item.get("ScheduleExpressionTimezone", "UTC"), item.get("State", "ENABLED"),
            item.get("Description", ""),
            json.dumps(canonical_target(item["Target"]), sort_keys=True))


def job_schedules(job: Job, prefix: str, group: str, state: str,
                  rule_target: Mapping[str, Any], role_arn: str) -> list[ScheduleState]:
    """Every schedule of one job moved to Scheduler."""
    sched = job.schedule.scheduler
    assert sched is not None
    target = scheduler_target(rule_target, role_arn)
    named = schedule_names(prefix, job)
    return [ScheduleState.build(name, group, expr, sched.timezone, state,
                                description(job, i, len(named)), target)
            for i, (name, expr) in enumerate(named, 1)]


def trusts_scheduler(trust_policy: Mapping[str, Any]) -> bool:
    """Does an IAM trust policy (`iam get-role` AssumeRolePolicyDocument) let
    scheduler.amazonaws.com assume the role?"""
    statements = trust_policy.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    for st in statements:
        if st.get("Effect") != "Allow":
            continue
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        service = st.get("Principal", {}).get("Service", [])
        service = [service] if isinstance(service, str) else service
        if SCHEDULER_PRINCIPAL in service:
            return True
    return False
