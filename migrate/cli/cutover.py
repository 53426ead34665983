"""`migrate cutover` and `migrate rollback`: thin commands over `migrate.cutover` and
`migrate.aws.cutover`.

Order of a cut-over (why it neither skips nor doubles a run: `cutover.window`): check
everything (jobs, hosts, rules and schedules deployed from this catalog, the window) before
any change; write output/cutover/<env>/; ask; run the playbook (legacy lines off, drifted
hosts left unchanged); then enable the rules and schedules of the jobs whose every host
succeeded, recording migrate:cutover-at (`aws/cutover.py`). Rollback: restore the lines
first, then disable the rules and schedules of the jobs whose every host succeeded.
Application patches (schedule.rb, Python schedule modules) are written, never applied; a
local rollback restores a scanned file that holds exactly the patched text (`appfiles`).
Exit 0 done (or nothing to do), 1 needs review (a host failed, not inside the window, the
confirmation declined), 2 error (nothing changed).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import click

import migrate.cli.clock as clock
from migrate.aws.cutover import is_cut_over, is_rolled_back, job_resources, set_cutover
from migrate.aws.workflow import Connection
from migrate.cli.deploy import stdin_is_terminal
from migrate.cli.environment import environment_options, read_inputs
from migrate.cutover.appfiles import load, restore, write_reverse
from migrate.cutover.appfiles import state as app_state
from migrate.cutover.edits import CutoverError
from migrate.cutover.output import app_patches, render_report, write
from migrate.cutover.runner import command, run, shell_line
from migrate.cutover.select import choose, previews, read_texts, states
from migrate.cutover.timing import decide
from migrate.cutover.window import DEFAULT_DURATION, parse_window


def _options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--jobs", "job_ids", multiple=True, metavar="ID,...",
                     help="Catalog job ids (default: every active job on the chosen hosts)."),
        click.option("--hosts", multiple=True, metavar="HOST,...",
                     help="Only jobs living on these hosts (a duplicated job needs all of its "
                          "hosts named)."),
        click.option("--on", "on", type=click.Choice(["snapshot", "hosts"]), default=None,
                     help="Edit the snapshot directories on this machine (-c local; the "
                          "default for an embedded sandbox) or the real hosts by name "
                          "(the default otherwise)."),
        click.option("-o", "--output", "out_dir", default="output", show_default=True,
                     help="Where cutover/<env>/ (playbooks, inventory, diffs) is written."),
        click.option("--yes", is_flag=True, help="Do not ask for confirmation (automation)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not stdin_is_terminal():
        raise CutoverError("refusing to change hosts and rules without confirmation: no "
                           "terminal to ask on; pass --yes to go ahead non-interactively")
    if not click.confirm(question, default=False):
        click.echo("Cancelled; nothing changed.")
        sys.exit(1)


def _run(direction: str, env_name: str, config_path: str, catalog_path: str,
         endpoint_url: str | None, concurrency: int, job_ids: Sequence[str],
         hosts: Sequence[str], on: str | None, out_dir: str, yes: bool,
         window_text: str | None = None, duration: int = 10, accept_now: bool = False,
         print_only: bool = False) -> None:
    now = clock.now()
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    sel = choose(i.catalog.jobs, job_ids, hosts)
    window = parse_window(window_text) if window_text else None
    forward = direction == "cutover"
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        local = on == "snapshot" or (on is None and conn.embedded(i.env))
        events = conn.client("events", i.env)
        scheduler = conn.client("scheduler", i.env)
        if conn.embedded(i.env):
            conn.sandbox_for()
        deployed = job_resources(events, scheduler, i.env, sel.job_ids, i.digest,
                                 conn.backoff, concurrency)
        texts = read_texts(sorted({e.place for e in sel.edits}, key=lambda p: p.local))
        state = states(sel, i.env.name, texts)
        homes = {j: {r.kind for r in rs} for j, rs in deployed.items()}
        timing = decide(sel.jobs, now, window, accept_now, timedelta(minutes=duration),
                        homes) if forward else None
        changes = previews(sel, i.env.name, texts, direction, now.date())
        d = Path(out_dir) / "cutover" / i.env.name
        limit = sorted(sel.roots)
        cmd = command(d / f"{direction}.yml", d / "inventory.yml", local, limit)
        names = {j: [r.name for r in rs] for j, rs in deployed.items()}
        steps = ([f"ansible-playbook {direction}.yml: comment out the lines (marker "
                  f"#migrated({i.env.name} <job>, {now.date()})), drifted hosts unchanged",
                  "enable the rules and schedules of the jobs whose every host succeeded, "
                  "recording migrate:cutover-at"] if forward else
                 ["ansible-playbook rollback.yml: restore the marked lines byte for byte",
                  "disable the rules and schedules (and drop migrate:cutover-at) of the jobs "
                  "whose every host succeeded"])
        prior = load(d / "patches", sel.job_ids)
        patches = app_patches(sel, i.env.name, now.date(), {
            s.patch.path: s.patch for s in prior if app_state(s) == "patched"}) if forward else []
        saved = {} if forward else {s.name: (s, app_state(s))
                                    for s in prior}
        report = render_report(i.env.name, sel, direction, state,
                               timing.text if timing else "immediate (rollback)", steps,
                               shell_line(cmd), names, patches, saved)
        written = write(Path(out_dir), i.env.name, sel, direction, now.date(), changes,
                        report, local, patches)
        write_reverse(d / "patches", [s for s, _ in saved.values()])
        if sel.app_lines:
            click.echo(f"Application patches: see {written.directory}/README.md; they must "
                       + ("ship with the application in the window (for a Python schedule "
                          "the patch is the legacy-side edit)." if forward else
                          "be reversed in the application (patches/*.reverse.patch)."))
        click.echo(f"Wrote {written.directory}/ (README.md, {direction}.yml, diffs)", err=True)
        for note in sel.left_out:
            click.echo(f"Left out: {note}")
        aws_done = all((is_cut_over(r) if forward else is_rolled_back(r))
                       for rs in deployed.values() for r in rs)
        target = "cut-over" if forward else "legacy"
        to_restore = [s for s, st in saved.values() if st == "patched"] if local else []
        if aws_done and all(s == target for s in state.values()) and local and not to_restore:
            click.echo(f"Nothing to do: {', '.join(sel.job_ids)} already "
                       f"{'cut over' if forward else 'rolled back'} in {i.env.name}.")
            sys.exit(0)
        live_early = sorted(r.name for rs in deployed.values() for r in rs
                            if forward and r.state == "ENABLED" and not is_cut_over(r))
        if live_early:
            click.echo(f"Warning: already ENABLED before the cut-over (each run has been "
                       f"starting twice, legacy and AWS): {', '.join(live_early)}; deploy "
                       "with state: DISABLED (shadow mode) before a cut-over")
        drifted = sorted({e.where for e, s in state.items() if s == "drifted"})
        for where in drifted:
            click.echo(f"Warning: {where}: drifted in the snapshot; that host will fail")
        if timing is not None:
            click.echo(f"Window: {timing.text}")
            if not timing.run:
                sys.exit(1)
        click.echo(f"{len(changes)} files to change on {len({p.host for p in changes})} "
                   f"hosts; rules and schedules: {sum(len(v) for v in deployed.values())}")
        if print_only:
            click.echo(shell_line(cmd))
            click.echo(f"Then run `migrate {direction}` again (the playbook is then a no-op) to "
                       f"{'enable' if forward else 'disable'} the rules and schedules.")
            sys.exit(0)
        _confirm(f"{direction.capitalize()} {', '.join(sel.job_ids)} in {i.env.name}?", yes)
        if to_restore:  # the sandbox's scanned tree holds the patched application file
            for path in restore(to_restore, {s.name: "patched" for s in to_restore}):
                click.echo(f"Restored {path} (application patch reversed, byte for byte)")
        failed: set[str] = set()
        if sel.edits:  # a Python schedule job has no crontab line: no playbook to run
            outcome = run(cmd)
            failed = set(outcome.failed)
            for m in outcome.messages:
                click.echo(f"Error: {m}", err=True)
        good = [j for j in sel.jobs
                if not {e.place.host for e in sel.edits if e.job_id == j.id} & failed]
        calls = set_cutover(events, scheduler, i.env,
                            [r for j in good for r in deployed[j.id]], forward, now,
                            conn.backoff)
    verb = "enabled" if forward else "disabled"
    click.echo(f"{direction.capitalize()} {i.env.name}: {len(good)} of {len(sel.jobs)} jobs "
               f"done ({calls} AWS calls; rules and schedules {verb}: "
               f"{', '.join(n for j in good for n in names[j.id]) or 'none'}).")
    if failed:
        click.echo(f"Failed hosts (nothing changed on them): {', '.join(sorted(failed))}; "
                   "their jobs' rules and schedules were left as they were. Fix the drift "
                   "and run again.",
                   err=True)
        sys.exit(1)
    sys.exit(0)


@click.command("cutover")
@environment_options
@_options
@click.option("--window", "window_text", default=None, metavar="START..END|auto",
              help="UTC window to run in (e.g. 2026-12-05T03:00Z..2026-12-05T03:30Z, or "
                   "START:END); default auto: the next one in which no chosen job fires.")
@click.option("--duration", default=int(DEFAULT_DURATION.total_seconds() // 60),
              show_default=True, type=click.IntRange(1, 1440),
              help="Minutes the playbook plus the AWS calls are assumed to take.")
@click.option("--now", "accept_now", is_flag=True,
              help="Run now even outside a window (a run may be doubled or skipped).")
@click.option("--print", "print_only", is_flag=True,
              help="Write everything and print the ansible-playbook command; change nothing.")
def cutover_command(env_name: str, config_path: str, catalog_path: str,
                    endpoint_url: str | None, concurrency: int, job_ids: tuple[str, ...],
                    hosts: tuple[str, ...], on: str | None, out_dir: str, yes: bool,
                    window_text: str | None, duration: int, accept_now: bool,
                    print_only: bool) -> None:
    """Move jobs deployed in an environment off the legacy hosts: inside a window in which
    none of them fires, comment out their crontab lines on every host (Ansible) and enable
    their rules and schedules, recording migrate:cutover-at. Again: a no-op for jobs already
    cut over."""
    if window_text == "auto":
        window_text = None
    _run("cutover", env_name, config_path, catalog_path, endpoint_url, concurrency, job_ids,
         hosts, on, out_dir, yes, window_text, duration, accept_now, print_only)


@click.command("rollback")
@environment_options
@_options
def rollback_command(env_name: str, config_path: str, catalog_path: str,
                     endpoint_url: str | None, concurrency: int, job_ids: tuple[str, ...],
                     hosts: tuple[str, ...], on: str | None, out_dir: str, yes: bool) -> None:
    """Undo a cut-over: restore the marked crontab lines byte for byte on every host and
    disable the jobs' rules and schedules (dropping migrate:cutover-at)."""
    _run("rollback", env_name, config_path, catalog_path, endpoint_url, concurrency, job_ids,
         hosts, on, out_dir, yes)
