"""Preflight: refuse what AWS would refuse, before any call; name file, line and key.

moto and botocore accept almost any request, so these rules are ours, each taken from the AWS
reference quoted beside it. `check_environment` needs only `migrate.yaml` and runs before
the first AWS call; `check_task_definitions` needs the task definitions' network mode and
compatibilities, read by `live.resolve` (read-only) before anything changes.

Severity: an **error** where the API call itself (PutRule, PutTargets, TagResource) is
refused: the plan carries it, `apply` stops before any call and the CLI script refuses to
run. A **warning** where EventBridge accepts the rule and the task then fails at every run
(ECS RunTask refuses it when the rule fires): the plan shows it; fix it before relying on the
rule (the job would not run, and only the rule's FailedInvocations metric would say so).

The request bodies themselves are checked once more against the EventBridge service model
(`requests.py`), so a rule not listed here is still caught before it is sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from migrate.aws.config import Environment
from migrate.aws.config.model import Places

Severity = Literal["error", "warning"]
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
MAX_SUBNETS = 16  # EventBridge AwsVpcConfiguration.Subnets: "as many as 16 subnets"
MAX_SECURITY_GROUPS = 5  # AwsVpcConfiguration.SecurityGroups: "as many as five"
MAX_STRATEGY_ITEMS = 6  # EventBridge EcsParameters.CapacityProviderStrategy: max 6 items
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
MAX_ARN = 1600  # DeadLetterConfig.Arn, Target.RoleArn: length 1-1600
TAG_SYMBOLS = frozenset(" .:+=@_/-")
_SQS_ARN = re.compile(r"arn:(?P<partition>[a-z-]+):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*)"
                      r":(?P<account>\d*):(?P<resource>.+)")


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    where: str  # `migrate.yaml:12`
    key: str  # `environments.staging.assign_public_ip`
    message: str  # what is wrong and the AWS rule

    def __str__(self) -> str:
        return f"{self.where}: {self.key}: {self.message}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


class _Found:
    def __init__(self, places: Places, fixed: Mapping[str, tuple[str, str]] | None = None
                 ) -> None:
        self.places = places
        self.fixed = fixed or {}  # setting -> (where, key) placed elsewhere (the catalog)
        self.problems: list[Problem] = []

    def add(self, severity: Severity, setting: str, message: str) -> None:
        where, key = self.fixed.get(setting) or self.places.at(setting)
        self.problems.append(Problem(severity, where, key, message))


def runs_on_fargate(env: Environment) -> bool:
    """Launch type FARGATE, or a capacity provider strategy of Fargate providers only."""
    if env.launch_type is not None:
        return env.launch_type == "FARGATE"
    return all(c.capacity_provider in FARGATE_PROVIDERS for c in env.capacity_provider_strategy)


def _launch_names(env: Environment) -> str:
    if env.launch_type is not None:
        return f"launch_type {env.launch_type}"
    names = ", ".join(c.capacity_provider for c in env.capacity_provider_strategy)
    return f"capacity providers {names}"


def tag_text_problem(text: str) -> str | None:
    """Why `text` cannot be a tag key or value, or None. EventBridge User Guide, "Tagging
    resources in Amazon EventBridge" (eb-tagging.html): "Allowed characters are letters,
    numbers, spaces representable in UTF-8, and the following characters: . : + = @ _ / -"."""
    bad = sorted({c for c in text if c not in TAG_SYMBOLS
                  and unicodedata.category(c)[0] not in ("L", "N", "Z")})
    if not bad:
        return None
    shown = " ".join(repr(c) for c in bad[:5])
    return (f"has {shown}: tags allow only letters, numbers, spaces and . : + = @ _ / - "
            "(EventBridge tagging rules)")


def _public_ip(env: Environment, found: _Found) -> None:
    # EventBridge AwsVpcConfiguration.AssignPublicIp: "You can specify ENABLED only when
    # LaunchType in EcsParameters is set to FARGATE." A strategy of FARGATE / FARGATE_SPOT
    # providers runs on Fargate too; any other provider is EC2 capacity.
    if env.assign_public_ip and not runs_on_fargate(env):
        found.add("error", "assign_public_ip",
                  f"true needs Fargate, but the tasks run with {_launch_names(env)}: "
                  "AssignPublicIp ENABLED is allowed only when LaunchType is FARGATE "
                  "(EventBridge AwsVpcConfiguration); use a NAT gateway for EC2 or EXTERNAL")


def _dead_letter_queue(env: Environment, found: _Found) -> None:
    # EventBridge User Guide, "Using dead-letter queues" (eb-rule-event-delivery.html#eb-rule-
    # dlq): "EventBridge DLQs are standard Amazon SQS queues"; PutTargets answers
    # ValidationException "SQS FIFO is not supported by Dead Letter Queues"; the queue and the
    # rule must be in the same Region. DeadLetterConfig.Arn: 1-1600 characters.
    arn = env.dead_letter_queue
    if arn is None:
        return
    m = _SQS_ARN.fullmatch(arn)
    rule = "(PutTargets DeadLetterConfig: a standard SQS queue in the rule's Region)"
    if m is None or len(arn) > MAX_ARN:
        found.add("error", "dead_letter_queue",
                  f"{arn!r} is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>) "
                  + rule)
    elif m["service"] != "sqs":
        found.add("error", "dead_letter_queue",
                  f"{arn!r} is an {m['service'].upper()} ARN, not an SQS queue " + rule)
    elif m["resource"].endswith(".fifo"):
        found.add("error", "dead_letter_queue",
                  f"{arn!r} is a FIFO queue; EventBridge refuses it (\"SQS FIFO is not "
                  "supported by Dead Letter Queues\") " + rule)
    elif m["region"] != env.region:
        found.add("error", "dead_letter_queue",
                  f"{arn!r} is in {m['region'] or 'no region'}, the rules in {env.region} "
                  + rule)


def _tags(env: Environment, found: _Found) -> None:
    for key, value in env.tags:
        why = tag_text_problem(key)
        if why is not None:
            found.add("error", f"tags.{key}", f"the tag key {why}")
        why = tag_text_problem(value)
        if why is not None:
            found.add("error", f"tags.{key}", f"the tag value {value!r} {why}")


def _strategy(env: Environment, found: _Found) -> None:
    cps = env.capacity_provider_strategy
    if not cps:
        return
    if len(cps) > MAX_STRATEGY_ITEMS:
        found.add("error", "capacity_provider_strategy",
                  f"{len(cps)} capacity providers; EcsParameters.CapacityProviderStrategy takes "
                  f"at most {MAX_STRATEGY_ITEMS} (EventBridge PutTargets)")
    # ECS CapacityProviderStrategyItem.base: "Only one capacity provider in a capacity
    # provider strategy can have a base defined. If no value is specified, the default value
    # of 0 is used." An omitted base *is* 0, so `base: 0` is no base: only items with a base
    # above 0 count, and we never send `base: 0` (state.canonical_target drops it).
    based = [i for i, c in enumerate(cps) if c.base > 0]
    for i in based[1:]:
        found.add("warning", f"capacity_provider_strategy[{i}].base",
                  f"a second provider with a base (capacity_provider_strategy[{based[0]}] has "
                  "one); ECS allows a base on only one provider of a strategy, so RunTask "
                  "fails at every run (ECS CapacityProviderStrategyItem)")
    # ECS CapacityProviderStrategyItem.weight: "If you specify multiple capacity providers in
    # a strategy that all have a weight of 0, any RunTask or CreateService actions using the
    # capacity provider strategy will fail."
    if all(c.weight == 0 for c in cps):
        found.add("warning", "capacity_provider_strategy",
                  "every weight is 0; ECS needs at least one provider with a weight above 0, "
                  "so RunTask fails at every run (ECS CapacityProviderStrategyItem)")


def _network(env: Environment, found: _Found) -> None:
    if len(env.subnets) > MAX_SUBNETS:
        found.add("error", "subnets",
                  f"{len(env.subnets)} subnets; AwsVpcConfiguration takes at most "
                  f"{MAX_SUBNETS} (EventBridge PutTargets, ECS RunTask)")
    if len(env.security_groups) > MAX_SECURITY_GROUPS:
        found.add("error", "security_groups",
                  f"{len(env.security_groups)} security groups; AwsVpcConfiguration takes "
                  f"at most {MAX_SECURITY_GROUPS} (EventBridge PutTargets, ECS RunTask)")
    # ECS Anywhere (EXTERNAL) tasks run on the customer's own servers: the awsvpc network mode
    # is not supported there, so a NetworkConfiguration makes RunTask fail.
    if env.launch_type == "EXTERNAL" and env.subnets:
        found.add("warning", "subnets",
                  "set with launch_type EXTERNAL; external instances do not support the awsvpc "
                  "network mode, so RunTask fails at every run: remove subnets and "
                  "security_groups")


def _platform(env: Environment, found: _Found) -> None:
    # EventBridge EcsParameters.PlatformVersion: "This structure is used only if LaunchType is
    # FARGATE"; ECS RunTask: "A platform version is only specified for tasks hosted on
    # Fargate". (launch_type EC2/EXTERNAL with platform_version is refused by the reader.)
    if env.platform_version is not None and env.launch_type is None and not runs_on_fargate(env):
        found.add("error", "platform_version",
                  f"set with {_launch_names(env)}; a platform version is only for tasks on "
                  "Fargate (FARGATE / FARGATE_SPOT providers only) (ECS RunTask)")


def check_environment(env: Environment, places: Places | None = None) -> list[Problem]:
    """Every rule of `migrate.yaml` AWS would refuse (or fail at run time) for `env`."""
    found = _Found(places or Places(prefix=f"environments.{env.name}"))
    for check in (_public_ip, _dead_letter_queue, _tags, _strategy, _network, _platform):
        check(env, found)
    return found.problems


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """What preflight needs from a task definition (`DescribeTaskDefinition`)."""

    network_mode: str  # bridge (the ECS default), awsvpc, host, none
    compatibilities: tuple[str, ...]  # requiresCompatibilities, else what ECS derived

    @staticmethod
    def of(desc: Mapping[str, Any]) -> TaskFacts:
        required = desc.get("requiresCompatibilities") or desc.get("compatibilities") or ()
        # ECS TaskDefinition.networkMode: "If no network mode is specified, the default is
        # bridge"; requiresCompatibilities absent: the definition was validated for EC2.
        return TaskFacts(str(desc.get("networkMode") or "bridge"),
                         tuple(str(x) for x in required) or ("EC2",))


def needed_compatibilities(env: Environment) -> dict[str, str]:
    """Compatibility needed -> why (launch type, or each capacity provider's kind)."""
    if env.launch_type is not None:
        return {env.launch_type: f"launch_type {env.launch_type}"}
    out: dict[str, str] = {}
    for c in env.capacity_provider_strategy:
        kind = "FARGATE" if c.capacity_provider in FARGATE_PROVIDERS else "EC2"
        out.setdefault(kind, f"capacity provider {c.capacity_provider}")
    return out


def check_task_definitions(
    env: Environment,
    facts: Mapping[str, TaskFacts],
    places: Places | None = None,
    chosen_in: Mapping[str, tuple[str, str]] | None = None,
) -> list[Problem]:
    """Launch settings against each task definition the rules run. A reference chosen by a
    job's `overrides` is placed by `chosen_in` (ref -> (where, key) in the catalog); the
    others by the environment's `task_definition`."""
    fixed = {f"ref:{ref}": at for ref, at in (chosen_in or {}).items()}
    found = _Found(places or Places(prefix=f"environments.{env.name}"), fixed)
    for ref, fact in facts.items():
        setting = f"ref:{ref}" if f"ref:{ref}" in fixed else "task_definition"
        # EventBridge EcsParameters.LaunchType: "The launch type that you specify here must
        # match one of the launch type (compatibilities) of the target task."
        for kind, why in needed_compatibilities(env).items():
            if kind not in fact.compatibilities:
                found.add("warning", setting,
                          f"task definition {ref!r} requires {'/'.join(fact.compatibilities)}, "
                          f"not {kind} ({why}); RunTask fails at every run (EventBridge "
                          "EcsParameters.LaunchType must match the task definition's "
                          "compatibilities)")
        # EcsParameters.NetworkConfiguration: "If you specify NetworkConfiguration when the
        # target ECS task does not use the awsvpc network mode, the task fails." ECS RunTask
        # networkConfiguration: "required for task definitions that use the awsvpc network
        # mode ... and it isn't supported for other network modes".
        if env.subnets and fact.network_mode != "awsvpc":
            found.add("warning", "subnets",
                      f"task definition {ref!r} uses network mode {fact.network_mode}, not "
                      "awsvpc; a NetworkConfiguration makes the task fail at every run: remove "
                      "subnets/security_groups or register the definition with awsvpc")
        elif not env.subnets and fact.network_mode == "awsvpc":
            found.add("warning", "subnets",
                      f"missing: task definition {ref!r} uses the awsvpc network mode, which "
                      "needs subnets (RunTask networkConfiguration is required for awsvpc)")
    return found.problems


def skip_reason_problem(reason: str) -> str | None:
    """Why a `--skip-staging-gate` reason cannot be recorded as the `migrate:skip-gate` tag.

    Refused rather than rewritten: the tag is the audit record of a skipped gate, so it holds
    exactly what the operator typed or nothing; the message says what to change."""
    if not reason.strip():
        return "the reason is empty"
    if len(reason) > MAX_TAG_VALUE:
        return (f"the reason is {len(reason)} characters; a tag value holds at most "
                f"{MAX_TAG_VALUE} (put details in the change ticket and name it here)")
    why = tag_text_problem(reason)
    if why is not None:
        return f"the reason {why}; reword it (e.g. 'CHG-1234 approved by ops')"
    return None
