"""Scheduler schedules as desired state: service choice, names, target, limits; and moto's
Scheduler (HTTP server, boto3) accepts the parameters and reads them back unchanged."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from aws_helpers import MotoServer, catalog, client, config

from migrate.aws.desired import DesiredStateError, Resolved, target
from migrate.aws.schedules import (
    ScheduleError,
    ScheduleState,
    group_name,
    job_schedules,
    schedule_names,
    service_for,
    trusts_scheduler,
)
from migrate.aws.state import TAG_ENVIRONMENT, TAG_MANAGED_BY
from migrate.model import Job, SchedulerTarget

RESOLVED = Resolved(
    cluster_arn="arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging",
    task_definitions={
        "batch-app": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch-app",
        "batch-heavy": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch-heavy",
    },
)
ROLE = "arn:aws:iam::123456789012:role/schedulerRole"



def _job(rules_exact: bool, scheduler_exact: bool | None, at: tuple[str, ...] = ()) -> Job:
    cat, _ = catalog()
    job = next(j for j in cat.jobs if j.name == "backup-db")
    sched = None if scheduler_exact is None else SchedulerTarget(
        ("cron(30 2 * * ? *)",), "America/New_York", scheduler_exact, None, at)
    return dataclasses.replace(job, schedule=dataclasses.replace(
        job.schedule, exact=rules_exact, scheduler=sched))


def test_service_choice() -> None:
    assert service_for(_job(False, True), "rules") == "rules"
    assert service_for(_job(False, True), "auto") == "scheduler"
    assert service_for(_job(True, True), "auto") == "rules"  # exact as rules: stays
    assert service_for(_job(False, False), "auto") == "rules"
    assert service_for(_job(False, None), "auto") == "rules"
    assert service_for(_job(True, False), "scheduler") == "scheduler"
    with pytest.raises(DesiredStateError, match="re-scan"):
        service_for(_job(False, None), "scheduler")
    with pytest.raises(DesiredStateError, match="expected one of"):
        service_for(_job(False, True), "lambda")


def test_names_follow_the_rule_names_and_at_schedules_follow() -> None:
    job = _job(False, True, ("at(2027-03-14T03:00:00)",))
    assert schedule_names("stg-", job) == [
        ("stg-backup-db", "cron(30 2 * * ? *)"), ("stg-backup-db-at1", "at(2027-03-14T03:00:00)")]
    long = dataclasses.replace(job, name="x" * 70)
    names = [n for n, _ in schedule_names("stg-", long)]
    assert all(len(n) <= 64 for n in names) and len(set(names)) == 2
    assert group_name("stg-", "staging") == "stg-migrate-staging"


def test_target_is_the_rule_target_with_the_scheduler_role() -> None:
    job = _job(False, True)
    env = config().environment("staging")
    rule_target = target(job, env, RESOLVED, {})
    (s,) = job_schedules(job, "stg-", "stg-migrate-staging", "ENABLED", rule_target, ROLE)
    t = json.loads(s.target)
    assert "Id" not in t and t["RoleArn"] == ROLE
    assert t["Input"] == rule_target["Input"]
    assert t["EcsParameters"]["TaskDefinitionArn"] == rule_target["EcsParameters"][
        "TaskDefinitionArn"]
    assert s.params()["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert s.timezone == "America/New_York"
    assert t["EcsParameters"]["Tags"] == [{"migrate:environment": "staging"},
                                          {"migrate:job-id": job.id}]  # Scheduler's TagList
    assert s.job_id == job.id
    with pytest.raises(ScheduleError, match="256"):
        ScheduleState.build("n", "g", "cron(" + "1," * 200 + ")", "UTC", "ENABLED", "", t)


def test_trust_policy() -> None:
    def doc(service: Any) -> dict[str, Any]:
        return {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": service}}]}
    assert trusts_scheduler(doc("scheduler.amazonaws.com"))
    assert trusts_scheduler(doc(["events.amazonaws.com", "scheduler.amazonaws.com"]))
    assert not trusts_scheduler(doc("events.amazonaws.com"))


def test_moto_accepts_the_schedule_and_reads_it_back(account: MotoServer) -> None:
    scheduler = client(account.url, "scheduler")
    job = _job(False, True)
    env = config().environment("staging")
    group = group_name(env.rule_prefix, env.name)
    scheduler.create_schedule_group(Name=group, Tags=[
        {"Key": TAG_MANAGED_BY, "Value": "migrate"}, {"Key": TAG_ENVIRONMENT, "Value": env.name}])
    (s,) = job_schedules(job, env.rule_prefix, group, "ENABLED",
                         target(job, env, RESOLVED, {}), ROLE)
    scheduler.create_schedule(**s.params())
    live = scheduler.get_schedule(Name=s.name, GroupName=group)
    assert ScheduleState.from_live(live) == s
    tags = scheduler.list_tags_for_resource(
        ResourceArn=scheduler.get_schedule_group(Name=group)["Arn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags}[TAG_ENVIRONMENT] == env.name
