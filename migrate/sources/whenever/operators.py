"""Ruby binary operators on known values (numbers, strings, arrays, hashes, ranges)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.values import (
    RHash,
    RPath,
    RRange,
    Unknown,
    Value,
    equal,
    is_int,
    is_num,
    to_s,
)

if TYPE_CHECKING:
    from migrate.sources.whenever.ruby import Interpreter


def _compare(left: Value, right: Value) -> int | None:
    if is_num(left) and is_num(right):
        assert isinstance(left, int | float) and isinstance(right, int | float)
        return (left > right) - (left < right)
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.encode(), right.encode()
        return (a > b) - (a < b)
    return None


def ruby_format(fmt: str, args: list[Value]) -> str | None:
    """`String#%` / `format` for %s, %d, %i, %f and widths; None when not reproduced."""
    import re

    out: list[str] = []
    pos = 0
    index = 0
    for m in re.finditer(r"%([-0 +#]*)(\d*)(?:\.(\d+))?([sdifx%])", fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, width, precision, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        if index >= len(args):
            return None
        arg = args[index]
        index += 1
        if conv == "s":
            text = to_s(arg)
        elif conv in "di" and is_num(arg):
            assert isinstance(arg, int | float)
            text = str(int(arg))
        elif conv == "x" and is_int(arg):
            text = format(arg, "x")
        elif conv == "f" and is_num(arg):
            assert isinstance(arg, int | float)
            text = f"{float(arg):.{int(precision or 6)}f}"
        else:
            return None
        if width:
            pad = "0" if "0" in flags and conv != "s" else " "
            text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width), pad)
        out.append(text)
    out.append(fmt[pos:])
    return "".join(out)


def binary_op(it: Interpreter, node: Node, op: str, left: Value, right: Value) -> Value:
    if isinstance(left, Unknown) or isinstance(right, Unknown):
        unknown = left if isinstance(left, Unknown) else right
        assert isinstance(unknown, Unknown)
        return Unknown("#{" + lit.node_text(node) + "}", unknown.reason, unknown.line)
    if op == "==":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if op in ("<", "<=", ">", ">=", "<=>"):
        c = _compare(left, right)
        if c is None:
            return it.unknown(node, f"comparison `{op}` of these values is not evaluated")
        return {"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0, "<=>": c}[op]
    if is_num(left) and is_num(right):
        assert isinstance(left, int | float) and isinstance(right, int | float)
        return _arith(it, node, op, left, right)
    if isinstance(left, str):
        if op == "+" and isinstance(right, str):
            return left + right
        if op == "*" and is_int(right):
            assert isinstance(right, int)
            return left * right
        if op == "%":
            formatted = ruby_format(left, right if isinstance(right, list) else [right])
            if formatted is not None:
                return formatted
        if op == "<<" and isinstance(right, str | int):
            return left + (right if isinstance(right, str) else chr(right))
    if isinstance(left, RPath) and op in ("+", "/") and isinstance(right, str | RPath):
        import posixpath

        return RPath(posixpath.normpath(posixpath.join(left.path, to_s(right))))
    if isinstance(left, list):
        if op == "+" and isinstance(right, list):
            return left + right
        if op == "-" and isinstance(right, list):
            return [x for x in left if not any(equal(x, y) for y in right)]
        if op == "<<":
            left.append(right)
            return left
        if op == "*" and is_int(right):
            assert isinstance(right, int)
            return left * right
        if op == "&" and isinstance(right, list):
            return [x for x in left if any(equal(x, y) for y in right)]
        if op == "|" and isinstance(right, list):
            out = list(left)
            for y in right:
                if not any(equal(x, y) for x in out):
                    out.append(y)
            return out
    if op == "===" and isinstance(left, RRange):
        ints = left.integers()
        if ints is not None and is_int(right):
            return right in ints
    if op == "===":
        return equal(left, right)
    if isinstance(left, RHash) and op == "==":
        return equal(left, right)
    return it.unknown(node, f"operator `{op}` on these values is not evaluated")


def _arith(it: Interpreter, node: Node, op: str, a: int | float, b: int | float) -> Value:
    both_int = isinstance(a, int) and isinstance(b, int)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            if both_int:
                it.stop(node, codes.RUBY_ERROR, "divided by 0 (ZeroDivisionError)")
                return Unknown(
                    "#{" + lit.node_text(node) + "}", "division by zero", lit.line_of(node)
                )
            return math.copysign(math.inf, a) if a else math.nan
        return a // b if both_int else a / b
    if op == "%":
        if b == 0:
            it.stop(node, codes.RUBY_ERROR, "divided by 0 (ZeroDivisionError)")
            return Unknown("#{" + lit.node_text(node) + "}", "division by zero", lit.line_of(node))
        return a % b
    if op == "**":
        return a**b
    if both_int:
        assert isinstance(a, int) and isinstance(b, int)
        if op == "&":
            return a & b
        if op == "|":
            return a | b
        if op == "^":
            return a ^ b
        if op == "<<":
            return a << b
        if op == ">>":
            return a >> b
    return it.unknown(node, f"operator `{op}` on numbers is not evaluated")
