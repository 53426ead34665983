"""Guarded jobs' rules: the target is the environment's state machine, the input carries
what the plain ECS target would have run; chains leave later jobs without a rule."""

from __future__ import annotations

import dataclasses
from typing import Any

from aws_helpers import FAST, NOW, MotoServer, catalog, client, config
from test_aws_desired import RESOLVED

from migrate.analysis.codes.risk import AT_LEAST_ONCE
from migrate.aws.calls import plan_steps
from migrate.aws.config import Environment
from migrate.aws.desired import desired_state, job_overrides, target
from migrate.aws.guard.payload import render_template, run_task_parameters
from migrate.aws.guard.settings import GuardSettings
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute
from migrate.model import Job

GUARD = GuardSettings(mode="stepfunctions", lock_table="locks", name="migrate-guard-staging")
MACHINE = "arn:aws:states:ap-northeast-1:123456789012:stateMachine:migrate-guard-staging"


def _env(settings: GuardSettings | None = GUARD) -> Environment:
    return dataclasses.replace(config().environment("staging"), guard=settings)


def _jobs(**overrides: dict[str, Any]) -> list[Job]:
    cat, _ = catalog()
    return [dataclasses.replace(j, extra={**j.extra, "overrides": overrides[j.name]})
            if j.name in overrides else j for j in cat.jobs]


def _targets(jobs: list[Job], env: Environment) -> dict[str, dict[str, Any]]:
    d = desired_state(jobs, env, RESOLVED, "digest", "cat.yaml")
    return {r.name: r.target_dicts()[0] for r in d.rules}


def test_a_guarded_rule_starts_the_machine_with_the_plain_targets_task() -> None:
    jobs = _jobs()
    plain = _targets(jobs, _env(None))
    guarded = _targets(jobs, _env())
    assert plain.keys() == guarded.keys()
    owner = desired_state(jobs, _env(), RESOLVED, "digest", "cat.yaml").jobs
    for rule, t in guarded.items():
        assert t["Arn"] == MACHINE
        assert t["RoleArn"].endswith(":role/migrate-guard-staging-events")
        body = render_template(t["InputTransformer"], {"time": "2026-12-04T02:00:00Z"})
        assert body["time"] == "2026-12-04T02:00:00Z" and body["next"] is None
        assert body["task"] == run_task_parameters(plain[rule])
        assert body["job"] == owner[rule]


def test_a_chain_runs_its_followers_inside_the_heads_execution() -> None:
    jobs = _jobs(**{"monthly-report": {"after": "j-backup"}})
    env = _env()
    d = desired_state(jobs, env, RESOLVED, "digest", "cat.yaml")
    assert not any(r.job_id == "j-report" for r in d.rules)
    assert any(s.startswith("monthly-report: runs in the chain of backup-db") for s in d.skipped)
    head = next(r for r in d.rules if r.job_id == "j-backup").target_dicts()[0]
    body = render_template(head["InputTransformer"], {"time": "2026-12-04T02:00:00Z"})
    report = next(j for j in jobs if j.id == "j-report")
    expected = run_task_parameters(target(report, env, RESOLVED,
                                          job_overrides(report, "cat.yaml")))
    assert body["next"]["job"] == "j-report" and body["next"]["task"] == expected
    assert body["next"]["next"] is None


def test_guarded_rules_apply_and_read_back_in_sync(account: MotoServer) -> None:
    cfg = config()
    env = _env()
    cat, digest = catalog()
    with Connection(cfg, Endpoints(account.url), backoff=FAST, workers=2) as conn:
        plan = build_plan(conn, env, cat.jobs, digest, "catalog.yaml")
        execute(conn, env, plan_steps(plan, NOW))
        again = build_plan(conn, env, cat.jobs, digest, "catalog.yaml")
    assert again.in_sync, again.summary()
    events = client(account.url)
    name = plan.changes[0].name
    t = events.list_targets_by_rule(Rule=name)["Targets"][0]
    assert t["Arn"] == MACHINE and "<time>" in t["InputTransformer"]["InputTemplate"]


def test_the_plan_says_which_jobs_are_guarded_and_what_that_resolves() -> None:
    jobs = _jobs(**{"monthly-report": {"after": "j-backup"}})
    backup = next(j for j in jobs if j.id == "j-backup")
    backup.findings.append(AT_LEAST_ONCE.finding("x", "y"))
    d = desired_state(jobs, _env(), RESOLVED, "digest", "cat.yaml")
    line = next(g for g in d.guarded if g.startswith("backup-db"))
    assert line == ("backup-db (id j-backup): overlap allow, max_runtime 86400s; resolves "
                    "at-least-once; then monthly-report")
    assert any(g.startswith("monthly-report (id j-report)") and "runs after backup-db" in g
               for g in d.guarded)
