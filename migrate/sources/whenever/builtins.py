"""Methods on known Ruby values: Integer durations (whenever's `Numeric#minutes` ...),
String, Symbol, Array, Hash, Range, Pathname. Anything else yields an `Unknown` and a note.
A block given to a method we cannot follow still runs once, under a condition, so the
`every` blocks inside it are kept."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.enumerables import (
    MISSING,
    Missing,
    array_method,
    hash_method,
    iterate,
)
from migrate.sources.whenever.values import (
    Inquirer,
    RHash,
    RPath,
    RRange,
    Sym,
    Unknown,
    Value,
    equal,
    inspect,
    is_int,
    is_num,
    to_s,
)

if TYPE_CHECKING:
    from migrate.sources.whenever.ruby import Block, Interpreter

# whenever/numeric_seconds.rb: `number.to_i` times the unit (no ActiveSupport is loaded).
SECONDS_PER = {
    "second": 1,
    "minute": 60,
    "hour": 3_600,
    "day": 86_400,
    "week": 604_800,
    "month": 2_592_000,
    "year": 31_557_600,
}


def duration_unit(name: str) -> str | None:
    base = name[:-1] if name.endswith("s") else name
    return base if base in SECONDS_PER else None


def numeric_seconds(it: Interpreter, number: Value, unit: str, node: Node) -> Value:
    base = duration_unit(unit)
    if base is None or not is_num(number):
        return it.unknown(node, f"unknown duration unit `{unit}`")
    assert isinstance(number, int | float)
    return int(number) * SECONDS_PER[base]


def _shellescape(text: str) -> str:
    if text == "":
        return "''"
    escaped = re.sub(r"([^A-Za-z0-9_\-.,:+/@\n])", r"\\\1", text)
    return escaped.replace("\n", "'\n'")


def _ruby_split(text: str, sep: Value, limit: int = 0) -> list[Value]:
    if sep is None or sep == " ":
        parts = text.split(None, limit - 1) if limit > 0 else text.split()
        return list(parts)
    assert isinstance(sep, str)
    parts = text.split(sep, limit - 1) if limit > 0 else text.split(sep)
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return list(parts)


def call_method(
    it: Interpreter, recv: Value, name: str, args: list[Value], block: Block | None, node: Node
) -> Value:
    if isinstance(recv, Unknown) or any(isinstance(a, Unknown) for a in args):
        return _unknown_call(it, recv, name, block, node)
    if name in ("freeze", "dup", "clone", "itself", "presence_in") and not args:
        return recv
    if name == "nil?":
        return recv is None
    if name == "inspect":
        return inspect(recv)
    if name in ("==", "eql?", "equal?") and args:
        return equal(recv, args[0])
    if name == "!=" and args:
        return not equal(recv, args[0])
    if isinstance(recv, Inquirer) and name.endswith("?") and not args:
        return str(recv) == name[:-1]
    if name == "is_a?" or name == "kind_of?":
        return it.unknown(node, "type test is not evaluated")
    if name == "respond_to?":
        return it.unknown(node, "`respond_to?` is not evaluated")
    result: Value | Missing = MISSING
    if isinstance(recv, bool) or recv is None:
        result = _simple(recv, name)
    elif is_num(recv):
        assert isinstance(recv, int | float)
        result = _numeric(it, recv, name, args, block, node)
    elif isinstance(recv, str):
        result = _string(it, recv, name, args, block, node)
    elif isinstance(recv, Sym):
        result = _symbol(recv, name, args)
    elif isinstance(recv, list):
        result = array_method(it, recv, name, args, block, node)
    elif isinstance(recv, RHash):
        result = hash_method(it, recv, name, args, block, node)
    elif isinstance(recv, RRange):
        ints = recv.integers()
        if ints is not None:
            result = (
                array_method(it, list(ints), name, args, block, node)
                if name != "to_s"
                else to_s(recv)
            )
    elif isinstance(recv, RPath):
        result = _path(recv, name, args)
    if isinstance(result, Missing):
        if name == "to_s":
            return to_s(recv)
        return _unknown_call(it, recv, name, block, node, note=True)
    return result


def _unknown_call(
    it: Interpreter, recv: Value, name: str, block: Block | None, node: Node, note: bool = False
) -> Value:
    text = lit.node_text(node)
    reason = recv.reason if isinstance(recv, Unknown) else f"method `{name}` is not evaluated"
    if note:
        it.note(
            node,
            codes.RUBY_UNSUPPORTED,
            "warning",
            f"method `{name}` is not evaluated: `{_short(text)}`",
        )
    if block is not None:
        it.conditions.append(f"`{_short(text)}` runs its block")
        try:
            params = block.params.named_children if block.params is not None else []
            block.call(*[Unknown(f"#{{{lit.node_text(p)}}}", reason, block.line) for p in params])
        except Exception as exc:  # noqa: BLE001 - break/next out of a speculative block
            from migrate.sources.whenever.ruby import Signal

            if not isinstance(exc, Signal):
                raise
        finally:
            it.conditions.pop()
    display = "#{" + text.split(" do", 1)[0].split("{", 1)[0].strip() + "}"
    return Unknown(display, reason, lit.line_of(node))


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 70 else one[:67] + "..."


def _simple(recv: Value, name: str) -> Value | Missing:
    if name == "to_s":
        return to_s(recv)
    if recv is None:
        table: dict[str, Value] = {"to_a": [], "to_i": 0, "to_h": RHash(), "to_f": 0.0}
        return table.get(name, MISSING)
    if name == "!":
        return not recv
    return MISSING


def _numeric(
    it: Interpreter, n: int | float, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | Missing:
    if duration_unit(name) is not None and not args:
        return numeric_seconds(it, n, name, node)
    if name in ("to_i", "to_int", "floor", "truncate") and not args:
        return int(n)
    if name == "to_f":
        return float(n)
    if name == "to_s":
        return to_s(n)
    if name == "round" and not args:
        return int(n + 0.5) if n >= 0 else -int(-n + 0.5)
    if name == "abs":
        return abs(n)
    if name in ("zero?",):
        return n == 0
    if name in ("even?", "odd?") and isinstance(n, int):
        return (n % 2 == 0) == (name == "even?")
    if name in ("succ", "next") and isinstance(n, int):
        return n + 1
    if name == "pred" and isinstance(n, int):
        return n - 1
    if name == "times" and isinstance(n, int) and block is not None:
        iterate(it, block, list(range(n)), "each")
        return n
    if name in ("upto", "downto") and isinstance(n, int) and args and is_int(args[0]):
        end = args[0]
        assert isinstance(end, int)
        items: list[Value] = list(range(n, end + 1) if name == "upto" else range(n, end - 1, -1))
        return iterate(it, block, items, "each") if block is not None else items
    if name == "between?" and len(args) == 2 and all(is_num(a) for a in args):
        lo, hi = args
        assert isinstance(lo, int | float) and isinstance(hi, int | float)
        return lo <= n <= hi
    return MISSING


def _string(
    it: Interpreter, s: str, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | Missing:
    simple: dict[str, Value] = {
        "to_s": s,
        "to_str": s,
        "to_sym": Sym(s),
        "intern": Sym(s),
        "strip": s.strip(" \t\n\v\f\r\0"),
        "lstrip": s.lstrip(" \t\n\v\f\r\0"),
        "rstrip": s.rstrip(" \t\n\v\f\r\0"),
        "chomp": s[:-1] if s.endswith("\n") else s,
        "upcase": s.upper(),
        "downcase": s.lower(),
        "capitalize": s[:1].upper() + s[1:].lower(),
        "length": len(s),
        "size": len(s),
        "empty?": s == "",
        "shellescape": _shellescape(s),
    }
    if name in simple and not args:
        return simple[name]
    if name == "to_i":
        m = re.match(r"\s*[-+]?\d+", s.replace("_", ""))
        return int(m.group(0)) if m else 0
    if name in ("include?", "start_with?", "end_with?") and args and isinstance(args[0], str):
        a = args[0]
        return {"include?": a in s, "start_with?": s.startswith(a), "end_with?": s.endswith(a)}[
            name
        ]
    if name == "split" and (not args or isinstance(args[0], str | None)):
        limit = args[1] if len(args) > 1 and is_int(args[1]) else 0
        assert isinstance(limit, int)
        return _ruby_split(s, args[0] if args else None, limit)
    if name in ("sub", "gsub") and len(args) == 2 and all(isinstance(a, str) for a in args):
        old, new = str(args[0]), str(args[1])
        return s.replace(old, new, 1 if name == "sub" else -1)
    if name in ("+", "concat") and args and isinstance(args[0], str):
        return s + args[0]
    if name in ("ljust", "rjust", "center") and args and is_int(args[0]):
        width = args[0]
        assert isinstance(width, int)
        fill = args[1] if len(args) > 1 and isinstance(args[1], str) else " "
        return {"ljust": s.ljust, "rjust": s.rjust, "center": s.center}[name](width, fill)
    if name == "[]" and args and is_int(args[0]):
        i = args[0]
        assert isinstance(i, int)
        return s[i] if -len(s) <= i < len(s) else None
    return MISSING


def _symbol(sym: Sym, name: str, args: list[Value]) -> Value | Missing:
    if name in ("to_s", "id2name", "name"):
        return sym.name
    if name == "to_sym":
        return sym
    if name in ("upcase", "downcase", "capitalize"):
        return Sym(
            {
                "upcase": sym.name.upper(),
                "downcase": sym.name.lower(),
                "capitalize": sym.name.capitalize(),
            }[name]
        )
    if name in ("length", "size"):
        return len(sym.name)
    return MISSING


def _path(p: RPath, name: str, args: list[Value]) -> Value | Missing:
    import posixpath

    if name in ("to_s", "to_path", "to_str"):
        return p.path
    if name == "join" and all(isinstance(a, str | RPath) for a in args):
        return RPath(posixpath.normpath(posixpath.join(p.path, *[to_s(a) for a in args])))
    if name == "dirname":
        return RPath(posixpath.dirname(p.path))
    if name == "basename":
        return RPath(posixpath.basename(p.path))
    return MISSING
