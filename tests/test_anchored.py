"""Interval schedules (counted from when the scheduler started) are `anchored`, not `exact`.

The scan anchors a Celery `timedelta` or an APScheduler `interval` trigger at 00:00 UTC
(finding `interval-anchored`); the verification proves the expressions against that anchor
only, so `exact: true` would claim instants nobody knows. An APScheduler interval with a
`start_date` has known instants and stays `exact`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from migrate.emit.catalog import catalog_from_text, catalog_to_text
from migrate.emit.html import render_html
from migrate.emit.report import render_report
from migrate.scan import ScanOptions, exit_code, scan_paths

OPTS = ScanOptions(horizon=(date(2027, 1, 1), date(2028, 1, 1)))

CELERY = """\
from datetime import timedelta
from celery import Celery
from celery.schedules import crontab

app = Celery("proj")
app.conf.beat_schedule = {
    "hourly": {"task": "hourly", "schedule": timedelta(hours=1)},
    "nightly": {"task": "nightly", "schedule": crontab(minute=0, hour=3)},
}
"""

APS = """\
from apscheduler.schedulers.blocking import BlockingScheduler

def job():
    pass

sched = BlockingScheduler(timezone="UTC")
sched.add_job(job, "interval", minutes=20)
sched.add_job(job, "interval", hours=2, start_date="2027-01-01 01:30:00")
"""


def _scan(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text)
    return scan_paths([str(path)], OPTS)


def test_celery_interval_is_anchored_not_exact(tmp_path: Path) -> None:
    result = _scan(tmp_path, "celery.py", CELERY)
    by_task = {j.extra["entry"]: j for j in result.jobs}
    hourly, nightly = by_task["hourly"], by_task["nightly"]
    assert "interval-anchored" in {f.code for f in hourly.findings}
    assert hourly.schedule.exact is False and hourly.schedule.anchored
    assert hourly.schedule.verdict == "anchored"
    assert hourly.schedule.verification is not None and hourly.schedule.verification.exact
    assert nightly.schedule.verdict == "exact"
    s = result.catalog.summary
    assert (s["exact"], s["anchored"], s["not_exact"]) == (1, 1, 0)
    assert exit_code(result) == 1  # the anchor is a choice a reviewer must accept


def test_catalog_writes_and_reads_back_the_verdict(tmp_path: Path) -> None:
    result = _scan(tmp_path, "celery.py", CELERY)
    text = catalog_to_text(result.catalog)
    data = yaml.safe_load(text)
    scheds = {j["entry"]: j["schedule"] for j in data["jobs"]}
    assert scheds["hourly"]["exact"] is False
    assert scheds["hourly"]["verdict"] == "anchored"
    assert "verdict" not in scheds["nightly"]  # exact jobs need no verdict key
    assert data["summary"]["anchored"] == 1
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    back = {j.extra["entry"]: j for j in catalog_from_text(path.read_text()).jobs}
    assert back["hourly"].schedule.verdict == "anchored"
    assert back["nightly"].schedule.verdict == "exact"


def test_reports_name_the_verdict(tmp_path: Path) -> None:
    result = _scan(tmp_path, "celery.py", CELERY)
    md = render_report(result.catalog, result.summary_line, result.analysis)
    assert "| anchored (start unknown) | 1 |" in md
    assert "⚓ **anchored**" in md
    html = render_html(result.catalog, result.summary_line, result.analysis)
    assert '<span class="no">anchored</span>' in html


def test_apscheduler_interval_with_start_date_stays_exact(tmp_path: Path) -> None:
    result = _scan(tmp_path, "scheduler.py", APS)
    verdicts = sorted(j.schedule.verdict for j in result.jobs)
    assert verdicts == ["anchored", "exact"]
    [dated] = [j for j in result.jobs if j.schedule.verdict == "exact"]
    assert "interval-start-date" in {f.code for f in dated.findings}
    assert "interval-anchored" not in {f.code for f in dated.findings}
