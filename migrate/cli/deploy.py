"""`migrate plan` and `migrate apply`: thin click commands over `aws.workflow`.

They parse options, read the clock and the terminal, call the library, print, and exit:

* plan: 0 the account matches the catalog, 1 something differs (changes, conflicts,
  orphans), 2 error (the plan files are still written when the plan itself has errors);
  it prints the plan digest (`Plan digest: <sha256>`, also in the plan's .md and .json);
* apply: 0 applied and in sync, 1 applied but something was left alone (a rule not ours in
  the way, orphans without --prune) or the confirmation was declined, 2 error. With
  `--plan-digest D` it applies only the plan that was reviewed: when the plan computed now
  has another digest it refuses before any change (`aws.plan.check_reviewed`).

Expected failures (config, catalog, AWS, gate, quota, a changed plan) are `MigrateError`s
that `cli.edge` prints as one `Error: ...` line, exit 2.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

import migrate.cli.clock as clock
from migrate.aws.calls import plan_steps
from migrate.aws.clients import AwsError
from migrate.aws.gate import GateRefused, check_skip_reason
from migrate.aws.plan import Plan, check_reviewed
from migrate.aws.plan_output import render_text
from migrate.aws.workflow import (
    Connection,
    build_plan,
    check_promotion,
    execute,
    write_plan_files,
)
from migrate.cli.environment import environment_options, read_inputs

_DIGEST = re.compile(r"[0-9a-fA-F]{64}")


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _change_options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--prune", is_flag=True, help="Delete our rules no longer in the catalog."),
        click.option("--force", is_flag=True,
                     help="Allow more than 5 deletions with --prune."),
        click.option("--adopt", is_flag=True,
                     help="Take over existing rules of the same name that migrate does not own."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _plan_digest(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _DIGEST.fullmatch(value):
        raise click.BadParameter("expected the 64 hex digits `migrate plan` printed "
                                 "(Plan digest: ...)")
    return value


def _report_plan_errors(plan: Plan) -> None:
    for e in plan.errors:
        click.echo(f"Error: {e}", err=True)


@click.command("plan")
@environment_options
@_change_options
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              help="Where plan-<env>.md/.json and aws/<env>.sh are written.")
def plan_command(env_name: str, config_path: str, catalog_path: str, endpoint_url: str | None,
                 concurrency: int, prune: bool, force: bool, adopt: bool, out_dir: str) -> None:
    """Show what `apply` would change: diff the catalog against the live rules, write the plan
    (output/plan-<env>.md, .json) and the AWS CLI script (output/aws/<env>.sh), and print the
    plan digest to pass to `apply --plan-digest`. Exit 0 no changes, 1 changes, 2 error."""
    now = clock.now()
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        plan = build_plan(conn, i.env, i.catalog.jobs, i.digest, catalog_path, prune=prune,
                          adopt=adopt, force=force)
        steps = plan_steps(plan, now)
        written = write_plan_files(plan, steps, Path(out_dir), conn.endpoint(i.env))
        gate_line = None
        if i.env.gated and plan.has_changes:
            try:
                gate = check_promotion(conn, i.env, i.catalog.jobs, i.digest, catalog_path, now)
                gate_line = f"Staging gate: {gate.message}"
            except GateRefused as exc:
                gate_line = f"Staging gate: apply would be refused now: {exc}"
    click.echo(render_text(plan, color=True), nl=False)
    if gate_line:
        click.echo(gate_line)
    click.echo(f"Plan digest: {plan.digest()}")
    click.echo("Wrote " + ", ".join(str(p) for p in written), err=True)
    _report_plan_errors(plan)
    sys.exit(plan.exit_code)


@click.command("apply")
@environment_options
@_change_options
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (automation).")
@click.option("--plan-digest", "reviewed", default=None, metavar="DIGEST",
              callback=_plan_digest,
              help="Apply only if the plan computed now has this digest (printed by "
                   "`migrate plan`); refuse, changing nothing, if the catalog, the flags or "
                   "the account changed since.")
@click.option("--skip-staging-gate", "skip_reason", default=None, metavar="REASON",
              help="Apply a gated environment without the staging gate; REASON is recorded "
                   "in the rules' tags.")
def apply_command(env_name: str, config_path: str, catalog_path: str, endpoint_url: str | None,
                  concurrency: int, prune: bool, force: bool, adopt: bool, yes: bool,
                  reviewed: str | None, skip_reason: str | None) -> None:
    """Change the account to match the catalog: create, update (and with --prune delete) the
    rules migrate owns for this environment. Gated environments (production) need staging
    to have run the same catalog for promote_after."""
    now = clock.now()
    if skip_reason is not None:
        check_skip_reason(skip_reason)  # before anything is read, AWS included
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        plan = build_plan(conn, i.env, i.catalog.jobs, i.digest, catalog_path, prune=prune,
                          adopt=adopt, force=force)
        click.echo(render_text(plan, color=True), nl=False)
        if reviewed is not None:
            check_reviewed(plan, reviewed)
            click.echo(f"Plan digest: {plan.digest()} (as reviewed)")
        if plan.errors:
            _report_plan_errors(plan)
            sys.exit(2)
        if not plan.has_changes:
            click.echo("Nothing to apply.")
            sys.exit(plan.exit_code)
        gate = check_promotion(conn, i.env, i.catalog.jobs, i.digest, catalog_path, now,
                               skip_reason)
        if i.env.gated or skip_reason is not None:
            click.echo(gate.message)
        steps = plan_steps(plan, now, gate.skipped_reason)
        if not yes:
            if not stdin_is_terminal():
                raise AwsError("refusing to apply without confirmation: no terminal to ask "
                               "on; pass --yes to apply non-interactively")
            if not click.confirm(f"Apply {plan.summary()} to {i.env.name}?", default=False):
                click.echo("Cancelled; nothing changed.")
                sys.exit(1)
        if stderr_is_terminal():
            with click.progressbar(length=len(steps), label="Applying",
                                   file=sys.stderr) as bar:
                report = execute(conn, i.env, steps, bar.update)
        else:
            report = execute(conn, i.env, steps)
    left = [c for c in plan.changes if c.action in ("conflict", "orphan")]
    what = "rules" if all(c.kind == "rule" for c in plan.changes) else "resources"
    click.echo(f"Applied to {i.env.name}: {report.steps_done} {what} changed with "
               f"{report.mutating_calls} calls." + (
                   f" Left alone: {len(left)} (see above)." if left else ""))
    sys.exit(1 if left else 0)
