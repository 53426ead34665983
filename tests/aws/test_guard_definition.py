"""Every generated run-guard definition passes statelint (the Amazon States Language
validator), across the settings that change its shape; and statelint is shown to catch
what it should, so a pass means something."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from statelint.linter import Linter

from migrate.aws.guard.asl import MachineSpec, definition
from migrate.aws.guard.payload import run_task_parameters, task_keys
from migrate.aws.guard.policy import Account, events_policy, machine_policy
from migrate.aws.guard.table import (
    FIRST_YEAR,
    MIN_RETENTION,
    RETENTION_MONTHS,
    TTL_ATTRIBUTE,
    YEARS,
    expiry_table,
)

FARGATE_KEYS = ("Cluster", "LaunchType", "NetworkConfiguration", "Overrides", "PlatformVersion",
                "PropagateTags", "TaskDefinition")
CAPACITY_KEYS = ("CapacityProviderStrategy", "Cluster", "Overrides", "TaskDefinition")
TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"


@pytest.mark.parametrize(("keys", "topic", "attempts", "rate"), list(itertools.product(
    (FARGATE_KEYS, CAPACITY_KEYS), (None, TOPIC), (0, 1, 5), (1.0, 2.5))))
def test_every_definition_passes_statelint(keys: tuple[str, ...], topic: str | None,
                                           attempts: int, rate: float) -> None:
    spec = MachineSpec("locks", keys, retry_attempts=attempts, retry_interval=10,
                       backoff_rate=rate, topic_arn=topic)
    assert Linter.validate(definition(spec)) == []


def test_statelint_rejects_a_broken_definition() -> None:
    d = definition(MachineSpec("locks", FARGATE_KEYS))
    d["States"]["Claim"]["Next"] = "Nowhere"
    assert Linter.validate(d)
    d = definition(MachineSpec("locks", FARGATE_KEYS))
    del d["States"]["JobFailed"]
    assert Linter.validate(d)


def test_waits_follow_the_backoff() -> None:
    assert MachineSpec("t", (), retry_attempts=4, retry_interval=10,
                       backoff_rate=2.0).waits() == [10, 20, 40, 80]
    assert MachineSpec("t", (), retry_attempts=0).waits() == []


def test_the_task_parameters_are_the_ecs_targets() -> None:
    target = {
        "Id": "migrate", "Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
        "RoleArn": "arn:aws:iam::123456789012:role/r",
        "EcsParameters": {
            "TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app",
            "TaskCount": 1, "LaunchType": "FARGATE", "PlatformVersion": "LATEST",
            "PropagateTags": "TASK_DEFINITION", "EnableExecuteCommand": False,
            "NetworkConfiguration": {"awsvpcConfiguration": {
                "Subnets": ["s-1"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}},
        },
        "Input": '{"containerOverrides":[{"name":"app","command":["sh","-c","a > b"],'
                 '"environment":[{"name":"X","value":"1"}]}],"cpu":"512"}',
    }
    p = run_task_parameters(target)
    assert p["Cluster"] == target["Arn"]
    assert p["TaskDefinition"].endswith("task-definition/app")
    assert p["NetworkConfiguration"] == {"AwsvpcConfiguration": {
        "Subnets": ["s-1"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}}
    assert p["Overrides"] == {"ContainerOverrides": [{
        "Name": "app", "Command": ["sh", "-c", "a > b"],
        "Environment": [{"Name": "X", "Value": "1"}]}], "Cpu": "512"}
    assert set(task_keys(p)) <= set(FARGATE_KEYS) | {"EnableExecuteCommand"}


def test_the_role_policy_names_exactly_what_the_machine_touches() -> None:
    acct = Account.of("arn:aws:ecs:eu-west-1:123456789012:cluster/batch")
    p = machine_policy(acct, "arn:aws:ecs:eu-west-1:123456789012:cluster/batch",
                       ["arn:aws:ecs:eu-west-1:123456789012:task-definition/app",
                        "arn:aws:ecs:eu-west-1:123456789012:task-definition/heavy:7"],
                       ["arn:aws:iam::123456789012:role/task"], "locks", "guard", TOPIC)
    by_sid = {s["Sid"]: s for s in p["Statement"]}
    assert by_sid["RunJobTasks"]["Resource"] == [
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/app:*",
        "arn:aws:ecs:eu-west-1:123456789012:task-definition/heavy:7"]
    assert by_sid["SyncRule"]["Resource"] == (
        "arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForECSTaskRule")
    assert by_sid["Locks"]["Resource"] == "arn:aws:dynamodb:eu-west-1:123456789012:table/locks"
    assert by_sid["Alert"] == {"Sid": "Alert", "Effect": "Allow", "Action": "sns:Publish",
                               "Resource": TOPIC}
    assert by_sid["PassTaskRoles"]["Resource"] == ["arn:aws:iam::123456789012:role/task"]
    assert all("*" not in str(s["Action"]) for s in p["Statement"])
    no_topic = machine_policy(acct, "c", ["t"], [], "locks", "guard", None)
    assert {s["Sid"] for s in no_topic["Statement"]} == {
        "RunJobTasks", "TagJobTasks", "FollowTasks", "SyncRule", "Locks", "LeaseHolders"}
    assert by_sid["TagJobTasks"] == {  # RunTask with the job's tags (the alert's identity)
        "Sid": "TagJobTasks", "Effect": "Allow", "Action": "ecs:TagResource",
        "Resource": "arn:aws:ecs:eu-west-1:123456789012:task/batch/*",
        "Condition": {"StringEquals": {"ecs:CreateAction": "RunTask"}}}
    assert events_policy("arn:m")["Statement"][0]["Action"] == "states:StartExecution"


def _first_of_month_after_next(year: int, month: int) -> datetime:
    d = datetime(year, month, 1, tzinfo=UTC)
    for _ in range(RETENTION_MONTHS):
        d = (d + timedelta(days=32)).replace(day=1)
    return d


def test_every_expiry_is_two_month_starts_ahead_and_at_least_28_days_away() -> None:
    table = expiry_table()
    assert len(table) == YEARS and all(len(row) == 12 for row in table)
    for y, row in enumerate(table, FIRST_YEAR):
        for m, text in enumerate(row, 1):
            expires = datetime.fromtimestamp(int(text), UTC)
            assert expires == _first_of_month_after_next(y, m)
            last_second = (datetime(y, m, 1, tzinfo=UTC) + timedelta(days=32)).replace(
                day=1) - timedelta(seconds=1)
            assert expires - last_second >= MIN_RETENTION
            assert expires - datetime(y, m, 1, tzinfo=UTC) <= timedelta(days=62)


def test_every_item_the_machine_writes_carries_its_ttl() -> None:
    states = definition(MachineSpec("locks", FARGATE_KEYS))["States"]
    puts = [s for s in states.values() if s.get("Resource", "").endswith("dynamodb:putItem")]
    assert len(puts) == 4  # Claim, TakeLease, StealLease, RecordSkip
    assert all(TTL_ATTRIBUTE in p["Parameters"]["Item"] for p in puts)
