"""The run guard executed: generated definitions run in moto's Step Functions interpreter
against moto's DynamoDB, ECS and SNS (see guard_harness.py), and behaviour is asserted."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import datetime
from typing import Any

import pytest
from aws_helpers import MotoServer, client
from guard_harness import (
    EcsScript,
    Outcome,
    enable_execution,
    scripted_ecs,
    stop_execution,
    wait_for,
)

from migrate.aws.guard.asl import MachineSpec, definition
from migrate.aws.guard.payload import GuardedStep, execution_input, render_template
from migrate.aws.guard.payload import input_transformer as transformer
from migrate.aws.guard.table import create_table_params, expires_path, expiry

TABLE = "migrate-guard-test"
T1 = "2026-12-04T02:00:00Z"


class World:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sfn = client(url, "stepfunctions")
        self.ddb = client(url, "dynamodb")
        ecs = self.ecs = client(url, "ecs")
        self.cluster = ecs.create_cluster(clusterName="guarded")["cluster"]["clusterArn"]
        self.taskdef = ecs.register_task_definition(
            family="batch-app",
            containerDefinitions=[{"name": "app", "image": "busybox", "memory": 512}],
            requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
            memory="512")["taskDefinition"]["taskDefinitionArn"]
        ec2 = client(url, "ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        # moto's awsvpc tasks need DNS hostnames on (it names the task's ENI)
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
        self.subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        self.sg = ec2.create_security_group(GroupName="batch", Description="batch",
                                            VpcId=vpc)["GroupId"]
        self.ddb.create_table(**create_table_params(TABLE, {}))
        sns = client(url, "sns")
        sqs = client(url, "sqs")
        self.topic = sns.create_topic(Name="alerts")["TopicArn"]
        self.queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
        qarn = sqs.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=self.topic, Protocol="sqs", Endpoint=qarn)
        self.sqs = sqs
        role = client(url, "iam").create_role(RoleName="guard", AssumeRolePolicyDocument="{}")
        self.role = role["Role"]["Arn"]
        spec = MachineSpec(TABLE, ("Cluster", "LaunchType", "NetworkConfiguration",
                                   "Overrides", "TaskDefinition"),
                           retry_attempts=2, retry_interval=1, backoff_rate=1.0,
                           topic_arn=self.topic)
        self.machine = self.sfn.create_state_machine(
            name="guard", definition=json.dumps(definition(spec)),
            roleArn=role["Role"]["Arn"])["stateMachineArn"]

    def step(self, job: str, overlap: str = "allow", command: str = "true") -> GuardedStep:
        return GuardedStep(job, overlap, 3600, {
            "Cluster": self.cluster, "TaskDefinition": self.taskdef, "LaunchType": "FARGATE",
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [self.subnet],
                                                             "SecurityGroups": [self.sg],
                                                             "AssignPublicIp": "DISABLED"}},
            "Overrides": {"ContainerOverrides": [{"Name": "app", "Command": [command],
                                                  "Environment": []}]},
        })

    def start(self, steps: list[GuardedStep], time: str = T1) -> str:
        # the input exactly as the rule's input transformer renders it for this event
        event = {"time": time, "detail-type": "Scheduled Event", "source": "aws.events"}
        body = render_template(transformer(steps), event)
        assert body == execution_input(steps, time)
        arn: str = self.sfn.start_execution(stateMachineArn=self.machine,
                                            name=uuid.uuid4().hex,
                                            input=json.dumps(body))["executionArn"]
        return arn

    def tasks(self) -> int:
        """Tasks moto's ECS ran (RunTask calls that placed a task)."""
        return len(self.ecs.list_tasks(cluster=self.cluster)["taskArns"])

    def items(self, prefix: str) -> list[dict[str, Any]]:
        got = self.ddb.scan(TableName=TABLE)["Items"]
        return [i for i in got if i["pk"]["S"].startswith(prefix)]

    def alerts(self) -> list[str]:
        out = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10)
        return [json.loads(m["Body"])["Message"] for m in out.get("Messages", [])]


@pytest.fixture
def world(moto_sfn: MotoServer) -> World:
    moto_sfn.reset()
    enable_execution(moto_sfn.url)
    return World(moto_sfn.url)


def test_same_scheduled_time_twice_runs_one_task(world: World) -> None:
    with scripted_ecs(EcsScript()) as ecs:
        a = wait_for(world.sfn, world.start([world.step("job-a")]))
        b = wait_for(world.sfn, world.start([world.step("job-a")]))
        c = wait_for(world.sfn, world.start([world.step("job-a")], "2026-12-05T02:00:00Z"))
    assert [a["status"], b["status"], c["status"]] == ["SUCCEEDED"] * 3
    assert world.tasks() == 2 and len(ecs.started) == 2  # T1 once, the next day once
    runs = world.items("run#job-a#")
    assert sorted(i["scheduled_time"]["S"] for i in runs) == [T1, "2026-12-05T02:00:00Z"]
    # both expire on 2027-02-01 (table.py): DynamoDB's TTL attribute, epoch seconds
    assert [i["expires"] for i in runs] == [{"N": "1801440000"}] * 2
    assert runs[0]["execution"]["S"] in (a["executionArn"], c["executionArn"])


def test_overlapping_starts_with_skip_run_one_task_and_record_the_skip(world: World) -> None:
    script = EcsScript([Outcome(hold=3.0)])
    with scripted_ecs(script) as ecs:
        first = world.start([world.step("job-b", "skip")], T1)
        while not ecs.started:  # the first run is inside its task now
            threading.Event().wait(0.05)
        second = wait_for(world.sfn, world.start([world.step("job-b", "skip")],
                                                 "2026-12-04T02:01:00Z"))
        done = wait_for(world.sfn, first)
    assert second["status"] == done["status"] == "SUCCEEDED"
    assert world.tasks() == 1 and len(ecs.started) == 1
    skips = world.items("skip#job-b#")
    assert [s["held_by"]["S"] for s in skips] == [first]
    assert [s["expires"] for s in skips] == [{"N": str(expiry(2026, 12))}]
    assert world.items("lease#") == []  # released after the run
    # the lease was released: the next scheduled time runs again
    with scripted_ecs(EcsScript()) as ecs2:
        wait_for(world.sfn, world.start([world.step("job-b", "skip")], "2026-12-04T03:00:00Z"))
    assert world.tasks() == 2 and len(ecs2.started) == 1


def test_failed_to_start_twice_then_success_is_retried(world: World) -> None:
    script = EcsScript([Outcome.failed_to_start(), Outcome.failed_to_start(), Outcome()])
    with scripted_ecs(script) as ecs:
        out = wait_for(world.sfn, world.start([world.step("job-c", "skip")]))
    assert out["status"] == "SUCCEEDED"
    assert world.tasks() == 3 and len(ecs.started) == 3  # two that never started, one that ran
    assert world.alerts() == []
    assert world.items("lease#") == []


def test_failed_to_start_beyond_the_attempts_fails_and_alerts(world: World) -> None:
    script = EcsScript([Outcome.failed_to_start()] * 5)
    with scripted_ecs(script) as ecs:
        out = wait_for(world.sfn, world.start([world.step("job-d")]))
    assert out["status"] == "FAILED"
    assert world.tasks() == 3 and len(ecs.started) == 3  # first attempt + retry_attempts=2
    assert len(world.alerts()) == 1


def test_container_exit_1_is_not_retried_and_alerts_and_releases(world: World) -> None:
    with scripted_ecs(EcsScript([Outcome(exit=1)])) as ecs:
        out = wait_for(world.sfn, world.start([world.step("job-e", "skip")]))
    assert out["status"] == "FAILED"
    assert world.tasks() == 1 and len(ecs.started) == 1
    alerts = world.alerts()
    assert len(alerts) == 1 and "job-e" in alerts[0] and T1 in alerts[0]
    assert world.items("lease#") == []


def test_chain_runs_b_after_a_succeeded_only(world: World) -> None:
    chain = [world.step("job-a", command="export"), world.step("job-b", command="upload")]
    with scripted_ecs(EcsScript()) as ecs:
        ok = wait_for(world.sfn, world.start(chain))
    assert ok["status"] == "SUCCEEDED"
    commands = [s["params"]["overrides"]["containerOverrides"][0]["command"]
                if "overrides" in s["params"]
                else s["params"]["Overrides"]["ContainerOverrides"][0]["Command"]
                for s in ecs.started]
    assert commands == [["export"], ["upload"]]
    assert {i["job"]["S"] for i in world.items("run#")} == {"job-a", "job-b"}

    with scripted_ecs(EcsScript([Outcome(exit=2)])) as ecs:
        failed = wait_for(world.sfn, world.start(chain, "2026-12-05T02:00:00Z"))
    assert failed["status"] == "FAILED"
    assert world.tasks() == 3 and len(ecs.started) == 1  # A failed, B never started
    assert len(world.alerts()) == 1


def test_scheduled_time_reaches_the_execution_through_the_transformer(world: World) -> None:
    t = transformer([world.step("job-z", command="cat <in> out")])
    assert "<in>" not in t["InputTemplate"]  # only <time> is a placeholder
    body = render_template(t, {"time": T1})
    assert body["time"] == T1
    assert body["task"]["Overrides"]["ContainerOverrides"][0]["Command"] == ["cat <in> out"]


def test_a_lease_left_by_a_stopped_execution_is_taken_over(world: World) -> None:
    with scripted_ecs(EcsScript([Outcome(hold=30.0)])) as ecs:
        first = world.start([world.step("job-f", "skip")], T1)
        while not ecs.started:
            threading.Event().wait(0.05)
        stopped = stop_execution(world.sfn, first)  # by hand: the lease stays behind
        assert stopped["status"] == "ABORTED"
        [lease] = world.items("lease#job-f")
        assert lease["holder"]["S"] == first
        taken = datetime.fromisoformat(lease["taken_at"]["S"].replace("Z", "+00:00"))
        assert lease["expires"]["N"] == str(expiry(taken.year, taken.month))
    with scripted_ecs(EcsScript()) as ecs2:
        out = wait_for(world.sfn, world.start([world.step("job-f", "skip")],
                                              "2026-12-04T03:00:00Z"))
    assert out["status"] == "SUCCEEDED"
    names = [e["stateEnteredEventDetails"]["name"] for e in out["events"]
             if "stateEnteredEventDetails" in e]
    assert len(ecs2.started) == 1 and world.items("skip#") == [], names


@pytest.mark.parametrize(("time", "year", "month"), [
    ("2020-01-01T00:00:00Z", 2020, 1), ("2028-02-29T23:59:59Z", 2028, 2),
    ("2026-12-31T23:59:00Z", 2026, 12), ("2119-12-31T23:59:59Z", 2119, 12),
    ("2026-03-08T10:00:00.123+00:00", 2026, 3)])  # $$.State.EnteredTime's form in moto
def test_the_expiry_expression_evaluates_in_the_interpreter(world: World, time: str,
                                                            year: int, month: int) -> None:
    assert _expiry_in_moto(world, time) == ("SUCCEEDED", str(expiry(year, month)))


def test_a_time_beyond_the_table_fails_rather_than_expiring_wrongly(world: World) -> None:
    assert _expiry_in_moto(world, "2120-01-01T00:00:00Z")[0] == "FAILED"


def _expiry_in_moto(world: World, time: str) -> tuple[str, str | None]:
    machine = world.sfn.create_state_machine(
        name=f"expiry-{uuid.uuid4().hex[:8]}", roleArn=world.role,
        definition=json.dumps({"StartAt": "E", "States": {"E": {
            "Type": "Pass", "Parameters": {"v.$": expires_path("$.t")}, "End": True}}}),
    )["stateMachineArn"]
    out = wait_for(world.sfn, world.sfn.start_execution(
        stateMachineArn=machine, input=json.dumps({"t": time}))["executionArn"])
    value = json.loads(out["output"])["v"] if out["status"] == "SUCCEEDED" else None
    return out["status"], value
