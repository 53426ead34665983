"""Every whenever file of the shared corpus (and mangled variants of them) is read without
a traceback, with every line accounted for; the constructs MANIFEST.tsv notes come out as
the right jobs, findings or diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.sources.base import ParsedFile
from migrate.sources.reader import read_inputs
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.reader import parse_schedule

CORPUS = Path("/work/shared/corpus/whenever")
FILES = sorted(CORPUS.glob("*.rb"))
pytestmark = pytest.mark.skipif(not FILES, reason="corpus not available")


def assert_accounted(parsed: ParsedFile, text: str) -> None:
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    assert [r.line for r in parsed.records] == list(range(1, len(physical) + 1))
    job_lines = {r.line for r in parsed.records if r.kind == "job"}
    for job in parsed.jobs:
        assert {s.line for s in job.sources} <= job_lines
    for d in parsed.diagnostics:
        assert d.line == 0 or parsed.records[d.line - 1].kind in ("error", "job")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_reads_without_traceback(path: Path) -> None:
    [parsed] = read_inputs([str(path)], fmt=None, timezone="UTC")
    assert parsed.kind == "whenever"
    assert_accounted(parsed, path.read_bytes().decode("utf-8-sig", errors="replace"))


def _read(name: str) -> ParsedFile:
    return read_inputs([str(CORPUS / name)], fmt=None, timezone="UTC")[0]


def test_crlf_file_with_midnight_twice_combines_into_minute_0_0() -> None:
    # '0:00 am' and '12:00 am' are both midnight; whenever's combine joins them as "0,0".
    parsed = _read("013_PhiBao__booking_tours_01.rb")
    assert [j.schedule.cron for j in parsed.jobs] == [
        "35 16 * * *",
        "0,0 0 * * *",
        "0 6,18 * * *",
        "35 16 28-31 * *",
    ]


def test_rand_at_is_a_diagnostic_not_a_guess() -> None:
    parsed = _read("014_sul-dlss__sul_pub.rb")
    assert any("rand(60)" in d.reason for d in parsed.diagnostics)


def test_undefined_job_type_is_a_diagnostic() -> None:
    parsed = _read("031_maxflex__vliker-ror.rb")
    assert [d.reason for d in parsed.diagnostics][0] == (
        "undefined method `runnder` (whenever raises NoMethodError)"
    )
    assert all(any(f.code == "whenever-fails" for f in j.findings) for j in parsed.jobs)


def test_every_block_fed_by_required_code_is_reported() -> None:
    parsed = _read("005_3scale__porta.rb")
    assert not parsed.jobs
    assert sum("schedules no job that can be read" in d.reason for d in parsed.diagnostics) == 8


def test_hours24_times_are_read_as_24_hour_clock() -> None:
    parsed = _read("045_AfeefaDe__afeefa-backend-api.rb")
    assert sorted(j.schedule.cron for j in parsed.jobs) == ["1 3 * * *", "7 4 * * *"]


def test_whole_file_under_unknown_condition_keeps_its_jobs() -> None:
    parsed = _read("017_ministryofjustice__peoplefinder.rb")
    assert parsed.jobs
    assert all(any(f.code == "conditional" for f in j.findings) for j in parsed.jobs)


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=max(len(FILES) - 1, 0)),
    cuts=st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 40), st.text(max_size=6)), max_size=4
    ),
)
def test_mangled_corpus_files_never_crash(index: int, cuts: list[tuple[int, int, str]]) -> None:
    text = FILES[index].read_text(encoding="utf-8", errors="replace")
    for at, length, insert in cuts:
        at = min(at, len(text))
        text = text[:at] + insert + text[at + length :]
    parsed = parse_schedule(text, "config/schedule.rb", timezone="UTC", app=AppFacts("/srv/app"))
    assert_accounted(parsed, text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_scans_end_to_end(path: Path) -> None:
    from datetime import UTC, date, datetime

    from migrate.emit.catalog import catalog_from_text, catalog_to_text
    from migrate.emit.report import render_report
    from migrate.scan import ScanOptions, scan_paths

    options = ScanOptions(
        timezone="Europe/London",
        horizon=(date(2027, 1, 1), date(2028, 1, 1)),
        now=datetime(2026, 11, 23, tzinfo=UTC),
    )
    result = scan_paths([str(path)], options)
    for job in result.jobs:
        assert job.name and job.id and job.source.kind == "whenever"
        assert job.command.argv
    text = catalog_to_text(result.catalog)
    assert len(catalog_from_text(text).jobs) == len(result.jobs)
    assert render_report(result.catalog, result.summary_line).startswith("# Migration report")
