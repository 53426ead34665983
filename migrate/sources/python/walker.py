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

from collections.abc import Sequence
from typing import Any

import libcst as cst
from libcst.metadata import PositionProvider

from migrate.sources.python.bindings import Bindings
from migrate.sources.python.evaluate import Evaluator
from migrate.sources.python.module import CallSite, Context, FunctionInfo, Walk
from migrate.sources.python.parse import PythonSyntaxError, parse_module
from migrate.sources.python.values import (
    Call,
    Dict,
    Item,
    Scope,
    Seq,
    Unresolved,
    dotted_name,
    one_line,
    try_plain,
)

MAX_UNROLL = 200  # iterations of a constant `for` loop we unroll; beyond: walked once


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


class _Walker(Bindings):
    def __init__(self, evaluator: Evaluator) -> None:
        super().__init__(evaluator)
        self.deferred: list[tuple[cst.FunctionDef, Scope, Context]] = []

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


def _statements(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    """The statements of a suite (an indented block, or `def f(): x = 1` on one line)."""
    if isinstance(body, cst.IndentedBlock):
        return body.body
    assert isinstance(body, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body.body)]


def _function_ref(ev: Evaluator, node: cst.FunctionDef, name: str) -> Unresolved:
    return Unresolved(f"function `{name}`", ev.line(node), f"def {name}(...)")


def _short(value: Any) -> str:
    shown, missing = try_plain(value)
    if missing is not None:
        return "?"
    return one_line(repr(shown), 40)
