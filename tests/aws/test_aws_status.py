"""`migrate status` and the evidence gate, on metric data put into moto's CloudWatch.

Scenarios: every job ran as expected; one job missed two runs; one had failed
invocations; a failure alert; no data at all; CloudWatch refusing the call. Expected counts
below are worked out by hand from the catalog's expressions for the window (not by the code
under test)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aws_helpers import DATA, FAST, NOW, FaultProxy, MotoServer, catalog, client
from click.testing import CliRunner, Result

from migrate.aws.calls import plan_steps
from migrate.aws.config import load_config
from migrate.aws.gate import GateRefused
from migrate.aws.workflow import Connection, Endpoints, build_plan, check_promotion, execute
from migrate.cli import cli

CONFIG = DATA / "alerts" / "migrate.yaml"
CATALOG = str(DATA / "catalog.yaml")
APPLIED = NOW - timedelta(days=3)
# `status --since 2d` at NOW: window 2026-10-31T08:45Z .. 2026-11-02T08:45Z
TWO_DAYS = {
    "stg-backup-db": 2,  # 17:00 on 10-31 and 11-01
    "stg-monthly-report": 1,  # L: 10-31 21:30
    "stg-monthly-report-2": 1,  # Sunday 11-01 21:30
    "stg-quoting-torture": 576,  # every 5 minutes, 2 days
    "stg-mail-digest": 2,  # 08:00 on 11-01 and 11-02
    "stg-rails-cleanup": 2,  # 03:15 on 11-01 and 11-02
    "stg-heavy-export": 1,  # Sunday 11-01 04:00
}
# the gate at NOW: promote_after 24h -> 2026-11-01T08:45Z .. 2026-11-02T08:45Z
ONE_DAY = {"stg-backup-db": 1, "stg-monthly-report": 0, "stg-monthly-report-2": 1,
           "stg-quoting-torture": 288, "stg-mail-digest": 1, "stg-rails-cleanup": 1,
           "stg-heavy-export": 0}


def _apply_staging(url: str) -> None:
    cfg = load_config(CONFIG)
    env = cfg.environment("staging")
    jobs, digest = catalog()
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        plan = build_plan(conn, env, jobs.jobs, digest, CATALOG)
        execute(conn, env, plan_steps(plan, APPLIED))


def _put(url: str, counts: dict[str, int], metric: str = "TriggeredRules",
         at: datetime = NOW - timedelta(hours=12)) -> None:
    cw = client(url, "cloudwatch")
    data = [{"MetricName": metric, "Dimensions": [{"Name": "RuleName", "Value": rule}],
             "Timestamp": at, "Value": float(n), "Unit": "Count"}
            for rule, n in counts.items() if n]
    for i in range(0, len(data), 20):
        cw.put_metric_data(Namespace="AWS/Events", MetricData=data[i:i + 20])


def _ran(url: str, counts: dict[str, int]) -> None:
    _put(url, counts)
    _put(url, counts, "Invocations")


def status(url: str, tmp: Path, since: str = "2d") -> Result:
    epoch = str(int(NOW.timestamp()))
    return CliRunner().invoke(cli, ["status", "--env", "staging", "--since", since,
                                    "--config", str(CONFIG), "--catalog", CATALOG,
                                    "--endpoint-url", url, "-o", str(tmp)],
                              env={"SOURCE_DATE_EPOCH": epoch})


def _table(result: Result) -> dict[str, list[str]]:
    rows = [line.split() for line in result.stdout.splitlines()]
    return {r[0]: r[1:] for r in rows if r and r[0] in
            ("backup-db", "monthly-report", "quoting-torture", "mail-digest", "rails-cleanup",
             "heavy-export")}


def test_all_ran_is_healthy(account: MotoServer, tmp_path: Path) -> None:
    _apply_staging(account.url)
    _ran(account.url, TWO_DAYS)
    result = status(account.url, tmp_path)
    assert result.exit_code == 0, result.output
    table = _table(result)
    assert table["backup-db"] == ["2", "2", "2", "-", "ok"]
    assert table["monthly-report"] == ["2", "2", "2", "-", "ok"]
    assert table["quoting-torture"] == ["576", "(575-577)", "576", "576", "-", "ok"]
    assert "staging: healthy: 6 of 6 jobs as expected, 0 failed tasks alerted" in result.stdout
    report = json.loads((tmp_path / "status-staging.json").read_text())
    assert report["healthy"] and report["metric_calls"] == 1
    assert "| backup-db | 2 | 2 | 2 | - | ok |" in (tmp_path / "status-staging.md").read_text()


def test_missed_runs_failed_invocations_and_alerts_are_flagged(account: MotoServer,
                                                               tmp_path: Path) -> None:
    _apply_staging(account.url)
    _ran(account.url, {**TWO_DAYS, "stg-mail-digest": 0, "stg-quoting-torture": 574})
    _put(account.url, {"stg-rails-cleanup": 1}, "FailedInvocations")
    result = status(account.url, tmp_path)
    assert result.exit_code == 1, result.output
    table = _table(result)
    assert table["mail-digest"] == ["2", "-", "-", "-", "no", "data"]  # nothing recorded
    assert table["quoting-torture"][-2:] == ["missed", "2"]
    assert table["rails-cleanup"][-3:] == ["1", "failed", "invocations"]
    assert table["backup-db"][-1] == "ok"
    _put(account.url, {"stg-migrate-alerts": 1})  # one failed task matched the alert rule
    _put(account.url, {"stg-mail-digest": 2})
    _put(account.url, {"stg-mail-digest": 2}, "Invocations")
    again = status(account.url, tmp_path)
    assert "1 failed tasks alerted" in again.stdout and again.exit_code == 1


def test_no_data_is_never_healthy(account: MotoServer, tmp_path: Path) -> None:
    _apply_staging(account.url)
    result = status(account.url, tmp_path)
    assert result.exit_code == 1
    assert "staging: no data: CloudWatch has no AWS/Events datapoints for any of its 6 jobs" \
        in result.stdout


def test_cloudwatch_refusing_is_one_error_line(account: MotoServer, tmp_path: Path) -> None:
    _apply_staging(account.url)
    proxy = FaultProxy(account.port, lambda target, n: (403, "AccessDeniedException")
                       if target.endswith("GetMetricData") else None)
    try:
        result = status(proxy.url, tmp_path)
    finally:
        proxy.close()
    assert result.exit_code == 2, str(proxy.seen)
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: CloudWatch GetMetricData: ")


def _gate(url: str) -> str:
    cfg = load_config(CONFIG)
    jobs, digest = catalog()
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        return check_promotion(conn, cfg.environment("production"), jobs.jobs, digest,
                               CATALOG, NOW).message


def test_gate_passes_on_evidence(account: MotoServer) -> None:
    _apply_staging(account.url)
    _ran(account.url, ONE_DAY)
    assert _gate(account.url).endswith("staging healthy over 2026-11-01T08:45Z .. "
                                       "2026-11-02T08:45Z: all 6 jobs ran as expected, "
                                       "no failures")


def test_gate_refuses_and_lists_the_jobs(account: MotoServer) -> None:
    _apply_staging(account.url)
    _ran(account.url, {**ONE_DAY, "stg-backup-db": 0, "stg-quoting-torture": 286})
    _put(account.url, {"stg-rails-cleanup": 2}, "FailedInvocations")
    with pytest.raises(GateRefused) as err:
        _gate(account.url)
    assert str(err.value) == (
        "staging is not healthy over 2026-11-01T08:45Z .. 2026-11-02T08:45Z (promote_requires:"
        " healthy): 3 jobs not as expected: backup-db (no data), quoting-torture (missed 2), "
        "rails-cleanup (2 failed invocations). See `migrate status --env staging`; fix, or "
        "pass --skip-staging-gate REASON")


def test_gate_refuses_without_data(account: MotoServer) -> None:
    _apply_staging(account.url)
    with pytest.raises(GateRefused, match="staging shows no evidence: CloudWatch has no"):
        _gate(account.url)
