"""From catalog to desired state: one EventBridge rule per AWS expression of each active job.

Pure: `desired_state(jobs, env, resolved, digest, catalog_path)` -> `Desired`. The facts it
needs from the account (the cluster's ARN, each task definition's ARN) come in as
`Resolved`, read beforehand by `live.resolve`.

Decisions (documented in README "Deploying to AWS"):

* **Rule names**: `<rule_prefix><job name>` for the first expression, `-2`, `-3` ... for the
  others. EventBridge allows 64 characters of `[.-_A-Za-z0-9]`; a name that would be longer
  keeps its prefix and suffix and shortens the job name, ending it with `-` and 8 hex digits
  of the job id's sha256 so that shortened names stay distinct. Names must be unique across
  the environment (checked).
* **Description** (<= 512 characters, longer ones end in `...`):
  `<cron as written> (<zone>) from <kind> <path>:<line> [on <host>] [as <user>]`, then
  `; expression i of n` for multi-rule jobs, then `; <job description>`.
* **Command**: `command.argv` when the catalog has one (e.g. whenever jobs). Otherwise the
  shell line runs as plain argv only when it has no shell syntax at all (only letters,
  digits, `_@%+=:,./-` and spaces; no assignment prefix, no shell keyword or builtin first),
  split on whitespace; anything else runs as `[<SHELL or sh>, "-c", line]`. A job with cron
  stdin (text after `%`) is fed it the way cron does, by
  `printf '%s' "$MIGRATE_CRON_STDIN" | { line }`, the text travelling in that variable.
* **Environment**: the job's environment lines, minus the variables that configure cron
  itself (`MAILTO`, `MAILFROM`, `CRON_TZ`, `RANDOM_DELAY`, `CONTENT_TYPE`,
  `CONTENT_TRANSFER_ENCODING`), then `overrides.environment` on top; sorted by name.
* **Input** = `{"containerOverrides":[{"name", "command", "environment"}]}` (+ task-level
  `cpu`/`memory` from overrides), compact JSON, non-ASCII kept as UTF-8. At most 8192 bytes
  (EventBridge's limit on a target's Input): checked, with the job named.
* **Task definition**: a family name resolves to the family's ARN without revision, so each
  run uses the latest ACTIVE revision (deploys of the image need no re-apply);
  `family:revision` or an ARN pins that revision.
* **Task identity**: every ECS target sets `Group` = `migrate:<job id>:<job name>` (ECS task
  groups take 255 characters) and task `Tags` (`migrate:environment`, `migrate:job-id`), so
  a task and its "Task State Change" events name their job (alerts.py, `migrate run`).
* **Alerts**: an environment with `alerts:` also gets an alert rule, an SNS topic and its
  subscriptions (alerts.py); they are resources of the plan like the rules.
* **Scheduler** (`service: scheduler | auto`, schedules.py): a job on Scheduler gets
  schedules in the environment's group instead of rules, with the same target.
* Inactive jobs and jobs without AWS expressions are not deployed (listed in `skipped`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrate.analysis import codes
from migrate.analysis.secrets import MASK
from migrate.analysis.shell import needs_shell
from migrate.aws import schedules as sch
from migrate.aws.alerts import (
    AlertResources,
    alert_resources,
    task_group,
    task_tags,
    where_failures_go,
)
from migrate.aws.config import Environment
from migrate.aws.guard import wrap as guard_wrap
from migrate.aws.guard.select import GUARD_KEYS, Selection, select_guarded
from migrate.aws.names import (
    DesiredStateError,
    description,
    rule_names,
)
from migrate.aws.preflight import TaskFacts
from migrate.aws.resources import Other, Resource, SubscriptionState, TopicState
from migrate.aws.schedule_state import ScheduleGroupState, ScheduleState
from migrate.aws.state import (
    MANAGED_BY,
    MAX_TAG_VALUE,
    TAG_DIGEST,
    TAG_ENVIRONMENT,
    TAG_JOB_ID,
    TAG_MANAGED_BY,
    TARGET_ID,
    RuleState,
)
from migrate.model import Command, Job
from migrate.schedule.aws import AwsExpressionError, parse_expression

MAX_INPUT_BYTES = 8192
RULE_NAME = re.compile(r"[.\-_A-Za-z0-9]{1,64}")
CRON_DAEMON_VARS = frozenset(
    {"MAILTO", "MAILFROM", "CRON_TZ", "RANDOM_DELAY", "CONTENT_TYPE", "CONTENT_TRANSFER_ENCODING"}
)
STDIN_VAR = "MIGRATE_CRON_STDIN"
OVERRIDE_KEYS = ("task_definition", "cpu", "memory", "environment")


@dataclass(frozen=True, slots=True)
class Resolved:
    """Facts read from the account before the desired state is built."""

    cluster_arn: str
    task_definitions: Mapping[str, str]  # reference as written -> TaskDefinitionArn to use
    task_facts: Mapping[str, TaskFacts] = field(default_factory=dict)  # for preflight
    logs: str = ""  # where the overridden container's output goes (alert messages)

    @property
    def partition(self) -> str:
        return self.cluster_arn.split(":")[1] if self.cluster_arn.count(":") >= 5 else "aws"

    @property
    def account(self) -> str:
        return self.cluster_arn.split(":")[4] if self.cluster_arn.count(":") >= 5 else ""


@dataclass(frozen=True, slots=True)
class Desired:
    rules: tuple[RuleState, ...]
    skipped: tuple[str, ...] = ()  # "name: reason" for jobs not deployed
    jobs: Mapping[str, str] = field(default_factory=dict)  # rule name -> job id
    others: tuple[TopicState | SubscriptionState, ...] = ()  # alert topic, subscriptions
    alerts: AlertResources | None = None
    failures_go: tuple[str, ...] = ()  # per MAILTO job: where its failures are reported
    schedules: tuple[ScheduleState, ...] = ()
    group: ScheduleGroupState | None = None  # the environment's schedule group
    on_scheduler: tuple[str, ...] = ()  # "job: why" for jobs deployed as schedules
    guard: Selection = field(default_factory=Selection)  # guarded jobs and chains
    guarded: tuple[str, ...] = ()  # one line per guarded job: options, findings resolved

    @property
    def resources(self) -> tuple[Resource, ...]:
        group: tuple[Other, ...] = (self.group,) if self.group is not None else ()
        return (*group, *self.rules, *self.schedules, *self.others)


def _where(path: str, job: Job) -> str:
    return f"{path}: job {job.name} (id {job.id})"


def job_overrides(job: Job, catalog_path: str) -> dict[str, Any]:
    """The job's `overrides` mapping, checked (unknown keys and wrong types are errors)."""
    raw = job.extra.get("overrides")
    if raw is None:
        return {}
    where = _where(catalog_path, job)
    if not isinstance(raw, Mapping):
        raise DesiredStateError(f"{where}: overrides: expected a mapping, got "
                                f"{type(raw).__name__}")
    out: dict[str, Any] = {}
    for k, v in raw.items():
        if k in GUARD_KEYS:
            continue  # the run guard's options, read by guard/select.py
        if k not in OVERRIDE_KEYS:
            raise DesiredStateError(
                f"{where}: overrides.{k}: unknown key (expected "
                f"{', '.join(OVERRIDE_KEYS + GUARD_KEYS)})"
            )
        if k == "task_definition":
            if not isinstance(v, str) or not v:
                raise DesiredStateError(f"{where}: overrides.task_definition: expected a "
                                        "family, family:revision or ARN")
        elif k in ("cpu", "memory"):
            if isinstance(v, bool) or not re.fullmatch(r"[1-9]\d*", str(v)):
                raise DesiredStateError(f"{where}: overrides.{k}: expected a positive integer "
                                        f"(CPU units / MiB), got {v!r}")
            v = str(v)
        elif k == "environment":
            if not isinstance(v, Mapping) or not all(isinstance(x, str) for x in v):
                raise DesiredStateError(f"{where}: overrides.environment: expected a mapping "
                                        "of variable names to values")
            v = {str(a): "" if b is None else str(b) for a, b in v.items()}
        out[k] = v
    return out


def task_definition_refs(jobs: Sequence[Job], env: Environment, catalog_path: str) -> list[str]:
    """Every task definition reference the deployable jobs use (environment's first)."""
    refs = [env.task_definition]
    for job in deployable(jobs):
        ref = job_overrides(job, catalog_path).get("task_definition")
        if ref and ref not in refs:
            refs.append(ref)
    return refs


def override_places(jobs: Sequence[Job], env: Environment, catalog_path: str
                    ) -> dict[str, tuple[str, str]]:
    """Task definitions chosen by a job's overrides -> (catalog, the job's key), so that
    preflight names the job that chose one."""
    out: dict[str, tuple[str, str]] = {}
    for job in deployable(jobs):
        ref = job_overrides(job, catalog_path).get("task_definition")
        if ref and ref != env.task_definition and ref not in out:
            out[ref] = (_where(catalog_path, job), "overrides.task_definition")
    return out


def deployable(jobs: Sequence[Job]) -> list[Job]:
    return [j for j in jobs if j.active and j.schedule.aws]


def container_command(cmd: Command) -> tuple[list[str], dict[str, str]]:
    """The container command and any environment it needs (see the module docstring)."""
    shell = cmd.env.get("SHELL") or "sh"
    if cmd.stdin is not None:
        script = f"printf '%s' \"${STDIN_VAR}\" | {{ unset {STDIN_VAR}; {cmd.shell}\n}}"
        return [shell, "-c", script], {STDIN_VAR: cmd.stdin}
    if cmd.argv is not None:
        return list(cmd.argv), {}
    if needs_shell(cmd.shell):
        return [shell, "-c", cmd.shell], {}
    return cmd.shell.split(), {}


def container_input(job: Job, env: Environment, overrides: Mapping[str, Any]) -> str:
    argv, extra_env = container_command(job.command)
    variables = {k: v for k, v in job.command.env.items() if k not in CRON_DAEMON_VARS}
    variables.update(extra_env)
    variables.update(overrides.get("environment", {}))
    container: dict[str, Any] = {
        "name": env.container,
        "command": argv,
        "environment": [{"name": k, "value": v} for k, v in sorted(variables.items())],
    }
    payload: dict[str, Any] = {"containerOverrides": [container]}
    for k in ("cpu", "memory"):
        if k in overrides:
            payload[k] = overrides[k]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def target(job: Job, env: Environment, resolved: Resolved, overrides: Mapping[str, Any]) -> dict[
    str, Any
]:
    ecs: dict[str, Any] = {
        "TaskDefinitionArn": resolved.task_definitions[
            overrides.get("task_definition", env.task_definition)
        ],
        "TaskCount": 1,
        "EnableECSManagedTags": False,
        "EnableExecuteCommand": False,
        "PropagateTags": "TASK_DEFINITION",
        "Group": task_group(job),
        "Tags": task_tags(job, env),
    }
    if env.launch_type is not None:
        ecs["LaunchType"] = env.launch_type
    else:
        ecs["CapacityProviderStrategy"] = [
            {"capacityProvider": c.capacity_provider, "weight": c.weight,
             **({"base": c.base} if c.base else {})}  # base 0 is no base: not sent
            for c in env.capacity_provider_strategy
        ]
    if env.platform_version is not None:
        ecs["PlatformVersion"] = env.platform_version
    if env.subnets:
        vpc: dict[str, Any] = {
            "Subnets": sorted(env.subnets),
            "AssignPublicIp": "ENABLED" if env.assign_public_ip else "DISABLED",
        }
        if env.security_groups:
            vpc["SecurityGroups"] = sorted(env.security_groups)
        ecs["NetworkConfiguration"] = {"awsvpcConfiguration": vpc}
    t: dict[str, Any] = {
        "Id": TARGET_ID,
        "Arn": resolved.cluster_arn,
        "RoleArn": env.role_arn,
        "EcsParameters": ecs,
        "Input": container_input(job, env, overrides),
    }
    if env.retry is not None:
        t["RetryPolicy"] = {
            "MaximumRetryAttempts": env.retry.maximum_attempts,
            "MaximumEventAgeInSeconds": env.retry.maximum_event_age_seconds,
        }
    if env.dead_letter_queue is not None:
        t["DeadLetterConfig"] = {"Arn": env.dead_letter_queue}
    return t


def _still_redacted(job: Job) -> bool:
    """A job whose command still carries the redaction mask would run with a broken
    command: it must be fixed by a reviewer, never deployed as is."""
    if not any(f.code == codes.SECRET.code for f in job.findings):
        return False
    c = job.command
    texts = [c.shell, c.stdin or "", *(c.argv or ()), *c.env.values()]
    return any(MASK in t for t in texts)


def _still_unevaluated(job: Job) -> str | None:
    """The Ruby text (`#{...}`) a whenever job's command still carries where whenever would
    put a value it computes when it runs; None when a reviewer replaced it."""
    c = job.command
    texts = [c.shell, c.stdin or "", *(c.argv or ())]
    for f in job.findings:
        if f.code != codes.WHENEVER_UNEVALUATED.code or not f.evidence:
            continue
        # whenever's job template quotes the text inside '...' in the shell line.
        forms = (f.evidence, f.evidence.replace("'", "'\\''"))
        if any(form in t for form in forms for t in texts):
            return f.evidence
    return None


def held_back(job: Job) -> str | None:
    """Why an active job with expressions must not be deployed as the catalog has it (a
    reviewer must fix its command first), or None."""
    if _still_redacted(job):
        return (f"its command held a credential, shown as {MASK} in the catalog; put the "
                "secret in Secrets Manager (the task definition's `secrets`), make the command "
                "read it from the environment and remove the `secret` finding")
    ruby = _still_unevaluated(job)
    if ruby is not None:
        return (f"its command still contains Ruby that whenever evaluates when it runs "
                f"({ruby}); replace it with its value in the catalog's command")
    return None


def desired_state(
    jobs: Sequence[Job],
    env: Environment,
    resolved: Resolved,
    digest: str,
    catalog_path: str = "catalog.yaml",
) -> Desired:
    rules: list[RuleState] = []
    scheduled: list[ScheduleState] = []
    on_scheduler: list[str] = []
    group = sch.group_name(env.rule_prefix, env.name) if env.service != "rules" else None
    owner: dict[str, Job] = {}
    skipped: list[str] = []
    guard = select_guarded(jobs, env.guard, catalog_path) if env.guard else Selection()
    by_id = {j.id: j for j in jobs}
    deployed: list[Job] = []
    for job in jobs:
        if job.active and guard.is_follower(job.id):
            skipped.append(guard_wrap.follower_reason(job, guard, by_id))
            continue
        if not job.active:
            skipped.append(f"{job.name}: inactive (active: false)")
            continue
        if not job.schedule.aws:
            skipped.append(f"{job.name}: no AWS expression (see the job's findings)")
            continue
        where = _where(catalog_path, job)
        reason = held_back(job)
        if reason is not None:
            skipped.append(f"{job.name}: {reason}")
            continue
        if not 0 < len(job.id) <= MAX_TAG_VALUE:
            raise DesiredStateError(f"{where}: the job id must be 1-{MAX_TAG_VALUE} characters "
                                    "(it is recorded as the migrate:job-id tag)")
        overrides = job_overrides(job, catalog_path)
        tgt = target(job, env, resolved, overrides)
        size = len(tgt["Input"].encode())
        if size > MAX_INPUT_BYTES:
            raise DesiredStateError(
                f"{where}: target Input is {size} bytes, more than EventBridge's "
                f"{MAX_INPUT_BYTES} (shorten the command or its environment)"
            )
        if job.id in guard.guarded and env.guard is not None:
            tgt = guard_wrap.wrap(
                job, tgt, guard, env.guard, resolved.cluster_arn,
                lambda j: target(j, env, resolved, job_overrides(j, catalog_path)), by_id, where)
        tags = {
            TAG_MANAGED_BY: MANAGED_BY,
            TAG_ENVIRONMENT: env.name,
            TAG_JOB_ID: job.id,
            TAG_DIGEST: digest,
            **dict(env.tags),
        }
        deployed.append(job)
        if group is not None and sch.service_for(job, env.service) == "scheduler":
            guarded = "InputTransformer" in tgt  # the run guard's target (guard/wrap.py)
            scheduled += sch.job_schedules(
                job, env.rule_prefix, group, env.state,
                guard_wrap.scheduler_form(tgt) if guarded else tgt,
                tgt["RoleArn"] if guarded else env.scheduler_role)
            on_scheduler.append(f"{job.name}: {sch.why_scheduler(job)}")
            continue
        names = rule_names(env.rule_prefix, job)
        for i, (name, expr) in enumerate(zip(names, job.schedule.aws, strict=True), 1):
            if not RULE_NAME.fullmatch(name):
                raise DesiredStateError(f"{where}: rule name {name!r} is not 1-64 characters "
                                        "of letters, digits, '.', '-', '_' (fix the job name)")
            try:
                parse_expression(expr)  # our own validator: moto and botocore check nothing
            except AwsExpressionError as exc:
                raise DesiredStateError(f"{where}: schedule.aws: {exc}") from None
            if name in owner:
                other = owner[name]
                raise DesiredStateError(f"{where}: rule name {name} is also used by job "
                                        f"{other.name} (id {other.id}); names must be unique")
            owner[name] = job
            rules.append(RuleState.build(name, expr, env.state, description(job, i, len(names)),
                                         [tgt], tags))
    alerts = None
    others: list[TopicState | SubscriptionState] = []
    if env.alerts is not None:
        alerts = alert_resources(env, deployed, resolved.cluster_arn, resolved.account,
                                 resolved.partition, resolved.logs)
        if alerts.rule.name in owner:
            job = owner[alerts.rule.name]
            raise DesiredStateError(f"{_where(catalog_path, job)}: rule name {alerts.rule.name} "
                                    "is the environment's alert rule; rename the job")
        rules.append(alerts.rule)
        others = [*([alerts.topic] if alerts.topic else []), *alerts.subscriptions]
    seen: dict[str, str] = {}
    for sc in scheduled:
        if sc.name in seen:
            raise DesiredStateError(f"{catalog_path}: schedule name {sc.name} is used by jobs "
                                    f"{seen[sc.name]} and {sc.job_id}; names must be unique")
        seen[sc.name] = sc.job_id
    group_state = None if group is None else ScheduleGroupState.build(group, {
        TAG_MANAGED_BY: MANAGED_BY, TAG_ENVIRONMENT: env.name, TAG_DIGEST: digest,
        **dict(env.tags)})
    return Desired(tuple(rules), tuple(skipped), {n: j.id for n, j in owner.items()},
                   tuple(others), alerts, tuple(where_failures_go(alerts, env, deployed)),
                   tuple(scheduled), group_state, tuple(on_scheduler), guard=guard,
                   guarded=guard_wrap.guard_lines(by_id, guard))
