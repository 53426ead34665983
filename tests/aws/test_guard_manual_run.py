"""`migrate run` of guarded jobs and of jobs on EventBridge Scheduler, on moto's HTTP server:
applied first, then started with `aws.run.start_job`. Guarded runs execute in moto's
interpreter (guard_harness.py), so what is asserted is what the guard did: tasks started,
duplicates and skips recorded, the outcome `--wait` reports."""

from __future__ import annotations

import dataclasses
import json
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aws_helpers import DATA, FAST, MotoServer, catalog, client, scheduler_jobs
from click.testing import CliRunner
from guard_harness import EcsScript, Outcome, enable_execution, scripted_ecs, wait_for
from test_guard_scheduler import _network

from migrate.aws.calls import plan_steps
from migrate.aws.config import Environment, load_config
from migrate.aws.guard.manual import (
    JobEnd,
    execution_name,
    scheduled_time,
    wait_for_execution,
)
from migrate.aws.guard.payload import render_template
from migrate.aws.guard.wrap import scheduled_input
from migrate.aws.run import GuardStarted, RunRefused, Started, start_job
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute
from migrate.cli import cli
from migrate.emit.catalog import catalog_digest
from migrate.model import Job

NOW = datetime(2026, 11, 2, 9, 0, 27, tzinfo=UTC)
T = "2026-11-02T09:00:00Z"  # NOW as a scheduled time
GROUP = "stg-migrate-staging"
CONFIG = """\
environments:
  staging:
    region: ap-northeast-1
    cluster: batch-staging
    task_definition: batch-app
    container: app
    launch_type: FARGATE
    subnets: [{subnet}]
    security_groups: [{sg}]
    role_arn: arn:aws:iam::123456789012:role/ecsEventsRole
    rule_prefix: stg-
    service: auto
{guard}"""
GUARD = ("    guard: {mode: stepfunctions, retry: {attempts: 1, interval: 1s, "
         "backoff_rate: 1.0}}\n")


@pytest.fixture(scope="module")
def moto(moto_sfn: MotoServer) -> MotoServer:
    return moto_sfn


@pytest.fixture
def url(account: MotoServer) -> Iterator[str]:
    # moto keeps executable machines in another backend: execution on before apply
    enable_execution(account.url)
    yield account.url
    enable_execution(account.url, on=False)


class Deployed:
    """An environment applied to moto: a connection to it and the catalog's jobs."""

    def __init__(self, url: str, tmp: Path, jobs: list[Job], guard: str = GUARD) -> None:
        subnet, sg = _network(url)
        path = tmp / "migrate.yaml"
        path.write_text(CONFIG.format(subnet=subnet, sg=sg, guard=guard), encoding="utf-8")
        self.url = url
        self.jobs = jobs
        self.digest = catalog_digest(jobs)
        self.conn = Connection(load_config(path), Endpoints(url), backoff=FAST, workers=2)
        self.env: Environment = self.conn.config.environment("staging")

    def apply(self) -> Deployed:
        plan = build_plan(self.conn, self.env, self.jobs, self.digest, "catalog.yaml")
        assert not plan.errors, plan.errors
        execute(self.conn, self.env, plan_steps(plan, NOW))
        return self

    def run(self, ref: str, now: datetime = NOW, token: str = "t1") -> Started | GuardStarted:
        return start_job(self.conn, self.env, self.jobs, self.digest, "catalog.yaml", ref,
                         now, token)

    def guarded(self, ref: str, now: datetime = NOW, token: str = "t1") -> GuardStarted:
        started = self.run(ref, now, token)
        assert isinstance(started, GuardStarted)
        return started

    def sent(self, service: str, operation: str) -> list[dict[str, Any]]:
        """The parameters of every `operation` call the connection's client sends."""
        c = self.conn.client(service, self.env)
        calls: list[dict[str, Any]] = []
        name = c.meta.service_model.service_id.hyphenize()
        c.meta.events.register(f"provide-client-params.{name}.{operation}",
                               lambda params, **kw: calls.append(dict(params)))
        return calls

    def outcome(self, arn: str) -> Any:
        return wait_for_execution(self.conn.client("stepfunctions", self.env), arn, "app",
                                  FAST, interval=0.05)


def _with(jobs: list[Job], **extra: dict[str, Any]) -> list[Job]:
    return [dataclasses.replace(j, extra={**j.extra, **extra[j.name]}) if j.name in extra
            else j for j in jobs]


@pytest.mark.parametrize(("ref", "kind"), [("monthly-report", "rule"),
                                           ("backup-db", "schedule")])
def test_a_guarded_job_starts_its_guard_with_the_targets_input_and_runs_one_task(
        url: str, tmp_path: Path, ref: str, kind: str) -> None:
    d = Deployed(url, tmp_path, scheduler_jobs()).apply()
    if kind == "rule":
        target = client(url).list_targets_by_rule(Rule=f"stg-{ref}")["Targets"][0]
        expected = render_template(target["InputTransformer"], {"time": T})
    else:
        target = client(url, "scheduler").get_schedule(Name=f"stg-{ref}",
                                                       GroupName=GROUP)["Target"]
        expected = scheduled_input(target["Input"], T)
    sent = d.sent("stepfunctions", "StartExecution")
    with scripted_ecs(EcsScript()) as ecs:
        started = d.guarded(ref)
        done = wait_for(d.conn.client("stepfunctions", d.env), started.execution_arn)
    (call,) = sent
    assert call["stateMachineArn"] == target["Arn"] == started.machine_arn
    assert json.loads(call["input"]) == expected == started.input
    assert expected["time"] == T and expected["job"] in call["name"]
    assert call["name"].startswith("migrate-run-20261102T0900Z-t1-j-")
    assert started.source.startswith(kind)
    assert done["status"] == "SUCCEEDED"
    (task,) = ecs.started  # the job's own task: its command, group and tags
    params = task["params"]
    assert params["overrides"]["containerOverrides"][0]["command"] == \
        expected["task"]["Overrides"]["ContainerOverrides"][0]["Command"]
    assert params["group"] == expected["task"]["Group"]
    assert {"key": "migrate:job-id", "value": expected["job"]} in params["tags"]
    items = client(url, "dynamodb").scan(TableName="migrate-guard-staging")["Items"]
    assert [i["pk"]["S"] for i in items] == [f"run#{expected['job']}#{T}"]


def test_the_same_minute_twice_runs_one_task_the_next_minute_again(url: str,
                                                                    tmp_path: Path) -> None:
    d = Deployed(url, tmp_path, scheduler_jobs()).apply()
    with scripted_ecs(EcsScript()) as ecs:
        first = d.outcome(d.guarded("monthly-report").execution_arn)
        again = d.outcome(d.guarded("monthly-report", NOW + timedelta(seconds=30),
                                    "t2").execution_arn)
        later = d.outcome(d.guarded("monthly-report", NOW + timedelta(seconds=32),
                                    "t3").execution_arn)
        next_minute = d.outcome(d.guarded("monthly-report", NOW + timedelta(minutes=1),
                                          "t4").execution_arn)
    assert len(ecs.started) == 2
    assert first.jobs == next_minute.jobs == (JobEnd("j-report", "ran", 1),)
    assert again.jobs == later.jobs == (JobEnd("j-report", "duplicate"),)
    assert [o.status for o in (first, again, next_minute)] == ["SUCCEEDED"] * 3
    assert (first.cli_exit, again.cli_exit) == (0, 1)
    assert "recorded duplicate" in "\n".join(again.lines())


def test_overlap_skip_skips_a_manual_run_while_a_run_holds_the_lease(url: str,
                                                                     tmp_path: Path) -> None:
    jobs = _with(scheduler_jobs(), **{"monthly-report": {"overrides": {"overlap": "skip"},
                                                         "max_runtime": "30m"}})
    d = Deployed(url, tmp_path, jobs).apply()
    with scripted_ecs(EcsScript([Outcome(hold=3.0)])) as ecs:
        holder = d.guarded("monthly-report")
        while not ecs.started:  # the first run is inside its task
            threading.Event().wait(0.05)
        skipped = d.outcome(d.guarded("monthly-report", NOW + timedelta(minutes=5),
                                      "t2").execution_arn)
        ran = d.outcome(holder.execution_arn)
    assert holder.input["overlap"] == "skip"
    assert skipped.jobs == (JobEnd("j-report", "skipped"),) and skipped.cli_exit == 1
    assert ran.jobs == (JobEnd("j-report", "ran", 1),) and len(ecs.started) == 1


def test_wait_reports_the_containers_exit_code_and_failing_to_start(url: str,
                                                                    tmp_path: Path) -> None:
    d = Deployed(url, tmp_path, scheduler_jobs()).apply()
    script = EcsScript([Outcome(exit=3), Outcome.failed_to_start(), Outcome.failed_to_start(),
                        Outcome.failed_to_start(), Outcome()])
    with scripted_ecs(script) as ecs:
        exited = d.outcome(d.guarded("monthly-report").execution_arn)
        never = d.outcome(d.guarded("monthly-report", NOW + timedelta(minutes=1),
                                    "t2").execution_arn)
        retried = d.outcome(d.guarded("monthly-report", NOW + timedelta(minutes=2),
                                      "t3").execution_arn)
    assert exited.status == "FAILED" and exited.cli_exit == 3
    assert exited.jobs == (JobEnd("j-report", "failed", 1, 3, "EssentialContainerExited"),)
    assert never.status == "FAILED" and never.cli_exit == 2  # 1 attempt + 1 retry
    assert never.jobs[0].verdict == "failed" and never.jobs[0].attempts == 2
    assert never.jobs[0].stop_code == "TaskFailedToStart"
    assert retried.jobs == (JobEnd("j-report", "ran", 2),) and retried.cli_exit == 0
    assert len(ecs.started) == 5


def test_a_chained_job_runs_from_its_step_then_its_successors(url: str,
                                                             tmp_path: Path) -> None:
    cat, _ = catalog()
    jobs = _with(list(cat.jobs), **{"monthly-report": {"overrides": {"after": "j-backup"}}})
    d = Deployed(url, tmp_path, jobs)
    with pytest.raises(RunRefused) as err:
        d.run("monthly-report")
    assert str(err.value) == (
        "job monthly-report (id j-report) runs in the chain of backup-db (after: j-backup), "
        "whose first job has no rule or schedule in environment staging: run `migrate apply "
        "--env staging` first")
    d.apply()
    head = client(url).list_targets_by_rule(Rule="stg-backup-db")["Targets"][0]
    whole = render_template(head["InputTransformer"], {"time": T})
    with scripted_ecs(EcsScript()) as ecs:
        alone = d.guarded("monthly-report")
        out = d.outcome(alone.execution_arn)
        chain = d.outcome(d.guarded("backup-db", token="t2").execution_arn)
    assert alone.source == "rule stg-backup-db"
    assert alone.input == {**whole["next"], "time": T}  # what the guard's ChainNext passes
    assert out.jobs == (JobEnd("j-report", "ran", 1),)
    # the whole chain at the same minute: the head runs, its successor is a duplicate
    assert chain.jobs == (JobEnd("j-backup", "ran", 1), JobEnd("j-report", "duplicate"))
    commands = [s["params"]["overrides"]["containerOverrides"][0]["command"]
                for s in ecs.started]
    assert commands == [whole["next"]["task"]["Overrides"]["ContainerOverrides"][0]["Command"],
                        whole["task"]["Overrides"]["ContainerOverrides"][0]["Command"]]


def test_an_unguarded_schedule_job_runs_the_schedules_task(url: str, tmp_path: Path) -> None:
    d = Deployed(url, tmp_path, scheduler_jobs(), guard="").apply()
    target = client(url, "scheduler").get_schedule(Name="stg-backup-db",
                                                   GroupName=GROUP)["Target"]
    sent = d.sent("ecs", "RunTask")
    started = d.run("backup-db")
    assert isinstance(started, Started) and started.source == f"schedule {GROUP}/stg-backup-db"
    (request,) = sent
    p = target["EcsParameters"]
    vpc = p["NetworkConfiguration"]["awsvpcConfiguration"]
    assert request == {  # Scheduler's members, in RunTask's names (tags: one-entry maps)
        "cluster": target["Arn"],
        "taskDefinition": p["TaskDefinitionArn"],
        "count": p["TaskCount"],
        "launchType": p["LaunchType"],
        "group": p["Group"],
        "propagateTags": p["PropagateTags"],
        "enableECSManagedTags": p["EnableECSManagedTags"],
        "enableExecuteCommand": p["EnableExecuteCommand"],
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": vpc["Subnets"], "securityGroups": vpc["SecurityGroups"],
            "assignPublicIp": vpc["AssignPublicIp"]}},
        "tags": [{"key": k, "value": v} for t in p["Tags"] for k, v in t.items()],
        "overrides": json.loads(target["Input"]),
        "startedBy": "migrate-run",
    }
    task = client(url, "ecs").describe_tasks(cluster=started.cluster,
                                             tasks=[started.task_arn], include=["TAGS"])["tasks"][0]
    assert task["group"] == "migrate:j-backup:backup-db"
    assert {"key": "migrate:job-id", "value": "j-backup"} in task["tags"]


def test_a_job_not_deployed_or_not_ours_is_refused_without_a_call(url: str,
                                                                  tmp_path: Path) -> None:
    d = Deployed(url, tmp_path, scheduler_jobs())
    starts, runs = d.sent("stepfunctions", "StartExecution"), d.sent("ecs", "RunTask")
    for ref, what in (("monthly-report", "rule"), ("backup-db", "schedule")):
        with pytest.raises(RunRefused) as err:
            d.run(ref)
        assert str(err.value).endswith(f"has no {what} in environment staging: run "
                                       "`migrate apply --env staging` first")
    # a schedule group of that name migrate did not create: its schedules are not ours
    client(url, "scheduler").create_schedule_group(Name=GROUP)
    with pytest.raises(RunRefused) as err:
        d.run("backup-db")
    assert str(err.value) == ("job backup-db (id j-backup): its schedule stg-backup-db in "
                              "staging is not managed by migrate for this environment; "
                              "migrate runs only what it owns")
    assert starts == [] and runs == []


def test_scheduled_time_and_execution_name() -> None:
    tokyo = datetime(2026, 12, 4, 11, 0, 59, 999999, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert scheduled_time(tokyo) == "2026-12-04T02:00:00Z"
    name = execution_name("j/ä b:" + "x" * 100, "2026-12-04T02:00:00Z", "1a2b3c4d")
    assert name.startswith("migrate-run-20261204T0200Z-1a2b3c4d-j-b-xxx") and len(name) == 80
    assert re.fullmatch(r"[0-9A-Za-z_-]{1,80}", name)


def test_the_cli_waits_for_the_guard_and_exits_as_it_decided(url: str, tmp_path: Path) -> None:
    cat, _ = catalog()
    Deployed(url, tmp_path, list(cat.jobs)).apply()
    args = ["run", "monthly-report", "--env", "staging", "--config", str(tmp_path / "migrate.yaml"),
            "--catalog", str(DATA / "catalog.yaml"), "--endpoint-url", url, "--wait"]
    pinned = {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    with scripted_ecs(EcsScript([Outcome(), Outcome(exit=4)])) as ecs:
        ran = CliRunner().invoke(cli, args, env=pinned)
        again = CliRunner().invoke(cli, args, env=pinned)
        later = CliRunner().invoke(cli, args, env={"SOURCE_DATE_EPOCH": str(
            int(NOW.timestamp()) + 60)})
    assert (ran.exit_code, again.exit_code, later.exit_code) == (0, 1, 4), ran.output
    assert len(ecs.started) == 2
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("Started monthly-report (id j-report) in staging through its "
                               "run guard (rule stg-monthly-report): arn:aws:states:")
    assert lines[1].startswith(f"Scheduled time {T}: ")
    assert lines[2:] == [f"Execution SUCCEEDED: {lines[0].rsplit(' ', 1)[1]}",
                         "  j-report: ran"]
    assert again.stdout.splitlines()[-1] == (
        "  j-report: not run: this scheduled time already ran (recorded duplicate)")
    assert later.stdout.splitlines()[-2:] == ["  j-report: failed: exit code 4",
                                              "  migrate.JobFailed: the job's task failed; "
                                              "see the execution's history"]
