"""Staging first: production is refused until staging has run the same catalog long enough."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import flow
import pytest
from aws_helpers import NOW, MotoServer, catalog, client, config, snapshot

from migrate.aws.clients import AwsError
from migrate.aws.gate import GateRefused, check_gate
from migrate.aws.guard.deploy import GuardCall
from migrate.aws.state import TAG_DIGEST, TAG_SKIP_GATE


def test_production_is_refused_before_staging_ran_the_catalog(account: MotoServer) -> None:
    with pytest.raises(GateRefused) as err:
        flow.apply(account.url, env="production")
    assert str(err.value) == ("staging has no rules for this catalog: apply this catalog to "
                              "staging first (migrate apply --env staging)")
    assert snapshot(account.url) == {}


def test_production_waits_for_promote_after_then_is_allowed(account: MotoServer) -> None:
    flow.apply(account.url, now=NOW)
    with pytest.raises(GateRefused) as err:
        flow.apply(account.url, env="production", now=NOW + timedelta(hours=1, minutes=30))
    assert str(err.value) == (
        "staging has run this catalog for 1h30m (since 2026-11-02T09:00:00Z); production needs "
        "1d (promote_after): wait until 2026-11-03T09:00:00Z or pass --skip-staging-gate REASON")
    assert not any(k.startswith("prd-") for k in snapshot(account.url))
    plan, report = flow.apply(account.url, env="production", now=NOW + timedelta(hours=24))
    assert report.steps_done == 7
    prod = {k: v for k, v in snapshot(account.url).items() if k.startswith("prd-")}
    assert len(prod) == 7
    assert all(TAG_SKIP_GATE not in v["tags"] for v in prod.values())
    assert prod["prd-backup-db"]["tags"][TAG_DIGEST] == catalog()[1]
    assert prod["prd-backup-db"]["targets"][0]["Arn"].endswith(":cluster/batch-production")


def test_a_different_catalog_in_staging_refuses_production(account: MotoServer) -> None:
    flow.apply(account.url, now=NOW)
    with pytest.raises(GateRefused) as err:
        flow.apply(account.url, env="production", cat="catalog-v2.yaml",
                   now=NOW + timedelta(days=3))
    _, v1 = catalog()
    _, v2 = catalog("catalog-v2.yaml")
    assert str(err.value) == (f"staging rules carry catalog digest {v1[:12]}, this catalog is "
                              f"{v2[:12]}: apply this catalog to staging first (migrate apply "
                              "--env staging)")


def test_staging_drifted_from_the_catalog_refuses_production(account: MotoServer) -> None:
    flow.apply(account.url, now=NOW)
    client(account.url).disable_rule(Name="stg-backup-db")  # someone paused it by hand
    with pytest.raises(GateRefused) as err:
        flow.apply(account.url, env="production", now=NOW + timedelta(days=2))
    assert str(err.value) == ("staging is not in sync with this catalog (0 rules to create, 1 "
                              "to update): apply this catalog to staging first (migrate apply "
                              "--env staging)")


def test_newest_staging_apply_counts(account: MotoServer) -> None:
    flow.apply(account.url, now=NOW)
    flow.apply(account.url, cat="catalog-v2.yaml", now=NOW + timedelta(hours=20))
    with pytest.raises(GateRefused):
        flow.apply(account.url, env="production", cat="catalog-v2.yaml",
                   now=NOW + timedelta(hours=30))
    flow.apply(account.url, env="production", cat="catalog-v2.yaml",
               now=NOW + timedelta(hours=44))


def test_skip_staging_gate_records_the_reason_on_production_rules(account: MotoServer) -> None:
    flow.apply(account.url, env="production", skip_gate="incident 42: staging account down")
    prod = {k: v for k, v in snapshot(account.url).items() if k.startswith("prd-")}
    assert len(prod) == 7
    assert {v["tags"][TAG_SKIP_GATE] for v in prod.values()} == {
        "incident 42: staging account down"}
    # a later apply through the gate that rewrites a rule clears the record on it
    flow.apply(account.url, cat="catalog-v2.yaml", now=NOW)
    flow.apply(account.url, env="production", cat="catalog-v2.yaml",
               now=NOW + timedelta(days=1))
    after = snapshot(account.url)
    assert TAG_SKIP_GATE not in after["prd-backup-db"]["tags"]


def test_skip_staging_gate_needs_a_gated_environment_and_a_reason(account: MotoServer) -> None:
    with pytest.raises(AwsError) as err:
        flow.apply(account.url, skip_gate="because")
    assert str(err.value) == ("environment staging is not gated (no promote_after); "
                              "--skip-staging-gate is for gated environments only")
    with pytest.raises(GateRefused) as err:
        flow.apply(account.url, env="production", skip_gate="  ")
    assert "needs a reason of 1-256 characters" in str(err.value)


def test_gate_without_a_source_environment_is_refused() -> None:
    env = config().environment("production")
    with pytest.raises(GateRefused) as err:
        check_gate(env, None, "d" * 64, NOW)
    assert str(err.value) == ("environment production promotes from 'staging', which is not in "
                              "the config; define it or pass --skip-staging-gate REASON")


def test_staging_whose_run_guard_is_not_applied_refuses_production(account: MotoServer) -> None:
    flow.apply(account.url, now=NOW)
    staging = flow.plan(account.url)
    env, digest = config().environment("production"), catalog()[1]
    later = NOW + timedelta(days=2)
    assert check_gate(env, staging, digest, later).message.endswith("gate passed")
    pending = dataclasses.replace(staging, guard=(GuardCall(
        "stepfunctions", "update_state_machine", {"stateMachineArn": "arn:x"}),))
    with pytest.raises(GateRefused) as err:
        check_gate(env, pending, digest, later)
    assert str(err.value).startswith("staging is not in sync with this catalog (0 rules to "
                                     "create, 1 to update)")
