"""What walking one Python module statically gives: call sites in their context, the
module's final bindings, and its top-level functions (`walker.walk_module` builds a `Walk`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from migrate.sources.python.evaluate import Evaluator
from migrate.sources.python.values import Call, Scope


@dataclass(frozen=True, slots=True)
class Context:
    """Where a statement runs: `notes` are conditions a reviewer must know about."""

    notes: tuple[str, ...] = ()
    function: str | None = None  # enclosing `def` name
    main_guard: bool = False  # under `if __name__ == "__main__":`
    iteration: str = ""  # "x=1" when unrolled from a constant loop

    def note(self) -> str:
        return "; ".join(self.notes)

    def with_note(self, note: str) -> Context:
        return Context((*self.notes, note), self.function, self.main_guard, self.iteration)


@dataclass(slots=True)
class CallSite:
    node: cst.Call | cst.Decorator
    call: Call
    receiver: str | None  # dotted receiver of a method call (`scheduler`, `app.conf`)
    method: str  # last name of the callee (`add_job`, `crontab`)
    scope: Scope
    context: Context
    decorates: str | None = None  # the function a decorator applies to
    decorates_line: int = 0


@dataclass(slots=True)
class FunctionInfo:
    name: str
    line: int
    decorators: list[Call]


@dataclass(slots=True)
class Walk:
    evaluator: Evaluator
    scope: Scope  # module scope, final
    calls: list[CallSite] = field(default_factory=list)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    bound_at: dict[str, int] = field(default_factory=dict)  # name -> line of last binding

    def value_of(self, name: str) -> Any:
        return self.scope.lookup(name)[1]
