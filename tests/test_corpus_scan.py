"""Every real-world crontab in ../shared/corpus scans end to end (read, convert, verify,
report) without a traceback, and every job line reaches the catalog."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from migrate.emit.catalog import catalog_from_text, catalog_to_text
from migrate.emit.report import render_report
from migrate.scan import ScanOptions, scan_paths
from tests.corpus import CORPUS, MISSING

FILES = sorted((CORPUS / "crontab").glob("*"))
OPTIONS = ScanOptions(timezone="Asia/Kolkata", horizon=(date(2027, 1, 1), date(2028, 1, 1)),
                      now=datetime(2026, 11, 23, tzinfo=UTC))


@pytest.mark.skipif(not FILES, reason=MISSING)
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_scans_end_to_end(path: Path) -> None:
    result = scan_paths([str(path)], OPTIONS)
    [parsed] = result.files
    job_lines = sum(1 for r in parsed.records if r.kind in ("job", "disabled"))
    assert len(result.jobs) == job_lines
    assert len(parsed.records) == len(path.read_bytes().splitlines())
    for job in result.jobs:
        assert job.name and job.id and job.description
        if job.schedule.exact:
            assert job.schedule.verification is not None and job.schedule.verification.exact
    text = catalog_to_text(result.catalog)
    assert len(catalog_from_text(text).jobs) == len(result.jobs)
    assert render_report(result.catalog, result.summary_line).startswith("# Migration report")
