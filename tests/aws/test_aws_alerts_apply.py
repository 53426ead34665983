"""Failure alerts against moto's HTTP server: the alert rule, the SNS topic and its
subscriptions are created, tagged, planned and pruned like the rules; topics and
subscriptions migrate does not own are never touched; the generated script, run by the
real `aws` CLI, reaches the same state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import (
    AWS_CLI,
    DATA,
    FAST,
    NOW,
    MotoServer,
    catalog,
    client,
    run_script,
    seed,
    snapshot,
)

from migrate.aws.calls import plan_steps
from migrate.aws.config import Config, load_config
from migrate.aws.plan import Plan
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute, write_plan_files

ALERTS = DATA / "alerts" / "migrate.yaml"
TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:migrate-alerts-staging"
PAGER = "arn:aws:sns:ap-northeast-1:123456789012:team-pager"


def _config(text_edit: tuple[str, str] | None = None, tmp: Path | None = None) -> Config:
    if text_edit is None:
        return load_config(ALERTS)
    assert tmp is not None
    path = tmp / "migrate.yaml"
    path.write_text(ALERTS.read_text().replace(*text_edit), encoding="utf-8")
    return load_config(path)


def _plan(url: str, env: str = "staging", cfg: Config | None = None, **flags: bool) -> Plan:
    cfg = cfg or _config()
    jobs, digest = catalog()
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        return build_plan(conn, cfg.environment(env), jobs.jobs, digest, "catalog.yaml", **flags)


def _apply(url: str, env: str = "staging", cfg: Config | None = None, **flags: bool) -> Plan:
    cfg = cfg or _config()
    environment = cfg.environment(env)
    jobs, digest = catalog()
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        plan = build_plan(conn, environment, jobs.jobs, digest, "catalog.yaml", **flags)
        execute(conn, environment, plan_steps(plan, NOW))
    return plan


def topics(url: str) -> dict[str, Any]:
    """Every SNS topic with its policy, tags and subscriptions."""
    sns = client(url, "sns")
    out = {}
    for t in sns.list_topics()["Topics"]:
        arn = t["TopicArn"]
        attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        out[arn] = {
            "policy": json.loads(attrs["Policy"]),
            "tags": {x["Key"]: x["Value"] for x in
                     sns.list_tags_for_resource(ResourceArn=arn)["Tags"]},
            "subscriptions": sorted((s["Protocol"], s["Endpoint"]) for s in
                                    sns.list_subscriptions_by_topic(TopicArn=arn)
                                    ["Subscriptions"]),
        }
    return out


def _without_records(state: dict[str, Any]) -> dict[str, Any]:
    for v in state.values():
        v["tags"].pop("migrate:applied-at", None)
    return state


def test_apply_creates_alert_rule_topic_and_mailto_subscription(account: MotoServer) -> None:
    plan = _apply(account.url)
    assert {c.kind for c in plan.of("create")} == {"rule", "topic", "subscription"}
    rules = snapshot(account.url)
    alert = rules["stg-migrate-alerts"]
    assert alert["tags"]["migrate:managed-by"] == "migrate"
    assert alert["tags"]["migrate:role"] == "alerts"
    (target,) = alert["targets"]
    assert target["Arn"] == TOPIC
    assert "<group>" in target["InputTransformer"]["InputTemplate"]
    pattern = json.loads(client(account.url).describe_rule(Name="stg-migrate-alerts")
                         ["EventPattern"])
    assert pattern["detail"]["clusterArn"] == [
        "arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging"]
    assert rules["stg-backup-db"]["targets"][0]["EcsParameters"]["Group"] == \
        "migrate:j-backup:backup-db"
    topic = topics(account.url)[TOPIC]
    assert topic["tags"]["migrate:environment"] == "staging"
    assert topic["subscriptions"] == [("email", "ops@example.com")]  # the jobs' MAILTO
    (statement,) = topic["policy"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Action"] == "sns:Publish" and statement["Resource"] == TOPIC
    again = _plan(account.url)
    assert again.in_sync, again.summary()
    assert any("backup-db: failures alert SNS topic " + TOPIC in s for s in again.failures_go)


def test_explicit_emails_and_only_failed_for_production(account: MotoServer) -> None:
    _apply(account.url, env="production")
    topic = topics(account.url)[TOPIC.replace("staging", "production")]
    assert topic["subscriptions"] == [("email", "oncall@example.com"),
                                      ("email", "ops@example.com")]
    pattern = json.loads(client(account.url).describe_rule(Name="prd-migrate-alerts")
                         ["EventPattern"])
    assert "TaskFailedToStart" not in json.dumps(pattern["detail"]["$or"][0])
    assert not any(alt.get("stopCode") == ["TaskFailedToStart"]
                   for alt in pattern["detail"]["$or"])


def test_alerts_off_orphans_then_prune_removes_only_ours(account: MotoServer,
                                                         tmp_path: Path) -> None:
    sns = client(account.url, "sns")
    pager = sns.create_topic(Name="team-pager")["TopicArn"]
    sns.subscribe(TopicArn=pager, Protocol="email", Endpoint="someone@example.com")
    _apply(account.url)
    off = _config(("    alerts: {topic: create}            # emails: the jobs' MAILTO "
                   "(ops@example.com)\n", ""), tmp_path)
    kept = _plan(account.url, cfg=off)
    assert sorted(c.kind for c in kept.of("orphan")) == ["rule", "subscription", "topic"]
    assert not kept.of("delete")
    pruned = _apply(account.url, cfg=off, prune=True)
    assert sorted(c.kind for c in pruned.of("delete")) == ["rule", "subscription", "topic"]
    assert "stg-migrate-alerts" not in snapshot(account.url)
    assert list(topics(account.url)) == [pager]
    assert topics(account.url)[pager]["subscriptions"] == [("email", "someone@example.com")]
    assert _plan(account.url, cfg=off, prune=True).in_sync


def test_a_topic_given_by_arn_gets_subscriptions_only(account: MotoServer) -> None:
    sns = client(account.url, "sns")
    sns.create_topic(Name="team-pager")
    sns.subscribe(TopicArn=PAGER, Protocol="email", Endpoint="someone@example.com")
    before_policy = topics(account.url)[PAGER]["policy"]
    plan = _apply(account.url, env="shared", prune=True)
    assert not [c for c in plan.changes if c.kind == "topic"]
    state = topics(account.url)[PAGER]
    assert state["subscriptions"] == [("email", "pager@example.com"),
                                      ("email", "someone@example.com")]
    assert state["tags"] == {} and state["policy"] == before_policy
    assert snapshot(account.url)["shr-migrate-alerts"]["targets"][0]["Arn"] == PAGER
    assert _plan(account.url, env="shared", prune=True).in_sync


def test_a_topic_of_our_name_not_ours_is_a_conflict_left_alone(account: MotoServer) -> None:
    client(account.url, "sns").create_topic(Name="migrate-alerts-staging",
                                            Tags=[{"Key": "owner", "Value": "ops"}])
    plan = _apply(account.url)
    assert [c.kind for c in plan.of("conflict")] == ["topic"]
    assert topics(account.url)[TOPIC]["tags"] == {"owner": "ops"}


@pytest.mark.skipif(not AWS_CLI.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_script_reaches_the_state_apply_reaches(account: MotoServer, tmp_path: Path) -> None:
    plan = _plan(account.url)
    write_plan_files(plan, plan_steps(plan, NOW), tmp_path)
    script = tmp_path / "aws" / "staging.sh"
    text = script.read_text(encoding="utf-8")
    assert text.index("aws_sns create-topic") < text.index("aws_sns subscribe")
    _apply(account.url)
    by_apply = (_without_records(snapshot(account.url)), topics(account.url))
    account.reset()
    seed(account.url)
    done = run_script(script, account.url)
    assert done.returncode == 0, done.stderr
    by_script = (_without_records(snapshot(account.url)), topics(account.url))
    assert by_script == by_apply
    assert _plan(account.url).in_sync


def test_an_apply_stopped_after_the_topic_converges(account: MotoServer) -> None:
    cfg = _config()
    env = cfg.environment("staging")
    jobs, digest = catalog()
    with Connection(cfg, Endpoints(account.url), backoff=FAST, workers=4) as conn:
        plan = build_plan(conn, env, jobs.jobs, digest, "catalog.yaml")
        steps = plan_steps(plan, NOW)
        assert [s.phase for s in steps] == sorted(s.phase for s in steps)
        execute(conn, env, [s for s in steps if s.phase == 0])  # interrupted after the topic
    half = _plan(account.url)
    assert [c.kind for c in half.of("unchanged")] == ["topic"]
    assert len(half.of("create")) == 9  # 8 rules and the subscription
    _apply(account.url)
    assert _plan(account.url).in_sync
    assert topics(account.url)[TOPIC]["subscriptions"] == [("email", "ops@example.com")]
