"""Apply what was planned: `migrate plan` prints a digest, `migrate apply --plan-digest D`
refuses (exit 2, one error line, nothing changed) when the plan it computes now differs.
Against moto's HTTP server; mutating requests are counted by a pass-through proxy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_helpers import DATA, FaultProxy, MotoServer, client, snapshot
from click.testing import CliRunner, Result

from migrate.cli import cli

CONFIG = str(DATA / "migrate.yaml")
CATALOG = str(DATA / "catalog.yaml")
MUTATING = ("PutRule", "PutTargets", "RemoveTargets", "DeleteRule", "TagResource",
            "UntagResource")


@pytest.fixture
def proxy(account: MotoServer) -> Iterator[FaultProxy]:
    """moto behind a proxy that forwards every request and counts them by API."""
    p = FaultProxy(account.port, lambda target, n: None)
    yield p
    p.close()


def mutating(p: FaultProxy) -> int:
    return sum(n for target, n in p.seen.items() if target.rsplit(".", 1)[-1] in MUTATING)


def run(command: str, url: str, tmp: Path, *extra: str, catalog: str = CATALOG) -> Result:
    args = [command, "--env", "staging", "--config", CONFIG, "--catalog", catalog,
            "--endpoint-url", url, *extra]
    if command == "plan":
        args += ["-o", str(tmp / "output")]
    else:
        args += ["--yes"]
    return CliRunner().invoke(cli, args)


def digest_of(result: Result) -> str:
    [line] = [x for x in result.stdout.splitlines() if x.startswith("Plan digest: ")]
    return line.removeprefix("Plan digest: ")


def refusal(reviewed: str, now: str) -> str:
    return (f"Error: the plan for staging changed since it was reviewed: reviewed plan digest "
            f"{reviewed}, plan now {now}; run `migrate plan --env staging` again, review it, "
            "and apply with its digest\n")


def test_digest_is_stable_written_and_applies(account: MotoServer, proxy: FaultProxy,
                                              tmp_path: Path) -> None:
    first, second = run("plan", proxy.url, tmp_path), run("plan", proxy.url, tmp_path)
    assert first.exit_code == second.exit_code == 1, first.output
    digest = digest_of(first)
    assert len(digest) == 64 and int(digest, 16) >= 0 and digest == digest_of(second)
    assert first.stdout.endswith(f"Plan digest: {digest}\n")
    out = tmp_path / "output"
    assert json.loads((out / "plan-staging.json").read_text())["plan_digest"] == digest
    assert f"- Plan digest: `{digest}`" in (out / "plan-staging.md").read_text()
    assert mutating(proxy) == 0
    applied = run("apply", proxy.url, tmp_path, "--plan-digest", digest.upper())
    assert applied.exit_code == 0, applied.output
    assert f"Plan digest: {digest} (as reviewed)\n" in applied.stdout
    assert applied.stdout.endswith("Applied to staging: 7 rules changed with 14 calls.\n")
    assert len(snapshot(account.url)) == 7
    synced = run("plan", proxy.url, tmp_path)
    assert synced.exit_code == 0 and digest_of(synced) != digest  # another plan: no changes
    noop = run("apply", proxy.url, tmp_path, "--plan-digest", digest_of(synced))
    assert noop.exit_code == 0 and noop.stdout.endswith("Nothing to apply.\n")


def test_an_edited_catalog_is_refused_and_nothing_changes(
    account: MotoServer, proxy: FaultProxy, tmp_path: Path,
) -> None:
    reviewed = digest_of(run("plan", proxy.url, tmp_path))
    edited = tmp_path / "catalog.yaml"
    text = Path(CATALOG).read_text()
    edited.write_text(text.replace("cron(0 17 * * ? *)", "cron(0 18 * * ? *)", 1))
    now = digest_of(run("plan", proxy.url, tmp_path / "other", catalog=str(edited)))
    assert now != reviewed
    refused = run("apply", proxy.url, tmp_path, "--plan-digest", reviewed, catalog=str(edited))
    assert refused.exit_code == 2
    assert refused.stderr == refusal(reviewed, now)
    assert "Traceback" not in refused.output
    assert mutating(proxy) == 0 and snapshot(account.url) == {}


def test_flags_are_part_of_the_plan(account: MotoServer, proxy: FaultProxy,
                                    tmp_path: Path) -> None:
    client(account.url).put_rule(Name="stg-backup-db", ScheduleExpression="rate(1 hour)")
    reviewed = digest_of(run("plan", proxy.url, tmp_path))  # a conflict, left alone
    adopting = run("apply", proxy.url, tmp_path, "--adopt", "--plan-digest", reviewed)
    assert adopting.exit_code == 2 and adopting.stderr.startswith(
        f"Error: the plan for staging changed since it was reviewed: reviewed plan digest "
        f"{reviewed}, plan now ")
    assert mutating(proxy) == 0 and list(snapshot(account.url)) == ["stg-backup-db"]


def test_a_changed_account_is_refused_and_nothing_changes(
    account: MotoServer, proxy: FaultProxy, tmp_path: Path,
) -> None:
    assert run("apply", proxy.url, tmp_path).exit_code == 0
    reviewed = digest_of(run("plan", proxy.url, tmp_path))  # in sync
    before_calls = mutating(proxy)
    # someone edits one of our rules by hand after the review
    client(account.url).put_rule(Name="stg-backup-db", ScheduleExpression="cron(0 3 * * ? *)")
    state = snapshot(account.url)
    now = digest_of(run("plan", proxy.url, tmp_path / "other"))
    refused = run("apply", proxy.url, tmp_path, "--plan-digest", reviewed)
    assert refused.exit_code == 2 and refused.stderr == refusal(reviewed, now)
    assert mutating(proxy) == before_calls and snapshot(account.url) == state
    # the reviewed plan of the changed account applies
    assert run("apply", proxy.url, tmp_path, "--plan-digest", now).exit_code == 0
    assert run("plan", proxy.url, tmp_path).exit_code == 0


@pytest.mark.parametrize("value", ["3f9a", "g" * 64, "0" * 65])
def test_a_digest_that_is_not_one_is_a_usage_error(account: MotoServer, tmp_path: Path,
                                                   value: str) -> None:
    result = run("apply", account.url, tmp_path, "--plan-digest", value)
    assert result.exit_code == 2
    assert "Invalid value for '--plan-digest': expected the 64 hex digits" in result.stderr
    assert snapshot(account.url) == {}
