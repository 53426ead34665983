"""apply against a real moto HTTP server on 127.0.0.1 (one per module, reset per test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import flow
import pytest
from aws_helpers import NOW, CallCounter, MotoServer, catalog, client, snapshot

from migrate.aws.clients import AwsError
from migrate.aws.live import PreflightError
from migrate.aws.state import (
    TAG_APPLIED_AT,
    TAG_DIGEST,
    TAG_ENVIRONMENT,
    TAG_JOB_ID,
    TAG_MANAGED_BY,
)

ROOT = Path(__file__).resolve().parents[2]


def _job(name: str) -> Any:
    cat, _ = catalog()
    return next(j for j in cat.jobs if j.name == name)


def _container(state: dict[str, Any], rule: str) -> dict[str, Any]:
    raw = state[rule]["targets"][0]["Input"]
    result: dict[str, Any] = json.loads(raw)["containerOverrides"][0]
    return result


def test_apply_deploys_every_rule_target_and_input_as_the_catalog_says(
    account: MotoServer,
) -> None:
    plan, report = flow.apply(account.url)
    assert report.steps_done == 7 and report.mutating_calls == 14
    state = snapshot(account.url)
    _, digest = catalog()
    assert sorted(state) == sorted([
        "stg-backup-db", "stg-monthly-report", "stg-monthly-report-2", "stg-quoting-torture",
        "stg-mail-digest", "stg-rails-cleanup", "stg-heavy-export"])
    backup = state["stg-backup-db"]
    assert backup["rule"] == {
        "ScheduleExpression": "cron(0 17 * * ? *)", "State": "ENABLED",
        "Description": "0 2 * * * (Asia/Tokyo) from crontab /etc/cron.d/batch:3 on batch1 as "
                       "root; At 02:00 every day (Asia/Tokyo)"}
    assert backup["tags"] == {
        TAG_MANAGED_BY: "migrate", TAG_ENVIRONMENT: "staging", TAG_JOB_ID: "j-backup",
        TAG_DIGEST: digest, TAG_APPLIED_AT: "2026-11-02T09:00:00Z", "team": "batch",
        "cost-center": "42"}
    (target,) = backup["targets"]
    assert target["Arn"] == "arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging"
    assert target["EcsParameters"]["TaskDefinitionArn"].endswith("task-definition/batch-app")
    expected = {
        "stg-backup-db": ["/usr/local/bin/backup", "--full"],
        "stg-monthly-report": ["sh", "-c", "cd /srv/app && bin/report | gzip > /tmp/r.gz"],
        "stg-monthly-report-2": ["sh", "-c", "cd /srv/app && bin/report | gzip > /tmp/r.gz"],
        "stg-quoting-torture": ["sh", "-c", _job("quoting-torture").command.shell],
        "stg-rails-cleanup": list(_job("rails-cleanup").command.argv),
        "stg-heavy-export": ["/opt/export/run.sh"],
    }
    for rule, argv in expected.items():
        assert _container(state, rule)["command"] == argv, rule
        assert _container(state, rule)["name"] == "app"
    assert state["stg-monthly-report-2"]["rule"]["ScheduleExpression"] == "cron(30 21 ? * 1 *)"


def test_special_characters_survive_into_the_input_byte_for_byte(account: MotoServer) -> None:
    flow.apply(account.url)
    state = snapshot(account.url)
    torture = _job("quoting-torture")
    got = _container(state, "stg-quoting-torture")
    assert got["command"][2].encode() == torture.command.shell.encode()
    assert got["environment"][0]["value"].encode() == torture.command.env["GREETING"].encode()
    assert "日本語".encode() in state["stg-quoting-torture"]["targets"][0]["Input"].encode()
    rails = _container(state, "stg-rails-cleanup")["command"]
    assert [a.encode() for a in rails] == [a.encode() for a in _job("rails-cleanup").command.argv]
    digest_env = _container(state, "stg-mail-digest")["environment"]
    assert {"name": "MIGRATE_CRON_STDIN", "value": "line one\nline ½ two"} in digest_env


def test_replan_after_apply_shows_no_changes_and_reapply_makes_no_mutating_call(
    account: MotoServer,
) -> None:
    flow.apply(account.url)
    again = flow.plan(account.url)
    assert again.in_sync and again.exit_code == 0
    counter = CallCounter()
    _, report = flow.apply(account.url, hook=counter.attach)
    assert report.mutating_calls == 0 and counter.mutating == 0
    assert counter.calls["ListRules"] >= 1  # it did read


def test_catalog_change_updates_creates_and_prunes_only_with_prune(account: MotoServer) -> None:
    flow.apply(account.url)
    p = flow.plan(account.url, cat="catalog-v2.yaml")
    assert [c.name for c in p.of("create")] == ["stg-hourly-ping"]
    assert [c.name for c in p.of("orphan")] == ["stg-heavy-export"]
    # the catalog digest changed, so every kept rule gets its digest tag refreshed
    assert {c.name: c.fields for c in p.of("update")} == {
        "stg-backup-db": ("targets", "tags"),
        **{n: ("tags",) for n in ("stg-monthly-report", "stg-monthly-report-2",
                                  "stg-quoting-torture", "stg-mail-digest",
                                  "stg-rails-cleanup")}}
    flow.apply(account.url, cat="catalog-v2.yaml")
    assert "stg-heavy-export" in snapshot(account.url)
    assert flow.plan(account.url, cat="catalog-v2.yaml").exit_code == 1  # the orphan remains
    flow.apply(account.url, cat="catalog-v2.yaml", prune=True)
    state = snapshot(account.url)
    assert "stg-heavy-export" not in state and "stg-hourly-ping" in state
    assert _container(state, "stg-backup-db")["command"] == ["/usr/local/bin/backup",
                                                             "--incremental"]
    assert flow.plan(account.url, cat="catalog-v2.yaml").in_sync


def test_rules_we_do_not_own_are_never_touched(account: MotoServer) -> None:
    events = client(account.url)
    # same name as a desired rule, no tags; and one with our prefix but no ownership tag
    events.put_rule(Name="stg-backup-db", ScheduleExpression="rate(5 minutes)",
                    Description="hand-made")
    events.put_targets(Rule="stg-backup-db",
                       Targets=[{"Id": "mine", "Arn": "arn:aws:sqs:ap-northeast-1:1:q"}])
    events.put_rule(Name="stg-manual", ScheduleExpression="rate(1 hour)",
                    Tags=[{"Key": TAG_MANAGED_BY, "Value": "terraform"}])
    before = snapshot(account.url)
    p, report = flow.apply(account.url, prune=True, force=True)
    assert [c.name for c in p.of("conflict")] == ["stg-backup-db"]
    assert not p.of("delete") and report.steps_done == 6
    after = snapshot(account.url)
    assert after["stg-backup-db"] == before["stg-backup-db"]
    assert after["stg-manual"] == before["stg-manual"]
    assert flow.plan(account.url).exit_code == 1  # the conflict is still reported

    p, _ = flow.apply(account.url, adopt=True)
    assert p.of("update")[0].adopt
    adopted = snapshot(account.url)["stg-backup-db"]
    assert adopted["tags"][TAG_MANAGED_BY] == "migrate"
    assert [t["Id"] for t in adopted["targets"]] == ["migrate"]
    assert adopted["rule"]["ScheduleExpression"] == "cron(0 17 * * ? *)"
    assert flow.plan(account.url).in_sync
    assert snapshot(account.url)["stg-manual"] == before["stg-manual"]


def test_other_environments_rules_are_not_ours(account: MotoServer) -> None:
    flow.apply(account.url, env="production", skip_gate="first production deploy")
    prod = snapshot(account.url)
    flow.apply(account.url, prune=True, force=True)  # staging, prune
    state = snapshot(account.url)
    assert {k: v for k, v in state.items() if k.startswith("prd-")} == prod
    assert sum(k.startswith("stg-") for k in state) == 7


def test_missing_cluster_task_definition_or_container_fail_before_any_change(
    account: MotoServer, monkeypatch: pytest.MonkeyPatch,
) -> None:
    client(account.url, "ecs").delete_cluster(cluster="batch-staging")
    with pytest.raises(PreflightError) as err:
        flow.apply(account.url)
    assert str(err.value) == ("environment staging (ap-northeast-1): cluster 'arn:aws:ecs:"
                              "ap-northeast-1:123456789012:cluster/batch-staging' not found or "
                              "not ACTIVE")
    assert snapshot(account.url) == {}
    account.reset()
    ecs = client(account.url, "ecs")
    ecs.create_cluster(clusterName="batch-staging")
    ecs.register_task_definition(family="batch-app",
                                 containerDefinitions=[{"name": "web", "image": "x", "memory": 64}])
    with pytest.raises(PreflightError) as err:
        flow.apply(account.url)
    assert str(err.value) == ("environment staging (ap-northeast-1): task definition "
                              "'batch-app' has no container 'app' (containers: web)")
    ecs.register_task_definition(family="batch-app",
                                 containerDefinitions=[{"name": "app", "image": "x", "memory": 64}])
    with pytest.raises(PreflightError) as err:
        flow.apply(account.url)
    assert str(err.value) == ("environment staging (ap-northeast-1): task definition "
                              "'batch-heavy' not found")
    assert snapshot(account.url) == {}


def test_unreachable_endpoint_is_a_clean_error(account: MotoServer) -> None:
    with pytest.raises(AwsError) as err:
        flow.plan("http://127.0.0.1:9")
    assert str(err.value).startswith("environment staging (ap-northeast-1): describing cluster "
                                     "arn:aws:ecs:ap-northeast-1:123456789012:cluster/"
                                     "batch-staging: cannot reach AWS:")


def test_the_scanned_sample_catalog_deploys_and_replans_clean(account: MotoServer) -> None:
    """output/catalog.yaml, written by `migrate scan` from samples/, as the lead's golden."""
    scanned = str(ROOT / "output" / "catalog.yaml")
    cat, _ = catalog(scanned)
    # a job whose command still shows a redacted credential is held back (not deployed)
    held = [j for j in cat.jobs if any(f.code == "secret" for f in j.findings)]
    assert held
    expected = sum(len(j.schedule.aws) for j in cat.jobs if j.active and j not in held)
    plan, report = flow.apply(account.url, cat=scanned)
    assert report.steps_done == expected == len(snapshot(account.url))
    assert flow.plan(account.url, cat=scanned).in_sync
    for job in cat.jobs:
        if job.active and job.schedule.aws and job.command.argv is not None:
            rule = plan.of("create")[[c.job_id for c in plan.of("create")].index(job.id)]
            (target,) = rule.desired.target_dicts() if rule.desired else ()
            assert json.loads(target["Input"])["containerOverrides"][0]["command"] == list(
                job.command.argv)


def test_applied_at_is_the_apply_time(account: MotoServer) -> None:
    later = NOW.replace(hour=11)
    flow.apply(account.url, now=later)
    assert snapshot(account.url)["stg-backup-db"]["tags"][TAG_APPLIED_AT] == \
        "2026-11-02T11:00:00Z"
