"""`migrate plan` / `migrate apply` in-process (click's CliRunner) against moto over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_helpers import DATA, MotoServer, client, snapshot
from click.testing import CliRunner, Result

from migrate.cli import cli
from migrate.cli import deploy as commands

CONFIG = str(DATA / "migrate.yaml")
CATALOG = str(DATA / "catalog.yaml")


def run(args: list[str], tmp: Path, url: str | None = None, input: str | None = None,
        env: dict[str, str] | None = None) -> Result:
    full = [*args, "--config", CONFIG, "--catalog", CATALOG]
    if url is not None:
        full += ["--endpoint-url", url]
    if args[0] == "plan":
        full += ["-o", str(tmp / "output")]
    return CliRunner().invoke(cli, full, input=input, env=env)


def test_plan_exit_codes_and_files(account: MotoServer, tmp_path: Path) -> None:
    first = run(["plan", "--env", "staging"], tmp_path, account.url)
    assert first.exit_code == 1, first.output
    assert first.stdout.startswith("Plan for staging (ap-northeast-1), catalog ")
    assert "7 to create, 0 to update, 0 to delete, 0 unchanged" in first.stdout
    out = tmp_path / "output"
    assert (out / "plan-staging.md").read_text().startswith("# Plan: staging (ap-northeast-1)")
    assert json.loads((out / "plan-staging.json").read_text())["summary"]["create"] == 7
    assert (out / "aws" / "staging.sh").exists()
    applied = run(["apply", "--env", "staging", "--yes"], tmp_path, account.url)
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.endswith("Applied to staging: 7 rules changed with 14 calls.\n")
    again = run(["plan", "--env", "staging"], tmp_path, account.url)
    assert again.exit_code == 0, again.output
    assert "No changes: the account matches the catalog." in again.stdout
    noop = run(["apply", "--env", "staging", "--yes"], tmp_path, account.url)
    assert noop.exit_code == 0 and noop.stdout.endswith("Nothing to apply.\n")


def test_aws_endpoint_url_is_honoured(account: MotoServer, tmp_path: Path) -> None:
    result = run(["plan", "--env", "staging"], tmp_path, env={"AWS_ENDPOINT_URL": account.url})
    assert result.exit_code == 1, result.output
    assert f"- Endpoint: `{account.url}`" in (tmp_path / "output" / "plan-staging.md").read_text()


def test_apply_refuses_without_a_terminal_and_without_yes(account: MotoServer,
                                                           tmp_path: Path) -> None:
    result = run(["apply", "--env", "staging"], tmp_path, account.url)
    assert result.exit_code == 2
    assert result.stderr == ("Error: refusing to apply without confirmation: no terminal to ask "
                             "on; pass --yes to apply non-interactively\n")
    assert snapshot(account.url) == {}


def test_apply_asks_on_a_terminal_and_shows_progress(
    account: MotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(commands, "stderr_is_terminal", lambda: True)
    declined = run(["apply", "--env", "staging"], tmp_path, account.url, input="n\n")
    assert declined.exit_code == 1
    assert "Apply 7 to create, 0 to update, 0 to delete, 0 unchanged to staging? [y/N]: n" \
        in declined.stdout
    assert "Cancelled; nothing changed." in declined.stdout and snapshot(account.url) == {}
    accepted = run(["apply", "--env", "staging"], tmp_path, account.url, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "Applying" in accepted.stderr and len(snapshot(account.url)) == 7


def test_expected_failures_are_one_error_line_and_exit_2(account: MotoServer,
                                                          tmp_path: Path) -> None:
    gate = run(["apply", "--env", "production", "--yes"], tmp_path, account.url)
    assert gate.exit_code == 2
    assert gate.stderr == ("Error: staging has no rules for this catalog: apply this catalog to "
                           "staging first (migrate apply --env staging)\n")
    unknown = run(["plan", "--env", "qa"], tmp_path, account.url)
    assert unknown.exit_code == 2
    assert unknown.stderr == f"Error: {CONFIG}: no environment 'qa' (defined: production, " \
                             "staging)\n"
    missing = CliRunner().invoke(cli, [
        "plan", "--env", "staging", "--config", CONFIG, "--catalog", str(tmp_path / "nope.yaml"),
        "--endpoint-url", account.url])
    assert missing.exit_code == 2
    assert missing.stderr == (f"Error: {tmp_path / 'nope.yaml'}: no such file (run `migrate "
                              "scan` or pass --catalog)\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("environments:\n  staging:\n    region: 5\n")
    config_error = CliRunner().invoke(cli, [
        "plan", "--env", "staging", "--config", str(bad), "--catalog", CATALOG])
    assert config_error.exit_code == 2
    assert config_error.stderr == (f"Error: {bad}:3: environments.staging.region: expected a "
                                   "non-empty string, got 5\n")
    for r in (gate, unknown, missing, config_error):
        assert "Traceback" not in r.output


def test_quota_past_the_limit_is_an_error_but_the_plan_is_written(
    account: MotoServer, tmp_path: Path,
) -> None:
    events = client(account.url)
    tight = tmp_path / "tight.yaml"
    tight.write_text(Path(CONFIG).read_text().replace("  staging:\n",
                                                      "  staging:\n    rule_quota: 8\n"))
    events.put_rule(Name="someone-else", ScheduleExpression="rate(1 hour)")
    events.put_rule(Name="someone-else-2", ScheduleExpression="rate(1 hour)")
    result = CliRunner().invoke(cli, [
        "plan", "--env", "staging", "--config", str(tight), "--catalog", CATALOG,
        "--endpoint-url", account.url, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: environment staging (ap-northeast-1): 9 rules on the default event bus after "
        "this apply, over the quota of 8; request an increase (Service Quotas: EventBridge rules "
        "per event bus) and set rule_quota in migrate.yaml")
    assert (tmp_path / "out" / "plan-staging.json").exists()
    refused = CliRunner().invoke(cli, [
        "apply", "--env", "staging", "--yes", "--config", str(tight), "--catalog", CATALOG,
        "--endpoint-url", account.url])
    assert refused.exit_code == 2 and len(snapshot(account.url)) == 2


def test_apply_leaving_a_conflict_alone_exits_1(account: MotoServer, tmp_path: Path) -> None:
    client(account.url).put_rule(Name="stg-backup-db", ScheduleExpression="rate(1 hour)")
    result = run(["apply", "--env", "staging", "--yes"], tmp_path, account.url)
    assert result.exit_code == 1
    assert result.stdout.endswith("Applied to staging: 6 rules changed with 12 calls. Left "
                                  "alone: 1 (see above).\n")
    assert "! conflict stg-backup-db: exists and is not managed by migrate" in result.stdout


def test_plan_of_a_gated_environment_says_whether_the_gate_would_pass(
    account: MotoServer, tmp_path: Path,
) -> None:
    result = run(["plan", "--env", "production"], tmp_path, account.url)
    assert result.exit_code == 1
    assert ("Staging gate: apply would be refused now: staging has no rules for this catalog"
            in result.stdout)


def test_every_command_has_help() -> None:
    for name in ("plan", "apply"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "--env" in result.output and "--endpoint-url" in result.output
    assert "--skip-staging-gate" in CliRunner().invoke(cli,
                                                       ["apply", "--help"]).output
