"""The schedule.rb patch, checked by re-scanning the patched file: the cut-over job is gone
and every other job is unchanged. Every job of each schedule.rb, one at a time (jobs made
by one call, a loop, together: `select` refuses to cut one over alone)."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from migrate.cutover.patches import AppLine, patch
from migrate.model import Job
from migrate.scan import ScanOptions, scan_paths

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = [ROOT / "samples" / "config" / "schedule.rb",
             ROOT / "tests" / "data" / "cutover" / "app" / "config" / "schedule.rb"]
OPTIONS = ScanOptions(timezone="UTC", whenever_set=(("environment", "production"),))


def _key(j: Job) -> tuple[str, str, tuple[str, ...]]:
    return (j.schedule.cron, j.command.shell, j.schedule.aws)


def _scan(path: Path) -> list[Job]:
    return scan_paths((str(path),), OPTIONS).catalog.jobs


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda p: p.parent.parent.name)
def test_each_job_patched_out_alone(schedule: Path, tmp_path: Path) -> None:
    jobs = _scan(schedule)
    assert len(jobs) >= 3
    groups: dict[tuple[str, int], list[Job]] = {}
    for job in jobs:  # jobs made by one call (a loop) are cut over together
        first = next(s for s in job.sources if s.kind == "whenever")
        groups.setdefault((first.path, first.line), []).append(job)
    assert any(len(g) > 1 for g in groups.values()) == (schedule == SCHEDULES[0])
    for group in groups.values():
        lines = [AppLine(str(schedule), s.line, j.id) for j in group for s in j.sources
                 if s.kind == "whenever"]
        p = patch(str(schedule), lines, "production", date(2026, 12, 4))
        copy = tmp_path / group[0].id / "config" / "schedule.rb"
        copy.parent.mkdir(parents=True)
        copy.write_text(p.new, encoding="utf-8")
        after = Counter(_key(j) for j in _scan(copy))
        expected = Counter(_key(j) for j in jobs)
        for job in group:
            expected[_key(job)] -= 1
        assert after == +expected, group[0].id
        changed = [a for a, b in zip(p.old.split("\n"), p.new.split("\n"), strict=True)
                   if a != b]
        assert changed and all(b.strip() for b in changed)
        # the patch applies to the application's file, and its reverse restores it
        app = tmp_path / group[0].id / "app"
        (app / "config").mkdir(parents=True)
        (app / "config" / "schedule.rb").write_text(p.old, encoding="utf-8")
        for diff in (p.diff(), p.reverse().diff()):
            (app / "x.patch").write_text(diff.replace(f"a/{p.path.lstrip('/')}",
                                                      "a/config/schedule.rb")
                                         .replace(f"b/{p.path.lstrip('/')}",
                                                  "b/config/schedule.rb"), encoding="utf-8")
            subprocess.run(["patch", "-p1", "-s", "-i", "x.patch"], cwd=app, check=True)
        assert (app / "config" / "schedule.rb").read_text(encoding="utf-8") == p.old
