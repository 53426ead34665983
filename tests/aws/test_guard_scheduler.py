"""Guarded jobs deployed as EventBridge Scheduler schedules (DST zones, `service: auto`):
the schedule's target is the run guard's state machine (Scheduler's templated target for
Step Functions StartExecution), its input carries the job and Scheduler's
`<aws.scheduler.scheduled-time>`. Applied on moto's HTTP server, then executed in moto's
interpreter with the input Scheduler would send; and the guard switched off again: its
resources are orphans, pruned with --prune, never when given by ARN."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import AWS_CLI, FAST, NOW, MotoServer, client, run_script, scheduler_jobs
from guard_harness import (
    EcsScript,
    enable_execution,
    scripted_ecs,
    wait_for,
)
from test_aws_desired import RESOLVED
from test_aws_scheduler_apply import CONFIG

from migrate.aws.calls import plan_steps
from migrate.aws.config import Config, load_config
from migrate.aws.desired import desired_state
from migrate.aws.guard.payload import run_task_parameters
from migrate.aws.guard.wrap import SCHEDULED_TIME, scheduled_input
from migrate.aws.plan import Plan
from migrate.aws.schedule_state import ScheduleState
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute, write_plan_files
from migrate.emit.catalog import catalog_digest

GROUP = "stg-migrate-staging"


@pytest.fixture(scope="module")
def moto(moto_sfn: MotoServer) -> MotoServer:
    """conftest's `account` (reset, seeded, test credentials) on the executing server."""
    return moto_sfn

NAME = "migrate-guard-staging"
T1, T2 = "2026-11-01T06:30:00Z", "2026-11-02T07:30:00Z"


def _network(url: str) -> tuple[str, str]:
    """A subnet and security group moto's RunTask can place a task in, and a revision of
    the task definitions whose containers give memory (moto adds it up per container)."""
    ecs = client(url, "ecs")
    for family in ("batch-app", "batch-heavy"):
        ecs.register_task_definition(
            family=family, requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
            cpu="256", memory="512",
            containerDefinitions=[{"name": "app", "image": "busybox", "memory": 256},
                                  {"name": "sidecar", "image": "busybox", "memory": 256}])
    ec2 = client(url, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="batch", Description="b", VpcId=vpc)["GroupId"]
    return subnet, sg


def _config(tmp: Path, net: tuple[str, str], guard: str | None = "stepfunctions") -> Config:
    text = CONFIG.read_text(encoding="utf-8")
    text = text.replace("subnets: [subnet-0c2d, subnet-0a1b]", f"subnets: [{net[0]}]")
    text = text.replace("security_groups: [sg-0e3f]", f"security_groups: [{net[1]}]")
    if guard is not None:
        text = text.replace("    service: auto\n", f"    service: auto\n    guard: {guard}\n")
    path = tmp / "migrate.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _apply(url: str, cfg: Config, prune: bool = False) -> tuple[Plan, Plan]:
    """(the plan applied, the plan right after)."""
    jobs = scheduler_jobs()
    env = cfg.environment("staging")
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=2) as conn:
        plan = build_plan(conn, env, jobs, catalog_digest(jobs), "catalog.yaml", prune=prune)
        assert not plan.errors, plan.errors
        execute(conn, env, plan_steps(plan, NOW))
        again = build_plan(conn, env, jobs, catalog_digest(jobs), "catalog.yaml", prune=prune)
    return plan, again


def _schedule(url: str) -> dict[str, Any]:
    sch = client(url, "scheduler")
    [item] = sch.list_schedules(GroupName=GROUP)["Schedules"]
    got: dict[str, Any] = sch.get_schedule(Name=item["Name"], GroupName=GROUP)
    return got


def _run(url: str) -> tuple[list[dict[str, Any]], EcsScript, dict[str, Any]]:
    """Start the applied schedule's target as Scheduler would at T1, T1 again (a duplicate
    delivery) and T2: (the executions, the tasks started, the target)."""
    target = _schedule(url)["Target"]
    sfn = client(url, "stepfunctions")
    with scripted_ecs(EcsScript()) as ecs:
        runs = [wait_for(sfn, sfn.start_execution(
            stateMachineArn=target["Arn"], name=uuid.uuid4().hex,
            input=json.dumps(scheduled_input(target["Input"], t)))["executionArn"])
            for t in (T1, T1, T2)]
    return runs, ecs, target


def _guard_resources(url: str) -> dict[str, list[str]]:
    iam = client(url, "iam")
    return {
        "machines": [m["name"] for m in
                     client(url, "stepfunctions").list_state_machines()["stateMachines"]],
        "roles": sorted(r["RoleName"] for r in iam.list_roles()["Roles"]
                        if r["RoleName"].startswith(NAME)),
        "tables": client(url, "dynamodb").list_tables()["TableNames"],
    }


def test_a_guarded_schedule_starts_the_machine_with_the_plain_task(tmp_path: Path) -> None:
    cfg = _config(tmp_path, ("subnet-1", "sg-1"))
    env = cfg.environment("staging")
    jobs = scheduler_jobs()
    d = desired_state(jobs, env, RESOLVED, "digest", "cat.yaml")
    plain = desired_state(jobs, dataclasses.replace(env, guard=None), RESOLVED, "d", "c.yaml")
    [guarded] = d.schedules
    [unguarded] = plain.schedules
    t, p = json.loads(guarded.target), json.loads(unguarded.target)
    assert t["Arn"].endswith(f":stateMachine:{NAME}") and "EcsParameters" not in t
    assert t["RoleArn"].endswith(f":role/{NAME}-events")
    assert t["Input"].count(json.dumps(SCHEDULED_TIME)) == 1
    body = scheduled_input(t["Input"], T1)
    assert body["time"] == T1 and body["job"] == guarded.job_id == unguarded.job_id
    # the very task the unguarded schedule starts, as RunTask parameters
    as_rule = {**p, "EcsParameters": {**p["EcsParameters"], "Tags": [
        {"Key": k, "Value": v} for x in p["EcsParameters"]["Tags"] for k, v in x.items()]}}
    assert body["task"] == run_task_parameters(as_rule)
    assert t["RetryPolicy"] == p["RetryPolicy"] and t["DeadLetterConfig"] == p["DeadLetterConfig"]
    assert ScheduleState.from_live({"Name": guarded.name, "GroupName": GROUP,
                                    "ScheduleExpression": guarded.expression,
                                    "Target": t}).job_id == guarded.job_id


def test_applied_schedule_runs_once_per_scheduled_time(account: MotoServer,
                                                       tmp_path: Path) -> None:
    url = account.url
    # moto keeps executable machines in another backend: switch execution on before apply
    enable_execution(url)
    try:
        plan, again = _apply(url, _config(tmp_path, _network(url)))
        runs, ecs, target = _run(url)
    finally:
        enable_execution(url, on=False)
    assert again.in_sync, again.summary()
    assert not any("scheduler.amazonaws.com" in w for w in plan.warnings), plan.warnings
    trust = client(url, "iam").get_role(RoleName=f"{NAME}-events")["Role"][
        "AssumeRolePolicyDocument"]
    assert "scheduler.amazonaws.com" in json.dumps(trust)
    assert target["Arn"].endswith(f":stateMachine:{NAME}")
    assert [r["status"] for r in runs] == ["SUCCEEDED"] * 3
    assert len(ecs.started) == 2
    job = json.loads(target["Input"])["job"]
    items = client(url, "dynamodb").scan(TableName=NAME)["Items"]
    assert sorted(i["pk"]["S"] for i in items if i["pk"]["S"].startswith("run#")) == [
        f"run#{job}#{T1}", f"run#{job}#{T2}"]
    # the task carries the job's identity as the unguarded schedule's task does
    tags = {t["key"]: t["value"] for t in ecs.started[0]["params"]["tags"]}
    assert tags["migrate:job-id"] == job


def test_switching_the_guard_off_orphans_then_prunes_only_its_own(account: MotoServer,
                                                                   tmp_path: Path) -> None:
    url = account.url
    net = _network(url)
    _apply(url, _config(tmp_path, net))
    assert _guard_resources(url) == {"machines": [NAME], "tables": [NAME],
                                     "roles": [f"{NAME}-events", f"{NAME}-machine"]}
    off = _config(tmp_path, net, guard=None)
    plan, again = _apply(url, off)  # without --prune: back to ECS targets, guard kept
    assert "EcsParameters" in _schedule(url)["Target"]
    assert sorted(again.guard_orphans) == [f"DynamoDB table {NAME}", f"IAM role {NAME}-events",
                                           f"IAM role {NAME}-machine", f"state machine {NAME}"]
    assert not again.in_sync and again.exit_code == 1 and again.guard_removals == ()
    assert len(_guard_resources(url)["roles"]) == 2
    pruned, after = _apply(url, off, prune=True)
    assert [c.api for c in pruned.guard_removals] == [
        "delete_state_machine", "delete_role_policy", "delete_role", "delete_role_policy",
        "delete_role", "delete_table"]
    assert _guard_resources(url) == {"machines": [], "roles": [], "tables": []}
    assert after.in_sync, after.summary()


def test_resources_given_by_arn_or_not_ours_are_never_pruned(account: MotoServer,
                                                             tmp_path: Path) -> None:
    url = account.url
    net = _network(url)
    _apply(url, _config(tmp_path, net))
    acct = "arn:aws:{}:123456789012:{}"
    given = ("{state_machine_arn: " + acct.format("states:ap-northeast-1", f"stateMachine:{NAME}")
             + ", machine_role_arn: " + acct.format("iam:", f"role/{NAME}-machine")
             + ", events_role_arn: " + acct.format("iam:", f"role/{NAME}-events")
             + f", lock_table: {NAME}}}")
    pruned, after = _apply(url, _config(tmp_path, net, guard=given), prune=True)
    assert pruned.guard == pruned.guard_removals == () and pruned.guard_orphans == ()
    assert after.in_sync, after.summary()
    assert len(_guard_resources(url)["roles"]) == 2 and _guard_resources(url)["tables"]
    # a table of the guard's name that migrate did not tag survives too
    client(url, "dynamodb").untag_resource(
        ResourceArn=acct.format("dynamodb:ap-northeast-1", f"table/{NAME}"),
        TagKeys=["migrate:managed-by"])
    pruned, after = _apply(url, _config(tmp_path, net, guard=None), prune=True)
    assert f"DynamoDB table {NAME}" not in pruned.guard_orphans
    assert _guard_resources(url) == {"machines": [], "roles": [], "tables": [NAME]}


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_the_script_prunes_the_guard_as_apply_does(account: MotoServer, tmp_path: Path) -> None:
    url = account.url
    net = _network(url)
    _apply(url, _config(tmp_path, net))
    off = _config(tmp_path, net, guard=None)
    jobs = scheduler_jobs()
    with Connection(off, Endpoints(url), backoff=FAST, workers=2) as conn:
        plan = build_plan(conn, off.environment("staging"), jobs, catalog_digest(jobs),
                          "catalog.yaml", prune=True)
    assert len(plan.guard_removals) == 6
    write_plan_files(plan, plan_steps(plan, NOW), tmp_path / "out")
    script = (tmp_path / "out" / "aws" / "staging.sh").read_text(encoding="utf-8")
    # the schedule and the rules leave the machine before it goes, the table last
    assert script.index("update-schedule") < script.index("delete-state-machine") \
        < script.index("delete-role") < script.index("delete-table")
    done = run_script(tmp_path / "out" / "aws" / "staging.sh", url)
    assert done.returncode == 0, done.stderr
    assert _guard_resources(url) == {"machines": [], "roles": [], "tables": []}
    assert "EcsParameters" in _schedule(url)["Target"]
    with Connection(off, Endpoints(url), backoff=FAST, workers=2) as conn:
        again = build_plan(conn, off.environment("staging"), jobs, catalog_digest(jobs),
                           "catalog.yaml", prune=True)
    assert again.in_sync, again.summary()
