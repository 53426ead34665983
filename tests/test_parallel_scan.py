"""A scan gives the same bytes whether its schedules are converted in this process or in
worker processes (`ScanOptions.workers`), on a fleet where no two jobs share a schedule."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.fleetgen import DISTINCT_ZONES, generate, write
from migrate.emit import catalog, writer
from migrate.emit.writer import write_outputs
from migrate.scan import ScanOptions, convert_schedules, parse_horizon, scan_paths, schedule_key
from migrate.sources.reader import read_inputs

HORIZON = parse_horizon("2027-01-01:2028-01-01")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("distinct") / "fleet"
    # one host per zone (daylight saving, half- and quarter-hour offsets), all schedules new
    write(generate(hosts=len(DISTINCT_ZONES), jobs_per_host=40, seed=3, distinct=True), root)
    return root


def _scan(fleet: Path, out: Path, workers: int | None) -> dict[str, bytes]:
    result = scan_paths([str(fleet)], ScanOptions(horizon=HORIZON, now=NOW, workers=workers))
    return {p.name: p.read_bytes() for p in write_outputs(result, out)}


def test_workers_write_the_same_bytes(fleet: Path, tmp_path: Path) -> None:
    one = _scan(fleet, tmp_path / "one", workers=1)
    three = _scan(fleet, tmp_path / "three", workers=3)
    default = _scan(fleet, tmp_path / "default", workers=None)
    assert set(one) == {"catalog.yaml", "report.md", "report.html"}
    for name, data in one.items():
        assert three[name] == data, name
        assert default[name] == data, name
    assert one["catalog.yaml"].count(b"\n- id: ") > 300


def test_worker_results_equal_in_process_results(fleet: Path) -> None:
    files = read_inputs([str(fleet)], fmt=None, timezone="UTC")
    keys = list(dict.fromkeys(
        key for f in files for job in f.jobs if (key := schedule_key(job)) is not None))
    assert len({k[0].text for k in keys}) > 300  # the fleet's schedules are distinct
    here = convert_schedules(keys, HORIZON, "standard", workers=1)
    there = convert_schedules(keys, HORIZON, "standard", workers=2)
    assert list(there) == keys
    assert there == here
    assert any(c.findings for c, _, _, _ in here.values())  # not only the easy cases
    assert any(r is not None and not r.verification.exact for _, r, _, _ in here.values())
    assert any(t is not None and not t[0].exact for _, _, _, t in here.values())


def fail(spool: str, path: str) -> None:
    """A catalog worker that fails half-way (what `writer.render_spool` does on an error)."""
    Path(path).write_text("half")
    sys.exit(1)


def test_catalog_written_beside_the_reports_is_the_same_bytes(
        fleet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # workers=2: catalog.yaml rendered by a worker process while the reports are written
    monkeypatch.setattr(catalog, "ENTRY_BLOCK", 64)  # several blocks
    result = scan_paths([str(fleet)], ScanOptions(horizon=HORIZON, now=NOW, workers=1))
    here = {p.name: p.read_bytes() for p in write_outputs(result, tmp_path / "here", workers=1)}
    beside = {p.name: p.read_bytes()
              for p in write_outputs(result, tmp_path / "beside", workers=2)}
    assert list(beside) == ["catalog.yaml", "report.md", "report.html"]
    assert beside == here
    assert len(result.jobs) > 5 * catalog.ENTRY_BLOCK
    assert sorted(p.name for p in (tmp_path / "beside").iterdir()) == sorted(here)  # no spool
    # a worker that fails: the catalog is written by this process, the same bytes
    monkeypatch.setattr(writer, "render_spool", fail)
    again = {p.name: p.read_bytes()
             for p in write_outputs(result, tmp_path / "again", workers=2)}
    assert again == here
