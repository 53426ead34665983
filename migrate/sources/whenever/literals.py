"""Ruby literal syntax read from tree-sitter-ruby nodes: strings (quotes, `%q`/`%Q`,
escapes, heredocs), symbols and numbers. Interpolation is evaluated by the caller."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from migrate.sources.whenever.values import Sym, Unknown, Value, to_s


def node_text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def line_of(node: Node) -> int:
    return node.start_point.row + 1


_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "s": " ",
    "r": "\r",
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "f": "\f",
    "v": "\v",
    "\n": "",
}


def decode_escape(text: str) -> str:
    """One double-quote escape sequence (`\\n`, `\\u00e9`, `\\x41`, `\\101`, `\\q`)."""
    body = text[1:]
    if body in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[body]
    if body.startswith("u{"):
        return "".join(chr(int(h, 16)) for h in body[2:-1].split())
    if body.startswith("u") and len(body) == 5:
        return chr(int(body[1:], 16))
    if body.startswith("x") and len(body) > 1:
        return chr(int(body[1:], 16))
    if re.fullmatch(r"[0-7]{1,3}", body):
        return chr(int(body, 8))
    return body


def single_quoted(raw: str, close: str) -> str:
    """Content of a `'...'` or `%q(...)` string: only `\\\\` and `\\<delimiter>` escape."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in ("\\", close, "'"):
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_CLOSERS = {"(": ")", "[": "]", "{": "}", "<": ">"}

Evaluator = Callable[[Node], Value]


def string_value(node: Node, evaluate: Evaluator) -> Value:
    """A `string`, `delimited_symbol` body or `heredoc_body`; Unknown parts make it Unknown."""
    children = node.children
    opener = node_text(children[0]) if children else ""
    if node.type == "string" and (opener == "'" or opener.startswith("%q")):
        close = opener[-1] if opener == "'" else _CLOSERS.get(opener[-1], opener[-1])
        raw = "".join(node_text(c) for c in children if c.type == "string_content")
        return single_quoted(raw, close)
    parts: list[str] = []
    unknown: Unknown | None = None
    for child in children:
        if child.type in ("string_content", "heredoc_content"):
            parts.append(node_text(child))
        elif child.type == "escape_sequence":
            parts.append(decode_escape(node_text(child)))
        elif child.type == "interpolation":
            inner = [c for c in child.named_children if c.type != "comment"]
            value: Value = None
            for sub in inner:
                value = evaluate(sub)
            if isinstance(value, Unknown):
                unknown = unknown or value
            parts.append(to_s(value))
    text = "".join(parts)
    if unknown is not None:
        return Unknown(text, unknown.reason, unknown.line)
    return text


def heredoc_value(beginning: Node, body: Node | None, evaluate: Evaluator) -> Value:
    opener = node_text(beginning)
    if body is None:
        return ""
    raw_quoted = "'" in opener
    if raw_quoted:
        text = "".join(node_text(c) for c in body.children if c.type == "heredoc_content")
        value: Value = text
    else:
        value = string_value(body, evaluate)
    text = to_s(value)
    if text.startswith("\n"):
        text = text[1:]
    if opener.startswith("<<~"):
        text = _dedent(text)
    if isinstance(value, Unknown):
        return Unknown(text, value.reason, value.line)
    return text


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(ln[cut:] for ln in lines)


def symbol_value(node: Node, evaluate: Evaluator) -> Value:
    if node.type in ("simple_symbol",):
        return Sym(node_text(node)[1:])
    if node.type in ("hash_key_symbol", "bare_symbol"):
        text = node_text(node)
        return Sym(text[:-1] if text.endswith(":") else text)
    value = string_value(node, evaluate)
    if isinstance(value, Unknown):
        return value
    return Sym(to_s(value))


def integer_value(text: str) -> int:
    t = text.replace("_", "").lower()
    if t.startswith(("0x", "0b", "0o", "0d")):
        base = {"x": 16, "b": 2, "o": 8, "d": 10}[t[1]]
        return int(t[2:], base)
    if len(t) > 1 and t.startswith("0"):
        return int(t[1:], 8)
    return int(t)
