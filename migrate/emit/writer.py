"""Writing a scan's outputs: the only place the scan touches the output directory.

Every document passes through `redact_text` on its way out: the analysis already redacted
each job, this is the last guard that no recognised secret reaches a file.
"""

from __future__ import annotations

from pathlib import Path

from migrate.analysis import redact_text
from migrate.emit.catalog import catalog_to_text
from migrate.emit.html import render_html
from migrate.emit.report import render_report
from migrate.scan import ScanResult


def write_outputs(result: ScanResult, directory: str | Path) -> list[Path]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("catalog.yaml", catalog_to_text(result.catalog)),
        ("report.md", render_report(result.catalog, result.summary_line, result.analysis)),
        ("report.html", render_html(result.catalog, result.summary_line, result.analysis)),
    ):
        path = out / name
        path.write_text(redact_text(text), encoding="utf-8")
        written.append(path)
    return written
