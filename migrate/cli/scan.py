"""`migrate scan`: read legacy schedules, write the catalog and the report.

Exit 0 every active job exact and nothing at --fail-on, 1 something to review, 2 usage or
input error (raised as `ScanError` / `OutputError`, printed by `cli.edge`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import migrate.cli.clock as clock
from migrate.analysis.burst import DEFAULT_THRESHOLD
from migrate.cli.progress import terminal_progress
from migrate.emit.catalog import Catalog, CatalogError, catalog_from_text, catalog_to_json
from migrate.emit.writer import write_outputs
from migrate.scan import ScanError, ScanOptions, exit_code, parse_horizon, scan_paths
from migrate.sources.whenever.emulate import parse_roles, parse_set


def _previous_catalog(output: str) -> Catalog | None:
    """The catalog a reviewer may have edited in the output directory, if it reads."""
    path = Path(output) / "catalog.yaml"
    if not path.is_file():
        return None
    try:
        return catalog_from_text(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError, CatalogError) as exc:
        click.echo(f"Warning: not carrying review edits over from {path}: {exc}", err=True)
        return None


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--tz", "timezone", default=None,
              help="Zone of the servers' cron daemon (IANA name or offset like +05:30), "
                   "for every file. Default: each host's own (its etc/localtime, "
                   "etc/timezone, cron's TZ=), else UTC with a timezone-unknown finding. "
                   "CRON_TZ lines take precedence.")
@click.option("--format", "fmt", type=click.Choice(["user", "system"]), default=None,
              help="Crontab format (default: detected from the path and content).")
@click.option("--horizon", default=None, metavar="START:END",
              help="Verification horizon in UTC dates (default: next calendar year).")
@click.option("--dst", type=click.Choice(["standard", "daylight"]), default="standard",
              show_default=True, help="Offset to convert for in zones with daylight saving.")
@click.option("-o", "--output", default="output", show_default=True,
              help="Directory for catalog.yaml, report.md and report.html.")
@click.option("--json", "as_json", is_flag=True, help="Print the catalog as JSON on stdout.")
@click.option("--fail-on", type=click.Choice(["warning", "error"]), default="error",
              show_default=True, help="Lowest finding severity that makes the exit code 1.")
@click.option("--set", "whenever_set", multiple=True, metavar="NAME=VALUE",
              help="For schedule.rb files, as whenever's --set (e.g. environment=staging; "
                   "'a=b&c=d' sets several).")
@click.option("--roles", "whenever_roles", default=None, metavar="ROLE,ROLE",
              help="For schedule.rb files, as whenever's --roles: leave out jobs restricted "
                   "to other roles (jobs without roles stay).")
@click.option("--no-merge", "no_merge", is_flag=True,
              help="Keep duplicate jobs (same command and schedule on several hosts or twice "
                   "in a file) as separate catalog jobs instead of merging them.")
@click.option("--burst-threshold", type=click.IntRange(min=1), default=DEFAULT_THRESHOLD,
              show_default=True,
              help="Job starts in one UTC minute above which jobs get a burst finding "
                   "(Fargate accepts about 20 RunTask calls a second).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes converting and verifying schedules (default: every CPU when "
                   "the scan has 2,000 or more distinct schedules; 1: this process only). "
                   "The outputs are the same bytes either way.")
@click.option("--scheduler-at", "scheduler_at", is_flag=True,
              help="For EventBridge Scheduler: add one-time at() schedules for the runs a "
                   "daylight-saving jump skips within the horizon (verified).")
@click.option("--keep-review/--no-keep-review", default=True, show_default=True,
              help="Carry max_runtime, overrides and active: false over from the catalog "
                   "already in the output directory (matched by job id).")
def scan(paths: tuple[str, ...], timezone: str | None, fmt: str | None, horizon: str | None,
         dst: str, output: str, as_json: bool, fail_on: str,
         whenever_set: tuple[str, ...], whenever_roles: str | None, no_merge: bool,
         burst_threshold: int, workers: int | None, keep_review: bool,
         scheduler_at: bool) -> None:
    """Read crontabs (files, directories, fleet snapshots, - for stdin), convert every job
    to EventBridge cron expressions in UTC, verify them, and write the catalog and report.

    Exit code: 0 every active job exact and no finding at --fail-on; 1 something to
    review (a job not exact, or anchored: an interval whose start is unknown); 2 usage or
    input error.
    """
    missing = [p for p in paths if p != "-" and not os.path.exists(p)]
    if missing:
        raise ScanError(f"no such file or directory: {', '.join(missing)}")
    stdin_text = sys.stdin.read() if "-" in paths else None
    settings = tuple(pair for text in whenever_set for pair in parse_set(text).items())
    options = ScanOptions(timezone=timezone, fmt=fmt, dst=dst, now=clock.now(),
                          horizon=parse_horizon(horizon) if horizon else None,
                          whenever_set=settings, merge=not no_merge,
                          whenever_roles=parse_roles(whenever_roles or ""),
                          burst_threshold=burst_threshold, workers=workers,
                          scheduler_at=scheduler_at)
    previous = _previous_catalog(output) if keep_review else None
    progress = terminal_progress(sys.stderr)  # None unless stderr is a terminal
    try:
        result = scan_paths(paths, options, stdin_text=stdin_text, previous=previous,
                            progress=progress)
        if progress is not None:
            progress("write", 0, None)
        written = write_outputs(result, output, workers)
    finally:
        if progress is not None:
            progress.finish()
    if as_json:
        click.echo(catalog_to_json(result.catalog))
    out = sys.stderr if as_json else sys.stdout
    s = result.catalog.summary
    print(result.summary_line, file=out)
    anchored = f", {s['anchored']} anchored (start unknown)" if s.get("anchored") else ""
    print(f"{s['exact']} of {s['jobs']} jobs exact{anchored}, {s['rules']} EventBridge rules; "
          f"wrote {', '.join(str(p) for p in written)}", file=out)
    sys.exit(exit_code(result, fail_on))
