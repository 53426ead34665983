"""Where exceptions become exit codes: the only place that prints `Error: ...`.

`MigrateGroup` is the `migrate` click group; it runs every command under `report_errors`:

* a `MigrateError` (any expected failure from the library) -> `Error: <message>`, exit
  `exc.exit_code` (2);
* an `OSError` that the library did not word itself -> `Error: <file>: <reason>`, exit 2;
* Ctrl-C -> `Error: interrupted; run the command again (apply converges)`, exit 2;
* anything else is a bug -> one `Error: internal error (...)` line, exit 2.

`MIGRATE_DEBUG=1` shows the traceback too (and lets a bug's exception propagate). click's
own usage errors (`Usage: ... Error: ...`, exit 2) and `sys.exit` pass through untouched.
Commands print with `click.echo`, call the library, and raise or exit; they never catch to
print an error themselves.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from migrate.errors import MigrateError

EXIT_ERROR = 2


def debugging() -> bool:
    return bool(os.environ.get("MIGRATE_DEBUG"))


def _fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print the one error line and exit."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def report_errors() -> Iterator[None]:
    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise  # click's own: usage errors and exits, reported by click
    except MigrateError as exc:
        if debugging():
            traceback.print_exc()
        _fail(str(exc), exc.exit_code)
    except OSError as exc:
        if debugging():
            traceback.print_exc()
        _fail(f"{exc.filename or ''}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _fail("interrupted; run the command again (apply converges)")
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debugging():
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); this is a bug in migrate - "
             "rerun with MIGRATE_DEBUG=1 for details and report it")


class MigrateGroup(click.Group):
    """The `migrate` group: every command runs under `report_errors`."""

    def invoke(self, ctx: click.Context) -> Any:
        with report_errors():
            return super().invoke(ctx)
