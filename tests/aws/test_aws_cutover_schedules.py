"""Cut-over of jobs deployed as EventBridge Scheduler schedules, against moto's HTTP server,
in a shadow-mode (`state: DISABLED`) environment: `set_cutover` enables exactly the chosen
job's schedules and records `migrate:cutover-at` among the target's task tags; `plan` then
shows no change and `apply` keeps it (through boto3 and through the generated CLI script);
rollback disables it and removes the record. A job caught between rules and Scheduler by an
interrupted move has both, and both are switched; a cut-over job that moves lands enabled."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
    snapshot,
)

from migrate.aws.apply import SwitchWindow
from migrate.aws.calls import plan_steps
from migrate.aws.config import Config, load_config
from migrate.aws.cutover import NotDeployed, job_resources, set_cutover, update_params
from migrate.aws.cutover_record import Deployed
from migrate.aws.plan import Plan
from migrate.aws.schedule_state import ScheduleState
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute, write_plan_files
from migrate.emit.catalog import catalog_digest

CONFIG = DATA / "scheduler" / "shadow.yaml"
NAME, GROUP, JOB = "stg-backup-db", "stg-migrate-staging", "j-backup"
CUT = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
AT = "2026-12-04T20:00:00Z"
RECORD = {"migrate:cutover-at": AT}
IN_WINDOW = SwitchWindow(now=lambda: 1_800_000_030.0, sleep=lambda s: None)
JOBS = scheduler_jobs()
DIGEST = catalog_digest(JOBS)


def _config(tmp: Path, *edits: tuple[str, str]) -> Config:
    text = CONFIG.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp / f"migrate-{len(list(tmp.glob('migrate-*.yaml')))}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _plan(url: str, cfg: Config) -> Plan:
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=2) as conn:
        return build_plan(conn, cfg.environment("staging"), JOBS, DIGEST, "catalog.yaml")


def _apply(url: str, cfg: Config) -> Plan:
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=2) as conn:
        conn.switch_window = IN_WINDOW
        env = cfg.environment("staging")
        plan = build_plan(conn, env, JOBS, DIGEST, "catalog.yaml")
        execute(conn, env, plan_steps(plan, NOW))
    return plan


def _deployed(url: str, cfg: Config, digest: str = DIGEST) -> list[Deployed]:
    return job_resources(client(url), client(url, "scheduler"), cfg.environment("staging"),
                         [JOB], digest, FAST)[JOB]


def _switch(url: str, cfg: Config, enable: bool) -> int:
    """`migrate cutover` (enable) or `rollback` of the job, AWS half; returns the calls."""
    return set_cutover(client(url), client(url, "scheduler"), cfg.environment("staging"),
                       _deployed(url, cfg), enable, CUT, FAST)


def _get(url: str, name: str = NAME) -> dict[str, Any]:
    got = client(url, "scheduler").get_schedule(Name=name, GroupName=GROUP)
    return {k: v for k, v in got.items()
            if k not in ("ResponseMetadata", "CreationDate", "LastModificationDate")}


def _task_tags(schedule: dict[str, Any]) -> list[dict[str, str]]:
    return list(schedule["Target"]["EcsParameters"]["Tags"])


def test_cutover_enables_and_records_apply_keeps_it_rollback_removes_it(
        account: MotoServer, tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    with pytest.raises(NotDeployed, match="no rule or schedule migrate owns"):
        _deployed(account.url, cfg)
    _apply(account.url, cfg)
    rules, before = snapshot(account.url), _get(account.url)
    assert before["State"] == "DISABLED" and RECORD not in _task_tags(before)
    assert [(r.kind, r.name) for r in _deployed(account.url, cfg)] == [("schedule", NAME)]
    with pytest.raises(NotDeployed, match=f"{NAME} applied from another catalog"):
        _deployed(account.url, cfg, "0" * 64)

    assert _switch(account.url, cfg, True) == 1  # one UpdateSchedule
    after = _get(account.url)
    assert after["State"] == "ENABLED" and _task_tags(after) == _task_tags(before) + [RECORD]
    same = {k: v for k, v in after.items() if k not in ("State", "Target")}
    assert same == {k: v for k, v in before.items() if k not in ("State", "Target")}
    target = dict(after["Target"], EcsParameters=dict(after["Target"]["EcsParameters"],
                                                      Tags=_task_tags(before)))
    assert target == before["Target"]  # the schedule sent back whole
    assert snapshot(account.url) == rules  # the other jobs' rules stay in shadow mode
    assert _switch(account.url, cfg, True) == 0  # again: a no-op

    plan = _plan(account.url, cfg)
    assert plan.in_sync and not plan_steps(plan, NOW)  # `plan`: no changes
    (live,) = [c.live for c in plan.changes if c.name == NAME]
    assert isinstance(live, ScheduleState) and live.records == tuple(RECORD.items())
    _apply(account.url, cfg)
    assert _get(account.url) == after  # apply keeps it enabled, and its record

    assert _switch(account.url, cfg, False) == 1
    assert _get(account.url) == before and snapshot(account.url) == rules
    assert _switch(account.url, cfg, False) == 0
    assert _plan(account.url, cfg).in_sync


@pytest.mark.parametrize("by", ["apply", "script"])
def test_an_update_by_apply_or_its_script_keeps_the_cutover(
        account: MotoServer, tmp_path: Path, by: str) -> None:
    if by == "script" and not AWS_CLI.exists():
        pytest.skip("the aws CLI (awscli) is in the test extra")
    cfg = _config(tmp_path)
    _apply(account.url, cfg)
    _switch(account.url, cfg, True)
    retried = _config(tmp_path, ("maximum_attempts: 2", "maximum_attempts: 5"))
    plan = _plan(account.url, retried)
    (change,) = [c for c in plan.of("update") if c.name == NAME]
    assert change.fields == ("target",)  # UpdateSchedule replaces all: State and the record go too
    if by == "apply":
        _apply(account.url, retried)
    else:
        write_plan_files(plan, plan_steps(plan, NOW), tmp_path / "out")
        done = run_script(tmp_path / "out" / "aws" / "staging.sh", account.url)
        assert done.returncode == 0, done.stderr
    got = _get(account.url)
    assert got["State"] == "ENABLED" and RECORD in _task_tags(got)
    assert got["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 5
    assert snapshot(account.url)["stg-monthly-report"]["rule"]["State"] == "DISABLED"
    assert _plan(account.url, retried).in_sync


def test_a_job_with_a_rule_and_a_schedule_has_both_switched(account: MotoServer,
                                                            tmp_path: Path) -> None:
    """An apply moving the job to Scheduler broke off after creating the schedule: the job
    has its old rule and its new schedule; cut-over enables both, the next apply finishes
    the move and keeps the schedule cut over."""
    cfg, rules_only = _config(tmp_path), _config(tmp_path, ("service: auto", "service: rules"))
    _apply(account.url, rules_only)
    steps = plan_steps(_plan(account.url, cfg), NOW)
    (switch,) = [s for s in steps if s.switch]
    assert [c.api for c in switch.calls][0] == "create_schedule"
    broken = [s for s in steps if not s.switch]
    broken.append(dataclasses.replace(switch, calls=switch.calls[:1], switch=False))
    with Connection(cfg, Endpoints(account.url), backoff=FAST, workers=2) as conn:
        execute(conn, cfg.environment("staging"), broken)
    both = _deployed(account.url, cfg)
    assert [(r.kind, r.name, r.state) for r in both] == [("rule", NAME, "DISABLED"),
                                                         ("schedule", NAME, "DISABLED")]
    assert _switch(account.url, cfg, True) == 3  # enable_rule, tag_resource, update_schedule
    rule = snapshot(account.url)[NAME]
    assert rule["rule"]["State"] == "ENABLED" and rule["tags"]["migrate:cutover-at"] == AT
    assert _get(account.url)["State"] == "ENABLED"
    assert _switch(account.url, cfg, True) == 0

    _apply(account.url, cfg)
    assert NAME not in snapshot(account.url)
    got = _get(account.url)
    assert got["State"] == "ENABLED" and RECORD in _task_tags(got)
    assert _plan(account.url, cfg).in_sync


def test_a_cut_over_job_moving_between_rules_and_scheduler_lands_enabled(
        account: MotoServer, tmp_path: Path) -> None:
    cfg, rules_only = _config(tmp_path), _config(tmp_path, ("service: auto", "service: rules"))
    _apply(account.url, rules_only)
    assert _switch(account.url, rules_only, True) == 2  # enable_rule, tag_resource
    _apply(account.url, cfg)  # to Scheduler: the schedule is created cut over
    got = _get(account.url)
    assert got["State"] == "ENABLED" and RECORD in _task_tags(got)
    assert NAME not in snapshot(account.url) and _plan(account.url, cfg).in_sync
    _apply(account.url, rules_only)  # and back: the rule is created cut over
    rule = snapshot(account.url)[NAME]
    assert rule["rule"]["State"] == "ENABLED" and rule["tags"]["migrate:cutover-at"] == AT
    back = _plan(account.url, rules_only)  # no change; the emptied group is left (orphan)
    assert not back.has_changes and [c.kind for c in back.of("orphan")] == ["schedule-group"]
    assert _switch(account.url, rules_only, False) == 2  # disable_rule, untag_resource
    rule = snapshot(account.url)[NAME]
    assert rule["rule"]["State"] == "DISABLED" and "migrate:cutover-at" not in rule["tags"]


def _current(start: datetime | None) -> dict[str, Any]:
    """A GetSchedule response with settings migrate does not write (set by hand)."""
    return {
        "Arn": f"arn:aws:scheduler:ap-northeast-1:123456789012:schedule/{GROUP}/{NAME}",
        "Name": NAME, "GroupName": GROUP, "CreationDate": CUT, "LastModificationDate": CUT,
        "ScheduleExpression": "cron(30 2 * * ? *)", "ScheduleExpressionTimezone": "Asia/Tokyo",
        "State": "DISABLED", "Description": "backup", "KmsKeyArn": "arn:aws:kms:k",
        "EndDate": CUT + timedelta(days=30), "ActionAfterCompletion": "NONE",
        "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 5},
        **({"StartDate": start} if start else {}),
        "Target": {"Arn": "arn:aws:ecs:c", "RoleArn": "arn:aws:iam::1:role/r",
                   "EcsParameters": {"TaskDefinitionArn": "arn:aws:ecs:t",
                                     "Tags": [{"migrate:job-id": JOB}]}},
    }


def test_update_params_send_the_whole_schedule_with_state_and_record_changed() -> None:
    current = _current(CUT - timedelta(days=1))
    p = update_params(current, True, CUT)
    assert p["State"] == "ENABLED"
    assert p["Target"]["EcsParameters"]["Tags"] == [{"migrate:job-id": JOB}, RECORD]
    kept = {"Name", "GroupName", "ScheduleExpression", "ScheduleExpressionTimezone",
            "Description", "KmsKeyArn", "EndDate", "ActionAfterCompletion",
            "FlexibleTimeWindow"}
    assert set(p) == kept | {"State", "Target"}  # no Arn, dates of the resource, StartDate
    assert {k: p[k] for k in kept} == {k: current[k] for k in kept}
    later = CUT + timedelta(hours=1)
    assert update_params(_current(later), True, CUT)["StartDate"] == later  # still ahead
    back = update_params({**current, **p}, False, CUT)
    assert back["State"] == "DISABLED"
    assert back["Target"] == current["Target"]


def test_the_record_is_a_task_tag_kept_apart_from_the_compared_target() -> None:
    live = _current(None)
    live["Target"]["EcsParameters"]["Tags"].append(RECORD)
    s = ScheduleState.from_live(live)
    assert s.records == tuple(RECORD.items()) and s.tag("migrate:cutover-at") == AT
    assert s.job_id == JOB and "cutover" not in s.target
    plain = ScheduleState.from_live(_current(None))
    assert plain.differences(s) == () and plain.records == ()
    assert s.params()["Target"]["EcsParameters"]["Tags"][-1] == RECORD
    assert RECORD not in plain.params()["Target"]["EcsParameters"]["Tags"]
