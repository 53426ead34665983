"""The CLI in-process (click's runner): exact output, exit codes, every command documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from migrate.cli import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795424400")  # 2026-11-23T09:00:00Z
    return CliRunner()


def test_scan_writes_catalog_and_report_and_prints_one_summary_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    tab = tmp_path / "crontab"
    tab.write_text("MAILTO=ops@example.com\n30 2 * * * /usr/local/bin/backup\n# note\n")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["scan", str(tab), "--tz", "Asia/Tokyo", "-o", str(out)])
    assert result.output.splitlines() == [
        "3 lines: 1 job (0 disabled), 1 env, 1 comments/blank, 0 errors; "
        "zone Asia/Tokyo from --tz",
        f"1 of 1 jobs exact, 1 EventBridge rules; wrote {out}/catalog.yaml, {out}/report.md, "
        f"{out}/report.html",
    ]
    assert result.exit_code == 0
    assert "cron(30 17 * * ? *)" in (out / "catalog.yaml").read_text()
    assert (out / "report.md").read_text().startswith("# Migration report")


def test_stdin_and_json(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["scan", "-", "--json", "-o", str(tmp_path)],
                           input="0 9 1 * 1 /opt/report\n")
    catalog = json.loads(result.stdout)
    [job] = catalog["jobs"]
    assert job["source"]["path"] == "<stdin>"
    assert job["schedule"]["aws"] == ["cron(0 9 1 * ? *)", "cron(0 9 ? * MON *)"]
    assert job["schedule"]["exact"] is False
    # no --tz and no host root: read in UTC, and said so
    assert job["schedule"]["timezone_from"] == "host:unknown"
    assert [f["code"] for f in job["findings"]] == ["timezone-unknown", "double-fire"]
    assert result.exit_code == 1  # a job to review


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "nope"], "Error: no such file or directory: nope"),
        (["scan", "-", "--tz", "Mars/Base"],
         "Error: --tz: unknown time zone 'Mars/Base' (expected an IANA name such as "
         "Asia/Tokyo, or a fixed offset such as +05:30)"),
        (["scan", "-", "--horizon", "2027"],
         "Error: --horizon '2027': expected START:END as YYYY-MM-DD:YYYY-MM-DD"),
        (["scan", "-", "--horizon", "2028-01-01:2027-01-01"],
         "Error: --horizon '2028-01-01:2027-01-01': END must be after START"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(cli, [*args, "-o", str(tmp_path)], input="")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == message


def test_bad_lines_are_reported_and_the_scan_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    tab = tmp_path / "tab"
    tab.write_text("0 30 * * * /bad\n0 1 * * * /good\n")
    result = runner.invoke(cli, ["scan", str(tab), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    summary = ("2 lines: 1 job (0 disabled), 0 env, 0 comments/blank, 1 error; "
               "zone UTC (unknown: no --tz, no host zone file)")
    assert result.output.splitlines()[0] == summary
    report = (tmp_path / "o" / "report.md").read_text()
    assert f"{tab}:1:3: bad hour: 30 is out of range 0-23" in report


def test_every_command_has_help_and_is_in_the_readme(runner: CliRunner) -> None:
    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and command.help
        assert f"migrate {name}" in readme
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, f"{opt} of `migrate {name}` is not in README.md"


def test_rescan_keeps_the_reviewers_edits(runner: CliRunner, tmp_path: Path) -> None:
    tab = tmp_path / "tab"
    tab.write_text("*/5 * * * * flock -n /tmp/l /opt/sync\n0 4 * * * /usr/sbin/logrotate /e\n")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["scan", str(tab), "-o", str(out)]).exit_code in (0, 1)
    text = (out / "catalog.yaml").read_text()
    # the reviewer says the sync may run 20 minutes and logrotate is not to be migrated
    text = text.replace("  active: true\n", "  active: true\n  max_runtime: 20m\n", 1)
    head, _, tail = text.partition("name: logrotate-e")
    (out / "catalog.yaml").write_text(head + "name: logrotate-e" +
                                      tail.replace("active: true", "active: false", 1))
    runner.invoke(cli, ["scan", str(tab), "-o", str(out)])
    jobs = {j["name"]: j for j in yaml.safe_load((out / "catalog.yaml").read_text())["jobs"]}
    assert jobs["sync"]["max_runtime"] == "20m"
    assert "self-overlap" in [f["code"] for f in jobs["sync"]["findings"]]
    assert jobs["logrotate-e"]["active"] is False
    assert "kept-inactive" in [f["code"] for f in jobs["logrotate-e"]["findings"]]
    runner.invoke(cli, ["scan", str(tab), "-o", str(out), "--no-keep-review"])
    jobs = {j["name"]: j for j in yaml.safe_load((out / "catalog.yaml").read_text())["jobs"]}
    assert "max_runtime" not in jobs["sync"] and jobs["logrotate-e"]["active"] is True
