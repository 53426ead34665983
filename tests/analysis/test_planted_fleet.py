"""A small fleet snapshot with every risk planted beside clean jobs, scanned end to end:
every planted risk is found on its job with its code, clean jobs get no finding at all, and
no planted secret is in any output file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.fleetgen import FIXED_ZONES, Fleet, generate, write
from migrate.analysis.rules import RULES_BY_CODE
from migrate.emit.writer import write_outputs
from migrate.scan import ScanOptions, ScanResult, parse_horizon, scan_paths

OPTIONS = ScanOptions(horizon=parse_horizon("2027-01-01:2028-01-01"),
                      now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Fleet, ScanResult, list[Path],
                                                                Path]:
    root = tmp_path_factory.mktemp("planted")
    # Fixed-offset zones only, so clean jobs convert exactly and carry no finding at all.
    fleet = generate(hosts=12, jobs_per_host=40, seed=5, zones=FIXED_ZONES)
    write(fleet, root / "fleet")
    result = scan_paths([str(root / "fleet")], OPTIONS)
    written = write_outputs(result, root / "out")
    return fleet, result, written, root / "fleet"


def test_every_code_is_planted(scanned: tuple[Fleet, ScanResult, list[Path], Path]) -> None:
    fleet = scanned[0]
    assert set().union(*(j.codes for j in fleet.jobs)) == set(RULES_BY_CODE)


def test_planted_risks_found_and_clean_jobs_clean(
    scanned: tuple[Fleet, ScanResult, list[Path], Path],
) -> None:
    fleet, result, _, root = scanned
    by_source = {(s.host, s.path, s.line): j for j in result.jobs for s in j.sources}
    clean = 0
    for fj in fleet.jobs:
        job = by_source[(fj.host, str(root / fj.host / fj.path), fj.line)]
        codes = {f.code for f in job.findings}
        if fj.codes:
            assert fj.codes <= codes, f"{fj.host}:{fj.path}:{fj.line} {fj.command}: {codes}"
        else:
            clean += 1
            assert job.findings == [], f"{fj.host}:{fj.path}:{fj.line} {fj.command}"
            assert job.schedule.exact
    assert clean > len(fleet.jobs) // 3


def test_no_secret_in_any_output_file(
    scanned: tuple[Fleet, ScanResult, list[Path], Path],
) -> None:
    fleet, _, written, _ = scanned
    assert {p.name for p in written} == {"catalog.yaml", "report.md", "report.html"}
    assert fleet.secrets
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert [s for s in fleet.secrets if s in text] == [], path.name
        assert "REDACTED" in text
