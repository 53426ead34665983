"""A small, fast YAML writer for plain data (dicts, lists, str, int, float, bool, None).

PyYAML's pure-Python emitter spends ~3 ms per catalog job, which dominates a fleet scan
(100,000 jobs). The catalog only holds plain data, so we write block-style YAML ourselves:
strings are plain scalars when that is unambiguous, `|`-literal blocks when they are
multi-line text that a block keeps exactly, and double-quoted (JSON escapes, a subset of
YAML's) otherwise. `tests/emit/test_yamltext.py` proves `yaml.safe_load` reads back exactly
what was written, for random data.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
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


# Cached: keys, codes, severities, zones and recommendations repeat on every job.
@lru_cache(maxsize=1 << 15)
def _text(text: str) -> str:
    if (
        _PLAIN.fullmatch(text)
        and not _NON_PRINTABLE.search(text)
        and not _NOT_STR.fullmatch(text)
        and not text.endswith(" ")
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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


# Plain data is nearly always these exact types: tested first, before the (slow) ABCs.
_SCALARS = (str, int, float, bool, type(None))


def _value(value: Any, indent: str, out: list[str]) -> None:
    """The text after `key:` (a leading space or a newline and an indented block)."""
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


def _is_sequence(value: Any) -> bool:
    kind = type(value)
    return kind is list or kind is tuple or (
        isinstance(value, Sequence) and not isinstance(value, str))


def _mapping(data: Mapping[str, Any], indent: str, out: list[str]) -> None:
    for key, value in data.items():
        out.append(f"{indent}{_scalar(key)}:")
        _value(value, indent, out)


def _sequence(items: Sequence[Any], indent: str, out: list[str]) -> None:
    for item in items:
        kind = type(item)
        if kind not in _SCALARS and (kind is dict or isinstance(item, Mapping)) and item:
            first = True
            for key, value in item.items():
                out.append(f"{indent}- {_scalar(key)}:" if first
                           else f"{indent}  {_scalar(key)}:")
                first = False
                _value(value, indent + "  ", out)
        elif kind not in _SCALARS and _is_sequence(item) and item:
            out.append(f"{indent}-\n")
            _sequence(item, indent + "  ", out)
        else:
            out.append(f"{indent}-")
            _value(item, indent + "  ", out)


def item_chunks(item: Any, indent: str) -> Iterator[str]:
    """One `- item` of a block sequence at `indent` (as one chunk)."""
    out: list[str] = []
    _sequence([item], indent, out)
    yield "".join(out)


def dump_chunks(data: Mapping[str, Any]) -> Iterator[str]:
    """The document as text chunks (stream them to a file for big catalogs)."""
    out: list[str] = []
    _mapping(data, "", out)
    yield "".join(out)


def dump(data: Mapping[str, Any]) -> str:
    return "".join(dump_chunks(data))
