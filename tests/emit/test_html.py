"""report.html: self-contained, escaped, and working in a real headless Chromium."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchmarks.fleetgen import FIXED_ZONES, generate, write
from migrate.emit.html import render_html
from migrate.emit.writer import write_outputs
from migrate.scan import ScanOptions, parse_horizon, scan_paths
from tests.emit.cdp import CHROMIUM, Browser, file_url

OPTIONS = ScanOptions(horizon=parse_horizon("2027-01-01:2028-01-01"),
                      now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html")
    fleet = generate(hosts=6, jobs_per_host=30, seed=11, zones=FIXED_ZONES)
    write(fleet, root / "fleet")
    result = scan_paths([str(root / "fleet")], OPTIONS)
    write_outputs(result, root / "out")
    return root / "out" / "report.html"


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Nothing to fetch: links are in-page anchors, no element loads anything, no CSS url().
    assert re.findall(r'\bhref="([^"]*)"', html) and all(
        h.startswith("#") for h in re.findall(r'\bhref="([^"]*)"', html))
    assert not re.search(r"<(link|img|iframe|object|embed|image|use)\b|\bsrc\s*=|url\(",
                         html, re.I)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" id="heatmap-') == 2


def test_every_text_is_escaped() -> None:
    from migrate.emit.catalog import Catalog
    from tests.analysis.jobfixtures import make_job

    job = make_job("echo '<script>alert(1)</script>' && curl 'http://x/?a=1&b=2'")
    html = render_html(Catalog([job], "now", parse_horizon("2027-01-01:2028-01-01")))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# In CI (.ci/run installs chromium) a missing browser is a failure, not a skip.
@pytest.mark.skipif(not Path(CHROMIUM).exists() and os.environ.get("CI") != "true",
                    reason="Debian chromium is not installed")
def test_renders_in_chromium_without_errors_and_sorts(report: Path) -> None:
    url = file_url(report)
    with Browser() as browser:
        session = browser.open(url)
        rows = browser.evaluate(session, "document.querySelectorAll('#job-table tbody tr').length")
        cells = browser.evaluate(session, "document.querySelectorAll('svg.heatmap rect').length")
        width = browser.evaluate(
            session, "document.getElementById('heatmap-utc').getBoundingClientRect().width")
        names_js = ("Array.from(document.querySelectorAll('#job-table tbody tr'))"
                    ".map(r => r.cells[0].textContent.trim())")
        findings_js = ("Array.from(document.querySelectorAll('#job-table tbody tr'))"
                       ".map(r => Number(r.cells[7].dataset.sort))")
        click = "document.querySelectorAll('#job-table thead th')[{}].click()"
        browser.evaluate(session, click.format(0))
        ascending = browser.evaluate(session, names_js)
        browser.evaluate(session, click.format(0))
        descending = browser.evaluate(session, names_js)
        browser.evaluate(session, click.format(7))
        by_findings = browser.evaluate(session, findings_js)
        sort_state = browser.evaluate(
            session, "document.querySelectorAll('#job-table thead th')[7]"
                     ".getAttribute('aria-sort')")
        browser.evaluate(session, "var f = document.getElementById('filter');"
                                  "f.value = 'heartbeat'; f.dispatchEvent(new Event('input'))")
        shown = browser.evaluate(
            session, "Array.from(document.querySelectorAll('#job-table tbody tr'))"
                     ".filter(r => r.style.display !== 'none').length")
        events = list(browser.events)

    assert rows > 50 and cells == 2 * 7 * 24 and width > 100
    assert ascending == sorted(ascending, key=str.lower) and len(ascending) == rows
    assert descending == sorted(ascending, key=str.lower, reverse=True)
    assert by_findings == sorted(by_findings) and sort_state == "ascending"
    assert 1 <= shown < rows
    errors = [e for e in events if e.get("method") == "Runtime.exceptionThrown"]
    errors += [e for e in events if e.get("method") == "Runtime.consoleAPICalled"
               and e["params"]["type"] in ("error", "warning", "assert")]
    errors += [e for e in events if e.get("method") == "Log.entryAdded"
               and e["params"]["entry"]["level"] in ("error", "warning")]
    assert errors == []
    requested = {e["params"]["request"]["url"] for e in events
                 if e.get("method") == "Network.requestWillBeSent"}
    assert requested == {url}
