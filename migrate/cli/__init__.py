"""The command line: thin commands that parse arguments, call the library, print, and exit
0 clean, 1 needs review, 2 error. No logic lives here.

Layout:

* `__init__.py`: the `migrate` group, `COMMANDS` (the one list of commands) and `main`
  (the console script `migrate = "migrate.cli:main"`);
* `edge.py`: the only place exceptions become `Error: ...` lines and exit codes (every
  expected failure is a `migrate.errors.MigrateError`);
* `clock.py`: the only clock (`SOURCE_DATE_EPOCH` honoured), passed into the library as
  `now`;
* `environment.py`: the options and inputs every command about one environment shares
  (`--env`, `--config`, `--catalog`, `--endpoint-url`, `--concurrency`);
* one module per command family: `scan.py` (scan), `deploy.py` (plan, apply), `ops.py`
  (run, status), `cutover.py` (cutover, rollback).

Adding a command (e.g. `migrate status`):

1. write `migrate/cli/status.py` with a `@click.command("status")` whose docstring is its
   help (environment commands take `@environment_options` and call `read_inputs`); it calls
   the library with `now=clock.now()`, prints with `click.echo`, exits with `sys.exit(code)`
   and raises `MigrateError`s for expected failures (never prints `Error:` itself);
2. add it to `COMMANDS` below: the one place commands are registered;
3. document it in README's "Command line" section (synopsis line `migrate status ...` and
   every `--option`): `tests/cli/test_cli_docs.py` fails until it is.
"""

from __future__ import annotations

import click

from migrate.cli.cutover import cutover_command, rollback_command
from migrate.cli.deploy import apply_command, plan_command
from migrate.cli.edge import MigrateGroup
from migrate.cli.ops import run_command, status_command
from migrate.cli.scan import scan

COMMANDS: tuple[click.Command, ...] = (scan, plan_command, apply_command, run_command,
                                       status_command, cutover_command, rollback_command)


@click.group(cls=MigrateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="migrate")
def cli() -> None:
    """Move legacy cron jobs to EventBridge rules that start ECS tasks, exactly."""


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Entry point (`migrate`); errors are reported by `cli.edge`."""
    cli()
