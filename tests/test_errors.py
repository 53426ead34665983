"""One error base, one CLI edge: every exception class migrate defines is a `MigrateError`
(or a declared control-flow signal), and nothing outside `migrate/cli/` imports click."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import migrate
from migrate.errors import MigrateError

PACKAGE = Path(migrate.__file__).resolve().parent

# Exceptions used as control flow inside one module, never reported to a user (with their
# subclasses).
SIGNALS = {
    "migrate.sources.whenever.ruby.Signal",  # Ruby's non-local exits (return/next/break)
    "migrate.sources.whenever.cron_output.Unresolved",  # becomes a finding
    "migrate.sources.whenever.chronic.rtime.RubyError",  # an emulated Ruby exception ...
    "migrate.sources.whenever.chronic.rtime.ChronicUnsupported",  # ... and a gap in the port
    "migrate.sources.python.values.NotPlain",  # a value known only at run time
    "migrate.sources.python.ops.TooBig",  # a refused oversized evaluation
}


def modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(PACKAGE)], "migrate.")
            if m.name != "migrate.__main__"]  # importing it runs the CLI


def defined_exceptions() -> dict[str, type[BaseException]]:
    out = {}
    for name in modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__ == name):
                out[f"{name}.{attr}"] = value
    return out


def test_every_error_class_derives_from_migrate_error() -> None:
    found = defined_exceptions()
    assert "migrate.aws.gate.GateRefused" in found and "migrate.scan.ScanError" in found
    signals = tuple(found[n] for n in SIGNALS if n in found)
    strays = sorted(n for n, c in found.items()
                    if not issubclass(c, (MigrateError, *signals)))
    assert strays == [], "derive these from migrate.errors.MigrateError (or list them as " \
                         f"control-flow signals here with a reason): {strays}"
    assert sorted(n for n in SIGNALS if n not in found) == []  # the list stays true
    assert all(c.exit_code == 2 for c in found.values() if issubclass(c, MigrateError))


def test_value_errors_stay_value_errors() -> None:
    """`except ValueError` around a parser still catches its error after the change."""
    from migrate.aws.config import ConfigError
    from migrate.emit.catalog import CatalogError
    from migrate.schedule.cron import CronSyntaxError
    from migrate.schedule.zones import UnknownZone
    for cls in (ConfigError, CatalogError, CronSyntaxError, UnknownZone):
        assert issubclass(cls, ValueError) and issubclass(cls, MigrateError)


def click_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    hits = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        hits += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}" for n in names
                 if n == "click" or n.startswith("click.")]
    return hits


def test_the_library_imports_no_click() -> None:
    cli = PACKAGE / "cli"
    files = [p for p in PACKAGE.rglob("*.py") if cli not in p.parents]
    assert len(files) > 50
    assert [h for p in files for h in click_imports(p)] == []
    assert click_imports(cli / "__init__.py")  # the walk does see click where it is
