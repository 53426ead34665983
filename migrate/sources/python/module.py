"""Walk one Python module statically: bind constants, apply mutations, collect call sites.

The walk follows the module top to bottom the way Python would run it, as far as that is
knowable without running it:

* assignments bind names and dotted paths (`app.conf.beat_schedule = {...}`);
* `X[k] = v`, `X.update(...)`, `X.setdefault(...)`, `X.append(...)`, `X += ...` mutate the
  containers bound earlier (aliases see the change, as in Python);
* `conf.update(timezone=...)` binds `conf.timezone`;
* `for` loops over constant sequences are unrolled (`for h in (1, 5): add_job(..., hour=h)`);
  loops over run-time data are walked once with the loop variables unresolved;
* function and method bodies are walked after the module body, with their parameters
  unresolved and the module's final bindings visible;
* every call statement, call assigned to a name, and decorator is recorded as a `CallSite`
  with the context it runs in (a condition, a loop, a function), for the framework readers.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from migrate.errors import MigrateError
from migrate.sources.python.evaluate import Evaluator
from migrate.sources.python.values import (
    Call,
    Dict,
    Entry,
    Item,
    Ref,
    Scope,
    Seq,
    Unresolved,
    dotted_name,
    one_line,
    plain,
    try_plain,
    unknown_ref,
)

MUTATORS = {"update": "dict", "setdefault": "dict", "append": "list", "extend": "list",
            "insert": "list"}
MAX_UNROLL = 200  # iterations of a constant `for` loop we unroll; beyond: walked once


class PythonSyntaxError(MigrateError, ValueError):
    """The file is not Python that this reader can parse."""

    def __init__(self, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


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


def parse_module(text: str) -> tuple[cst.Module, MetadataWrapper]:
    """Parse with libcst, after Python's own parser accepted the text.

    libcst's native parser overflows its stack (the process dies) on deeply nested input
    such as 5,000 parentheses; Python's `ast.parse` refuses those with an error. So a text
    goes to libcst only once `ast.parse` (which parses and runs nothing) has accepted it,
    and Python's error, with its line and column, is the diagnostic otherwise.
    """
    try:
        with warnings.catch_warnings():  # invalid escapes etc. warn; they are not our news
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as error:
        raise PythonSyntaxError(f"not valid Python: {error.msg}", error.lineno or 1,
                                error.offset) from None
    except (RecursionError, MemoryError):
        raise PythonSyntaxError("not readable: nested too deeply", 1) from None
    except ValueError as error:  # NUL bytes (Python 3.11)
        raise PythonSyntaxError(f"not valid Python: {error}", 1) from None
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise PythonSyntaxError(f"not valid Python: {exc.message}", exc.raw_line,
                                exc.raw_column + 1) from None
    except RecursionError:
        raise PythonSyntaxError("not readable: nested too deeply", 1) from None
    return module, MetadataWrapper(module, unsafe_skip_copy=True)


def walk_module(text: str) -> Walk:
    """Parse and walk `text`; raises `PythonSyntaxError` for a file libcst cannot parse."""
    module, wrapper = parse_module(text)
    try:
        positions = wrapper.resolve(PositionProvider)
        walker = _Walker(Evaluator(module, positions))
        walker.run(module)
    except RecursionError:
        raise PythonSyntaxError("not readable: nested too deeply", 1) from None
    return walker.result


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [
        s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"
    ]
    return isinstance(test.comparisons[0].operator, cst.Equal) and bool(names) and bool(strings)


class _Walker:
    def __init__(self, evaluator: Evaluator) -> None:
        self.ev = evaluator
        self.result = Walk(evaluator, Scope())
        self.deferred: list[tuple[cst.FunctionDef, Scope, Context]] = []
        self.classes: set[str] = set()

    # ---------------------------------------------------------------- statements

    def run(self, module: cst.Module) -> None:
        self.block(module.body, self.result.scope, Context())
        while self.deferred:
            node, parent, ctx = self.deferred.pop(0)
            self.function_body(node, parent, ctx)

    def block(self, body: Sequence[cst.CSTNode], scope: Scope, ctx: Context) -> None:
        for statement in body:
            self.statement(statement, scope, ctx)

    def statement(self, node: cst.CSTNode, scope: Scope, ctx: Context) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small, scope, ctx)
        elif isinstance(node, cst.If):
            self.if_statement(node, scope, ctx)
        elif isinstance(node, cst.For):
            self.for_statement(node, scope, ctx)
        elif isinstance(node, cst.While):
            line = self.ev.line(node)
            self.block(node.body.body, scope, ctx.with_note(f"inside a `while` loop (line {line})"))
        elif isinstance(node, cst.Try | cst.TryStar):
            self.block(node.body.body, scope, ctx)
            for handler in node.handlers:
                line = self.ev.line(handler)
                self.block(handler.body.body, scope,
                           ctx.with_note(f"in an `except` block (line {line})"))
            if node.orelse is not None:
                self.block(node.orelse.body.body, scope, ctx)
            if node.finalbody is not None:
                self.block(node.finalbody.body.body, scope, ctx)
        elif isinstance(node, cst.With):
            self.block(node.body.body, scope, ctx)
        elif isinstance(node, cst.FunctionDef):
            self.function_def(node, scope, ctx)
        elif isinstance(node, cst.ClassDef):
            self.class_def(node, scope, ctx)
        elif isinstance(node, cst.Match):
            for case in node.cases:
                line = self.ev.line(case)
                self.block(case.body.body, scope, ctx.with_note(f"in a `case` (line {line})"))

    def if_statement(self, node: cst.If, scope: Scope, ctx: Context) -> None:
        line = self.ev.line(node)
        if _is_main_guard(node.test):
            inner = Context(ctx.notes, ctx.function, True, ctx.iteration)
            self.block(node.body.body, scope, inner)
        else:
            test, missing = try_plain(self.ev.eval(node.test, scope))
            condition = one_line(self.ev.module.code_for_node(node.test), 80)
            if missing is None and not test:
                # A constant false condition: the body never runs; still read (and note) it.
                self.block(node.body.body, scope,
                           ctx.with_note(f"under `if {condition}:` (line {line}), "
                                         "a condition that is false"))
            elif missing is None:
                self.block(node.body.body, scope, ctx)
            else:
                self.block(node.body.body, scope,
                           ctx.with_note(f"under `if {condition}:` (line {line})"))
        orelse = node.orelse
        if isinstance(orelse, cst.If):
            self.if_statement(orelse, scope, ctx.with_note(f"in the `elif` of line {line}"))
        elif isinstance(orelse, cst.Else):
            self.block(orelse.body.body, scope, ctx.with_note(f"in the `else` of line {line}"))

    def for_statement(self, node: cst.For, scope: Scope, ctx: Context) -> None:
        line = self.ev.line(node)
        values = self.loop_values(node.iter, scope)
        if values is None or len(values) > MAX_UNROLL:
            loop = ctx.with_note(f"inside a `for` loop over run-time data (line {line})")
            self.bind_target(node.target, Unresolved(
                f"a loop variable of the loop at line {line}", line,
                self.ev.code(node.target)), scope, loop)
            self.block(node.body.body, scope, loop)
        else:
            for value in values:
                self.bind_target(node.target, value, scope, ctx)
                shown = self.ev.code(node.target)
                label = f"{shown}={_short(value)}"
                inner = Context(ctx.notes, ctx.function, ctx.main_guard,
                                f"{ctx.iteration}, {label}" if ctx.iteration else label)
                self.block(node.body.body, scope, inner)
        if node.orelse is not None:
            self.block(node.orelse.body.body, scope, ctx)

    def loop_values(self, node: cst.BaseExpression, scope: Scope) -> list[Any] | None:
        value = self.ev.eval(node, scope)
        if isinstance(value, Call) and not value.args and not value.kwargs and isinstance(
            node, cst.Call
        ) and isinstance(node.func, cst.Attribute):
            owner = self.ev.eval(node.func.value, scope)
            method = node.func.attr.value
            if isinstance(owner, Dict) and not owner.missing:
                if method == "items":
                    return [Seq("tuple", [Item(e.key, e.line, e.code), Item(e.value, e.line,
                                                                           e.code)],
                                e.line, e.code) for e in owner.entries]
                if method == "keys":
                    return [e.key for e in owner.entries]
                if method == "values":
                    return [e.value for e in owner.entries]
            return None
        if isinstance(value, Seq) and not value.missing:
            return [i.value for i in value.items]
        if isinstance(value, Dict) and not value.missing:
            return [e.key for e in value.entries]
        return None

    def function_def(self, node: cst.FunctionDef, scope: Scope, ctx: Context) -> None:
        name = node.name.value
        line = self.ev.line(node)
        decorators: list[Call] = []
        for decorator in node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                call = self.ev.call_value(expr, scope)
            else:
                dotted = dotted_name(expr)
                func = self.ev.qualify(dotted) if dotted else self.ev.code(expr)
                call = Call(func, [], {}, self.ev.line(decorator), self.ev.code(decorator))
            decorators.append(call)
            receiver = None
            target = expr.func if isinstance(expr, cst.Call) else expr
            if isinstance(target, cst.Attribute):
                receiver = dotted_name(target.value)
            self.result.calls.append(
                CallSite(decorator, call, receiver, call.name, scope, ctx, name, line)
            )
        if ctx.function is None and name not in self.result.functions:
            self.result.functions[name] = FunctionInfo(name, line, decorators)
        scope.bind(name, _function_ref(self.ev, node, name))
        self.deferred.append((node, scope, Context(ctx.notes, name, ctx.main_guard,
                                                   ctx.iteration)))

    def function_body(self, node: cst.FunctionDef, parent: Scope, ctx: Context) -> None:
        local = Scope(parent)
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                every.append(star)
        for param in every:
            local.bind(param.name.value, Unresolved(
                f"parameter `{param.name.value}` of `{node.name.value}()`",
                self.ev.line(param), self.ev.code(param)))
        self.block(_statements(node.body), local, ctx)

    def class_def(self, node: cst.ClassDef, scope: Scope, ctx: Context) -> None:
        """A class body runs once; its attributes are also bound as `Class.attr` (a config
        class handed to `app.config_from_object(Config)`)."""
        name = node.name.value
        self.classes.add(name)
        inner = Scope(scope)
        self.block(_statements(node.body), inner, ctx)
        scope.bind(name, Unresolved(f"class `{name}`", self.ev.line(node), f"class {name}"))
        for attr, value in inner.bindings.items():
            if "." not in attr:
                scope.bind(f"{name}.{attr}", value)
                self.result.bound_at[f"{name}.{attr}"] = self.result.bound_at.get(
                    attr, self.ev.line(node))

    # ---------------------------------------------------------------- small statements

    def small(self, node: cst.BaseSmallStatement, scope: Scope, ctx: Context) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = _module_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.ev.imports[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    self.ev.imports[head] = head
        elif isinstance(node, cst.ImportFrom):
            self.import_from(node)
        elif isinstance(node, cst.Assign):
            value = self.value(node.value, scope, ctx)
            for target in node.targets:
                self.bind_target(target.target, value, scope, ctx)
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            self.bind_target(node.target, self.value(node.value, scope, ctx), scope, ctx)
        elif isinstance(node, cst.AugAssign):
            self.aug_assign(node, scope, ctx)
        elif isinstance(node, cst.Expr):
            expr = node.value
            if isinstance(expr, cst.Await):
                expr = expr.expression
            if isinstance(expr, cst.Call):
                self.call_statement(expr, scope, ctx)

    def import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        base = "." * len(node.relative)
        if node.module is not None:
            base += _module_name(node.module)
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            joined = f"{base}.{name}" if base and not base.endswith(".") else base + name
            self.ev.imports[local] = joined

    def value(self, node: cst.BaseExpression, scope: Scope, ctx: Context) -> Any:
        """Evaluate the right-hand side of an assignment, recording it if it is a call."""
        if isinstance(node, cst.Await):
            node = node.expression
        if isinstance(node, cst.Call):
            value = self.ev.eval(node, scope)
            self.record(node, value if isinstance(value, Call) else self.ev.call_value(node,
                                                                                       scope),
                        scope, ctx)
            return value
        return self.ev.eval(node, scope)

    def bind_target(self, target: cst.BaseExpression, value: Any, scope: Scope,
                    ctx: Context) -> None:
        note = ctx.note()
        if note and isinstance(value, Dict):
            for entry in value.entries:
                entry.note = entry.note or note
        if isinstance(target, cst.Name | cst.Attribute):
            dotted = dotted_name(target)
            if dotted is not None:
                self.owner_scope(dotted, scope).bind(dotted, value)
                self.result.bound_at[dotted] = self.ev.line(target)
        elif isinstance(target, cst.Subscript):
            self.set_item(target, value, scope, ctx)
        elif isinstance(target, cst.Tuple | cst.List):
            names = [e.value for e in target.elements]
            if isinstance(value, Seq) and not value.missing and len(value.items) == len(
                names
            ) and not any(isinstance(e, cst.StarredElement) for e in target.elements):
                for name, item in zip(names, value.items, strict=True):
                    self.bind_target(name, item.value, scope, ctx)
            else:
                for name in names:
                    self.bind_target(name, Unresolved(
                        "unpacked from a value this reader cannot split",
                        self.ev.line(target), self.ev.code(target)), scope, ctx)

    def owner_scope(self, dotted: str, scope: Scope) -> Scope:
        """Where a binding lives: a plain name in the current scope; `a.b.c` (an attribute
        set on an object) in the scope that binds `a`, the module's when `a` is global."""
        if "." not in dotted:
            return scope
        root = dotted.split(".")[0]
        current: Scope | None = scope
        while current is not None and current is not self.result.scope:
            if root in current.bindings:
                return current
            current = current.parent
        return self.result.scope

    def container(self, node: cst.BaseExpression, scope: Scope, kind: str) -> Any:
        """The container an in-place change applies to. A name bound nowhere in this file
        (`from .base import *`, then `CRONJOBS += [...]`) becomes a new container that
        records the unknown part, so the entries added here are still read."""
        value = self.ev.eval(node, scope)
        dotted = dotted_name(node)
        if not isinstance(value, Ref) or dotted is None:
            return value
        missing = [unknown_ref(value)]
        line, code = self.ev.line(node), self.ev.code(node)
        fresh: Any = Dict([], line, code, missing) if kind == "dict" else Seq(
            "list", [], line, code, missing)
        self.owner_scope(dotted, scope).bind(dotted, fresh)
        self.result.bound_at.setdefault(dotted, line)
        return fresh

    def set_item(self, target: cst.Subscript, value: Any, scope: Scope, ctx: Context) -> None:
        container = self.container(target.value, scope, "dict")
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return
        key_node = target.slice[0].slice.value
        key = self.ev.eval(key_node, scope)
        if isinstance(container, Dict):
            container.put(Entry(key, value, self.ev.line(key_node), self.ev.code(target),
                                ctx.note()))

    def aug_assign(self, node: cst.AugAssign, scope: Scope, ctx: Context) -> None:
        addition = self.ev.eval(node.value, scope)
        if isinstance(addition, Dict | Seq):
            kind = "dict" if isinstance(addition, Dict) else "list"
            current = self.container(node.target, scope, kind)
        else:
            current = self.ev.eval(node.target, scope)
        op = node.operator
        if isinstance(current, Dict) and isinstance(op, cst.BitOrAssign) and isinstance(
            addition, Dict
        ):
            self.merge(current, addition, ctx)
            return
        if isinstance(current, Seq) and isinstance(op, cst.AddAssign) and isinstance(
            addition, Seq
        ):
            current.items.extend(addition.items)
            current.missing.extend(addition.missing)
            return
        binary = {
            cst.AddAssign: cst.Add(), cst.SubtractAssign: cst.Subtract(),
            cst.MultiplyAssign: cst.Multiply(), cst.DivideAssign: cst.Divide(),
            cst.FloorDivideAssign: cst.FloorDivide(), cst.ModuloAssign: cst.Modulo(),
        }.get(type(op))
        if binary is None or not isinstance(node.target, cst.Name | cst.Attribute):
            result: Any = self.ev.unresolved(node, "an augmented assignment this reader "
                                                   "does not follow")
        else:
            result = self.ev.eval(cst.BinaryOperation(node.target, binary, node.value), scope)
            if isinstance(result, Unresolved) and result.line == 0:
                result = self.ev.unresolved(node, result.reason)
        self.bind_target(node.target, result, scope, ctx)

    def merge(self, into: Dict, addition: Dict, ctx: Context) -> None:
        for entry in addition.copy().entries:
            entry.note = entry.note or ctx.note()
            into.put(entry)
        into.missing.extend(addition.missing)

    def call_statement(self, node: cst.Call, scope: Scope, ctx: Context) -> None:
        call = self.ev.call_value(node, scope)
        self.record(node, call, scope, ctx)
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        owner_path = dotted_name(node.func.value)
        kind = MUTATORS.get(method)
        if kind is not None and owner_path is not None and not owner_path.endswith("conf"):
            owner = self.container(node.func.value, scope, kind)
        else:
            owner = self.ev.eval(node.func.value, scope)
        if isinstance(owner, Dict):
            self.mutate_dict(owner, method, call, ctx)
        elif isinstance(owner, Seq) and owner.kind == "list":
            if method == "append" and len(call.args) == 1:
                owner.items.append(call.args[0])
            elif method == "extend" and len(call.args) == 1:
                extra = call.args[0].value
                if isinstance(extra, Seq):
                    owner.items.extend(extra.items)
                    owner.missing.extend(extra.missing)
                else:
                    owner.missing.append(_unknown(extra, call))
            elif method == "insert" and len(call.args) == 2:
                index, missing = try_plain(call.args[0].value)
                if missing is None and isinstance(index, int):
                    owner.items.insert(index, call.args[1])
        if method == "config_from_object" and owner_path is not None and call.args:
            self.config_class(owner_path, node, scope)
        if method == "update" and owner_path is not None and owner_path.endswith("conf") \
                and not isinstance(owner, Dict):
            # Celery's `app.conf.update(timezone=..., beat_schedule=...)`.
            for key, item in call.kwargs.items():
                scope.bind(f"{owner_path}.{key}", item.value)
                self.result.bound_at[f"{owner_path}.{key}"] = item.line
            for arg in call.args:
                if isinstance(arg.value, Dict):
                    for entry in arg.value.entries:
                        if isinstance(entry.key, str):
                            scope.bind(f"{owner_path}.{entry.key}", entry.value)
                            self.result.bound_at[f"{owner_path}.{entry.key}"] = entry.line

    def config_class(self, app: str, node: cst.Call, scope: Scope) -> None:
        """`app.config_from_object(Config)` with a class of this file: its attributes are
        the app's settings (`app.conf.beat_schedule` is `Config.beat_schedule`)."""
        target = dotted_name(node.args[0].value)
        if target is None or target not in self.classes:
            return
        prefix = f"{target}."
        for name, value in list(self.result.scope.names()):
            if name.startswith(prefix) and "." not in name[len(prefix):]:
                setting = f"{app}.conf.{name[len(prefix):]}"
                self.owner_scope(setting, scope).bind(setting, value)
                self.result.bound_at[setting] = self.result.bound_at.get(name, 0)

    def mutate_dict(self, owner: Dict, method: str, call: Call, ctx: Context) -> None:
        if method == "update":
            for arg in call.args:
                if isinstance(arg.value, Dict):
                    self.merge(owner, arg.value, ctx)
                else:
                    owner.missing.append(_unknown(arg.value, call))
            for key, item in call.kwargs.items():
                owner.put(Entry(key, item.value, item.line, item.code, ctx.note()))
            owner.missing.extend(call.missing)
        elif method == "setdefault" and len(call.args) == 2:
            key = call.args[0].value
            if owner.find(key) is None:
                owner.put(Entry(key, call.args[1].value, call.args[0].line, call.code,
                                ctx.note()))

    def record(self, node: cst.Call, call: Call, scope: Scope, ctx: Context) -> None:
        receiver = None
        if isinstance(node.func, cst.Attribute):
            receiver = dotted_name(node.func.value)
        self.result.calls.append(CallSite(node, call, receiver, call.name, scope, ctx))


def _statements(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    """The statements of a suite (an indented block, or `def f(): x = 1` on one line)."""
    if isinstance(body, cst.IndentedBlock):
        return body.body
    assert isinstance(body, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body.body)]


def _unknown(value: Any, call: Call) -> Unresolved:
    try:
        plain(value)
    except Exception as exc:  # NotPlain
        unresolved = getattr(exc, "unresolved", None)
        if isinstance(unresolved, Unresolved):
            return unresolved
    return Unresolved("not a dict this reader can read", call.line, call.code)


def _module_name(node: cst.BaseExpression) -> str:
    dotted = dotted_name(node)
    return dotted if dotted is not None else ""


def _function_ref(ev: Evaluator, node: cst.FunctionDef, name: str) -> Unresolved:
    return Unresolved(f"function `{name}`", ev.line(node), f"def {name}(...)")


def _short(value: Any) -> str:
    shown, missing = try_plain(value)
    if missing is not None:
        return "?"
    return one_line(repr(shown), 40)


def iter_entries(value: Any) -> Iterator[Entry]:
    """Entries of a `Dict` value (nothing for anything else)."""
    if isinstance(value, Dict):
        yield from value.entries
