"""Static values of Python expressions, read from libcst nodes without running anything.

A settings file or scheduler script is never imported (it may connect to a database, read
secrets or start a scheduler). Instead its expressions are evaluated here over a small,
closed language: literals, containers, f-strings, `%`/`str.format`, arithmetic, module-level
names bound earlier, and calls, which are kept as `Call` values for the framework readers
to interpret (`crontab(...)`, `timedelta(...)`, `CronTrigger(...)`).

Whatever depends on run time (environment lookups, comprehensions, calls to the project's
own functions, names bound elsewhere) becomes an `Unresolved` value carrying a reason and
its line, so a reader can keep the entry and report exactly what it could not read.

Containers are mutable (`Dict`, `Seq`) so that aliasing behaves as in Python:
`BEAT = {...}; app.conf.beat_schedule = BEAT; BEAT["x"] = {...}` reaches both names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange

MAX_SIZE = 10_000  # longest string or sequence we build (`"x" * 10**9` is not evaluated)
MAX_DEPTH = 60  # nesting depth of expressions we follow
ENV_READERS = frozenset(
    {"os.environ.get", "os.getenv", "os.environ.setdefault", "getenv", "environ.get",
     "env", "config", "decouple.config", "env.str", "env.int", "env.bool", "env.list"}
)


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
            [Entry(e.key, e.value, e.line, e.code, e.note, list(e.replaced)) for e in self.entries],
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
        raise NotPlain(Unresolved(_unbound_reason(value.dotted), value.line, value.code))
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


def _unbound_reason(dotted: str) -> str:
    return f"`{dotted}` is not a constant defined in this file"


def one_line(code: str, limit: int = 240) -> str:
    """Source text on one line (runs of blanks collapsed), shortened to `limit` characters."""
    text = " ".join(code.split())
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
                _check_format(spec)
                if part.conversion == "r":
                    value = repr(value)
                elif part.conversion == "s":
                    value = str(value)
                elif part.conversion == "a":
                    value = ascii(value)
                text = format(value, spec)
            except (ValueError, TypeError, _TooBig):
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
        if isinstance(container, Seq) and isinstance(key, int) and container.kind != "set":
            if -len(container.items) <= key < len(container.items):
                return container.items[key].value
        if isinstance(container, str) and isinstance(key, int) and -len(container) <= key < len(
            container
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
                    seq.missing.append(
                        _first_unknown(spread) or self.unresolved(element, "a `*` spread of "
                                                                           "something not a sequence")
                    )
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
            key = self.eval(element.key, scope, depth)
            out.put(
                Entry(key, self.eval(element.value, scope, depth), self.line(element.key),
                      self.code(element))
            )
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
        if op is cst.Add and isinstance(left, Seq) and isinstance(right, Seq):
            if left.kind == right.kind and left.kind != "set":
                joined = Seq(left.kind, [*left.items, *right.items], left.line, self.code(node),
                             [*left.missing, *right.missing])
                return joined if len(joined.items) <= MAX_SIZE else self.unresolved(node,
                                                                                    "too long")
        unknown = _first_unknown(left, right)
        if unknown is not None:
            return unknown
        a, missing_a = try_plain(left)
        b, missing_b = try_plain(right)
        if missing_a or missing_b:
            return missing_a or missing_b
        try:
            return _arith(op, a, b)
        except (ArithmeticError, TypeError, ValueError, _TooBig):
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
        builtin = _BUILTINS.get(func)
        if builtin is not None and not call.missing:
            try:
                return builtin(self, node, call)
            except (TypeError, ValueError, NotPlain, _TooBig, OverflowError):
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
                        call.kwargs[e.key] = Item(e.value, e.line, e.code)
                else:
                    call.missing.append(
                        _first_unknown(value) or self.unresolved(arg, "`**kwargs`")
                    )
            elif arg.keyword is not None:
                call.kwargs[arg.keyword.value] = Item(value, self.line(arg), self.code(arg))
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
                _check_format(text)
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
        except (IndexError, KeyError, ValueError, TypeError, AttributeError, _TooBig):
            return self.unresolved(node, f"`str.{method}(...)` fails on these values")
        if isinstance(result, str) and len(result) > MAX_SIZE:
            return self.unresolved(node, "too long")
        return result


class _TooBig(Exception):
    pass


# five-digit widths, `%*d` (width from the arguments), `{:{}}` (nested width in str.format)
_WIDE = re.compile(r"\d{5,}|%[-#0 +]*\.?\*|\{[^{}]*:[^{}]*\{")


def _check_format(template: str) -> None:
    """Refuse format widths that would build huge strings (`"%099999999d"`)."""
    if _WIDE.search(template):
        raise _TooBig


def _arith(op: type, a: Any, b: Any) -> Any:
    if op is cst.Add:
        result = a + b
    elif op is cst.Subtract:
        result = a - b
    elif op is cst.Multiply:
        if isinstance(a, str | bytes | list | tuple) or isinstance(b, str | bytes | list | tuple):
            count = b if isinstance(b, int) else a
            if isinstance(count, int) and count > MAX_SIZE:
                raise _TooBig
        result = a * b
    elif op is cst.Divide:
        result = a / b
    elif op is cst.FloorDivide:
        result = a // b
    elif op is cst.Modulo:
        if isinstance(a, str | bytes):
            _check_format(str(a))
        result = a % b
    elif op is cst.Power:
        if not isinstance(b, int | float) or abs(b) > 64 or isinstance(a, str):
            raise _TooBig
        result = a**b
    else:
        raise TypeError(op.__name__)
    if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
        raise _TooBig
    if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > 256:
        raise _TooBig
    return result


def _first_unknown(*values: Any) -> Unresolved | None:
    for value in values:
        if isinstance(value, Unresolved):
            return value
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


# ---------------------------------------------------------------- builtins we evaluate


def _args(call: Call) -> tuple[list[Any], dict[str, Any]]:
    return [plain(i.value) for i in call.args], {k: plain(i.value) for k, i in call.kwargs.items()}


def _b_str(ev: Evaluator, node: cst.Call, call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 1:
        raise TypeError("str")
    return str(*args)


def _b_int(ev: Evaluator, node: cst.Call, call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 2:
        raise TypeError("int")
    return int(*args)


def _b_float(ev: Evaluator, node: cst.Call, call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 1:
        raise TypeError("float")
    return float(*args)


def _b_dict(ev: Evaluator, node: cst.Call, call: Call) -> Any:
    out = Dict([], call.line, call.code)
    if len(call.args) > 1:
        raise TypeError("dict")
    if call.args:
        first = call.args[0].value
        if not isinstance(first, Dict):
            raise TypeError("dict")
        out = first.copy()
    for key, item in call.kwargs.items():
        out.put(Entry(key, item.value, item.line, item.code))
    return out


def _b_seq(kind: str) -> Callable[[Evaluator, cst.Call, Call], Any]:
    def build(ev: Evaluator, node: cst.Call, call: Call) -> Any:
        if call.kwargs or len(call.args) > 1:
            raise TypeError(kind)
        if not call.args:
            return Seq(kind, [], call.line, call.code)
        first = call.args[0].value
        if isinstance(first, Seq):
            return Seq(kind, list(first.items), call.line, call.code, list(first.missing))
        if isinstance(first, str):
            return Seq(kind, [Item(c, call.line, call.code) for c in first], call.line,
                       call.code)
        if isinstance(first, Dict):
            return Seq(kind, [Item(e.key, e.line, e.code) for e in first.entries], call.line,
                       call.code)
        raise TypeError(kind)

    return build


def _b_range(ev: Evaluator, node: cst.Call, call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or not 1 <= len(args) <= 3 or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in args
    ):
        raise TypeError("range")
    values = range(*args)
    if len(values) > MAX_SIZE:
        raise _TooBig
    return Seq("list", [Item(v, call.line, call.code) for v in values], call.line, call.code)


_BUILTINS: dict[str, Callable[[Evaluator, cst.Call, Call], Any]] = {
    "str": _b_str,
    "int": _b_int,
    "float": _b_float,
    "dict": _b_dict,
    "list": _b_seq("list"),
    "tuple": _b_seq("tuple"),
    "set": _b_seq("set"),
    "frozenset": _b_seq("set"),
    "range": _b_range,
}

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
