"""Array, Hash and Range methods for the whenever evaluator (`each`, `map`,
`each_with_index`, `each_pair`, `join`, `fetch`, ...), with `break`/`next` in blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever.values import (
    RHash,
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


class Missing:
    pass


MISSING = Missing()


def iterate(it: Interpreter, block: Block | None, items: list[Value], collect: str) -> Value:
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


def array_method(
    it: Interpreter, arr: list[Value], name: str, args: list[Value], block: Block | None, node: Node
) -> Value | Missing:
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
        return iterate(it, block, list(arr), mode)
    if name == "each_slice" and block is not None and args and is_int(args[0]):
        size = args[0]
        assert isinstance(size, int) and size > 0
        chunks: list[Value] = [arr[i : i + size] for i in range(0, len(arr), size)]
        iterate(it, block, chunks, "each")
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
    return MISSING


def _flatten(arr: list[Value]) -> list[Value]:
    out: list[Value] = []
    for x in arr:
        out.extend(_flatten(x) if isinstance(x, list) else [x])
    return out


def hash_method(
    it: Interpreter, h: RHash, name: str, args: list[Value], block: Block | None, node: Node
) -> Value | Missing:
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
        result = iterate(it, block, pairs, mode)
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
            it.stop(node, codes.RUBY_ERROR, f"key not found: {inspect(args[0])} (KeyError)")
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
    return MISSING
