"""`migrate run`: the RunTask request is the rule target's EcsParameters and Input, key by
key (checked here against an independent statement of RunTask's parameter names), sent to
the in-process sandbox (moto's server) where the task starts and stops."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import FAST, NOW, catalog

from migrate.aws.config import load_config
from migrate.aws.run import RunRefused, Started, run_task_request, start_job, wait_for_task
from migrate.aws.workflow import Connection, build_plan

CONFIG = """\
environments:
  sandbox:
    endpoint: embedded
    region: us-east-1
    cluster: batch-sandbox
    task_definition: batch-app
    container: app
    role_arn: arn:aws:iam::123456789012:role/ecsEventsRole
    launch_type: FARGATE
    platform_version: LATEST
    subnets: [subnet-b, subnet-a]
    security_groups: [sg-sandbox]
    rule_prefix: sbx-
sandbox_state: state.json
"""


@pytest.fixture
def conn(tmp_path: Path) -> Any:
    (tmp_path / "migrate.yaml").write_text(CONFIG, encoding="utf-8")
    with Connection(load_config(tmp_path / "migrate.yaml"), backoff=FAST) as c:
        # moto's backends are global to the process: start from an empty account
        urllib.request.urlopen(urllib.request.Request(
            c.sandbox_for().endpoint_url + "/moto-api/reset", method="POST"), timeout=10).read()
        yield c


def _apply(conn: Any) -> None:
    from migrate.aws.calls import plan_steps
    from migrate.aws.workflow import execute

    env = conn.config.environment("sandbox")
    jobs, digest = catalog()
    plan = build_plan(conn, env, jobs.jobs, digest, "catalog.yaml")
    execute(conn, env, plan_steps(plan, NOW))


def test_run_task_request_is_the_rule_targets_parameters(conn: Any) -> None:
    _apply(conn)
    env = conn.config.environment("sandbox")
    target = conn.client("events", env).list_targets_by_rule(Rule="sbx-backup-db")["Targets"][0]
    sent: list[dict[str, Any]] = []
    ecs = conn.client("ecs", env)
    ecs.meta.events.register("provide-client-params.ecs.RunTask",
                             lambda params, **kw: sent.append(dict(params)))
    jobs, digest = catalog()
    started = start_job(conn, env, jobs.jobs, digest, "catalog.yaml", "j-backup", NOW)
    (request,) = sent
    assert isinstance(started, Started) and started.source == "rule sbx-backup-db"
    p = target["EcsParameters"]
    vpc = p["NetworkConfiguration"]["awsvpcConfiguration"]
    assert request == {
        "cluster": target["Arn"],
        "taskDefinition": p["TaskDefinitionArn"],
        "count": p["TaskCount"],
        "launchType": p["LaunchType"],
        "platformVersion": p["PlatformVersion"],
        "group": p["Group"],
        "propagateTags": p["PropagateTags"],
        "enableECSManagedTags": p["EnableECSManagedTags"],
        "enableExecuteCommand": p["EnableExecuteCommand"],
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": vpc["Subnets"], "securityGroups": vpc["SecurityGroups"],
            "assignPublicIp": vpc["AssignPublicIp"]}},
        "tags": [{"key": t["Key"], "value": t["Value"]} for t in p["Tags"]],
        "overrides": json.loads(target["Input"]),
        "startedBy": "migrate-run",
    }
    task = ecs.describe_tasks(cluster=started.cluster, tasks=[started.task_arn])["tasks"][0]
    assert task["group"] == "migrate:j-backup:backup-db"
    assert task["overrides"]["containerOverrides"][0]["command"] == \
        json.loads(target["Input"])["containerOverrides"][0]["command"]
    outcome = wait_for_task(ecs, started.cluster, started.task_arn, "app", FAST, interval=0)
    assert outcome.exit_code == 0 and outcome.cli_exit == 0


def test_a_job_not_applied_yet_is_refused(conn: Any) -> None:
    env = conn.config.environment("sandbox")
    jobs, digest = catalog()
    with pytest.raises(RunRefused) as err:
        start_job(conn, env, jobs.jobs, digest, "catalog.yaml", "backup-db", NOW)
    assert str(err.value) == ("job backup-db (id j-backup) has no rule in environment "
                              "sandbox: run `migrate apply --env sandbox` first")


def test_an_unknown_ecs_parameter_is_an_error_not_dropped() -> None:
    with pytest.raises(Exception, match="EcsParameters.NewThing: not known"):
        run_task_request({"Arn": "c", "EcsParameters": {"TaskDefinitionArn": "t",
                                                        "NewThing": 1}})


def test_failed_to_start_exits_2_with_the_reason() -> None:
    class Ecs:
        def describe_tasks(self, **kw: Any) -> dict[str, Any]:
            return {"tasks": [{"lastStatus": "STOPPED", "stopCode": "TaskFailedToStart",
                               "stoppedReason": "CannotPullContainerError: not found",
                               "containers": [{"name": "app"}]}]}

    outcome = wait_for_task(Ecs(), "c", "t", "app", FAST, interval=0)
    assert outcome.cli_exit == 2 and outcome.reason.startswith("CannotPullContainerError")
