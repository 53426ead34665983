"""apply creates the run guard's table, roles and state machine before the rules; the plan
is in sync afterwards; the generated AWS CLI script, run by the real `aws`, reaches the same
state; machine and roles given by ARN are never created."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import FAST, NOW, MotoServer, catalog, client, config, seed
from statelint.linter import Linter
from test_aws_script import AWS, _run

from migrate.aws.calls import plan_steps
from migrate.aws.guard.deploy import GuardConflict
from migrate.aws.guard.settings import GuardSettings
from migrate.aws.plan import Plan
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute, write_plan_files

GUARD = GuardSettings(mode="stepfunctions", lock_table="locks", retry_attempts=2,
                      name="migrate-guard-staging")


def _plan(url: str, guard: GuardSettings = GUARD) -> tuple[Plan, Any]:
    cfg = config()
    env = dataclasses.replace(cfg.environment("staging"), guard=guard)
    cat, digest = catalog()
    conn = Connection(cfg, Endpoints(url), backoff=FAST, workers=2)
    return build_plan(conn, env, cat.jobs, digest, "catalog.yaml"), (conn, env)


def _apply(url: str, guard: GuardSettings = GUARD) -> Plan:
    plan, (conn, env) = _plan(url, guard)
    with conn:
        execute(conn, env, plan_steps(plan, NOW))
    return plan


def _state(url: str) -> dict[str, Any]:
    ddb, iam, sfn = client(url, "dynamodb"), client(url, "iam"), client(url, "stepfunctions")
    machines = sfn.list_state_machines()["stateMachines"]
    out: dict[str, Any] = {
        "tables": ddb.list_tables()["TableNames"],
        "ttl": [ddb.describe_time_to_live(TableName=t)["TimeToLiveDescription"]
                for t in ddb.list_tables()["TableNames"]],
        "roles": {r["RoleName"]: iam.get_role_policy(RoleName=r["RoleName"],
                                                     PolicyName="migrate-guard")["PolicyDocument"]
                  for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("migrate-")},
        "machines": [],
    }
    for m in machines:
        d = sfn.describe_state_machine(stateMachineArn=m["stateMachineArn"])
        out["machines"].append((m["name"], json.loads(d["definition"]), d["roleArn"]))
    events = client(url)
    out["rules"] = {r["Name"]: events.list_targets_by_rule(Rule=r["Name"])["Targets"]
                    for r in events.list_rules()["Rules"]}
    return out


def test_apply_creates_the_guard_and_replans_in_sync(account: MotoServer) -> None:
    plan = _apply(account.url)
    assert [g.api for g in plan.guard] == [
        "create_table", "update_time_to_live", "create_role", "put_role_policy",
        "create_role", "put_role_policy", "create_state_machine"]
    state = _state(account.url)
    assert state["tables"] == ["locks"]
    assert state["ttl"][0]["TimeToLiveStatus"] == "ENABLED"
    assert set(state["roles"]) == {"migrate-guard-staging-machine",
                                   "migrate-guard-staging-events"}
    [(name, definition, role)] = state["machines"]
    assert name == "migrate-guard-staging" and role.endswith("migrate-guard-staging-machine")
    assert Linter.validate(definition) == []
    for targets in state["rules"].values():
        assert targets[0]["Arn"].endswith(":stateMachine:migrate-guard-staging")
    again, (conn, _) = _plan(account.url)
    conn.close()
    assert again.in_sync and again.guard == ()
    # a changed setting updates the machine in place
    changed, (conn, _) = _plan(account.url, dataclasses.replace(GUARD, retry_attempts=4))
    conn.close()
    assert [g.api for g in changed.guard] == ["update_state_machine"]


def test_machine_and_roles_given_by_arn_are_not_created(account: MotoServer) -> None:
    given = dataclasses.replace(
        GUARD, state_machine_arn="arn:aws:states:ap-northeast-1:123456789012:stateMachine:x",
        machine_role_arn="arn:aws:iam::123456789012:role/m",
        events_role_arn="arn:aws:iam::123456789012:role/e")
    plan = _apply(account.url, given)
    assert plan.guard == ()
    assert _state(account.url)["machines"] == []
    for targets in _state(account.url)["rules"].values():
        assert targets[0]["Arn"] == given.state_machine_arn
        assert targets[0]["RoleArn"] == given.events_role_arn


@pytest.mark.skipif(not AWS.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_the_script_reaches_the_state_apply_reaches(account: MotoServer, tmp_path: Path) -> None:
    plan, (conn, _) = _plan(account.url)
    conn.close()
    write_plan_files(plan, plan_steps(plan, NOW), tmp_path)
    _apply(account.url)
    by_apply = _state(account.url)
    account.reset()
    seed(account.url)
    done = _run(tmp_path / "aws" / "staging.sh", account.url)
    assert done.returncode == 0, done.stderr
    assert _state(account.url) == by_apply
    again, (conn, _) = _plan(account.url)
    conn.close()
    assert again.in_sync


def test_a_resource_of_the_guards_name_that_is_not_ours_is_left_alone(
    account: MotoServer,
) -> None:
    client(account.url, "iam").create_role(RoleName="migrate-guard-staging-machine",
                                           AssumeRolePolicyDocument="{}")
    with pytest.raises(GuardConflict) as err:
        _plan(account.url)
    assert "IAM role migrate-guard-staging-machine exists and is not managed by migrate" in str(
        err.value)
    assert client(account.url, "stepfunctions").list_state_machines()["stateMachines"] == []
    iam = client(account.url, "iam")
    assert iam.list_role_policies(RoleName="migrate-guard-staging-machine")["PolicyNames"] == []
