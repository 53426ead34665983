"""Writing a scan's outputs: the only place the scan touches the output directory.

No secret reaches a file: the analysis redacted every job that carries one (every string
field, see `analysis.secrets.redact_job`), the scan redacted the diagnostics, and the only
other free text written here, the input summary line, is passed through `redact_text`.
A directory or file that cannot be written is an `OutputError` naming the directory.
"""

from __future__ import annotations

from pathlib import Path

from migrate.analysis.secrets import redact_text
from migrate.emit.catalog import catalog_chunks
from migrate.emit.html import render_html
from migrate.emit.report import report_chunks
from migrate.errors import MigrateError
from migrate.heap import gc_paused
from migrate.scan import ScanResult


class OutputError(MigrateError):
    """The output directory cannot be written (`cannot write DIR: reason`)."""


def write_outputs(result: ScanResult, directory: str | Path) -> list[Path]:
    """catalog.yaml, report.md and report.html in `directory`, with the cyclic garbage
    collector paused (`heap.gc_paused`: a fleet's heap costs seconds per collection)."""
    try:
        with gc_paused():
            return _write(result, Path(directory))
    except OSError as exc:
        raise OutputError(f"cannot write {directory}: {exc.strerror or exc}") from None


def _write(result: ScanResult, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    summary_line = redact_text(result.summary_line)
    path = out / "catalog.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(catalog_chunks(result.catalog))
    written = [path]
    path = out / "report.md"
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(report_chunks(result.catalog, summary_line, result.analysis))
    written.append(path)
    path = out / "report.html"
    path.write_text(render_html(result.catalog, summary_line, result.analysis), encoding="utf-8")
    written.append(path)
    return written
