"""Ruby values as the whenever evaluator sees them, with Ruby's `to_s`, `inspect`, `==`.

Strings, integers, floats, `true`/`false`/`nil` are Python's own; a Ruby Symbol is `Sym`,
an Array a `list`, a Hash an `RHash` (insertion-ordered, Ruby key equality), a Range `RRange`.
`Unknown` stands for a value that exists only when whenever runs (an environment variable,
the clock, a file's contents): it carries the text we show in its place and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Sym:
    name: str


class Inquirer(str):
    """ActiveSupport's StringInquirer (`Rails.env`): `Rails.env.production?`."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class RRange:
    first: Value
    last: Value
    exclusive: bool = False

    def integers(self) -> list[int] | None:
        if not (isinstance(self.first, int) and isinstance(self.last, int)):
            return None
        if isinstance(self.first, bool) or isinstance(self.last, bool):
            return None
        stop = self.last if self.exclusive else self.last + 1
        return list(range(self.first, stop))


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value only known when whenever runs. `display` is what we show in its place."""

    display: str
    reason: str
    line: int = 0


def shown(value: Unknown) -> str:
    """The expression of an unknown value, without the `#{}` around a lone one."""
    d = value.display
    if d.startswith("#{") and d.endswith("}") and d.count("#{") == 1:
        d = d[2:-1]
    return " ".join(d.split())


@dataclass(frozen=True, slots=True)
class RPath:
    """A Ruby `Pathname` (what `Rails.root` returns)."""

    path: str


@dataclass(frozen=True, slots=True)
class RTime:
    """A Ruby `Time` (what `Chronic.parse` returns for an `at:` string)."""

    value: datetime


@dataclass(frozen=True, slots=True)
class RProc:
    """A lambda or proc. whenever calls an `:output` proc (output_redirection.rb, `when Proc
    then @output.call`); `call` evaluates its body statically in the scope it was written
    in, None when it cannot be called without arguments."""

    text: str
    line: int
    call: Callable[[], Value] | None = field(default=None, compare=False)


@dataclass(slots=True)
class RHash:
    pairs: list[tuple[Value, Value]] = field(default_factory=list)

    def get(self, key: Value, default: Value = None) -> Value:
        for k, v in self.pairs:
            if eql(k, key):
                return v
        return default

    def has(self, key: Value) -> bool:
        return any(eql(k, key) for k, _ in self.pairs)

    def set(self, key: Value, value: Value) -> None:
        for i, (k, _) in enumerate(self.pairs):
            if eql(k, key):
                self.pairs[i] = (k, value)
                return
        self.pairs.append((key, value))

    def delete(self, key: Value) -> Value:
        for i, (k, v) in enumerate(self.pairs):
            if eql(k, key):
                del self.pairs[i]
                return v
        return None

    def merged(self, other: RHash) -> RHash:
        out = RHash(list(self.pairs))
        for k, v in other.pairs:
            out.set(k, v)
        return out

    def copy(self) -> RHash:
        return RHash(list(self.pairs))

    def __iter__(self) -> Iterator[tuple[Value, Value]]:
        return iter(list(self.pairs))

    def sym_get(self, name: str, default: Value = None) -> Value:
        return self.get(Sym(name), default)

    def sym_has(self, name: str) -> bool:
        return self.has(Sym(name))


Value = (
    None
    | bool
    | int
    | float
    | str
    | Sym
    | list["Value"]
    | RHash
    | RRange
    | Unknown
    | RPath
    | RTime
    | RProc
)


def truthy(v: Value) -> bool:
    return v is not None and v is not False


def is_int(v: Value) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v: Value) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def has_unknown(v: Value) -> bool:
    if isinstance(v, Unknown):
        return True
    if isinstance(v, list):
        return any(has_unknown(x) for x in v)
    if isinstance(v, RHash):
        return any(has_unknown(k) or has_unknown(x) for k, x in v.pairs)
    return False


def first_unknown(v: Value) -> Unknown | None:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, list):
        for x in v:
            if (u := first_unknown(x)) is not None:
                return u
    if isinstance(v, RHash):
        for k, x in v.pairs:
            if (u := first_unknown(k) or first_unknown(x)) is not None:
                return u
    return None


def equal(a: Value, b: Value) -> bool:
    """Ruby `==` (1 == 1.0; "a" != :a)."""
    if is_num(a) and is_num(b):
        return a == b
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    if type(a) is not type(b):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, RHash) and isinstance(b, RHash):
        return len(a.pairs) == len(b.pairs) and all(
            b.has(k) and equal(v, b.get(k)) for k, v in a.pairs
        )
    return a == b


def eql(a: Value, b: Value) -> bool:
    """Ruby `eql?` (Hash keys): like `==` but 1 is not 1.0."""
    if is_num(a) and is_num(b) and type(a) is not type(b):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(eql(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return a is b
    return equal(a, b)


def float_to_s(f: float) -> str:
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "Infinity" if f > 0 else "-Infinity"
    r = repr(f)
    if "e" in r:
        mantissa, exp = r.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        sign = "-" if exp.startswith("-") else "+"
        return f"{mantissa}e{sign}{exp.lstrip('+-').rjust(2, '0')}"
    if "." not in r:
        r += ".0"
    return r


def to_s(v: Value) -> str:
    """Ruby `to_s` (what interpolation and `Array#join` use)."""
    if isinstance(v, str):
        return v
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return float_to_s(v)
    if isinstance(v, Sym):
        return v.name
    if isinstance(v, Unknown):
        return v.display
    if isinstance(v, RPath):
        return v.path
    if isinstance(v, RRange):
        return f"{to_s(v.first)}{'...' if v.exclusive else '..'}{to_s(v.last)}"
    if isinstance(v, RTime):
        return v.value.strftime("%Y-%m-%d %H:%M:%S +0000")
    if isinstance(v, RProc):
        return f"#<Proc {v.text}>"
    return inspect(v)


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\f": "\\f",
    "\v": "\\v",
    "\a": "\\a",
    "\b": "\\b",
    "\x1b": "\\e",
}


def _inspect_str(s: str) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == "#" and i + 1 < len(s) and s[i + 1] in "{$@":
            out.append("\\#")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _inspect_sym(name: str) -> str:
    import re

    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*[?!=]?|[+\-*/%<>=!~^&|\[\]]+", name):
        return ":" + name
    return ":" + _inspect_str(name)


def inspect(v: Value) -> str:
    """Ruby 3.1 `inspect` (what `Array#to_s` and `Hash#to_s` print)."""
    if isinstance(v, str):
        return _inspect_str(v)
    if v is None:
        return "nil"
    if isinstance(v, Sym):
        return _inspect_sym(v.name)
    if isinstance(v, list):
        return "[" + ", ".join(inspect(x) for x in v) + "]"
    if isinstance(v, RHash):
        return "{" + ", ".join(f"{inspect(k)}=>{inspect(x)}" for k, x in v.pairs) + "}"
    if isinstance(v, RPath):
        return f"#<Pathname:{v.path}>"
    return to_s(v)
