"""Schedules deployed against moto's HTTP server: the environment's group (tagged ours) and
its schedules are planned, applied, moved to and from rules in one apply, pruned, and left
alone when not ours; the generated script, run by the real `aws` CLI, reaches the same
state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_helpers import (
    AWS_CLI,
    DATA,
    FAST,
    NOW,
    MotoServer,
    client,
    run_script,
    scheduler_jobs,
    schedules,
    seed,
    snapshot,
)

from migrate.aws.apply import SwitchWindow
from migrate.aws.calls import plan_steps
from migrate.aws.clients import AwsError
from migrate.aws.config import Config, load_config
from migrate.aws.desired import DesiredStateError
from migrate.aws.plan import Plan
from migrate.aws.state import RuleState
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute, write_plan_files
from migrate.emit.catalog import catalog_digest

CONFIG = DATA / "scheduler" / "migrate.yaml"
GROUP = "stg-migrate-staging"
IN_WINDOW = SwitchWindow(now=lambda: 1_800_000_030.0, sleep=lambda s: None)


def _config(tmp: Path | None = None, edit: tuple[str, str] | None = None) -> Config:
    if edit is None:
        return load_config(CONFIG)
    assert tmp is not None
    path = tmp / "migrate.yaml"
    path.write_text(CONFIG.read_text().replace(*edit), encoding="utf-8")
    return load_config(path)


def _plan(url: str, cfg: Config | None = None, env: str = "staging", **flags: bool) -> Plan:
    cfg = cfg or _config()
    jobs = scheduler_jobs()
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        return build_plan(conn, cfg.environment(env), jobs, catalog_digest(jobs),
                          "catalog.yaml", **flags)


def _apply(url: str, cfg: Config | None = None, env: str = "staging",
           window: SwitchWindow = IN_WINDOW, every: bool = False, **flags: bool) -> Plan:
    cfg = cfg or _config()
    jobs = scheduler_jobs(every)
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        conn.switch_window = window
        plan = build_plan(conn, cfg.environment(env), jobs, catalog_digest(jobs),
                          "catalog.yaml", **flags)
        execute(conn, cfg.environment(env), plan_steps(plan, NOW))
    return plan


def _trusting(url: str, *services: str) -> None:
    client(url, "iam").create_role(RoleName="ecsEventsRole", AssumeRolePolicyDocument=json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                        "Principal": {"Service": list(services)}}]}))


def test_auto_puts_jobs_exact_only_on_scheduler_there(account: MotoServer,
                                                      tmp_path: Path) -> None:
    as_rules = _plan(account.url, _config(tmp_path, ("    service: auto\n", "")))
    (rule,) = [c.desired for c in as_rules.changes if c.name == "stg-backup-db"]
    assert isinstance(rule, RuleState)
    _trusting(account.url, "events.amazonaws.com", "scheduler.amazonaws.com")
    plan = _apply(account.url)
    assert plan.on_scheduler == ("backup-db: Scheduler in America/New_York (exact only "
                                 "there; rules are not)",)
    assert not any("trust" in w for w in plan.warnings)
    rules = snapshot(account.url)
    assert "stg-backup-db" not in rules and "stg-monthly-report" in rules
    group = schedules(account.url)[GROUP]
    assert group["tags"]["migrate:managed-by"] == "migrate"
    assert group["tags"]["migrate:environment"] == "staging"
    s = group["schedules"]["stg-backup-db"]
    assert s["ScheduleExpression"] == "cron(30 2 * * ? *)"
    assert s["ScheduleExpressionTimezone"] == "America/New_York"
    assert s["FlexibleTimeWindow"] == {"Mode": "OFF"}
    t = s["Target"]
    assert t["RetryPolicy"] == {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600}
    assert t["DeadLetterConfig"]["Arn"].endswith("batch-dlq")
    assert t["RoleArn"].endswith("role/ecsEventsRole")
    (rule_target,) = rule.target_dicts()
    assert t["Input"] == rule_target["Input"]  # the same code builds both
    same = {k: v for k, v in rule_target["EcsParameters"].items() if k != "Tags"}
    assert {k: t["EcsParameters"][k] for k in same} == same
    assert t["Arn"] == rule_target["Arn"]
    assert {"migrate:job-id": "j-backup"} in t["EcsParameters"]["Tags"]
    assert _plan(account.url).in_sync


def test_the_role_trust_policy_is_checked(account: MotoServer) -> None:
    unread = _plan(account.url)
    assert any("cannot read the trust policy" in w for w in unread.warnings)
    _trusting(account.url, "events.amazonaws.com")
    plan = _plan(account.url)
    assert any("does not trust scheduler.amazonaws.com" in w for w in plan.warnings)


def test_moving_a_job_is_one_apply_without_prune(account: MotoServer, tmp_path: Path) -> None:
    rules_only = _config(tmp_path, ("    service: auto\n", ""))
    _apply(account.url, rules_only)
    assert "stg-backup-db" in snapshot(account.url)
    plan = _plan(account.url)
    moved = [c for c in plan.changes if c.moved]
    assert [(c.kind, c.action, c.name) for c in moved] == [("rule", "delete", "stg-backup-db")]
    steps = plan_steps(plan, NOW)
    (switch,) = [s for s in steps if s.switch]
    assert [c.api for c in switch.calls] == ["create_schedule", "remove_targets",
                                             "delete_rule"]  # the new home first
    assert switch.phase > max(s.phase for s in steps if s.calls[0].api ==
                              "create_schedule_group")
    _apply(account.url)
    assert "stg-backup-db" not in snapshot(account.url)
    assert "stg-backup-db" in schedules(account.url)[GROUP]["schedules"]
    assert _plan(account.url).in_sync
    back = _apply(account.url, rules_only)  # and back: the schedule goes, the group stays
    assert [c.name for c in back.changes if c.moved] == ["stg-backup-db"]
    assert "stg-backup-db" in snapshot(account.url)
    assert schedules(account.url)[GROUP]["schedules"] == {}
    assert [c.kind for c in _plan(account.url, rules_only).of("orphan")] == ["schedule-group"]
    _apply(account.url, rules_only, prune=True)
    assert schedules(account.url) == {}
    assert _plan(account.url, rules_only, prune=True).in_sync


def test_switch_window_waits_for_a_safe_second_and_reports_a_crossed_minute(
        account: MotoServer, tmp_path: Path) -> None:
    slept: list[float] = []
    for second, wait in ((5.0, 15.0), (30.0, 0.0), (50.0, 30.0)):
        slept.clear()
        SwitchWindow(now=lambda s=second: 1_800_000_000.0 + s, sleep=slept.append).enter()
        assert sum(slept) == wait
    rules_only = _config(tmp_path, ("    service: auto\n", ""))
    _apply(account.url, rules_only)
    ticks = iter([1_800_000_030.0, 1_800_000_030.0, 1_800_000_061.0])
    slow = SwitchWindow(now=lambda: next(ticks), sleep=lambda s: None)
    with pytest.raises(AwsError, match="may have run twice or not at all"):
        _apply(account.url, window=slow)


def test_a_group_not_ours_is_never_written_to(account: MotoServer) -> None:
    sch = client(account.url, "scheduler")
    sch.create_schedule_group(Name=GROUP, Tags=[{"Key": "owner", "Value": "ops"}])
    theirs = {"Name": "stg-backup-db", "GroupName": GROUP, "ScheduleExpression": "rate(1 day)",
              "FlexibleTimeWindow": {"Mode": "OFF"},
              "Target": {"Arn": "arn:aws:sqs:ap-northeast-1:123456789012:q",
                         "RoleArn": "arn:aws:iam::123456789012:role/x"}}
    sch.create_schedule(**theirs)
    before = schedules(account.url)
    plan = _apply(account.url)
    assert sorted(c.kind for c in plan.of("conflict")) == ["schedule", "schedule-group"]
    assert schedules(account.url) == before
    adopted = _apply(account.url, adopt=True)
    assert {c.kind for c in adopted.of("update")} == {"schedule", "schedule-group"}
    after = schedules(account.url)[GROUP]
    assert after["tags"]["migrate:environment"] == "staging"
    assert after["schedules"]["stg-backup-db"]["ScheduleExpression"] == "cron(30 2 * * ? *)"
    assert _plan(account.url).in_sync


def test_an_unowned_schedule_in_another_group_survives_prune(account: MotoServer) -> None:
    sch = client(account.url, "scheduler")
    sch.create_schedule_group(Name="other")
    sch.create_schedule(Name="stg-backup-db", GroupName="other", ScheduleExpression="rate(1 day)",
                        FlexibleTimeWindow={"Mode": "OFF"},
                        Target={"Arn": "arn:aws:sqs:ap-northeast-1:123456789012:q",
                                "RoleArn": "arn:aws:iam::123456789012:role/x"})
    _apply(account.url, prune=True)
    assert list(schedules(account.url)["other"]["schedules"]) == ["stg-backup-db"]


def test_schedule_quota_is_checked_before_anything_changes(account: MotoServer,
                                                           tmp_path: Path) -> None:
    tight = _config(tmp_path, ("    service: auto\n", "    service: auto\n    schedule_quota: 1\n"))
    sch = client(account.url, "scheduler")
    sch.create_schedule(Name="someone-else", ScheduleExpression="rate(1 day)",
                        FlexibleTimeWindow={"Mode": "OFF"},
                        Target={"Arn": "arn:aws:sqs:ap-northeast-1:123456789012:q",
                                "RoleArn": "arn:aws:iam::123456789012:role/x"})
    plan = _plan(account.url, tight)
    assert plan.exit_code == 2
    assert any("2 EventBridge Scheduler schedules" in e and "quota of 1" in e
               for e in plan.errors)


def test_scheduler_service_moves_every_job_with_a_target_with_its_own_role(
        account: MotoServer) -> None:
    with pytest.raises(DesiredStateError, match="no schedule.scheduler"):
        _apply(account.url, env="shared")  # a catalog from before Scheduler targets
    plan = _apply(account.url, env="shared", every=True)
    names = {c.name for c in plan.of("create") if c.kind == "schedule"}
    assert {"shr-backup-db", "shr-monthly-report"} <= names
    assert not [c for c in plan.of("create") if c.kind == "rule"]
    t = schedules(account.url)["shr-migrate-shared"]["schedules"]["shr-backup-db"]["Target"]
    assert t["RoleArn"] == "arn:aws:iam::123456789012:role/schedulerRole"


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_script_reaches_the_state_apply_reaches(account: MotoServer, tmp_path: Path) -> None:
    plan = _plan(account.url)
    write_plan_files(plan, plan_steps(plan, NOW), tmp_path)
    script = tmp_path / "aws" / "staging.sh"
    text = script.read_text(encoding="utf-8")
    assert text.index("aws_scheduler create-schedule-group") < text.index(
        "aws_scheduler create-schedule ")
    _apply(account.url)
    by_apply = (snapshot(account.url), schedules(account.url))
    account.reset()
    seed(account.url)
    done = run_script(script, account.url)
    assert done.returncode == 0, done.stderr
    by_script = (snapshot(account.url), schedules(account.url))
    for rules in (by_apply[0], by_script[0]):
        for r in rules.values():
            r["tags"].pop("migrate:applied-at", None)
    assert by_script == by_apply
    assert _plan(account.url).in_sync
