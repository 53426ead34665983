"""The one place errors become exit codes (`migrate.cli.edge`) and the one clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from migrate.cli import cli, clock
from migrate.cli.edge import MigrateGroup
from migrate.errors import MigrateError


class Refused(MigrateError):
    exit_code = 3


def group(exc: BaseException) -> click.Group:
    @click.group(cls=MigrateGroup)
    def g() -> None:
        """A group."""

    @g.command()
    @click.option("--n", type=int, default=0)
    def boom(n: int) -> None:
        """Raise."""
        raise exc

    return g


@pytest.mark.parametrize(("exc", "line", "code"), [
    (MigrateError("catalog.yaml:3: jobs[0].id: missing"),
     "Error: catalog.yaml:3: jobs[0].id: missing", 2),
    (Refused("not now"), "Error: not now", 3),
    (PermissionError(13, "Permission denied", "out/plan.md"),
     "Error: out/plan.md: Permission denied", 2),
    (KeyboardInterrupt(), "Error: interrupted; run the command again (apply converges)", 2),
    (ZeroDivisionError("division by zero"),
     "Error: internal error (ZeroDivisionError: division by zero); this is a bug in migrate - "
     "rerun with MIGRATE_DEBUG=1 for details and report it", 2),
])
def test_one_error_line_and_exit_code(exc: BaseException, line: str, code: int,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIGRATE_DEBUG", raising=False)
    result = CliRunner().invoke(group(exc), ["boom"])
    assert (result.exit_code, result.stderr, result.stdout) == (code, line + "\n", "")


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIGRATE_DEBUG", "1")
    expected = CliRunner().invoke(group(MigrateError("bad")), ["boom"])
    assert expected.exit_code == 2 and expected.stderr.startswith("Traceback")
    assert expected.stderr.endswith("Error: bad\n")
    bug = CliRunner().invoke(group(ZeroDivisionError("x")), ["boom"])
    assert isinstance(bug.exception, ZeroDivisionError)  # propagates: Python prints it


def test_usage_errors_stay_clicks() -> None:
    result = CliRunner().invoke(group(MigrateError("never")), ["boom", "--n", "x"])
    assert result.exit_code == 2 and "Usage: " in result.stderr
    assert "Invalid value for '--n'" in result.stderr


def test_scan_output_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(cli, ["scan", "-", "-o", str(blocker)], input="0 1 * * * /x\n")
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write {blocker}: File exists\n"


def test_source_date_epoch_pins_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795424400")
    assert clock.now() == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")  # not an integer: ignored
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 60
