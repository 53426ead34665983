"""Writing a scan's outputs: the only place the scan touches the output directory.

No secret reaches a file: the analysis redacted every job that carries one (every string
field, see `analysis.secrets.redact_job`), the scan redacted the diagnostics, and the only
other free text written here, the input summary line, is passed through `redact_text`.
A directory or file that cannot be written is an `OutputError` naming the directory.

Speed (a fleet's outputs are hundreds of MiB of text, rendered in pure Python): the run
guard notes are computed once for the three files; the cyclic garbage collector is paused
(`heap.gc_paused`); and for a catalog of `BACKGROUND_MIN_JOBS` jobs or more, when a second
CPU is there, catalog.yaml is written beside the reports: a thread of this process turns the
jobs into plain-data entries, a worker process renders them as YAML
(`parallel.stream_in_worker`, blocks of `catalog.ENTRY_BLOCK` jobs in order), and the
thread writes the text, while this thread renders report.md and report.html. The entries
and the renderer are the same either way, so are the bytes (`workers=1`: all here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from migrate.analysis.secrets import redact_text
from migrate.aws.guard.notes import GuardNotes, guard_notes
from migrate.emit.catalog import Catalog, Entries, Render, catalog_chunks, entries_text
from migrate.emit.html import render_html
from migrate.emit.report import report_chunks
from migrate.errors import MigrateError
from migrate.heap import gc_paused
from migrate.parallel import available_cpus, stream_in_worker
from migrate.scan import ScanResult

# Below this many jobs, starting a worker process costs more than rendering in this one.
BACKGROUND_MIN_JOBS = 5000


class OutputError(MigrateError):
    """The output directory cannot be written (`cannot write DIR: reason`)."""


def write_outputs(result: ScanResult, directory: str | Path,
                  workers: int | None = None) -> list[Path]:
    """catalog.yaml, report.md and report.html in `directory`. `workers`: the scan's
    `--workers`; 1 renders everything in this process, None decides by the catalog's size."""
    try:
        with gc_paused():
            return _write(result, Path(directory), workers)
    except OSError as exc:
        raise OutputError(f"cannot write {directory}: {exc.strerror or exc}") from None


def _write(result: ScanResult, out: Path, workers: int | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    notes = guard_notes(result.catalog.jobs)  # (once for the three files)
    catalog = out / "catalog.yaml"
    if not _beside(len(result.catalog.jobs), workers):
        _write_catalog(catalog, result.catalog, notes, None)
        return [catalog, *_write_reports(result, out, notes)]
    with ThreadPoolExecutor(max_workers=1) as thread:
        done = thread.submit(_write_catalog, catalog, result.catalog, notes, _in_worker)
        reports = _write_reports(result, out, notes)
        done.result()
    return [catalog, *reports]


def _beside(jobs: int, workers: int | None) -> bool:
    if workers is None:
        return jobs >= BACKGROUND_MIN_JOBS and available_cpus() > 1
    return workers > 1


def _write_catalog(path: Path, catalog: Catalog, notes: GuardNotes,
                   render: Render | None) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(catalog_chunks(catalog, notes, render))


def _in_worker(blocks: Iterator[Entries]) -> Iterable[str]:
    return stream_in_worker(entries_text, blocks, preload=["migrate.emit.catalog"])


def _write_reports(result: ScanResult, out: Path, notes: GuardNotes) -> list[Path]:
    summary_line = redact_text(result.summary_line)
    report = out / "report.md"
    with report.open("w", encoding="utf-8") as handle:
        handle.writelines(report_chunks(result.catalog, summary_line, result.analysis, notes))
    html = out / "report.html"
    html.write_text(render_html(result.catalog, summary_line, result.analysis, notes),
                    encoding="utf-8")
    return [report, html]
