"""`migrate plan` and `migrate apply`: thin click commands over `workflow`.

They parse options, read the clock and the environment (`AWS_ENDPOINT_URL`, whether stdin
and stderr are terminals), call the library, print, and map outcomes to exit codes:

* plan: 0 the account matches the catalog, 1 something differs (changes, conflicts,
  orphans), 2 error (the plan files are still written when the plan itself has errors);
* apply: 0 applied and in sync, 1 applied but something was left alone (a rule not ours in
  the way, orphans without --prune) or the confirmation was declined, 2 error.

Expected failures (config, catalog, AWS, gate, quota) print one `Error: ...` line on stderr
and exit 2, never a traceback. `register(group)` adds both commands to the `migrate` group.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click
from botocore.exceptions import BotoCoreError, ClientError

from migrate.aws.calls import plan_steps
from migrate.aws.clients import AwsError, friendly
from migrate.aws.config import Config, ConfigError, Environment, load_config
from migrate.aws.desired import DesiredStateError
from migrate.aws.gate import GateRefused, check_skip_reason
from migrate.aws.plan import Plan
from migrate.aws.plan_output import render_text
from migrate.aws.workflow import (
    Connection,
    Endpoints,
    build_plan,
    check_promotion,
    execute,
    write_plan_files,
)
from migrate.emit.catalog import Catalog, CatalogError, catalog_digest, catalog_from_text


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except (ConfigError, CatalogError, DesiredStateError, AwsError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except (BotoCoreError, ClientError) as exc:
        click.echo(f"Error: {friendly(exc, 'AWS')}", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"Error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("Error: interrupted; run the command again (apply converges)", err=True)
        sys.exit(2)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def load_catalog(path: str) -> tuple[Catalog, str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such file (run `migrate scan` or pass --catalog)")\
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {exc}") from None
    catalog = catalog_from_text(text, path)
    return catalog, catalog_digest(catalog.jobs)


def _common(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--env", "env_name", required=True, help="Environment in migrate.yaml."),
        click.option("--config", "config_path", default="migrate.yaml", show_default=True,
                     help="Environments file."),
        click.option("--catalog", "catalog_path", default="output/catalog.yaml",
                     show_default=True, help="Job catalog written by `migrate scan`."),
        click.option("--endpoint-url", default=None,
                     help="AWS endpoint for every call (else the environment's endpoint, "
                          "else AWS_ENDPOINT_URL)."),
        click.option("--prune", is_flag=True, help="Delete our rules no longer in the catalog."),
        click.option("--force", is_flag=True,
                     help="Allow more than 5 deletions with --prune."),
        click.option("--adopt", is_flag=True,
                     help="Take over existing rules of the same name that migrate does not own."),
        click.option("--concurrency", default=8, show_default=True,
                     type=click.IntRange(1, 64), help="Parallel AWS requests."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _report_plan_errors(plan: Plan) -> None:
    for e in plan.errors:
        click.echo(f"Error: {e}", err=True)


def _inputs(env_name: str, config_path: str, catalog_path: str, endpoint_url: str | None
            ) -> tuple[Config, Environment, Catalog, str, Endpoints]:
    """What plan and apply both read first: the environment, the catalog and endpoints."""
    config = load_config(config_path)
    env = config.environment(env_name)
    catalog, digest = load_catalog(catalog_path)
    return config, env, catalog, digest, Endpoints(
        endpoint_url, os.environ.get("AWS_ENDPOINT_URL") or None)


@click.command("plan")
@_common
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              help="Where plan-<env>.md/.json and aws/<env>.sh are written.")
def plan_command(env_name: str, config_path: str, catalog_path: str, endpoint_url: str | None,
                 prune: bool, force: bool, adopt: bool, concurrency: int, out_dir: str) -> None:
    """Show what `apply` would change: diff the catalog against the live rules, write the plan
    (output/plan-<env>.md, .json) and the AWS CLI script (output/aws/<env>.sh).
    Exit 0 no changes, 1 changes, 2 error."""
    now = datetime.now(UTC)
    with _errors():
        config, env, catalog, digest, endpoints = _inputs(env_name, config_path, catalog_path,
                                                          endpoint_url)
        with Connection(config, endpoints, workers=concurrency) as conn:
            plan = build_plan(conn, env, catalog.jobs, digest, catalog_path, prune=prune,
                              adopt=adopt, force=force)
            steps = plan_steps(plan, now)
            written = write_plan_files(plan, steps, Path(out_dir), conn.endpoint(env))
            gate_line = None
            if env.gated and plan.has_changes:
                try:
                    gate = check_promotion(conn, env, catalog.jobs, digest, catalog_path, now)
                    gate_line = f"Staging gate: {gate.message}"
                except GateRefused as exc:
                    gate_line = f"Staging gate: apply would be refused now: {exc}"
        click.echo(render_text(plan, color=True), nl=False)
        if gate_line:
            click.echo(gate_line)
        click.echo("Wrote " + ", ".join(str(p) for p in written), err=True)
        _report_plan_errors(plan)
    sys.exit(plan.exit_code)


@click.command("apply")
@_common
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (automation).")
@click.option("--skip-staging-gate", "skip_reason", default=None, metavar="REASON",
              help="Apply a gated environment without the staging gate; REASON is recorded "
                   "in the rules' tags.")
def apply_command(env_name: str, config_path: str, catalog_path: str, endpoint_url: str | None,
                  prune: bool, force: bool, adopt: bool, concurrency: int, yes: bool,
                  skip_reason: str | None) -> None:
    """Change the account to match the catalog: create, update (and with --prune delete) the
    rules migrate owns for this environment. Gated environments (production) need staging
    to have run the same catalog for promote_after."""
    now = datetime.now(UTC)
    code = 0
    with _errors():
        if skip_reason is not None:
            check_skip_reason(skip_reason)  # before anything is read, AWS included
        config, env, catalog, digest, endpoints = _inputs(env_name, config_path, catalog_path,
                                                          endpoint_url)
        with Connection(config, endpoints, workers=concurrency) as conn:
            plan = build_plan(conn, env, catalog.jobs, digest, catalog_path, prune=prune,
                              adopt=adopt, force=force)
            click.echo(render_text(plan, color=True), nl=False)
            if plan.errors:
                _report_plan_errors(plan)
                sys.exit(2)
            if not plan.has_changes:
                click.echo("Nothing to apply.")
                sys.exit(plan.exit_code)
            gate = check_promotion(conn, env, catalog.jobs, digest, catalog_path, now,
                                   skip_reason)
            if env.gated or skip_reason is not None:
                click.echo(gate.message)
            steps = plan_steps(plan, now, gate.skipped_reason)
            if not yes:
                if not stdin_is_terminal():
                    raise AwsError("refusing to apply without confirmation: no terminal to ask "
                                   "on; pass --yes to apply non-interactively")
                if not click.confirm(f"Apply {plan.summary()} to {env.name}?", default=False):
                    click.echo("Cancelled; nothing changed.")
                    sys.exit(1)
            if stderr_is_terminal():
                with click.progressbar(length=len(steps), label="Applying",
                                       file=sys.stderr) as bar:
                    report = execute(conn, env, steps, bar.update)
            else:
                report = execute(conn, env, steps)
        left = [c for c in plan.changes if c.action in ("conflict", "orphan")]
        click.echo(f"Applied to {env.name}: {report.steps_done} rules changed with "
                   f"{report.mutating_calls} calls." + (
                       f" Left alone: {len(left)} (see above)." if left else ""))
        code = 1 if left else 0
    sys.exit(code)


def register(group: click.Group) -> None:
    group.add_command(plan_command)
    group.add_command(apply_command)
