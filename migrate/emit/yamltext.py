"""A small, fast YAML writer for plain data (dicts, lists, str, int, float, bool, None).

PyYAML's pure-Python emitter spends ~3 ms per catalog job, which dominates a fleet scan
(100,000 jobs). The catalog only holds plain data, so we write block-style YAML ourselves:
strings are plain scalars when that is unambiguous, `|`-literal blocks when they are
multi-line text that a block keeps exactly, and double-quoted (JSON escapes, a subset of
YAML's) otherwise. `tests/emit/test_yamltext.py` proves `yaml.safe_load` reads back exactly
what was written, for random data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

# A plain scalar must not start with an indicator, contain ": " or " #", end in a space or
# ":", or read back as another type (null, bool, number, timestamp ...).
_PLAIN = re.compile(r"[A-Za-z_./(][^\x00-\x1f\x7f:#\"'`]*")
_NOT_STR = re.compile(
    r"(?i:~|null|true|false|yes|no|on|off|y|n|[-+]?(\.inf|\.nan)|"
    r"[-+]?[0-9_.,:eE+-]*|\d{4}-\d\d?-\d\d?.*|<<|=)"
)
# What YAML (and PyYAML's reader) refuses to see raw; written as \\uXXXX escapes.
# (NEL, LS, PS and the BOM are printable but read as line breaks / dropped: escaped too.)
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)


def _scalar(value: Any) -> str:
    if type(value) is str:
        return _text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            text = repr(value)  # YAML 1.1 floats need a dot: 5e-324 -> 5.0e-324
            return text if "." in text or "e" not in text else text.replace("e", ".0e")
        return (
            ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf"))
    return _text(str(value))


# For printable ASCII text (the usual case) `_PLAIN` and `_NOT_STR` come down to string
# tests: the first character, five characters nowhere, and the few words and number-like
# texts that start like a plain scalar (`_NOT_STR`'s alternatives that can: `y`, `no`,
# `.inf`, `1.5e3`... under `(?i)`). Same answers, ~3x faster than the two regexes on the
# ~14 texts per catalog job that are new (paths, lines, messages).
_PLAIN_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_./(")
_NOT_STR_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n",
                            ".inf", ".nan"})
_NUMBER_CHARS = "0123456789_.,eE+-"  # (`:` too, but a plain scalar has none)


def _plain_ascii(text: str) -> bool:
    """`_PLAIN.fullmatch(text) and not _NOT_STR.fullmatch(text)` for printable ASCII."""
    return (
        text[:1] in _PLAIN_FIRST
        and ":" not in text and "#" not in text and '"' not in text and "'" not in text
        and "`" not in text
        and (len(text) > 5 or text.lower() not in _NOT_STR_WORDS)
        and text.strip(_NUMBER_CHARS) != ""
    )


# Cached: keys, codes, severities, zones and recommendations repeat on every job.
@lru_cache(maxsize=1 << 15)
def _text(text: str) -> str:
    if text.isascii():
        if text.isprintable():
            if _plain_ascii(text) and not text.endswith(" "):
                return text
            return encode_basestring(text)  # (what json.dumps(text, ensure_ascii=False) is)
        # a tab, a line break or another control character: never plain (`_PLAIN` has none)
        clean = not _NON_PRINTABLE.search(text)
    else:
        clean = not _NON_PRINTABLE.search(text)
        if (
            clean
            and _PLAIN.fullmatch(text)
            and not _NOT_STR.fullmatch(text)
            and not text.endswith(" ")
        ):
            return text
    # What json.dumps(text, ensure_ascii=False) returns, without building an encoder.
    quoted = encode_basestring(text)
    return quoted if clean else _NON_PRINTABLE.sub(_escape, quoted)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _block(text: str, indent: str) -> str | None:
    """`|` / `|-` block for multi-line text whose lines survive a block exactly."""
    if "\n" not in text or _NON_PRINTABLE.search(text) or "\r" in text or "\t" in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    if body.endswith("\n") or body == "":
        return None  # trailing blank lines would need `|+`
    lines = body.split("\n")
    if lines[0][:1] in (" ", "\t") or any(ln.endswith((" ", "\t")) for ln in lines):
        return None
    chomp = "|" if text.endswith("\n") else "|-"
    pad = indent + "  "
    return chomp + "".join("\n" + (pad + ln if ln else "") for ln in lines)


# The writer below is the hot loop of a fleet scan (~90 values per catalog job): by exact
# type, strings without a line break (through `_text`'s cache), None, bool, int, dict and
# list come first; anything else (floats, multi-line text, subclasses, other mappings and
# sequences) takes the general path, `_other`. Keys' `indent key:` heads are cached.
_HEADS: dict[str, dict[str, str]] = {}
_HEADS_MAX = 4096  # per indent: keys repeat on every job, but env names and extras are input


def _mapping(data: Mapping[Any, Any], indent: str, out: list[str]) -> None:
    heads = _HEADS.setdefault(indent, {})
    inner = indent + "  "
    for key, value in data.items():
        head = heads.get(key) if type(key) is str else None
        if head is None:
            head = indent + _scalar(key) + ":"
            if type(key) is str and len(heads) < _HEADS_MAX:
                heads[key] = head
        kind = type(value)
        if kind is str and "\n" not in value:
            out.append(f"{head} {_text(value)}\n")
        elif value is None:
            out.append(head + " null\n")
        elif kind is bool:
            out.append(head + (" true\n" if value else " false\n"))
        elif kind is int:
            out.append(f"{head} {value}\n")
        elif kind is dict and value:
            out.append(head + "\n")
            _mapping(value, inner, out)
        elif kind is list and value:
            out.append(head + "\n")
            _sequence(value, indent, out)
        else:
            out.append(head)
            _other(value, indent, out)


def _sequence(items: Sequence[Any], indent: str, out: list[str]) -> None:
    inner = indent + "  "
    dash = indent + "- "
    for item in items:
        kind = type(item)
        if kind is str and "\n" not in item:
            out.append(f"{dash}{_text(item)}\n")
        elif (kind is dict or (kind not in _SCALARS and isinstance(item, Mapping))) and item:
            # the first key on the dash's line, the others below it (`- a: 1\n  b: 2`)
            start = len(out)
            _mapping(item, inner, out)
            out[start] = dash + out[start][len(inner):]
        elif kind is list and item:
            out.append(indent + "-\n")
            _sequence(item, inner, out)
        else:
            out.append(indent + "-")
            _other(item, inner, out)


def _other(value: Any, indent: str, out: list[str]) -> None:
    """The text after `key:` or `-` for any value (a leading space, or a newline and an
    indented block); `indent` is the mapping's (a sequence item's: its content's)."""
    kind = type(value)
    if kind not in _SCALARS and (kind is dict or isinstance(value, Mapping)):
        if not value:
            out.append(" {}\n")
            return
        out.append("\n")
        _mapping(value, indent + "  ", out)
    elif kind not in _SCALARS and _is_sequence(value):
        if not value:
            out.append(" []\n")
            return
        out.append("\n")
        _sequence(value, indent, out)
    else:
        block = _block(value, indent) if isinstance(value, str) else None
        out.append(" " + (block if block is not None else _scalar(value)) + "\n")


# Plain data is nearly always these exact types: tested first, before the (slow) ABCs.
_SCALARS = (str, int, float, bool, type(None))


def _is_sequence(value: Any) -> bool:
    kind = type(value)
    return kind is list or kind is tuple or (
        isinstance(value, Sequence) and not isinstance(value, str))


def item_text(item: Any, indent: str) -> str:
    """One `- item` of a block sequence at `indent`."""
    out: list[str] = []
    _sequence([item], indent, out)
    return "".join(out)


def dump_chunks(data: Mapping[str, Any]) -> Iterator[str]:
    """The document as text chunks (stream them to a file for big catalogs)."""
    out: list[str] = []
    _mapping(data, "", out)
    yield "".join(out)


def dump(data: Mapping[str, Any]) -> str:
    return "".join(dump_chunks(data))
