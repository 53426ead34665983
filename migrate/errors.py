"""The one base of every error `migrate` expects, and the exit code each maps to.

An expected error is a problem with the user's input or surroundings (a bad option value,
a catalog or `migrate.yaml` that cannot be used, an AWS call that failed, a gate that
refuses), never a bug. Every such class derives from `MigrateError`, keeps the builtin base
it had (`ValueError` for bad values, so `except ValueError` still catches it) and carries in
`exit_code` what the command line exits with (2 unless a class says otherwise). The CLI
edge (`migrate.cli.edge`) is the only place that turns one into an `Error: ...` line.

This module imports nothing from `migrate`, so every module can import it without a cycle.
Control-flow signals that never leave the module raising them (whenever's `Signal`, the
Python reader's `NotPlain`, ...) are not errors and do not derive from it; the test
`tests/test_errors.py` lists them.
"""

from __future__ import annotations

from typing import ClassVar


class MigrateError(Exception):
    """An expected failure: printed as one `Error: <message>` line, exit `exit_code`."""

    exit_code: ClassVar[int] = 2
