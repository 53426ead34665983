"""Writing a scan's outputs: the only place the scan touches the output directory.

No secret reaches a file: the analysis redacted every job that carries one (every string
field, see `analysis.secrets.redact_job`), the scan redacted the diagnostics, and the only
other free text written here, the input summary line, is passed through `redact_text`.
A directory or file that cannot be written is an `OutputError` naming the directory.

Speed (a fleet's outputs are hundreds of MiB of text, rendered in pure Python): the run
guard notes are computed once for the three files; no full garbage collection walks the
scan's heap (`heap.no_full_collections`); and for a catalog of `BACKGROUND_MIN_JOBS` jobs
or more, when a second CPU is there, catalog.yaml is rendered by a worker process while
this one writes the reports. This process turns the jobs into catalog pieces
(`catalog.catalog_items`: text and blocks of plain-data job entries) and pickles them to a
spool file beside the outputs (~1.2 KB a job, removed after), telling the worker of each
piece with one byte on a pipe; the worker renders the pieces with the same
`catalog.item_text` as they come and writes catalog.yaml. The pieces go through a file,
not the pipe: this process never waits for the worker until the reports are written (a
pipe holds 64 KiB). When the worker fails (it exits with a code, quietly), catalog.yaml is
written here, the same bytes. `workers=1`: everything here. Measured at 100,000 distinct
jobs: this process ~1.1 s to spool, the worker ~6.3 s to render, the reports ~4.5 s;
serially the three files take ~11 s (CPU).
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from migrate.analysis.secrets import redact_text
from migrate.aws.guard.notes import GuardNotes, guard_notes
from migrate.emit.catalog import Catalog, catalog_chunks, catalog_items, item_text
from migrate.emit.html import render_html
from migrate.emit.report import report_chunks
from migrate.errors import MigrateError
from migrate.heap import no_full_collections
from migrate.parallel import Background, available_cpus
from migrate.scan import ScanResult

# Below this many jobs, starting a worker process costs more than rendering in this one.
BACKGROUND_MIN_JOBS = 5000
SPOOL = ".catalog.yaml.spool"  # in the output directory while the worker reads it


class OutputError(MigrateError):
    """The output directory cannot be written (`cannot write DIR: reason`)."""


def write_outputs(result: ScanResult, directory: str | Path,
                  workers: int | None = None) -> list[Path]:
    """catalog.yaml, report.md and report.html in `directory`. `workers`: the scan's
    `--workers`; 1 renders everything in this process, None decides by the catalog's size."""
    try:
        with no_full_collections():
            return _write(result, Path(directory), workers)
    except OSError as exc:
        raise OutputError(f"cannot write {directory}: {exc.strerror or exc}") from None


def _write(result: ScanResult, out: Path, workers: int | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    notes = guard_notes(result.catalog.jobs)  # (once for the three files)
    catalog = out / "catalog.yaml"
    spool = out / SPOOL
    worker = _start(spool, catalog) if _beside(len(result.catalog.jobs), workers) else None
    if worker is None:
        _write_catalog(catalog, result.catalog, notes)
        return [catalog, *_write_reports(result, out, notes)]
    rendered, told = worker
    try:
        with spool.open("wb") as handle:
            for item in catalog_items(result.catalog, notes):
                pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)
                handle.flush()
                told = told and _tell(rendered, b"+")
        told = told and _tell(rendered, b".")
        reports = _write_reports(result, out, notes)
        if not (rendered.done() and told):
            _write_catalog(catalog, result.catalog, notes)
    finally:
        rendered.ready.close()  # (on an error here: the worker hears the end and stops)
        spool.unlink(missing_ok=True)
    return [catalog, *reports]


def _beside(jobs: int, workers: int | None) -> bool:
    if workers is None:
        return jobs >= BACKGROUND_MIN_JOBS and available_cpus() > 1
    return workers > 1


class _Worker:
    def __init__(self, process: Background, ready: Connection) -> None:
        self.process, self.ready = process, ready

    def done(self) -> bool:
        self.ready.close()
        return self.process.done()


def _start(spool: Path, catalog: Path) -> tuple[_Worker, bool] | None:
    """The worker rendering `spool` to `catalog`, told of each piece as it is spooled."""
    receive, send = multiprocessing.Pipe(duplex=False)
    try:
        process = Background(render_spool, (str(spool), str(catalog), receive),
                             preload=["migrate.emit.writer"])
    except OSError:  # no process to be had: the catalog is written here
        return None
    finally:
        receive.close()
    return _Worker(process, send), True


def _tell(worker: _Worker, message: bytes) -> bool:
    try:
        worker.ready.send_bytes(message)
    except OSError:  # the worker is gone: the catalog is written here after the reports
        return False
    return True


def render_spool(spool: str, path: str, ready: Connection) -> None:
    """Worker side: each catalog piece pickled to `spool`, rendered to `path` as soon as
    the writer says it is there (`+`), until it says that was all (`.`). Any failure,
    the writer's end closing early included, ends the worker with exit code 1 and no
    traceback (the writer then writes the catalog itself, and reports a real problem, e.g.
    a full disk, as it always does)."""
    try:
        with open(spool, "rb") as pieces, open(path, "w", encoding="utf-8") as handle:
            while ready.recv_bytes() == b"+":
                handle.write(item_text(pickle.load(pieces)))
    except Exception:  # noqa: BLE001 (any failure: the writer does the work itself)
        sys.exit(1)


def _write_catalog(path: Path, catalog: Catalog, notes: GuardNotes) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(catalog_chunks(catalog, notes))


def _write_reports(result: ScanResult, out: Path, notes: GuardNotes) -> list[Path]:
    summary_line = redact_text(result.summary_line)
    report = out / "report.md"
    with report.open("w", encoding="utf-8") as handle:
        handle.writelines(report_chunks(result.catalog, summary_line, result.analysis, notes))
    html = out / "report.html"
    html.write_text(render_html(result.catalog, summary_line, result.analysis, notes),
                    encoding="utf-8")
    return [report, html]
