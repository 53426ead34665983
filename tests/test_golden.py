"""output/ is the committed result of scanning samples/: regenerate it and fail on any
difference (fixed clock, horizon and zone). To accept a change on purpose:
`MIGRATE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from migrate.emit.writer import write_outputs
from migrate.scan import ScanOptions, parse_horizon, scan_paths

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_OPTIONS = ScanOptions(
    timezone="Asia/Tokyo",
    horizon=parse_horizon("2027-01-01:2028-01-01"),
    now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
)
GOLDEN_FILES = ("catalog.yaml", "report.md", "report.html")


def test_output_matches_a_fresh_scan_of_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    monkeypatch.chdir(ROOT)
    result = scan_paths(["samples"], GOLDEN_OPTIONS)
    target = ROOT / "output" if os.environ.get("MIGRATE_UPDATE_GOLDEN") else tmp_path
    write_outputs(result, target)
    for name in GOLDEN_FILES:
        fresh = (target / name).read_text(encoding="utf-8")
        committed_path = ROOT / "output" / name
        assert committed_path.exists(), f"output/{name} missing: rerun with MIGRATE_UPDATE_GOLDEN=1"
        committed = committed_path.read_text(encoding="utf-8")
        assert fresh == committed, f"output/{name} is stale: rerun with MIGRATE_UPDATE_GOLDEN=1"
