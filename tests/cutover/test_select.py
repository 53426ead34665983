"""Choosing jobs: a whenever job merged with the crontab line whenever installed is cut over
in the crontab and patched in schedule.rb; the report says the patch must ship first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from migrate.cutover.edits import CutoverError
from migrate.cutover.output import app_patches, render_report, write
from migrate.cutover.select import choose, previews, read_texts, states
from migrate.scan import ScanOptions, scan_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "cutover" / "whenever"
DAY = date(2026, 12, 4)


def _jobs(*paths: Path) -> list:  # type: ignore[type-arg]
    return scan_paths(tuple(str(p) for p in paths), ScanOptions()).catalog.jobs


def test_whenever_job_edits_the_crontab_and_patches_schedule_rb(tmp_path: Path) -> None:
    jobs = _jobs(DATA / "fleet", DATA / "app" / "config" / "schedule.rb")
    job = next(j for j in jobs if "reports:build" in j.command.shell)
    sel = choose(jobs, [job.id], None)
    assert [(e.place.host, e.place.remote, e.place.kind, e.line) for e in sel.edits] == [
        ("app1", "/var/spool/cron/crontabs/deploy", "user", 4)]
    assert [(Path(a.path).name, a.line) for a in sel.app_lines] == [("schedule.rb", 5)]
    texts = read_texts([e.place for e in sel.edits])
    assert set(states(sel, "production", texts).values()) == {"legacy"}
    patches = app_patches(sel, "production", DAY)
    assert "+#migrated(production " + job.id + ", 2026-12-04):   rake 'reports:build'" in \
        patches[0].diff()
    report = render_report("production", sel, "cutover", states(sel, "production", texts),
                           "now", ["a", "b"], "ansible-playbook ...", {}, patches)
    assert "Must ship with the application" in report and "1-schedule.rb.patch" in report
    changes = previews(sel, "production", texts, "cutover", DAY)
    w = write(tmp_path, "production", sel, "cutover", DAY, changes, report, False, patches)
    assert (w.directory / "patches" / "1-schedule.rb.reverse.patch").exists()
    assert "migrate_root" not in (w.directory / "inventory.yml").read_text()  # real hosts


def test_refusals_say_what_to_do() -> None:
    app_only = _jobs(DATA / "app" / "config" / "schedule.rb")
    with pytest.raises(CutoverError, match="only read from schedule.rb.*fleet snapshot"):
        choose(app_only, [app_only[0].id], None)
    jobs = _jobs(DATA / "fleet", DATA / "app" / "config" / "schedule.rb")
    with pytest.raises(CutoverError, match="no job j-nope"):
        choose(jobs, ["j-nope"], None)
    with pytest.raises(CutoverError, match="unknown host web9.*hosts: app1"):
        choose(jobs, None, ["web9"])
    assert len(choose(jobs, None, ["app1"]).jobs) == 2
