"""catalog.yaml: writing and reading are inverse; a malformed catalog names file, line, key, job."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from migrate.emit.catalog import CatalogError, catalog_digest, catalog_from_text, catalog_to_text
from migrate.scan import ScanOptions, scan_files
from migrate.sources.crontab.parse import parse_crontab

DATA = Path(__file__).resolve().parent.parent / "data" / "catalog"
INVALID = sorted((DATA / "invalid").glob("*.yaml"))


def _catalog_text() -> str:
    tab = ("MAILTO=ops@example.com\n30 2 * * * /x --a 'b c'\n0 9 1 * 1 mail -s hi a%line1%\n"
           "@reboot /start\n# 0 1 * * * /disabled\n")
    parsed = parse_crontab(tab, "tab", fmt="user", timezone="Asia/Tokyo")
    result = scan_files([parsed], ScanOptions(
        timezone="Asia/Tokyo", horizon=(date(2027, 1, 1), date(2028, 1, 1)),
        now=datetime(2026, 11, 23, tzinfo=UTC)))
    return catalog_to_text(result.catalog)


def test_round_trip_is_lossless() -> None:
    text = _catalog_text()
    assert catalog_to_text(catalog_from_text(text)) == text


def test_digest_ignores_the_timestamp_but_not_the_jobs() -> None:
    cat = catalog_from_text(_catalog_text())
    later = catalog_from_text(_catalog_text().replace("2026-11-23T00:00:00Z",
                                                      "2027-01-01T00:00:00Z"))
    assert catalog_digest(cat.jobs) == catalog_digest(later.jobs)
    cat.jobs[0].active = False
    assert catalog_digest(cat.jobs) != catalog_digest(later.jobs)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_catalogs_name_the_job_and_key(path: Path) -> None:
    text = path.read_text()
    expected = text.splitlines()[0].removeprefix("# expect: ")
    with pytest.raises(CatalogError) as exc:
        catalog_from_text(text, "catalog.yaml")
    assert str(exc.value) == expected
