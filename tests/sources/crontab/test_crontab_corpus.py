"""The real-world corpus (/work/shared/corpus/crontab): no traceback, every line accounted
for, and the bugs MANIFEST.tsv notes come out as the right diagnostics and findings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_crontab import assert_accounted

from migrate.model import Job
from migrate.sources.base import ParsedFile
from migrate.sources.crontab.format import CrontabFormat
from migrate.sources.crontab.parse import parse_crontab
from tests.corpus import CORPUS

CRONTABS = sorted((CORPUS / "crontab").glob("*"))
pytestmark = pytest.mark.skipif(not CRONTABS, reason="corpus not available")


def _manifest() -> dict[str, dict[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {Path(r["local_file"]).name: r for r in rows if r["kind"] != "whenever"}


MANIFEST = _manifest()


def _kind_format(name: str) -> CrontabFormat:
    return "user" if MANIFEST[name]["kind"] == "user_crontab" else "system"


def _text(name: str) -> str:
    return (CORPUS / "crontab" / name).read_bytes().decode("utf-8", errors="replace")


def _parse(name: str, fmt: CrontabFormat | None = None) -> ParsedFile:
    return parse_crontab(
        _text(name), name, fmt=fmt or _kind_format(name), timezone="Asia/Tokyo"
    )


def _prefixed(prefix: str) -> str:
    [name] = [p.name for p in CRONTABS if p.name.startswith(prefix)]
    return name


def _codes(job: Job) -> list[str]:
    return [f.code for f in job.findings]


@pytest.mark.parametrize("path", CRONTABS, ids=lambda p: p.name[:40])
@pytest.mark.parametrize("fmt", [None, "user", "system"])
def test_corpus_file_scans_with_every_line_accounted(path: Path, fmt: CrontabFormat | None) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    parsed = parse_crontab(text, path.name, fmt=fmt, timezone="UTC")
    assert_accounted(parsed, text)


def test_manifest_lists_every_corpus_crontab() -> None:
    assert sorted(MANIFEST) == sorted(p.name for p in CRONTABS)


# Where detection (repository path, no --format) disagrees with the manifest's kind, and why.
SNIFF_EXCEPTIONS = {
    "006": "no line parses (MINIX `?`); the etc/crontab path rule stands",
    "008": "`env` in sixth place is a plausible user, so etc/crontab stays system",
    "028": "template placeholders stand in the user column: no line can be a system line",
    "073": "no line parses (`_` as minute); config/crontab says nothing",
    "082": "`curl` is a plausible user: etc/crontab stays system (then cronie: bad option -L)",
}


@pytest.mark.parametrize("name", sorted(MANIFEST), ids=lambda n: n[:40])
def test_format_detection_matches_the_manifest(name: str) -> None:
    row = MANIFEST[name]
    parsed = parse_crontab(_text(name), row["path"], fmt=None, timezone="UTC")
    agrees = parsed.format == _kind_format(name)
    assert agrees != (name[:3] in SNIFF_EXCEPTIONS), SNIFF_EXCEPTIONS.get(name[:3], name)


def test_hour_thirty_is_a_bad_hour_048() -> None:
    name = _prefixed("048_")
    parsed = _parse(name)
    assert [str(d) for d in parsed.diagnostics] == [
        f"{name}:2:3: bad hour: 30 is out of range 0-23"
    ]
    assert [j.source.line for j in parsed.jobs] == [1]


def test_underscore_token_is_a_bad_minute_073() -> None:
    name = _prefixed("073_")
    assert [str(d) for d in _parse(name).diagnostics] == [
        f"{name}:1:1: bad minute: '_' is not a number 0-59"
    ]


def test_minix_question_mark_is_a_bad_minute_006() -> None:
    name = _prefixed("006_")
    assert [d.reason for d in _parse(name).diagnostics] == ["bad minute: '?' is not a number 0-59"]


@pytest.mark.parametrize(("prefix", "count"), [("038_", 14), ("080_", 3), ("090_", 1)])
def test_unescaped_percent_cuts_the_command(prefix: str, count: int) -> None:
    jobs = [j for j in _parse(_prefixed(prefix)).jobs if "percent-stdin" in _codes(j)]
    assert len(jobs) == count
    for job in jobs:
        assert job.command.stdin is not None
        assert "%" not in job.command.shell


def test_unescaped_percent_cuts_random_sleep_080() -> None:
    jobs = _parse(_prefixed("080_")).jobs
    [job] = [j for j in jobs if j.source.line == 12]
    assert job.command.shell == "sleep $(( ( RANDOM "
    assert job.command.stdin == (
        " 600 ) + 1 ))m && test -x /usr/sbin/anacron || ( cd / && run-parts --report "
        "/etc/cron.daily )\n"
    )


def test_escaped_percent_stays_in_the_command_017() -> None:
    [job] = _parse(_prefixed("017_")).jobs
    assert "percent-stdin" not in _codes(job)
    assert "$RANDOM % 900" in job.command.shell and job.command.stdin is None


def test_commented_escaped_percent_060() -> None:
    [job] = _parse(_prefixed("060_")).jobs
    assert not job.active and "$(date +%d)" in job.command.shell


@pytest.mark.parametrize(("prefix", "user"), [("046_", "perl"), ("078_", "rsync")])
def test_command_in_the_user_column_is_suspicious(prefix: str, user: str) -> None:
    jobs = _parse(_prefixed(prefix)).jobs
    assert jobs and all(j.source.user == user for j in jobs)
    assert all("suspicious-user" in _codes(j) for j in jobs)


def test_curl_as_system_user_then_an_option_082() -> None:
    # As a system line, `curl` is the user and the command starts with `-L`, which cronie
    # >= 1.6 reads as a crontab option: "bad option" (only -n exists).
    name = _prefixed("082_")
    assert [str(d) for d in _parse(name, fmt="system").diagnostics] == [
        f"{name}:1:19: bad option: '-L' before the command (cronie knows -n)"
    ]
    [as_user] = _parse(name).jobs
    assert as_user.command.shell.startswith("curl ") and _codes(as_user) == []


def test_crlf_endings_are_stripped_with_a_finding_088() -> None:
    [job] = _parse(_prefixed("088_")).jobs
    assert "crlf" in _codes(job) and not job.command.shell.endswith("\r")


@pytest.mark.parametrize("prefix", ["041_", "094_"])
def test_last_line_without_newline_is_kept_with_a_finding(prefix: str) -> None:
    jobs = _parse(_prefixed(prefix)).jobs
    assert "no-final-newline" in _codes(jobs[-1])
    assert all("no-final-newline" not in _codes(j) for j in jobs[:-1])


def test_two_assignments_on_one_line_084() -> None:
    parsed = _parse(_prefixed("084_"))
    assert ("MAILTO", "root HOME=/") in [(e.name, e.value) for e in parsed.env]
    assert all("env-value" in _codes(j) for j in parsed.jobs)


@pytest.mark.parametrize("prefix", ["075_", "076_"])
def test_env_with_spaces_around_equals(prefix: str) -> None:
    env = [(e.name, e.value) for e in _parse(_prefixed(prefix)).env]
    assert ("HOME", "/tmp") in env


@pytest.mark.parametrize(("prefix", "users"), [("026_", ["root", "root"]), ("040_", ["root"])])
def test_reboot_with_user_column(prefix: str, users: list[str]) -> None:
    reboots = [j for j in _parse(_prefixed(prefix)).jobs if "reboot" in _codes(j)]
    assert [j.source.user for j in reboots] == users
    assert all(j.schedule.cron == "@reboot" for j in reboots)


def test_doubly_commented_reboot_is_a_disabled_job_025() -> None:
    jobs = _parse(_prefixed("025_")).jobs
    assert [(j.active, j.schedule.cron) for j in jobs] == [(True, "0 4 * * *"), (False, "@reboot")]


@pytest.mark.parametrize("prefix", ["009_", "011_", "024_"])
def test_files_with_only_commented_jobs(prefix: str) -> None:
    jobs = _parse(_prefixed(prefix)).jobs
    assert jobs and not any(j.active for j in jobs)


def test_legend_stays_a_comment_055() -> None:
    parsed = _parse(_prefixed("055_"))
    assert [(j.source.line, j.active) for j in parsed.jobs] == [
        (17, False), (18, True), (19, False), (20, False), (21, False)
    ]


def test_env_not_expanded_by_cron_004() -> None:
    [job] = _parse(_prefixed("004_")).jobs
    assert _codes(job) == ["env-not-expanded"]


def test_named_capitalised_weekday_077() -> None:
    [job] = _parse(_prefixed("077_")).jobs
    assert job.schedule.parsed is not None and job.schedule.parsed.weekdays == frozenset({0})


def test_single_comment_file_070() -> None:
    parsed = _parse(_prefixed("070_"))
    assert parsed.summary() == "1 line: 0 jobs (0 disabled), 0 env, 1 comments/blank, 0 errors"


def test_template_placeholders_in_user_column_are_bad_usernames_028() -> None:
    parsed = _parse(_prefixed("028_"))
    assert parsed.diagnostics and all(
        d.reason.startswith("bad username: '!!(*='") for d in parsed.diagnostics
    )
    assert [j.source.user for j in parsed.jobs] == ["root"]
