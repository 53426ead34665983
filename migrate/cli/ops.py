"""`migrate run` and `migrate status`: thin click commands over `aws.run` and `aws.status`.

* run: 0 the task (or the run guard's execution) started (without --wait), or the
  container's exit code with --wait (2 with the stop reason when the task failed to start
  or has no exit code; a guarded run: 1 when the guard ran nothing, a duplicate or a
  skip), 2 error;
* status: 0 healthy, 1 something to look at (missed or extra runs, failed invocations,
  failure alerts, no data at all), 2 error. Writes `<output>/status-<env>.md` and `.json`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

import migrate.cli.clock as clock
from migrate.aws.config import ConfigError, parse_duration
from migrate.aws.guard.manual import wait_for_execution
from migrate.aws.run import (
    GuardStarted,
    RunRefused,
    locate_job,
    start_deployed,
    wait_for_task,
)
from migrate.aws.status import Window, describe_window
from migrate.aws.status_output import render_markdown, render_table
from migrate.aws.workflow import Connection, build_plan, status_report
from migrate.cli.environment import environment_options, read_inputs


@click.command("run")
@click.argument("job_ref", metavar="JOB")
@environment_options
@click.option("--wait", is_flag=True,
              help="Wait until the task stops (a guarded job: until its run guard's "
                   "execution ends); exit with the container's exit code (2 when it failed "
                   "to start; 1 when the guard ran nothing: a duplicate or a skip).")
def run_command(job_ref: str, env_name: str, config_path: str, catalog_path: str,
                endpoint_url: str | None, concurrency: int, wait: bool) -> None:
    """Start JOB (a catalog job id or name) now, as its rule or EventBridge Scheduler
    schedule would: with exactly the parameters of its ECS target, or, for a job guarded by
    the run guard, through the guard: an execution of its state machine with the target's
    input and the scheduled time now (UTC, to the minute), so a second run in the same
    minute is recorded as a duplicate and, with overlap: skip, a run while another holds
    the lease is skipped. Refuses inactive jobs, jobs not deployed in the environment (or
    whose rule or schedule is not migrate's) and jobs whose command is still REDACTED."""
    now = clock.now()
    i = read_inputs(env_name, config_path, catalog_path, endpoint_url)
    with Connection(i.config, i.endpoints, workers=concurrency) as conn:
        job, found = locate_job(conn, i.env, i.catalog.jobs, i.digest, catalog_path, job_ref)
        if wait and found.guarded and conn.embedded(i.env):
            raise RunRefused(f"--wait: job {job.name} runs through its run guard, and the "
                             "sandbox records an execution of the state machine without "
                             "running it (moto), so it would never end; run it without --wait")
        started = start_deployed(conn, i.env, job, found, now)
        if isinstance(started, GuardStarted):
            _guard_started(started, i.env.name, conn.embedded(i.env), wait)
            if not wait:
                sys.exit(0)
            done = wait_for_execution(conn.client("stepfunctions", i.env),
                                      started.execution_arn, i.env.container, conn.backoff)
            click.echo("\n".join(done.lines()))
            sys.exit(done.cli_exit)
        click.echo(f"Started {job.name} (id {job.id}) in {i.env.name}: {started.task_arn}")
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


def _guard_started(started: GuardStarted, env: str, embedded: bool, wait: bool) -> None:
    job, at = started.job, started.time
    click.echo(f"Started {job.name} (id {job.id}) in {env} through its run guard "
               f"({started.source}): {started.execution_arn}")
    skip = started.input.get("overlap") == "skip"
    click.echo(f"Scheduled time {at}: the guard runs the job once for it; a run already "
               f"recorded for {at} makes this one a duplicate"
               + (", and a run still holding the job's lease makes it a skip" if skip else "")
               + " (nothing runs then).")
    if embedded:
        click.echo("The sandbox records the execution; it does not run state machines.")
    elif not wait:
        click.echo("The execution runs on its own; follow it with: aws stepfunctions "
                   f"describe-execution --execution-arn {started.execution_arn}")


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
