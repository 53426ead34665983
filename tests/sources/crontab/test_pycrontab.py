"""python-crontab behind its adapter: every job it finds is a job of ours, except the listed,
justified differences (lines it accepts that cronie rejects or reads differently)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from crontab_cases import (
    invalid_cases,
    invalid_expectation,
    load_expected,
    parse_case,
    read_text,
    valid_cases,
)

from migrate.sources.base import ParsedFile
from migrate.sources.crontab.format import CrontabFormat
from migrate.sources.crontab.parse import parse_crontab
from migrate.sources.crontab.pycrontab import PyCrontabError, crosscheck, read_pycrontab
from tests.corpus import CORPUS

# (file name, pattern in the disagreement, why python-crontab is wrong there)
JUSTIFIED: list[tuple[str, str, str]] = [
    ("disabled.crontab", "'command to be executed'", "a legend, not a disabled job"),
    ("system_etc_crontab.crontab", "'command to be executed'", "a legend"),
    ("055_jehon__infrastructure__crontab", "'command to be executed'", "a legend"),
    ("084_4lambda__ark-server__system_crontab", "'command to be executed'", "a legend"),
    ("cron_tz.crontab", "IndexError", "python-crontab crashes on `CRON_TZ=` (empty value)"),
    ("env_quoting.crontab", "IndexError", "python-crontab crashes on `EMPTY=` (empty value)"),
    ("cronie_options.crontab", "'-n /usr/local", "cronie >= 1.6 reads -n as an option"),
    ("bad_structure.crontab", "'-n'", "cronie: -n and no command is a bad option"),
    ("bad_structure.crontab", "'-x /bin", "cronie: -x before the command is a bad option"),
    ("bad_structure.crontab", "'\\* /bin/six-fields'", "cronie rejects a sixth `*` field"),
    ("bad_structure.crontab", "capital-macro", "cronie compares macros with strcmp: @Daily"),
    ("percent.crontab", "printf 'a", "do_command reads `\\\\` as an escaped backslash"),
    ("bad_system.crontab", "user 'PATH=/x'", "not a user name: cron cannot run the job"),
    ("bad_system.crontab", "user \"'quoted'\"", "not a user name"),
    ("028_mysociety__alaveteli__crond_crontab-example", "user '!!\\(\\*='", "a placeholder"),
    ("nul_byte.crontab", "--full\\\\x00", "cronie's get_string stops at a NUL byte"),
    ("nul_byte.crontab", "ping\\\\x00", "cronie's get_string stops at a NUL byte"),
]


def _manifest_formats() -> dict[str, CrontabFormat]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8") as handle:
        return {
            Path(r["local_file"]).name: ("user" if r["kind"] == "user_crontab" else "system")
            for r in csv.DictReader(handle, delimiter="\t")
            if r["kind"] != "whenever"
        }


def _inputs() -> list[tuple[str, str, ParsedFile]]:
    """(name, text, our reading) for every test data file and corpus file (both formats the
    corpus file can be read in: detected and the manifest's)."""
    out = []
    for case in valid_cases():
        options = load_expected(case.with_name(case.stem + ".expected.json"))["options"]
        out.append((case.name, read_text(case), parse_case(case, options)))
    for case in invalid_cases():
        fmt = invalid_expectation(case)[0]
        out.append((case.name, read_text(case), parse_case(case, {"fmt": fmt})))
    for name, kind in sorted(_manifest_formats().items()):
        text = (CORPUS / "crontab" / name).read_bytes().decode("utf-8", errors="replace")
        for how in (None, kind):
            out.append((name, text, parse_crontab(text, name, fmt=how, timezone="UTC")))
    return out


INPUTS = _inputs()


def _explain(name: str, problem: str) -> str | None:
    for file, pattern, why in JUSTIFIED:
        if file == name and re.search(pattern, problem):
            return why
    return None


@pytest.mark.parametrize(("name", "text", "parsed"), INPUTS, ids=[i[0][:40] for i in INPUTS])
def test_every_python_crontab_job_is_one_of_ours(name: str, text: str, parsed: ParsedFile) -> None:
    unexplained = [p for p in crosscheck(parsed, text) if _explain(name, p) is None]
    assert unexplained == []


def test_every_justified_difference_still_happens() -> None:
    seen = {
        (name, pattern)
        for name, text, parsed in INPUTS
        for problem in crosscheck(parsed, text)
        for file, pattern, _ in JUSTIFIED
        if file == name and re.search(pattern, problem)
    }
    assert [(f, p) for f, p, _ in JUSTIFIED if (f, p) not in seen] == []


def test_adapter_reads_text_only_with_its_format() -> None:
    jobs = read_pycrontab("0 1 * * * root /bin/x\n#0 2 * * * root /bin/y\n", "system")
    assert [(j.enabled, j.schedule, j.user, j.command) for j in jobs] == [
        (True, "0 1 * * *", "root", "/bin/x"),
        (False, "0 2 * * *", "root", "/bin/y"),
    ]


def test_adapter_turns_python_crontab_crashes_into_an_error() -> None:
    with pytest.raises(PyCrontabError, match="IndexError"):
        read_pycrontab("EMPTY=\n", "user")


def test_python_crontab_silently_drops_a_bad_line_and_we_do_not() -> None:
    text = "0 30 * * * /bin/bad-hour\n0 1 * * * /bin/good\n"
    assert [j.command for j in read_pycrontab(text, "user")] == ["/bin/good"]
    parsed = parse_crontab(text, "t", fmt="user", timezone="UTC")
    assert [d.line for d in parsed.diagnostics] == [1]
