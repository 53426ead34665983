"""The run guard in `migrate plan`: what apply creates or updates, and what `--prune` removes.

`guard_plan(client, backoff, env, resolved, desired, refs, prune)` -> `GuardPlan` (read-only):

* `calls`: the table, roles and state machine still to create or update (deploy.py); none
  when the environment has no guard, guards no job, or gives machine and roles by ARN;
* leftovers: the guard's own resources (named `migrate-guard-<env>`, `-machine`, `-events`,
  and the lock table the machine's definition names, or the configured / default table) that
  carry migrate's ownership tags for this environment but are no longer used: the guard was
  switched off, guards no job any more, or now uses machine and roles given by ARN (then the
  configured lock table stays: the given machine may use it). They are `orphans` (listed,
  the plan is not in sync), kept without `--prune`; with it, `removals` are the calls deleting the
  machine, then each role's inline policies and the role, then the table, run after every
  rule and schedule stopped pointing at the machine (calls.py). Anything not tagged as ours,
  and anything given by ARN in migrate.yaml, is never touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from migrate.aws.clients import Backoff, call, error_code
from migrate.aws.config import Environment
from migrate.aws.desired import Desired, Resolved
from migrate.aws.guard.deploy import (
    NOT_FOUND,
    GuardCall,
    guard_resources,
    guard_steps,
    pass_roles_of,
    read_guard_live,
)
from migrate.aws.guard.payload import render_template
from migrate.aws.guard.policy import Account
from migrate.aws.guard.settings import guard_name
from migrate.aws.state import MANAGED_BY, TAG_ENVIRONMENT, TAG_MANAGED_BY

ClientFn = Callable[[str], Any]  # service name -> boto3 client of the environment
DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"})
SERVICES = ("dynamodb", "iam", "stepfunctions")


@dataclass(frozen=True, slots=True)
class GuardPlan:
    calls: tuple[GuardCall, ...] = ()
    removals: tuple[GuardCall, ...] = ()
    # ours, no longer used ("state machine x", "IAM role y", "DynamoDB table z"): kept, or
    # deleted by `removals` with --prune
    orphans: tuple[str, ...] = ()
    # an environment without `guard:` whose credentials may not read the guard's resources:
    # the plan goes on and says what it could not look for (a plan warning)
    unchecked: str | None = None


def guard_plan(client: ClientFn, backoff: Backoff, env: Environment, resolved: Resolved,
               desired: Desired, refs: Sequence[str], prune: bool) -> GuardPlan:
    if not resolved.account:  # nothing to name the resources by (no cluster resolved)
        return GuardPlan()
    g = env.guard
    wanted = g is not None and not g.given and bool(desired.guard.guarded)
    calls: list[GuardCall] = []
    table = None
    if wanted:
        assert g is not None
        pass_roles = pass_roles_of(client("ecs"), refs, backoff)
        topic = desired.alerts.topic_arn if desired.alerts is not None else None  # failed runs
        res = guard_resources(env, resolved.cluster_arn,
                              sorted(resolved.task_definitions.values()), pass_roles,
                              sorted(task_keys(desired)), topic)
        calls = guard_steps(res, read_guard_live({s: client(s) for s in SERVICES}, res,
                                                 backoff))
        table = g.lock_table
    try:
        left = _leftovers(client, backoff, env, Account.of(resolved.cluster_arn), wanted, table)
    except ClientError as exc:
        if g is not None or error_code(exc) not in DENIED:
            raise
        return GuardPlan(unchecked=(
            f"environment {env.name}: could not look for run guard resources left from an "
            f"earlier guard: {error_code(exc)} ({exc.operation_name}); the deploy role needs "
            "states:DescribeStateMachine, iam:GetRole and dynamodb:DescribeTable (read-only) "
            "to find and prune them. Ignore this if the environment never had `guard:`."))
    removals = tuple(c for _, cs in left for c in cs) if prune else ()
    return GuardPlan(tuple(calls), removals, tuple(what for what, _ in left))


def task_keys(desired: Desired) -> set[str]:
    """The RunTask parameter names of every guarded job's task (rules and schedules)."""
    bodies: list[dict[str, Any] | None] = []
    for rule in desired.rules:
        for t in rule.target_dicts():
            if "InputTransformer" in t and t["Arn"].split(":")[2] == "states":
                bodies.append(render_template(t["InputTransformer"], {"time": ""}))
    for s in desired.schedules:
        t = json.loads(s.target)
        if t["Arn"].split(":")[2] == "states":
            bodies.append(json.loads(t["Input"]))
    keys: set[str] = set()
    for body in bodies:
        while body:
            keys |= set(body["task"])
            body = body["next"]
    return keys


def _ours(tags: dict[str, str], env: Environment) -> bool:
    return tags.get(TAG_MANAGED_BY) == MANAGED_BY and tags.get(TAG_ENVIRONMENT) == env.name


def _read(c: Any, api: str, params: dict[str, Any], backoff: Backoff) -> dict[str, Any] | None:
    try:
        return call(c, api, params, backoff)
    except ClientError as exc:
        if error_code(exc) in NOT_FOUND:
            return None
        raise


Leftover = tuple[str, list[GuardCall]]


def _leftovers(client: ClientFn, backoff: Backoff, env: Environment, acct: Account,
               wanted: bool, table_in_use: str | None) -> list[Leftover]:
    g = env.guard
    name = g.name if g is not None else guard_name(env.name)
    given = {g.state_machine_arn, g.machine_role_arn, g.events_role_arn} if g else set()
    out: list[Leftover] = []
    tables = {name}  # the default lock table name is the machine's name
    if g is not None:
        tables.add(g.lock_table)
    sfn, iam, ddb = client("stepfunctions"), client("iam"), client("dynamodb")
    arn = acct.arn("states", f"stateMachine:{name}")
    machine = _read(sfn, "describe_state_machine", {"stateMachineArn": arn}, backoff)
    if machine is not None:
        tags = call(sfn, "list_tags_for_resource", {"resourceArn": arn}, backoff)["tags"]
        if _ours({t["key"]: t["value"] for t in tags}, env):
            tables |= _tables_of(machine["definition"])
            if not wanted and arn not in given:
                out.append((f"state machine {name}", [GuardCall(
                    "stepfunctions", "delete_state_machine", {"stateMachineArn": arn})]))
    for role in (f"{name}-machine", f"{name}-events"):
        got = None if wanted else _read(iam, "get_role", {"RoleName": role}, backoff)
        if got is None or got["Role"]["Arn"] in given:
            continue
        tags = call(iam, "list_role_tags", {"RoleName": role}, backoff).get("Tags", [])
        if not _ours({t["Key"]: t["Value"] for t in tags}, env):
            continue
        policies = call(iam, "list_role_policies", {"RoleName": role}, backoff)["PolicyNames"]
        out.append((f"IAM role {role}", [
            *(GuardCall("iam", "delete_role_policy", {"RoleName": role, "PolicyName": p})
              for p in policies),
            GuardCall("iam", "delete_role", {"RoleName": role})]))
    if g is not None and g.given:
        tables.discard(g.lock_table)  # the given machine may well use it
    tables.discard(table_in_use or "")
    for t in sorted(tables):
        desc = _read(ddb, "describe_table", {"TableName": t}, backoff)
        if desc is None:
            continue
        tags = call(ddb, "list_tags_of_resource", {"ResourceArn": desc["Table"]["TableArn"]},
                    backoff).get("Tags", [])
        if _ours({x["Key"]: x["Value"] for x in tags}, env):
            out.append((f"DynamoDB table {t}",
                        [GuardCall("dynamodb", "delete_table", {"TableName": t})]))
    return out


def _tables_of(definition: str) -> set[str]:
    """The lock tables a machine's definition writes to (its DynamoDB task states)."""
    try:
        states = json.loads(definition).get("States", {})
    except ValueError:
        return set()
    return {str(s["Parameters"]["TableName"]) for s in states.values()
            if isinstance(s, dict) and ":dynamodb:" in str(s.get("Resource", ""))
            and "TableName" in s.get("Parameters", {})}
