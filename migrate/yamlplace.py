"""Where a key of a YAML document was written: the `path:line` of every error about our
YAML inputs (`migrate.yaml`, `catalog.yaml`).

Keys are dotted paths with list indexes, as the messages name them: `environments.staging.
subnets`, `jobs[3].schedule.cron`. `key_lines(text)` maps each key to the 1-based line it is
written on (for a mapping key, the line of the key itself; for a list item, the line of the
item); a key that is not in the document (a missing setting) is placed at its nearest
ancestor that is. Composing the node tree costs about as much as loading the document, so
readers of big files (a fleet's catalog) build the map only when they have an error to place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml


def key_lines(text: str) -> dict[str, int]:
    """Dotted key path -> 1-based line, from the YAML node tree (text must be valid YAML)."""
    out: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                sub = f"{path}.{k.value}" if path else str(k.value)
                walk(v, sub)
                out[sub] = k.start_mark.line + 1  # the key's line, not its value's
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, "")
    return out


def parent(key: str) -> str:
    """`a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> ``."""
    dot = key.rfind(".")
    bracket = key.rfind("[")
    cut = max(dot, bracket)
    return key[:cut] if cut > 0 else ""


def line_of(lines: Mapping[str, int], key: str) -> int | None:
    """The line of `key`, else of its nearest ancestor written in the document."""
    while key:
        if key in lines:
            return lines[key]
        key = parent(key)
    return None


def place(path: str, lines: Mapping[str, int], key: str) -> str:
    """`path:line` of `key` (just `path` when nothing of it is in the document)."""
    line = line_of(lines, key)
    return f"{path}:{line}" if line else path


def describe(value: Any) -> str:
    """A value as an error message shows it: scalars by repr, containers by type."""
    if value is None:
        return "nothing"
    if isinstance(value, str | bool | int | float):
        return f"{value!r}"
    return type(value).__name__
