"""The catalog and the report say which jobs an environment with `guard: findings` runs
through the run guard, with which options, and which findings that resolves; computed by
the deployment's own selection, written on every scan, never read back as review input."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import yaml

from migrate.analysis.codes.risk import AT_LEAST_ONCE, CHAIN, SELF_OVERLAP
from migrate.emit.catalog import Catalog, catalog_digest, catalog_from_text, catalog_to_text
from migrate.emit.html import render_html
from migrate.emit.report import render_report
from migrate.model import Job
from migrate.scan import ScanOptions, scan_files
from migrate.sources.crontab.parse import parse_crontab

TAB = """\
0 2 * * * /usr/local/bin/export-orders
30 2 * * * /usr/local/bin/upload-orders
*/5 * * * * /usr/local/bin/poll-queue
0 9 * * 1 /usr/local/bin/weekly
"""


def _catalog() -> Catalog:
    parsed = parse_crontab(TAB, "tab", fmt="user", timezone="UTC")
    return scan_files([parsed], ScanOptions(
        timezone="UTC", horizon=(date(2027, 1, 1), date(2028, 1, 1)),
        now=datetime(2026, 11, 23, tzinfo=UTC))).catalog


def _edit(cat: Catalog, by_name: dict[str, dict[str, Any]]) -> Catalog:
    """Findings (`findings`: codes), `max_runtime` and `overrides` per job name."""
    jobs: list[Job] = []
    for j in cat.jobs:
        spec = by_name.get(j.name)
        if spec is not None:
            findings = [c.finding("test", "") for c in spec.get("findings", [])] if (
                "findings" in spec) else []
            extra = {**j.extra, **{k: v for k, v in spec.items() if k != "findings"}}
            j = dataclasses.replace(j, findings=findings, extra=extra)
        jobs.append(j)
    return dataclasses.replace(cat, jobs=jobs)


def test_the_catalog_notes_guarded_jobs_and_what_the_guard_resolves() -> None:
    base = _catalog()
    ids = {j.name: j.id for j in base.jobs}
    assert set(ids) == {"export-orders", "upload-orders", "poll-queue", "weekly"}
    cat = _edit(base, {
        "export-orders": {"findings": [CHAIN]},
        "upload-orders": {"findings": [CHAIN], "overrides": {"after": ids["export-orders"]}},
        "poll-queue": {"findings": [SELF_OVERLAP, AT_LEAST_ONCE], "max_runtime": "20m"},
        "weekly": {"findings": [AT_LEAST_ONCE], "overrides": {"guard": "off"}}})
    jobs = {j["name"]: j for j in yaml.safe_load(catalog_to_text(cat))["jobs"]}
    assert jobs["poll-queue"]["run_guard"] == {
        "with": "guard: findings or stepfunctions", "overlap": "skip", "max_runtime": 1200,
        "resolves": ["at-least-once", "self-overlap"]}
    assert jobs["export-orders"]["run_guard"]["resolves"] == ["chain"]
    assert jobs["export-orders"]["run_guard"]["then"] == [ids["upload-orders"]]
    assert jobs["upload-orders"]["run_guard"]["after"] == ids["export-orders"]
    assert "run_guard" not in jobs["weekly"]  # guard: off
    # derived: not read back as review input, not part of what a deployment depends on
    again = catalog_from_text(catalog_to_text(cat))
    assert all("run_guard" not in j.extra for j in again.jobs)
    assert catalog_digest(again.jobs) == catalog_digest(cat.jobs)
    assert catalog_to_text(again) == catalog_to_text(cat)


def test_the_report_lists_the_guarded_jobs_or_why_the_options_cannot_deploy() -> None:
    scanned = _catalog()  # the scan finds the 02:00 -> 02:30 chain itself
    assert {j.name for j in scanned.jobs if any(f.code == CHAIN.code for f in j.findings)} \
        == {"export-orders", "upload-orders"}
    cat = _edit(scanned, {"poll-queue": {"findings": [SELF_OVERLAP, AT_LEAST_ONCE],
                                         "max_runtime": "20m"}})
    md, html = render_report(cat), render_html(cat)
    section = md.split("## Run guard", 1)[1].split("## Jobs", 1)[0]
    rows = {r.split("]")[0][3:]: r for r in section.splitlines() if r.startswith("| [")}
    assert set(rows) == {"export-orders", "upload-orders", "poll-queue"}  # not weekly
    assert "| skip | 1200s | `at-least-once`, `self-overlap` |" in rows["poll-queue"]
    assert "Run guard (with `guard: findings`): overlap skip, max_runtime 1200s" in md
    assert 'id="run-guard"' in html and "self-overlap" in html
    bad = _edit(cat, {"weekly": {"overrides": {"after": "j-nowhere"}}})
    md = render_report(bad)
    assert "cannot be deployed: tab: job" not in md  # the catalog path, not the crontab's
    assert "overrides.after: no job with id 'j-nowhere' in the catalog" in md
    assert "cannot be deployed" in render_html(bad)
    plain = _edit(scanned, {n: {} for n in ("export-orders", "upload-orders")})
    assert "## Run guard" not in render_report(plain)  # no finding a guard answers
