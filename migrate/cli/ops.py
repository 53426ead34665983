"""`migrate run` and `migrate status`: thin click commands over `aws.run` and `aws.status`.

* run: 0 the task started (without --wait), or the container's exit code with --wait (2
  with the stop reason when the task failed to start or has no exit code), 2 error;
* status: 0 healthy, 1 something to look at (missed or extra runs, failed invocations,
  failure alerts, no data at all), 2 error. Writes `<output>/status-<env>.md` and `.json`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import migrate.cli.clock as clock
from migrate.aws.config import ConfigError, parse_duration
from migrate.aws.run import start_job, wait_for_task
from migrate.aws.status import Window, describe_window
from migrate.aws.status_output import render_markdown, render_table
from migrate.aws.workflow import Connection, build_plan, status_report
from migrate.cli.environment import environment_options, read_inputs


@click.command("run")
@click.argument("job_ref", metavar="JOB")
@environment_options
@click.option("--wait", is_flag=True,
              help="Wait until the task stops; exit with its container's exit code (2 when it "
                   "failed to start).")
def run_command(job_ref: str, env_name: str, config_path: str, catalog_path: str,
                endpoint_url: str | None, concurrency: int, wait: bool) -> None:
    """Start JOB (a catalog job id or name) now, with exactly the parameters of its rule's
    ECS target. Refuses inactive jobs, jobs not deployed in the environment and jobs whose
    command is still REDACTED."""
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        started = start_job(conn, i.env, i.catalog.jobs, i.digest, catalog_path, job_ref)
        click.echo(f"Started {started.job.name} (id {started.job.id}) in {i.env.name}: "
                   f"{started.task_arn}")
        if not wait:
            sys.exit(0)
        outcome = wait_for_task(conn.client("ecs", i.env), started.cluster, started.task_arn,
                                i.env.container, conn.backoff)
    if outcome.exit_code is None:
        click.echo(f"Task stopped without an exit code of {i.env.container!r}: "
                   f"{outcome.stop_code or 'no stop code'}: {outcome.reason or 'no reason'}",
                   err=True)
    else:
        click.echo(f"Task stopped: {i.env.container} exited {outcome.exit_code}")
    sys.exit(outcome.cli_exit if 0 <= outcome.cli_exit <= 255 else 2)


@click.command("status")
@environment_options
@click.option("--since", default="7d", show_default=True,
              help="Window length (30m, 24h, 7d, 1d12h); it ends 15 minutes ago.")
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              help="Where status-<env>.md and .json are written.")
def status_command(env_name: str, config_path: str, catalog_path: str,
                   endpoint_url: str | None, concurrency: int, since: str,
                   out_dir: str) -> None:
    """Did every deployed job run as the catalog says? Expected fires (from the AWS
    expressions) against CloudWatch's TriggeredRules, Invocations and FailedInvocations per
    rule, and failure alerts. Exit 0 healthy, 1 something to look at (or no data), 2 error."""
    try:
        length = parse_duration(since)
    except ValueError:
        raise ConfigError(f"--since: expected a duration such as 24h, 7d or 1d12h, got "
                          f"{since!r}") from None
    if length.total_seconds() < 60:
        raise ConfigError("--since: the window must be at least 1m")
    now = clock.now()
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        plan = build_plan(conn, i.env, i.catalog.jobs, i.digest, catalog_path)
        report = status_report(conn, i.env, i.catalog.jobs, plan,
                               Window.ending_before(now, length))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / f"status-{i.env.name}.md", out / f"status-{i.env.name}.json"
    md.write_text(render_markdown(report), encoding="utf-8")
    js.write_text(report.to_json(), encoding="utf-8")
    click.echo(f"Window: {describe_window(length)}")
    click.echo(render_table(report), nl=False)
    click.echo(f"Wrote {md}, {js}", err=True)
    sys.exit(report.exit_code)
