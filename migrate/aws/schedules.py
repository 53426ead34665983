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
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from migrate.aws.clients import Backoff, call, describe_error
from migrate.aws.config import Environment
from migrate.aws.names import DesiredStateError, description, rule_names
from migrate.aws.schedule_state import SCHEDULE_NAME, ScheduleError, ScheduleState
from migrate.aws.state import canonical_target
from migrate.model import Job

__all__ = ["ScheduleError", "ScheduleState"]
SERVICES = ("rules", "scheduler", "auto")
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


def why_scheduler(job: Job) -> str:
    """Why a job runs on Scheduler, for the plan."""
    target = job.schedule.scheduler
    if target is not None and target.exact and not job.schedule.exact:
        return f"Scheduler in {target.timezone} (exact only there; rules are not)"
    return f"Scheduler in {target.timezone if target else 'UTC'} (service: scheduler)"


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
    ecs = t.get("EcsParameters")
    if isinstance(ecs, dict) and isinstance(ecs.get("Tags"), list):
        # EventBridge: [{"Key": k, "Value": v}]; Scheduler's TagList: [{k: v}] (botocore).
        ecs["Tags"] = [{str(x["Key"]): str(x["Value"])} for x in ecs["Tags"]]
    return t


def job_schedules(job: Job, prefix: str, group: str, state: str,
                  rule_target: Mapping[str, Any], role_arn: str) -> list[ScheduleState]:
    """Every schedule of one job moved to Scheduler."""
    sched = job.schedule.scheduler
    assert sched is not None
    target = scheduler_target(rule_target, role_arn)
    named = schedule_names(prefix, job)
    try:
        return [ScheduleState.build(name, group, expr, sched.timezone, state,
                                    description(job, i, len(named)), target)
                for i, (name, expr) in enumerate(named, 1)]
    except ScheduleError as exc:
        raise DesiredStateError(f"job {job.name} (id {job.id}): {exc}") from None


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


def trust_warning(iam: Any, env: Environment, backoff: Backoff) -> str | None:
    """A plan warning when the role Scheduler assumes does not trust scheduler.amazonaws.com
    (read with `iam get-role`), or cannot be read; None when it does."""
    role = env.scheduler_role
    where = f"environment {env.name} ({env.region})"
    try:
        doc = call(iam, "get_role", {"RoleName": role.rsplit("/", 1)[-1]},
                   backoff)["Role"].get("AssumeRolePolicyDocument", {})
    except Exception as exc:  # noqa: BLE001 - a warning, not a failure of the plan
        return (f"{where}: cannot read the trust policy of {role} ({describe_error(exc)}); "
                f"Scheduler must be allowed to assume it ({SCHEDULER_PRINCIPAL})")
    if isinstance(doc, str):  # IAM's URL-encoded JSON, when a client does not decode it
        doc = json.loads(unquote(doc))
    if trusts_scheduler(doc):
        return None
    return (f"{where}: role {role} does not trust {SCHEDULER_PRINCIPAL}: the schedules cannot "
            "start tasks; add it to the role's trust policy or set scheduler_role_arn")
