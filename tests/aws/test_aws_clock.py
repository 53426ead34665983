"""One clock: SOURCE_DATE_EPOCH pins the time `migrate apply` stamps on its rules too (it
used to read `datetime.now` while `scan` honoured the variable)."""

from __future__ import annotations

from aws_helpers import DATA, MotoServer, snapshot
from click.testing import CliRunner

from migrate.cli import cli


def test_apply_stamps_the_pinned_time(account: MotoServer) -> None:
    result = CliRunner().invoke(cli, [
        "apply", "--env", "staging", "--yes", "--config", str(DATA / "migrate.yaml"),
        "--catalog", str(DATA / "catalog.yaml"), "--endpoint-url", account.url,
    ], env={"SOURCE_DATE_EPOCH": "1795424400"})
    assert result.exit_code == 0, result.output
    stamps = {r["tags"]["migrate:applied-at"] for r in snapshot(account.url).values()}
    assert stamps == {"2026-11-23T09:00:00Z"}
