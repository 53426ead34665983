"""Cut-over of a guarded job on Scheduler (issue 12 meets issue 10), against moto's HTTP
server in a shadow-mode environment: its schedule starts the run guard's state machine, so
the record `migrate:cutover-at` is a task tag of the task in the schedule's input (the run
guard passes it to RunTask); `plan` shows no change afterwards, an update by `apply` keeps
it, rollback removes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_helpers import NOW, MotoServer
from test_aws_cutover_schedules import AT, NAME, _apply, _config, _get, _plan, _switch

from migrate.aws.calls import plan_steps

GUARDED = ("    service: auto\n", "    service: auto\n    guard: stepfunctions\n")
RECORD = {"Key": "migrate:cutover-at", "Value": AT}


def _body(schedule: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(schedule["Target"]["Input"])
    return body


def test_a_guarded_schedule_is_cut_over_kept_and_rolled_back(account: MotoServer,
                                                              tmp_path: Path) -> None:
    cfg = _config(tmp_path, GUARDED)
    _apply(account.url, cfg)
    before = _get(account.url)
    assert before["Target"]["Arn"].endswith(":stateMachine:migrate-guard-staging")
    assert before["State"] == "DISABLED" and RECORD not in _body(before)["task"]["Tags"]

    assert _switch(account.url, cfg, True) == 1
    after = _get(account.url)
    assert after["State"] == "ENABLED"
    assert _body(after)["task"]["Tags"] == _body(before)["task"]["Tags"] + [RECORD]
    assert '"time":"<aws.scheduler.scheduled-time>"' in after["Target"]["Input"]
    plan = _plan(account.url, cfg)
    assert plan.in_sync and not plan_steps(plan, NOW), plan.summary()
    (live,) = [c.live for c in plan.changes if c.name == NAME]
    assert live is not None and live.records == (("migrate:cutover-at", AT),)

    # a changed retry policy updates the schedule: it stays ENABLED, the record stays
    retried = _config(tmp_path, GUARDED, ("maximum_attempts: 2", "maximum_attempts: 5"))
    _apply(account.url, retried)
    kept = _get(account.url)
    assert kept["State"] == "ENABLED" and RECORD in _body(kept)["task"]["Tags"]
    assert kept["Target"]["RetryPolicy"]["MaximumRetryAttempts"] == 5

    assert _switch(account.url, retried, False) == 1
    back = _get(account.url)
    assert back["State"] == "DISABLED" and RECORD not in _body(back)["task"]["Tags"]
    assert back["Target"]["Input"] == before["Target"]["Input"]
    assert _plan(account.url, retried).in_sync
