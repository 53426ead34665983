"""Operations the evaluator performs on constant values: arithmetic, `%` and format
guards, and the few builtins it evaluates (`str int float dict list tuple set range`).

Every result is bounded by `MAX_SIZE`; `TooBig` is raised instead of building more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import libcst as cst

from migrate.sources.python.values import Call, Dict, Entry, Item, Seq, plain

MAX_SIZE = 10_000  # longest string or sequence we build (`"x" * 10**9` is not evaluated)


class TooBig(Exception):
    """A result larger than `MAX_SIZE` (or a format that would build one)."""


# five-digit widths, `%*d` (width from the arguments), `{:{}}` (nested width in str.format)
_WIDE = re.compile(r"\d{5,}|%[-#0 +]*\.?\*|\{[^{}]*:[^{}]*\{")


def check_format(template: str) -> None:
    """Refuse format widths that would build huge strings (`"%099999999d"`)."""
    if _WIDE.search(template):
        raise TooBig


def arith(op: type, a: Any, b: Any) -> Any:
    if op is cst.Add:
        result = a + b
    elif op is cst.Subtract:
        result = a - b
    elif op is cst.Multiply:
        if isinstance(a, str | bytes | list | tuple) or isinstance(b, str | bytes | list | tuple):
            count = b if isinstance(b, int) else a
            if isinstance(count, int) and count > MAX_SIZE:
                raise TooBig
        result = a * b
    elif op is cst.Divide:
        result = a / b
    elif op is cst.FloorDivide:
        result = a // b
    elif op is cst.Modulo:
        if isinstance(a, str | bytes):
            check_format(str(a))
        result = a % b
    elif op is cst.Power:
        if not isinstance(b, int | float) or abs(b) > 64 or isinstance(a, str):
            raise TooBig
        result = a**b
    else:
        raise TypeError(op.__name__)
    if isinstance(result, str | bytes | list | tuple) and len(result) > MAX_SIZE:
        raise TooBig
    if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > 256:
        raise TooBig
    return result


# ---------------------------------------------------------------- builtins we evaluate


def _args(call: Call) -> tuple[list[Any], dict[str, Any]]:
    return [plain(i.value) for i in call.args], {k: plain(i.value) for k, i in call.kwargs.items()}


def _b_str(call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 1:
        raise TypeError("str")
    return str(*args)


def _b_int(call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 2:
        raise TypeError("int")
    return int(*args)


def _b_float(call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or len(args) > 1:
        raise TypeError("float")
    return float(*args)


def _b_dict(call: Call) -> Any:
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


def _b_seq(kind: str) -> Callable[[Call], Any]:
    def build(call: Call) -> Any:
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


def _b_range(call: Call) -> Any:
    args, kwargs = _args(call)
    if kwargs or not 1 <= len(args) <= 3 or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in args
    ):
        raise TypeError("range")
    values = range(*args)
    if len(values) > MAX_SIZE:
        raise TooBig
    return Seq("list", [Item(v, call.line, call.code) for v in values], call.line, call.code)


BUILTINS: dict[str, Callable[[Call], Any]] = {
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
