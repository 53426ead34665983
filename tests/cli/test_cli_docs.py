"""Every command is documented, as sqlite-utils' tests/test_docs.py checks its CLI: each
command has help text, each option a help string, the README's "Command line" section lists
the command's synopsis, and no synopsis there names a command that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from migrate.cli import COMMANDS, cli

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SYNOPSIS = re.compile(r"^migrate ([a-z][a-z-]*)\b", re.MULTILINE)


def command_line_section() -> str:
    start = README.index("\n## Command line\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def documented() -> set[str]:
    return set(SYNOPSIS.findall(command_line_section()))


def long_options(command: click.Command) -> list[str]:
    return [o for p in command.params for o in getattr(p, "opts", []) +
            getattr(p, "secondary_opts", []) if o.startswith("--") and o != "--help"]


def test_commands_are_registered_once_by_name() -> None:
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names)) and set(names) == set(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(cli.commands))  # type: ignore[attr-defined]
def test_command_has_help_and_is_documented(name: str) -> None:
    command = cli.commands[name]  # type: ignore[attr-defined]
    assert command.help and command.help.strip(), f"`migrate {name}` has no help text"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and f"Usage: cli {name}" in result.output
    assert command.help.split()[0] in result.output
    assert name in documented(), f"`migrate {name}` is not in README's Command line section"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{param.opts} of `migrate {name}` has no help"
    for opt in long_options(command):
        assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", README), \
            f"{opt} of `migrate {name}` is not documented in README.md"


def test_no_documented_command_is_missing() -> None:
    assert documented() <= set(cli.commands)  # type: ignore[attr-defined]
