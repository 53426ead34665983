"""/etc/anacrontab read as jobs: period, delay, job id, RANDOM_DELAY, START_HOURS_RANGE."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from migrate.scan import ScanOptions, parse_horizon, scan_files
from migrate.sources.anacron import Window, parse_anacrontab, schedule_text
from migrate.sources.base import ParsedFile

DATA = Path(__file__).resolve().parents[1] / "data" / "anacron"


def read(name: str) -> tuple[str, ParsedFile]:
    text = (DATA / name).read_text()
    return text, parse_anacrontab(text, name, timezone="Asia/Tokyo")


def test_every_line_of_red_hats_anacrontab_is_accounted_for() -> None:
    text, parsed = read("redhat.anacrontab")
    assert [r.line for r in parsed.records] == list(range(1, text.count("\n") + 1))
    assert [(r.kind) for r in parsed.records] == [
        "comment", "env", "env", "env", "comment", "env", "comment", "env", "blank", "comment",
        "job", "job", "job", "job", "job"]
    assert parsed.diagnostics == []
    jobs = parsed.jobs
    # hour: START_HOURS_RANGE's first hour (3) plus the delay
    assert [(j.schedule.cron, j.command.shell, j.extra["anacron_job"]) for j in jobs] == [
        ("5 3 * * *", "nice run-parts /etc/cron.daily", "cron.daily"),
        ("25 3 * * 0", "nice run-parts /etc/cron.weekly", "cron.weekly"),
        ("45 3 1 * *", "nice run-parts /etc/cron.monthly", "cron.monthly"),
        ("10 4 */3 * *", "/usr/local/bin/sync --all", "every-3-days"),
        ("0 3 1 1 *", "/usr/local/bin/archive", "yearly"),
    ]
    assert all([f.code for f in j.findings] == ["anacron"] for j in jobs)
    message = jobs[0].findings[0].message
    assert "0-45 min" in message and "3:00 and 22:00" in message
    assert jobs[0].command.env == {"SHELL": "/bin/sh", "PATH": "/sbin:/bin:/usr/sbin:/usr/bin",
                                   "MAILTO": "root"}
    assert {j.source.user for j in jobs} == {"root"}


def test_bad_anacrontab_lines_are_diagnostics() -> None:
    _, parsed = read("bad.anacrontab")
    assert [str(d) for d in parsed.diagnostics] == [
        "bad.anacrontab:1: bad period: 'x' (expected days or @daily, @weekly, @monthly)",
        "bad.anacrontab:2: bad delay: 'five' is not a number of minutes",
        "bad.anacrontab:3: bad job identifier: 'a/b' (anacron forbids '/')",
        "bad.anacrontab:4: not an anacrontab line: expected 'period delay job-identifier command'",
        "bad.anacrontab:5: bad period: '@hourly' (expected days or @daily, @weekly, @monthly)",
        "bad.anacrontab:6: bad period: '0' (expected days or @daily, @weekly, @monthly)",
    ]
    assert parsed.jobs == []


@pytest.mark.parametrize(("period", "window", "text"), [
    ("1", Window(5, 0, None), "5 0 * * *"),
    ("@daily", Window(90, 0, (6, 20)), "30 7 * * *"),
    ("@weekly", Window(0, 0, (22, 23)), "0 22 * * 0"),
    ("14", Window(1, 0, None), "1 0 */14 * *"),
    ("60", Window(1, 0, None), "1 0 */31 * *"),
])
def test_schedule_text_is_the_earliest_instant(period: str, window: Window, text: str) -> None:
    assert schedule_text(period, window) == text


def test_an_anacron_job_is_never_exact() -> None:
    _, parsed = read("redhat.anacrontab")
    result = scan_files([parsed], ScanOptions(
        timezone="Asia/Tokyo", horizon=parse_horizon("2027-01-01:2028-01-01"),
        now=datetime(2026, 1, 1, tzinfo=UTC)))
    assert result.jobs and not any(j.schedule.exact for j in result.jobs)
    assert all(j.schedule.aws for j in result.jobs)
    assert not any(f.code == "not-exact" for j in result.jobs for f in j.findings)
