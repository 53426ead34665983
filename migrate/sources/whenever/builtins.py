"""Methods on known Ruby values: Integer durations (whenever's `Numeric#minutes` ...),
String, Symbol, Array, Hash, Range, Pathname. Anything else yields an `Unknown` and a note.
A block given to a method we cannot follow still runs once, under a condition, so the
`every` blocks inside it are kept."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from migrate.sources.whenever import literals as lit
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
    truthy,
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
    result: Value | _Missing = _MISSING
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
        result = _array(it, recv, name, args, block, node)
    elif isinstance(recv, RHash):
        result = _hash(it, recv, name, args, block, node)
    elif isinstance(recv, RRange):
        ints = recv.integers()
        if ints is not None:
            result = (
                _array(it, list(ints), name, args, block, node) if name != "to_s" else to_s(recv)
            )
    elif isinstance(recv, RPath):
        result = _path(recv, name, args)
    if isinstance(result, _Missing):
        if name == "to_s":
            return to_s(recv)
        return _unknown_call(it, recv, name, block, node, note=True)
    return result


class _Missing:
    pass


_MISSING = _Missing()


def _unknown_call(
    it: Interpreter, recv: Value, name: str, block: Block | None, node: Node, note: bool = False
) -> Value:
    text = lit.node_text(node)
    reason = recv.reason if isinstance(recv, Unknown) else f"method `{name}` is not evaluated"
    if note:
        it.note(
            node,
            "ruby-unsupported",
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


def _simple(recv: Value, name: str) -> Value | _Missing:
    if name == "to_s":
        return to_s(recv)
    if recv is None:
        table: dict[str, Value] = {"to_a": [], "to_i": 0, "to_h": RHash(), "to_f": 0.0}
        return table.get(name, _MISSING)
    if name == "!":
        return not recv
    return _MISSING


def _iterate(it: Interpreter, block: Block | None, items: list[Value], collect: str) -> Value:
    """`each`/`map`/`select`/... over known items, with `break` and `next`."""
    from migrate.sources.whenever.ruby import BreakSignal

    assert block is not None
    out: list[Value] = []
    try:
        for index, item in enumerate(items):
            args: list[Value] = [item, index] if collect.endswith("with_index") else [item]
            result = block.call(*args)
            if collect.startswith("map"):
                out.append(result)
            elif collect == "flat_map":
                out.extend(result if isinstance(result, list) else [result])
            elif (
                collect == "select" and truthy(result) or collect == "reject" and not truthy(result)
            ):
                out.append(item)
    except BreakSignal as sig:
        return sig.value
    return out if collect != "each" and collect != "each_with_index" else items


def _numeric(
    it: Interpreter, n: int | float, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | _Missing:
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
        _iterate(it, block, list(range(n)), "each")
        return n
    if name in ("upto", "downto") and isinstance(n, int) and args and is_int(args[0]):
        end = args[0]
        assert isinstance(end, int)
        items: list[Value] = list(range(n, end + 1) if name == "upto" else range(n, end - 1, -1))
        return _iterate(it, block, items, "each") if block is not None else items
    if name == "between?" and len(args) == 2 and all(is_num(a) for a in args):
        lo, hi = args
        assert isinstance(lo, int | float) and isinstance(hi, int | float)
        return lo <= n <= hi
    return _MISSING


def _string(
    it: Interpreter, s: str, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | _Missing:
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
    return _MISSING


def _symbol(sym: Sym, name: str, args: list[Value]) -> Value | _Missing:
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
    return _MISSING


def _array(
    it: Interpreter, arr: list[Value], name: str, args: list[Value], block: Block | None, node: Node
) -> Value | _Missing:
    if block is not None and name in (
        "each",
        "each_with_index",
        "map",
        "collect",
        "flat_map",
        "select",
        "filter",
        "reject",
        "map_with_index",
    ):
        mode = {"collect": "map", "filter": "select"}.get(name, name)
        return _iterate(it, block, list(arr), mode)
    if name == "each_slice" and block is not None and args and is_int(args[0]):
        size = args[0]
        assert isinstance(size, int) and size > 0
        chunks: list[Value] = [arr[i : i + size] for i in range(0, len(arr), size)]
        _iterate(it, block, chunks, "each")
        return None
    if name == "join":
        sep = to_s(args[0]) if args else ""
        return sep.join(to_s(x) if not isinstance(x, list) else to_s(_flatten(x)) for x in arr)
    if name in ("first", "last") and not args:
        return (arr[0] if name == "first" else arr[-1]) if arr else None
    if name in ("size", "length", "count") and not args:
        return len(arr)
    if name in ("empty?", "any?", "none?") and not args and block is None:
        return {
            "empty?": not arr,
            "any?": any(truthy(x) for x in arr),
            "none?": not any(truthy(x) for x in arr),
        }[name]
    if name in ("include?", "member?") and args:
        return any(equal(x, args[0]) for x in arr)
    if name == "flatten":
        return _flatten(arr)
    if name == "compact":
        return [x for x in arr if x is not None]
    if name == "uniq":
        out: list[Value] = []
        for x in arr:
            if not any(equal(x, y) for y in out):
                out.append(x)
        return out
    if name == "reverse":
        return list(reversed(arr))
    if name in ("to_a", "entries", "to_ary"):
        return arr
    if name in ("push", "append", "<<"):
        arr.extend(args)
        return arr
    if name == "[]" and args and is_int(args[0]):
        i = args[0]
        assert isinstance(i, int)
        if len(args) > 1 and is_int(args[1]):
            n = args[1]
            assert isinstance(n, int)
            return arr[i : i + n]
        return arr[i] if -len(arr) <= i < len(arr) else None
    if name == "sum" and all(is_num(x) for x in arr):
        return sum(x for x in arr if isinstance(x, int | float))
    if name in ("min", "max", "sort") and arr and all(is_int(x) for x in arr):
        ints: list[Value] = [*sorted(x for x in arr if isinstance(x, int))]
        return {"min": ints[0], "max": ints[-1], "sort": ints}[name]
    if name == "to_h" and all(isinstance(x, list) and len(x) == 2 for x in arr):
        h = RHash()
        for pair in arr:
            assert isinstance(pair, list)
            h.set(pair[0], pair[1])
        return h
    return _MISSING


def _flatten(arr: list[Value]) -> list[Value]:
    out: list[Value] = []
    for x in arr:
        out.extend(_flatten(x) if isinstance(x, list) else [x])
    return out


def _hash(
    it: Interpreter, h: RHash, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | _Missing:
    pairs: list[Value] = [[k, v] for k, v in h]
    if block is not None and name in (
        "each",
        "each_pair",
        "map",
        "collect",
        "flat_map",
        "each_with_index",
        "select",
        "reject",
    ):
        mode = {"each_pair": "each", "collect": "map"}.get(name, name)
        result = _iterate(it, block, pairs, mode)
        if name in ("each", "each_pair"):
            return h
        if mode in ("select", "reject") and isinstance(result, list):
            out = RHash()
            for pair in result:
                assert isinstance(pair, list)
                out.set(pair[0], pair[1])
            return out
        return result
    if name in ("[]", "fetch", "dig") and args:
        if name == "fetch" and not h.has(args[0]):
            if len(args) > 1:
                return args[1]
            if block is not None:
                return block.call(args[0])
            it.stop(node, "ruby-error", f"key not found: {inspect(args[0])} (KeyError)")
            return None
        return h.get(args[0])
    if name in ("key?", "has_key?", "include?", "member?") and args:
        return h.has(args[0])
    if name == "keys":
        return [k for k, _ in h]
    if name == "values":
        return [v for _, v in h]
    if name in ("size", "length", "count"):
        return len(h.pairs)
    if name == "empty?":
        return not h.pairs
    if name in ("merge", "update") and args and isinstance(args[0], RHash):
        if name == "update":
            for k, v in args[0]:
                h.set(k, v)
            return h
        return h.merged(args[0])
    if name == "to_a":
        return pairs
    if name in ("to_h", "to_hash"):
        return h
    return _MISSING


def _path(p: RPath, name: str, args: list[Value]) -> Value | _Missing:
    import posixpath

    if name in ("to_s", "to_path", "to_str"):
        return p.path
    if name == "join" and all(isinstance(a, str | RPath) for a in args):
        return RPath(posixpath.normpath(posixpath.join(p.path, *[to_s(a) for a in args])))
    if name == "dirname":
        return RPath(posixpath.dirname(p.path))
    if name == "basename":
        return RPath(posixpath.basename(p.path))
    return _MISSING
