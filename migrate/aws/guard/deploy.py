"""The run guard's own resources: the lock table, the two roles and the state machine.

* `guard_resources(env, cluster_arn, task_definitions, pass_roles, task_keys, topic_arn)`
  is pure: the desired resources, as the API parameters that create them;
* `read_guard_live(clients, desired)` reads what exists (read-only);
* `guard_steps(desired, live)` -> the calls that make the account match, each an
  idempotent upsert (`create_table` + `update_time_to_live` only when the table is
  missing; `create_role` when missing, `put_role_policy` when the policy differs;
  `create_state_machine`, or `update_state_machine` when definition or role differ);
* the plan carries them (`Plan.guard`); `calls.plan_steps` makes them one phase-0 step, so
  `apply` (the only module sending mutating calls) runs them before the rules and checks
  their bodies against the DynamoDB, IAM and Step Functions models first, and the CLI
  script runs them first too: a rule never targets a machine that does not exist yet.

Everything created carries the ownership tags of the rules (`migrate:managed-by`,
`migrate:environment`); one of the guard's names that exists without them is a
`GuardConflict` (nothing changed); resources given by ARN in migrate.yaml are never created
or changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from botocore.exceptions import ClientError

from migrate.aws.clients import AwsError, Backoff, call, error_code
from migrate.aws.config import Environment
from migrate.aws.guard.asl import MachineSpec, definition
from migrate.aws.guard.policy import (
    EVENTS_TRUST,
    STATES_TRUST,
    Account,
    events_policy,
    machine_policy,
    trust_policy,
)
from migrate.aws.guard.table import create_table_params, ttl_params
from migrate.aws.state import MANAGED_BY, TAG_ENVIRONMENT, TAG_MANAGED_BY

POLICY_NAME = "migrate-guard"
NOT_FOUND = ("ResourceNotFoundException", "NoSuchEntity", "StateMachineDoesNotExist")


@dataclass(frozen=True, slots=True)
class GuardCall:
    service: str  # dynamodb | iam | stepfunctions
    api: str
    params: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class GuardResources:
    table: str
    machine_name: str
    machine_arn: str
    definition: str  # canonical JSON
    machine_role: str  # name
    machine_role_arn: str
    machine_policy: str  # canonical JSON
    events_role: str
    events_policy: str
    tags: Mapping[str, str]


def _j(v: Any) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def guard_resources(env: Environment, cluster_arn: str, task_definitions: Sequence[str],
                    pass_roles: Sequence[str], task_keys: Sequence[str],
                    topic_arn: str | None = None) -> GuardResources:
    g = env.guard
    assert g is not None
    acct = Account.of(cluster_arn)
    spec = MachineSpec(g.lock_table, tuple(task_keys), g.retry_attempts, g.retry_interval,
                       g.backoff_rate, topic_arn)
    machine_arn = g.machine_arn(acct.partition, acct.region, acct.account)
    return GuardResources(
        table=g.lock_table, machine_name=g.name, machine_arn=machine_arn,
        definition=_j(definition(spec)),
        machine_role=f"{g.name}-machine",
        machine_role_arn=g.machine_role(acct.partition, acct.account),
        machine_policy=_j(machine_policy(acct, cluster_arn, task_definitions, pass_roles,
                                         g.lock_table, g.name, topic_arn)),
        events_role=f"{g.name}-events", events_policy=_j(events_policy(machine_arn)),
        tags={TAG_MANAGED_BY: MANAGED_BY, TAG_ENVIRONMENT: env.name, **dict(env.tags)},
    )


@dataclass(frozen=True, slots=True)
class GuardLive:
    table: bool
    roles: Mapping[str, str | None]  # role name -> inline policy (canonical) or None
    role_exists: Mapping[str, bool]
    machine: tuple[str, str] | None  # (definition canonical, role arn)
    trust: Mapping[str, str] = field(default_factory=dict)  # role -> trust policy (canonical)


def _missing(exc: ClientError) -> bool:
    return error_code(exc) in NOT_FOUND


class GuardConflict(AwsError):
    """A resource of the guard's name exists and is not ours: migrate leaves it alone."""


def _check_ours(kind: str, name: str, tags: Mapping[str, str], d: GuardResources) -> None:
    want = {k: d.tags[k] for k in (TAG_MANAGED_BY, TAG_ENVIRONMENT)}
    if any(tags.get(k) != v for k, v in want.items()):
        raise GuardConflict(
            f"run guard: {kind} {name} exists and is not managed by migrate for environment "
            f"{d.tags[TAG_ENVIRONMENT]}; migrate changes only what it tagged as its own: give "
            "state_machine_arn, machine_role_arn and events_role_arn (and lock_table) in "
            "migrate.yaml to use existing resources, or remove it")


def read_guard_live(clients: Mapping[str, Any], d: GuardResources, backoff: Backoff) -> GuardLive:
    ddb, iam, sfn = clients["dynamodb"], clients["iam"], clients["stepfunctions"]
    try:
        arn = call(ddb, "describe_table", {"TableName": d.table}, backoff)["Table"]["TableArn"]
        tags = call(ddb, "list_tags_of_resource", {"ResourceArn": arn}, backoff).get("Tags", [])
        _check_ours("DynamoDB table", d.table, {t["Key"]: t["Value"] for t in tags}, d)
        table = True
    except ClientError as exc:
        if not _missing(exc):
            raise
        table = False
    roles: dict[str, str | None] = {}
    exists: dict[str, bool] = {}
    trust: dict[str, str] = {}
    for role in (d.machine_role, d.events_role):
        try:
            got = call(iam, "get_role", {"RoleName": role}, backoff)["Role"]
            trust[role] = _j(_policy(got.get("AssumeRolePolicyDocument", {})))
            tags = call(iam, "list_role_tags", {"RoleName": role}, backoff).get("Tags", [])
            _check_ours("IAM role", role, {t["Key"]: t["Value"] for t in tags}, d)
            exists[role] = True
        except ClientError as exc:
            if not _missing(exc):
                raise
            exists[role], roles[role] = False, None
            continue
        try:
            doc = call(iam, "get_role_policy", {"RoleName": role, "PolicyName": POLICY_NAME},
                       backoff)["PolicyDocument"]
            roles[role] = _j(_policy(doc))
        except ClientError as exc:
            if not _missing(exc):
                raise
            roles[role] = None
    try:
        out = call(sfn, "describe_state_machine", {"stateMachineArn": d.machine_arn}, backoff)
        tags = call(sfn, "list_tags_for_resource", {"resourceArn": d.machine_arn},
                    backoff).get("tags", [])
        _check_ours("state machine", d.machine_name, {t["key"]: t["value"] for t in tags}, d)
        machine: tuple[str, str] | None = (_j(json.loads(out["definition"])), out["roleArn"])
    except ClientError as exc:
        if not _missing(exc):
            raise
        machine = None
    return GuardLive(table, roles, exists, machine, trust)


def _policy(doc: Any) -> Any:
    """A policy document as IAM returns it: a dict, JSON text, or URL-encoded JSON text."""
    if isinstance(doc, str):
        return json.loads(unquote(doc) if doc.startswith("%7B") else doc)
    return doc


def _tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def guard_steps(d: GuardResources, live: GuardLive) -> list[GuardCall]:
    calls: list[GuardCall] = []
    if not live.table:
        calls += [GuardCall("dynamodb", "create_table", create_table_params(d.table, d.tags)),
                  GuardCall("dynamodb", "update_time_to_live", ttl_params(d.table))]
    for role, trust, policy in ((d.machine_role, STATES_TRUST, d.machine_policy),
                                (d.events_role, EVENTS_TRUST, d.events_policy)):
        if not live.role_exists.get(role):
            calls.append(GuardCall("iam", "create_role", {
                "RoleName": role, "AssumeRolePolicyDocument": _j(trust_policy(trust)),
                "Description": "migrate run guard", "Tags": _tags(d.tags)}))
        elif live.trust.get(role) != _j(trust_policy(trust)):
            calls.append(GuardCall("iam", "update_assume_role_policy", {
                "RoleName": role, "PolicyDocument": _j(trust_policy(trust))}))
        if live.roles.get(role) != policy:
            calls.append(GuardCall("iam", "put_role_policy", {
                "RoleName": role, "PolicyName": POLICY_NAME, "PolicyDocument": policy}))
    if live.machine is None:
        calls.append(GuardCall("stepfunctions", "create_state_machine", {
            "name": d.machine_name, "definition": d.definition, "roleArn": d.machine_role_arn,
            "type": "STANDARD", "tags": [{"key": k, "value": v}
                                         for k, v in sorted(d.tags.items())]}))
    elif live.machine != (d.definition, d.machine_role_arn):
        calls.append(GuardCall("stepfunctions", "update_state_machine", {
            "stateMachineArn": d.machine_arn, "definition": d.definition,
            "roleArn": d.machine_role_arn}))
    return calls


def pass_roles_of(ecs: Any, refs: Sequence[str], backoff: Backoff) -> list[str]:
    """The task and execution roles of the task definitions (what iam:PassRole needs)."""
    roles: list[str] = []
    for ref in refs:
        td = call(ecs, "describe_task_definition", {"taskDefinition": ref}, backoff)
        desc = td["taskDefinition"]
        for k in ("taskRoleArn", "executionRoleArn"):
            if desc.get(k) and desc[k] not in roles:
                roles.append(desc[k])
    return roles
