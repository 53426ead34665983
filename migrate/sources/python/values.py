"""The values the static evaluator (`evaluate.py`) produces from Python expressions.

Plain Python values (str, int, float, bool, None) stand for themselves; containers and calls
keep the line and source text of each part, so a reader can report where a value came from.
`Unresolved` is a value known only at run time, with the reason and its place; `Ref` is a
name with no constant value here (a function, a module attribute).

Containers are mutable (`Dict`, `Seq`) so that aliasing behaves as in Python:
`BEAT = {...}; app.conf.beat_schedule = BEAT; BEAT["x"] = {...}` reaches both names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import libcst as cst


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value known only at run time: `reason` says why, `line`/`code` where."""

    reason: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Ref:
    """A name or dotted name with no constant value here (a function, a module, a zone)."""

    dotted: str  # as written, e.g. `tasks.cleanup`
    qualified: str  # with import aliases resolved, e.g. `myapp.tasks.cleanup`
    line: int
    code: str


@dataclass(slots=True)
class Item:
    value: Any
    line: int
    code: str


@dataclass(slots=True)
class Seq:
    kind: str  # list | tuple | set
    items: list[Item]
    line: int
    code: str
    missing: list[Unresolved] = field(default_factory=list)  # `*spread` we could not read


@dataclass(slots=True)
class Entry:
    key: Any
    value: Any
    line: int
    code: str
    note: str = ""  # e.g. "set under `if DEBUG:` (line 40)"
    replaced: list[int] = field(default_factory=list)  # lines of earlier values of this key
    value_code: str = ""  # the source text of the value alone


@dataclass(slots=True)
class Dict:
    entries: list[Entry]
    line: int
    code: str
    missing: list[Unresolved] = field(default_factory=list)  # `**spread` we could not read

    def find(self, key: Any) -> Entry | None:
        for entry in self.entries:
            if _same_key(entry.key, key):
                return entry
        return None

    def put(self, entry: Entry) -> None:
        """Python's `d[k] = v`: an existing key keeps its place and takes the new value."""
        old = self.find(entry.key)
        if old is None:
            self.entries.append(entry)
            return
        old.replaced.append(old.line)
        old.value, old.line, old.code, old.note = entry.value, entry.line, entry.code, entry.note

    def get(self, key: str) -> Any:
        entry = self.find(key)
        return None if entry is None else entry.value

    def copy(self) -> Dict:
        return Dict(
            [Entry(e.key, e.value, e.line, e.code, e.note, list(e.replaced), e.value_code)
             for e in self.entries],
            self.line,
            self.code,
            list(self.missing),
        )


@dataclass(slots=True)
class Call:
    """A call kept as a value: `func` is the qualified dotted name (or the code of the callee)."""

    func: str
    args: list[Item]
    kwargs: dict[str, Item]
    line: int
    code: str
    missing: list[Unresolved] = field(default_factory=list)  # `*args` / `**kwargs` unread

    @property
    def name(self) -> str:
        """The last component of `func` (`celery.schedules.crontab` -> `crontab`)."""
        return self.func.rsplit(".", 1)[-1]


def _same_key(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, str | int | float | bool) else False


class NotPlain(Exception):
    """Raised by `plain` when a value holds something only known at run time."""

    def __init__(self, unresolved: Unresolved) -> None:
        super().__init__(unresolved.reason)
        self.unresolved = unresolved


def plain(value: Any) -> Any:
    """The Python value (str, int, list, dict ...), or `NotPlain` naming the first unknown part."""
    if isinstance(value, Unresolved):
        raise NotPlain(value)
    if isinstance(value, Ref):
        raise NotPlain(unknown_ref(value))
    if isinstance(value, Call):
        raise NotPlain(
            Unresolved(f"calls `{value.func}(...)`, known only at run time", value.line,
                       value.code)
        )
    if isinstance(value, Seq):
        if value.missing:
            raise NotPlain(value.missing[0])
        items = [plain(i.value) for i in value.items]
        if value.kind == "tuple":
            return tuple(items)
        if value.kind == "set":
            try:
                return set(items)
            except TypeError:
                raise NotPlain(Unresolved("a set of unhashable values", value.line,
                                          value.code)) from None
        return items
    if isinstance(value, Dict):
        if value.missing:
            raise NotPlain(value.missing[0])
        out: dict[Any, Any] = {}
        for e in value.entries:
            key = plain(e.key)
            try:
                out[key] = plain(e.value)
            except TypeError:
                raise NotPlain(Unresolved("a dict key that is not hashable", e.line,
                                          e.code)) from None
        return out
    return value


def try_plain(value: Any) -> tuple[Any, Unresolved | None]:
    try:
        return plain(value), None
    except NotPlain as exc:
        return None, exc.unresolved


def unknown_ref(ref: Ref) -> Unresolved:
    """Why a name has no value here: bound nowhere in the file, or imported."""
    if ref.qualified != ref.dotted:
        origin = ref.qualified.rsplit(".", 1)[0] if "." in ref.qualified else ref.qualified
        reason = f"`{ref.dotted}` is imported from `{origin}`, not defined in this file"
    else:
        reason = f"`{ref.dotted}` is not a constant defined in this file"
    return Unresolved(reason, ref.line, ref.code)


def unknown(value: Any) -> Unresolved | None:
    """The `Unresolved` standing for a value known only at run time, else None."""
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, Ref):
        return unknown_ref(value)
    if isinstance(value, Call):
        return Unresolved(f"calls `{value.func}(...)`, known only at run time", value.line,
                          value.code)
    return None


_NEWLINE_RUN = re.compile(r"\s*\n\s*")


def one_line(code: str, limit: int = 240) -> str:
    """Source text on one line (line breaks and their indentation become one blank; blanks
    inside a line, string contents included, are kept), shortened to `limit` characters."""
    text = _NEWLINE_RUN.sub(" ", code.strip())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Scope:
    """Names (and dotted paths such as `app.conf.timezone`) bound to values, with a parent."""

    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.bindings: dict[str, Any] = {}

    def lookup(self, name: str) -> tuple[bool, Any]:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.bindings:
                return True, scope.bindings[name]
            scope = scope.parent
        return False, None

    def bind(self, name: str, value: Any) -> None:
        self.bindings[name] = value

    def names(self) -> Iterator[tuple[str, Any]]:
        seen: set[str] = set()
        scope: Scope | None = self
        while scope is not None:
            for name, value in scope.bindings.items():
                if name not in seen:
                    seen.add(name)
                    yield name, value
            scope = scope.parent


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = dotted_name(node.value)
        return None if head is None else f"{head}.{node.attr.value}"
    return None
