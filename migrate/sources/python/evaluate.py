"""Static evaluation of Python expressions (libcst nodes) to `values`, running nothing.

A settings file or scheduler script is never imported (it may connect to a database, read
secrets or start a scheduler). Its expressions are evaluated here over a small, closed
language: literals, containers, f-strings, `%` and `str.format`, arithmetic, names bound
earlier, a few builtins (`dict`, `list`, `range`, `str`, `int` ...), and calls, which are
kept as `Call` values for the framework readers to interpret (`crontab(...)`,
`timedelta(...)`, `CronTrigger(...)`).

Whatever depends on run time (environment lookups, comprehensions, calls to the project's
own functions, names bound elsewhere) becomes an `Unresolved` value carrying a reason and
its line, so a reader can keep the entry and report exactly what it could not read. Sizes
are bounded (`"x" * 10**9`, `"%099999999d"` are not built) so hostile input cannot exhaust
memory.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange

from migrate.sources.python.ops import BUILTINS, MAX_SIZE, TooBig, arith, check_format
from migrate.sources.python.values import (
    Call,
    Dict,
    Entry,
    Item,
    NotPlain,
    Ref,
    Scope,
    Seq,
    Unresolved,
    dotted_name,
    one_line,
    plain,
    try_plain,
    unknown,
)

MAX_DEPTH = 60  # nesting depth of expressions we follow
ENV_READERS = frozenset(
    {"os.environ.get", "os.getenv", "os.environ.setdefault", "getenv", "environ.get",
     "env", "config", "decouple.config", "env.str", "env.int", "env.bool", "env.list"}
)


class Evaluator:
    """Evaluates expression nodes of one module. `imports` maps local names to modules."""

    def __init__(
        self, module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange]
    ) -> None:
        self.module = module
        self.positions = positions
        self.imports: dict[str, str] = {}

    # ---------------------------------------------------------------- places

    def line(self, node: cst.CSTNode) -> int:
        where = self.positions.get(node)
        return 0 if where is None else where.start.line

    def code(self, node: cst.CSTNode) -> str:
        return one_line(self.module.code_for_node(node))

    def unresolved(self, node: cst.CSTNode, reason: str) -> Unresolved:
        return Unresolved(reason, self.line(node), self.code(node))

    def qualify(self, dotted: str) -> str:
        head, dot, rest = dotted.partition(".")
        if head in self.imports:
            return self.imports[head] + dot + rest
        return dotted

    # ---------------------------------------------------------------- evaluation

    def eval(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            return self.unresolved(node, "too deeply nested to read")
        handler = _HANDLERS.get(type(node))
        if handler is None:
            return self.unresolved(node, _dynamic_reason(node))
        return handler(self, node, scope, depth + 1)

    def _number(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Integer | cst.Float | cst.Imaginary)
        try:
            return ast.literal_eval(node.value)
        except (ValueError, SyntaxError):
            return self.unresolved(node, "not a number literal")

    def _string(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.SimpleString)
        try:
            return node.evaluated_value
        except Exception:  # libcst evaluates with ast.literal_eval; bad escapes land here
            return self.unresolved(node, "not a string literal")

    def _concat(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.ConcatenatedString)
        left = self.eval(node.left, scope, depth)
        right = self.eval(node.right, scope, depth)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, bytes) and isinstance(right, bytes):
            return left + right
        return _first_unknown(left, right) or self.unresolved(node, "mixed string literals")

    def _fstring(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.FormattedString)
        return self._fparts(node, node.parts, scope, depth)

    def _fparts(
        self,
        node: cst.CSTNode,
        parts: Any,
        scope: Scope,
        depth: int,
    ) -> Any:
        out: list[str] = []
        for part in parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value.replace("{{", "{").replace("}}", "}"))
                continue
            value, missing = try_plain(self.eval(part.expression, scope, depth))
            if missing is not None:
                return missing
            spec = ""
            if part.format_spec:
                spec_value = self._fparts(node, part.format_spec, scope, depth)
                if not isinstance(spec_value, str):
                    return spec_value
                spec = spec_value
            try:
                check_format(spec)
                if part.conversion == "r":
                    value = repr(value)
                elif part.conversion == "s":
                    value = str(value)
                elif part.conversion == "a":
                    value = ascii(value)
                text = format(value, spec)
            except (ValueError, TypeError, TooBig):
                return self.unresolved(node, "an f-string this reader cannot format")
            out.append(text)
        joined = "".join(out)
        return joined if len(joined) <= MAX_SIZE else self.unresolved(node, "too long")

    def _name(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Name)
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants:
            return constants[node.value]
        return self._bound(node, node.value, scope)

    def _attribute(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Attribute)
        dotted = dotted_name(node)
        if dotted is None:
            return self.unresolved(node, _dynamic_reason(node))
        return self._bound(node, dotted, scope)

    def _bound(self, node: cst.BaseExpression, dotted: str, scope: Scope) -> Any:
        found, value = scope.lookup(dotted)
        if found:
            return value
        return Ref(dotted, self.qualify(dotted), self.line(node), self.code(node))

    def _subscript(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Subscript)
        container = self.eval(node.value, scope, depth)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return self.unresolved(node, "a slice this reader does not follow")
        if isinstance(container, Ref) and container.qualified in ("os.environ", "environ"):
            return self.unresolved(node, "reads the environment (`os.environ[...]`)")
        key, missing = try_plain(self.eval(node.slice[0].slice.value, scope, depth))
        if missing is not None:
            return missing
        if isinstance(container, Dict):
            entry = container.find(key)
            if entry is not None:
                return entry.value
            return self.unresolved(node, f"key {key!r} is not in that dict")
        if isinstance(container, Seq) and container.kind != "set":
            container = [i.value for i in container.items]
        if isinstance(container, str | list) and isinstance(key, int) and (
            -len(container) <= key < len(container)
        ):
            return container[key]
        return _first_unknown(container) or self.unresolved(node, "an index this reader "
                                                                  "cannot follow")

    def _sequence(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Tuple | cst.List | cst.Set)
        kind = {cst.Tuple: "tuple", cst.List: "list", cst.Set: "set"}[type(node)]
        seq = Seq(kind, [], self.line(node), self.code(node))
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                spread = self.eval(element.value, scope, depth)
                if isinstance(spread, Seq) and not spread.missing:
                    seq.items.extend(Item(i.value, i.line, i.code) for i in spread.items)
                else:
                    seq.missing.append(_first_unknown(spread) or self.unresolved(
                        element, "a `*` spread of something not a sequence"))
                continue
            seq.items.append(
                Item(self.eval(element.value, scope, depth), self.line(element.value),
                     self.code(element.value))
            )
        if len(seq.items) > MAX_SIZE:
            return self.unresolved(node, "too long")
        return seq

    def _dict(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Dict)
        out = Dict([], self.line(node), self.code(node))
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self.eval(element.value, scope, depth)
                if isinstance(spread, Dict):
                    for e in spread.copy().entries:
                        out.put(e)
                    out.missing.extend(spread.missing)
                else:
                    out.missing.append(
                        _first_unknown(spread)
                        or self.unresolved(element, "a `**` spread of something not a dict")
                    )
                continue
            assert isinstance(element, cst.DictElement)
            key = self.eval(element.key, scope, depth)
            value_code = self.code(element.value)
            out.put(Entry(key, self.eval(element.value, scope, depth), self.line(element.key),
                          f"{self.code(element.key)}: {value_code}", value_code=value_code))
        return out

    def _unary(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.UnaryOperation)
        value = self.eval(node.expression, scope, depth)
        if isinstance(value, bool) or not isinstance(value, int | float):
            if isinstance(node.operator, cst.Not) and isinstance(value, bool | int | str):
                return not value
            return _first_unknown(value) or self.unresolved(node, "not a constant number")
        if isinstance(node.operator, cst.Minus):
            return -value
        if isinstance(node.operator, cst.Plus):
            return +value
        if isinstance(node.operator, cst.BitInvert) and isinstance(value, int):
            return ~value
        return self.unresolved(node, "not a constant number")

    def _binary(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.BinaryOperation)
        left = self.eval(node.left, scope, depth)
        right = self.eval(node.right, scope, depth)
        op = type(node.operator)
        if op is cst.BitOr and isinstance(left, Dict) and isinstance(right, Dict):
            merged = left.copy()
            for e in right.copy().entries:
                merged.put(e)
            merged.missing.extend(right.missing)
            return merged
        if (op is cst.Add and isinstance(left, Seq) and isinstance(right, Seq)
                and left.kind == right.kind and left.kind != "set"):
            joined = Seq(left.kind, [*left.items, *right.items], left.line, self.code(node),
                         [*left.missing, *right.missing])
            if len(joined.items) > MAX_SIZE:
                return self.unresolved(node, "too long")
            return joined
        unknown = _first_unknown(left, right)
        if unknown is not None:
            return unknown
        a, missing_a = try_plain(left)
        b, missing_b = try_plain(right)
        if missing_a or missing_b:
            return missing_a or missing_b
        try:
            return arith(op, a, b)
        except (ArithmeticError, TypeError, ValueError, TooBig):
            return self.unresolved(node, "arithmetic this reader does not evaluate")

    def _ifexp(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.IfExp)
        test, missing = try_plain(self.eval(node.test, scope, depth))
        if missing is not None:
            return self.unresolved(node, f"chosen at run time ({missing.reason})")
        return self.eval(node.body if test else node.orelse, scope, depth)

    def _call(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        assert isinstance(node, cst.Call)
        call = self.call_value(node, scope, depth)
        func = call.func
        if func in ENV_READERS or func.endswith(("environ.get", ".getenv")):
            return self.unresolved(node, f"reads the environment (`{func}(...)`)")
        if isinstance(node.func, cst.Attribute):
            receiver = self.eval(node.func.value, scope, depth)
            if isinstance(receiver, str):
                return self._str_method(node, receiver, node.func.attr.value, call)
            if isinstance(receiver, Dict) and node.func.attr.value in ("copy",):
                return receiver.copy()
        builtin = BUILTINS.get(func)
        if builtin is not None and not call.missing:
            try:
                return builtin(call)
            except NotPlain as exc:
                return exc.unresolved
            except (TypeError, ValueError, TooBig, OverflowError):
                return self.unresolved(node, f"`{func}(...)` of values this reader cannot "
                                             "evaluate")
        return call

    def call_value(self, node: cst.Call, scope: Scope, depth: int = 0) -> Call:
        """The call as a value: callee name, arguments evaluated, spreads applied."""
        dotted = dotted_name(node.func)
        func = self.qualify(dotted) if dotted is not None else self.code(node.func)
        call = Call(func, [], {}, self.line(node), self.code(node))
        for arg in node.args:
            value = self.eval(arg.value, scope, depth + 1)
            if arg.star == "*":
                if isinstance(value, Seq) and not value.missing:
                    call.args.extend(value.items)
                else:
                    call.missing.append(_first_unknown(value) or self.unresolved(arg, "`*args`"))
            elif arg.star == "**":
                if isinstance(value, Dict) and not value.missing and all(
                    isinstance(e.key, str) for e in value.entries
                ):
                    for e in value.entries:
                        code = f"{e.key}={e.value_code}" if e.value_code else e.code
                        call.kwargs[e.key] = Item(e.value, e.line, code)
                else:
                    call.missing.append(
                        _first_unknown(value) or self.unresolved(arg, "`**kwargs`")
                    )
            elif arg.keyword is not None:
                code = f"{arg.keyword.value}={self.code(arg.value)}"
                call.kwargs[arg.keyword.value] = Item(value, self.line(arg), code)
            else:
                call.args.append(Item(value, self.line(arg.value), self.code(arg.value)))
        return call

    def _str_method(self, node: cst.Call, text: str, method: str, call: Call) -> Any:
        try:
            args = [plain(i.value) for i in call.args]
            kwargs = {k: plain(i.value) for k, i in call.kwargs.items()}
        except NotPlain as exc:
            return exc.unresolved
        if call.missing:
            return call.missing[0]
        try:
            if method == "format":
                check_format(text)
                result: Any = text.format(*args, **kwargs)
            elif method in ("upper", "lower", "strip", "lstrip", "rstrip", "title") and not (
                kwargs
            ):
                result = getattr(text, method)(*args)
            elif method == "replace" and not kwargs:
                result = text.replace(*args)
            elif method == "join" and len(args) == 1 and not kwargs:
                result = text.join(args[0])
            elif method == "split" and not kwargs:
                result = Seq("list", [Item(p, call.line, call.code) for p in text.split(*args)],
                             call.line, call.code)
            else:
                return self.unresolved(node, f"`str.{method}(...)` is not evaluated here")
        except (IndexError, KeyError, ValueError, TypeError, AttributeError, TooBig):
            return self.unresolved(node, f"`str.{method}(...)` fails on these values")
        if isinstance(result, str) and len(result) > MAX_SIZE:
            return self.unresolved(node, "too long")
        return result


def _first_unknown(*values: Any) -> Unresolved | None:
    for value in values:
        found = unknown(value)
        if found is not None:
            return found
    return None


def _dynamic_reason(node: cst.CSTNode) -> str:
    kinds = {
        cst.Lambda: "a lambda",
        cst.ListComp: "a comprehension",
        cst.SetComp: "a comprehension",
        cst.DictComp: "a comprehension",
        cst.GeneratorExp: "a generator expression",
        cst.Await: "an `await`",
        cst.Yield: "a `yield`",
        cst.NamedExpr: "an assignment expression",
        cst.Comparison: "a comparison",
        cst.BooleanOperation: "a boolean expression",
    }
    what = kinds.get(type(node), "an expression")
    return f"{what}, known only at run time"


_Handler = Callable[[Evaluator, Any, Scope, int], Any]
_HANDLERS: dict[type, _Handler] = {
    cst.Integer: Evaluator._number,
    cst.Float: Evaluator._number,
    cst.Imaginary: Evaluator._number,
    cst.SimpleString: Evaluator._string,
    cst.ConcatenatedString: Evaluator._concat,
    cst.FormattedString: Evaluator._fstring,
    cst.Name: Evaluator._name,
    cst.Attribute: Evaluator._attribute,
    cst.Subscript: Evaluator._subscript,
    cst.Tuple: Evaluator._sequence,
    cst.List: Evaluator._sequence,
    cst.Set: Evaluator._sequence,
    cst.Dict: Evaluator._dict,
    cst.UnaryOperation: Evaluator._unary,
    cst.BinaryOperation: Evaluator._binary,
    cst.IfExp: Evaluator._ifexp,
    cst.Call: Evaluator._call,
}
