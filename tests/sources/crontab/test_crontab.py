"""The crontab parser: data-folder cases, cronie quirks by name, and a fuzzer."""

from __future__ import annotations

from pathlib import Path

import pytest
from crontab_cases import (
    INVALID,
    invalid_cases,
    invalid_expectation,
    load_expected,
    parse_case,
    read_text,
    valid_cases,
    view,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.schedule.cron import CronSchedule
from migrate.sources.base import ParsedFile
from migrate.sources.crontab.cronie import load_env, split_percent
from migrate.sources.crontab.parse import parse_crontab


def assert_accounted(parsed: ParsedFile, text: str) -> None:
    """Every line 1..N has exactly one record; jobs and errors line up with their records."""
    n = text.count("\n") + (0 if text == "" or text.endswith("\n") else 1)
    assert [r.line for r in parsed.records] == list(range(1, n + 1))
    kinds = {r.line: r.kind for r in parsed.records}
    assert sorted(j.source.line for j in parsed.jobs) == sorted(
        line for line, kind in kinds.items() if kind in ("job", "disabled")
    )
    assert all(kinds[j.source.line] == ("job" if j.active else "disabled") for j in parsed.jobs)
    assert sorted(d.line for d in parsed.diagnostics) == sorted(
        line for line, kind in kinds.items() if kind == "error"
    )
    assert sorted(e.line for e in parsed.env) == sorted(
        line for line, kind in kinds.items() if kind == "env"
    )


def parse(text: str, path: str = "crontab.txt", **kw: object) -> ParsedFile:
    options: dict[str, object] = {"fmt": None, "timezone": "UTC", **kw}
    return parse_crontab(text, path, **options)  # type: ignore[arg-type]


# ------------------------------------------------------------------ data folders


@pytest.mark.parametrize("case", valid_cases(), ids=lambda p: p.stem)
def test_valid_case(case: Path) -> None:
    expected = load_expected(case.with_name(case.stem + ".expected.json"))
    parsed = parse_case(case, expected.pop("options"))
    assert view(parsed) == expected
    assert_accounted(parsed, read_text(case))


@pytest.mark.parametrize("case", invalid_cases(), ids=lambda p: p.stem)
def test_invalid_case(case: Path) -> None:
    fmt, expected = invalid_expectation(case)
    parsed = parse_case(case, {"fmt": fmt})
    assert [str(d) for d in parsed.diagnostics] == expected
    assert_accounted(parsed, read_text(case))


def test_every_case_file_has_its_expectation() -> None:
    for case in valid_cases():
        assert case.with_name(case.stem + ".expected.json").is_file(), case
    for case in invalid_cases():
        assert case.with_suffix(".expected").is_file(), case
    assert len(list(INVALID.glob("*.crontab"))) >= 3


# ------------------------------------------------------------------ job shape


def test_job_shape_filled_by_the_source() -> None:
    parsed = parse("MAILTO=ops\n0 9 * * MON-FRI /bin/report\n", host="web1", user="alice")
    [job] = parsed.jobs
    assert (job.id, job.name, job.description, job.active) == ("", "", "", True)
    source = job.source
    assert (source.kind, source.path, source.line, source.text) == (
        "crontab", "crontab.txt", 2, "0 9 * * MON-FRI /bin/report"
    )
    assert (source.host, source.user, source.whenever_block) == ("web1", "alice", None)
    assert job.schedule.cron == "0 9 * * MON-FRI"
    assert isinstance(job.schedule.parsed, CronSchedule)
    assert job.schedule.parsed.weekdays == frozenset({1, 2, 3, 4, 5})
    assert (job.schedule.timezone, job.schedule.timezone_from) == ("UTC", "host")
    assert dict(job.command.env) == {"MAILTO": "ops"}
    assert job.command.stdin is None


def test_fields_are_joined_by_single_spaces() -> None:
    [job] = parse("0\t2  *\t *  * /bin/x\n").jobs
    assert job.schedule.cron == "0 2 * * *"
    assert job.source.text == "0\t2  *\t *  * /bin/x"


def test_summary_line_wording() -> None:
    text = "# c\n\nA=1\n0 1 * * * /x\n#0 2 * * * /y\n0 30 * * * /z\n"
    assert parse(text).summary() == (
        "6 lines: 2 jobs (1 disabled), 1 env, 2 comments/blank, 1 error"
    )


# ------------------------------------------------------------------ cronie quirks, by name


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("A=b", ("A", "b", False)),
        ("A = b c  ", ("A", "b c", False)),
        ("A=", ("A", "", False)),
        ('A=""', ("A", "", True)),
        ("A='x y'  ", ("A", "x y", True)),
        ('"A B"=c', ("A B", "c", False)),
        ("MAILTO=root HOME=/ ", ("MAILTO", "root HOME=/", False)),
        ('A="x" y', None),
        ('"A=B"=c', None),
        ("0 * * * * A=b", None),
        ("A", None),
        ("A b=c", None),
    ],
)
def test_env_line_as_cronie_load_env_reads_it(
    line: str, expected: tuple[str, str, bool] | None
) -> None:
    assert load_env(line) == expected


@pytest.mark.parametrize(
    ("command", "shell", "stdin"),
    [
        ("date +\\%F", "date +%F", None),
        ("mail -s x root%Hi%there", "mail -s x root", "Hi\nthere\n"),
        ("cmd%", "cmd", ""),
        ("cmd%line%", "cmd", "line\n"),
        ("a\\\\%b", "a\\\\", "b\n"),
        ("a%x\\%y\\q", "a", "x%y\\q\n"),
        ("a%b\\", "a", "b\\\n"),
        ("no percent \\n here", "no percent \\n here", None),
    ],
)
def test_percent_rule_as_cronie_do_command(command: str, shell: str, stdin: str | None) -> None:
    assert split_percent(command) == (shell, stdin)


def test_empty_env_value_is_a_setting_cronie_eq2() -> None:
    parsed = parse("MAILTO=\n0 1 * * * /x\n")
    assert [(e.name, e.value) for e in parsed.env] == [("MAILTO", "")]
    assert dict(parsed.jobs[0].command.env) == {"MAILTO": ""}


def test_macros_are_lower_case_only_entry_strcmp() -> None:
    parsed = parse("@Daily /x\n")
    assert [str(d) for d in parsed.diagnostics] == [
        "crontab.txt:1:1: bad time specifier: '@Daily' (cron macros are lower case)"
    ]


def test_sixth_star_is_the_common_typo_entry_c() -> None:
    parsed = parse("*/5 * * * * * /x\n")
    assert parsed.jobs == []
    assert parsed.diagnostics[0].reason.startswith("bad command: '*'")


def test_dow_range_ending_in_zero_is_friday_to_sunday_cronie_get_range() -> None:
    jobs = parse("0 9 * * FRI-SUN /a\n0 9 * * 5-0 /b\n0 9 * * 6-0/1 /c\n")
    assert [j.schedule.parsed.weekdays for j in jobs.jobs if j.schedule.parsed] == [
        frozenset({5, 6, 0}),
        frozenset({5, 6, 0}),
    ]
    assert [d.line for d in jobs.diagnostics] == [3]  # with a step cronie keeps it backwards


def test_empty_cron_tz_means_the_host_zone_cron_find_jobs() -> None:
    parsed = parse("CRON_TZ=Asia/Tokyo\n0 1 * * * /a\nCRON_TZ=\n0 1 * * * /b\n", timezone="UTC")
    zones = [(j.schedule.timezone, j.schedule.timezone_from) for j in parsed.jobs]
    assert zones == [("Asia/Tokyo", "CRON_TZ"), ("UTC", "host")]


@pytest.mark.parametrize(
    "value", ["../../etc/passwd", "/etc/localtime", "localtime", "Asia/Tokyo/", "a" * 300]
)
def test_cron_tz_that_is_no_zone_reads_the_schedule_in_utc(value: str) -> None:
    [job] = parse(f"CRON_TZ={value}\n0 1 * * * /a\n", timezone="Asia/Tokyo").jobs
    assert (job.schedule.timezone, job.schedule.timezone_from) == ("UTC", "CRON_TZ")
    assert [(f.code, f.severity) for f in job.findings] == [("cron-tz-invalid", "error")]


def test_cron_tz_cut_by_a_nul_is_empty_and_means_the_host_zone() -> None:
    # misc.c get_string stops at the NUL: cronie reads `CRON_TZ=` (the daemon's zone).
    [job] = parse("CRON_TZ=\x00Asia/Tokyo\n0 1 * * * /a\n", timezone="Europe/Berlin").jobs
    assert (job.schedule.timezone, job.schedule.timezone_from) == ("Europe/Berlin", "host")
    assert [f.code for f in job.findings] == ["nul-byte"]


def test_tz_is_not_the_schedule_zone() -> None:
    [job] = parse("TZ=Asia/Tokyo\n0 1 * * * /a\n", timezone="Europe/Berlin").jobs
    assert (job.schedule.timezone, job.schedule.timezone_from) == ("Europe/Berlin", "host")
    assert [f.code for f in job.findings] == ["tz-env"]
    assert job.command.env["TZ"] == "Asia/Tokyo"


def test_reboot_job_is_kept_with_an_error_finding() -> None:
    [job] = parse("@reboot /bin/start\n").jobs
    assert job.schedule.parsed is not None and job.schedule.parsed.reboot
    [finding] = job.findings
    assert (finding.code, finding.severity) == ("reboot", "error")


def test_only_newline_ends_a_line() -> None:
    # \f, \v and U+2028 are characters of the line for cron (str.splitlines would split).
    parsed = parse("0 1 * * * echo a\u2028b\x0cc\n")
    assert [j.command.shell for j in parsed.jobs] == ["echo a\u2028b\x0cc"]


def test_whenever_block_name_drops_the_timestamp() -> None:
    text = (
        "# Begin Whenever generated tasks for: app at: 2024-01-02 03:04:05 +0000\n"
        "0 1 * * * /x\n"
        "# End Whenever generated tasks for: app at: 2024-01-02 03:04:05 +0000\n"
        "0 2 * * * /y\n"
    )
    assert [j.source.whenever_block for j in parse(text).jobs] == ["app", None]


def test_system_format_uses_the_user_column() -> None:
    [job] = parse("0 1 * * * backup /usr/bin/dump\n", path="/etc/cron.d/dump").jobs
    assert (job.source.user, job.command.shell) == ("backup", "/usr/bin/dump")
    [as_user] = parse("0 1 * * * backup /usr/bin/dump\n", fmt="user").jobs
    assert (as_user.source.user, as_user.command.shell) == (None, "backup /usr/bin/dump")


# ------------------------------------------------------------------ never raises


_LINE_ALPHABET = st.sampled_from(
    list("0123456789*/,-~@#%=\\\"' \t\r\x0cabcXYZ?_$()") + ["MON", "jan", "@daily", "\u00e9"]
)
_GARBAGE_LINE = st.one_of(
    st.text(max_size=60),
    st.lists(_LINE_ALPHABET, max_size=30).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_GARBAGE_LINE, max_size=12),
    st.booleans(),
    st.sampled_from([None, "user", "system"]),
)
def test_garbage_never_raises_and_every_line_is_accounted(
    lines: list[str], final_newline: bool, fmt: str | None
) -> None:
    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    parsed = parse(text, fmt=fmt)
    assert_accounted(parsed, text)
    for job in parsed.jobs:
        assert job.schedule.parsed is not None
        assert job.schedule.cron == job.schedule.parsed.text


_FIELD = st.one_of(
    st.just("*"),
    st.integers(0, 70).map(str),
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.integers(0, 9).map(lambda s: f"*/{s}"),
    st.sampled_from(["MON-FRI", "sun", "Jan,feb", "1~5", "5/15", "L", "?"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FIELD, min_size=0, max_size=7), st.sampled_from([None, "user", "system"]))
def test_cron_like_lines_never_raise(fields: list[str], fmt: str | None) -> None:
    text = " ".join([*fields, "root", "/bin/job"]) + "\n"
    parsed = parse(text, fmt=fmt)
    assert_accounted(parsed, text)
    assert len(parsed.jobs) + len(parsed.diagnostics) == 1
