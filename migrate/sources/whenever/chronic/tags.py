"""Chronic's tokens and the tags other than repeaters (gitlab-chronic 0.10.5: `token.rb`,
`tag.rb`, `grabber.rb`, `pointer.rb`, `scalar.rb`, `ordinal.rb`, `separator.rb`, `sign.rb`,
`time_zone.rb`). A token keeps every tag the scanners give it; handlers match on tag classes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

_F = re.M | re.A

Options = Mapping[str, Any]


class Tag:
    """`Chronic::Tag`: `type` is the tag's value (a symbol name, a number, a Tick)."""

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        self.type = type_
        self.options: Options = options or {}
        self.now: datetime | None = None

    def start(self, now: datetime) -> None:
        self.now = now


T = TypeVar("T", bound=Tag)


@dataclass(eq=False)
class Token:
    word: str
    tags: list[Tag] = field(default_factory=list)

    def tag(self, new_tag: Tag) -> None:
        self.tags.append(new_tag)

    def untag(self, tag_class: type[Tag]) -> None:
        self.tags = [t for t in self.tags if not isinstance(t, tag_class)]

    def tagged(self) -> bool:
        return bool(self.tags)

    def get_tag(self, tag_class: type[T]) -> T | None:
        for t in self.tags:
            if isinstance(t, tag_class):
                return t
        return None

    def tag_of(self, tag_class: type[T]) -> T:
        """`get_tag` where the handler pattern guarantees the tag is there."""
        found = self.get_tag(tag_class)
        if found is None:  # Ruby would raise NoMethodError on nil
            from migrate.sources.whenever.chronic.rtime import RubyNoMethodError

            raise RubyNoMethodError(f"token {self.word!r} has no {tag_class.__name__}")
        return found


def scan_for(word: str, items: tuple[tuple[str, Any], ...]) -> Any | None:
    """`Tag.scan_for` over a hash of regex => symbol: the first regex found in `word`."""
    for pattern, symbol in items:
        if re.search(pattern, word, _F):
            return symbol
    return None


class Grabber(Tag):
    pass


class Pointer(Tag):
    pass


class Scalar(Tag):
    pass


class ScalarSubsecond(Scalar):
    pass


class ScalarSecond(Scalar):
    pass


class ScalarMinute(Scalar):
    pass


class ScalarHour(Scalar):
    pass


class ScalarDay(Scalar):
    pass


class ScalarMonth(Scalar):
    pass


class ScalarYear(Scalar):
    pass


class Ordinal(Tag):
    pass


class OrdinalDay(Ordinal):
    pass


class OrdinalMonth(Ordinal):
    pass


class OrdinalYear(Ordinal):
    pass


class Separator(Tag):
    pass


class SeparatorComma(Separator):
    pass


class SeparatorDot(Separator):
    pass


class SeparatorColon(Separator):
    pass


class SeparatorSpace(Separator):
    pass


class SeparatorSlash(Separator):
    pass


class SeparatorDash(Separator):
    pass


class SeparatorQuote(Separator):
    pass


class SeparatorAt(Separator):
    pass


class SeparatorIn(Separator):
    pass


class SeparatorOn(Separator):
    pass


class SeparatorAnd(Separator):
    pass


class SeparatorT(Separator):
    pass


class SeparatorW(Separator):
    pass


class Sign(Tag):
    pass


class SignPlus(Sign):
    pass


class SignMinus(Sign):
    pass


class TimeZone(Tag):
    pass


_DAY_PORTION_WORDS = ("am", "pm", "morning", "afternoon", "evening", "night")


def make_year(year: int, bias: int, now: datetime) -> int:
    """`Chronic::Date.make_year` (which reads the real clock; we pass `now`)."""
    if len(str(year)) > 2:
        return year
    start_year = now.year - bias
    century = (start_year // 100) * 100
    full_year = century + year
    if full_year < start_year:
        full_year += 100
    return full_year


def scan_grabbers(tokens: list[Token]) -> None:
    for token in tokens:
        kind = scan_for(token.word, ((r"last", "last"), (r"this", "this"), (r"next", "next")))
        if kind is not None:
            token.tag(Grabber(kind))


def scan_pointers(tokens: list[Token]) -> None:
    for token in tokens:
        kind = scan_for(token.word, ((r"\bpast\b", "past"), (r"\b(?:future|in)\b", "future")))
        if kind is not None:
            token.tag(Pointer(kind))


def scan_scalars(tokens: list[Token], options: Options, now: datetime) -> None:
    for i, token in enumerate(tokens):
        post = tokens[i + 1] if i + 1 < len(tokens) else None
        if not re.search(r"^\d+$", token.word, _F):
            continue
        scalar = int(token.word)
        token.tag(Scalar(scalar))
        if 0 <= scalar <= 999999:
            token.tag(ScalarSubsecond(scalar))
        if 0 <= scalar <= 60:
            token.tag(ScalarSecond(scalar))
        if 0 <= scalar <= 60:
            token.tag(ScalarMinute(scalar))
        if 0 <= scalar <= 24:
            token.tag(ScalarHour(scalar))
        if not (post is not None and post.word in _DAY_PORTION_WORDS):
            if 1 <= scalar <= 31:
                token.tag(ScalarDay(scalar))
            if 1 <= scalar <= 12:
                token.tag(ScalarMonth(scalar))
            if 1 <= scalar <= 9999:
                bias = int(options["ambiguous_year_future_bias"])
                token.tag(ScalarYear(make_year(scalar, bias, now)))


def scan_ordinals(tokens: list[Token], options: Options, now: datetime) -> None:
    for token in tokens:
        m = re.search(r"^(\d+)(st|nd|rd|th|\.)$", token.word, _F)
        if m is None:
            continue
        ordinal = int(m.group(1))
        token.tag(Ordinal(ordinal))
        if 1 <= ordinal <= 31:
            token.tag(OrdinalDay(ordinal))
        if 1 <= ordinal <= 12:
            token.tag(OrdinalMonth(ordinal))
        if 1 <= ordinal <= 9999:
            bias = int(options["ambiguous_year_future_bias"])
            token.tag(OrdinalYear(make_year(ordinal, bias, now)))


_SEPARATORS: tuple[tuple[type[Separator], tuple[tuple[str, str], ...]], ...] = (
    (SeparatorComma, ((r"^,$", "comma"),)),
    (SeparatorDot, ((r"^\.$", "dot"),)),
    (SeparatorColon, ((r"^:$", "colon"),)),
    (SeparatorSpace, ((r"^ $", "space"),)),
    (SeparatorSlash, ((r"^/$", "slash"),)),
    (SeparatorDash, ((r"^-$", "dash"),)),
    (SeparatorQuote, ((r"^'$", "single_quote"), (r'^"$', "double_quote"))),
    (SeparatorAt, ((r"^(at|@)$", "at"),)),
    (SeparatorIn, ((r"^in$", "in"),)),
    (SeparatorOn, ((r"^on$", "on"),)),
    (SeparatorAnd, ((r"^and$", "and"),)),
    (SeparatorT, ((r"^t$", "T"),)),
    (SeparatorW, ((r"^w$", "W"),)),
)


def scan_separators(tokens: list[Token]) -> None:
    for token in tokens:
        for klass, items in _SEPARATORS:
            kind = scan_for(token.word, items)
            if kind is not None:
                token.tag(klass(kind))
                break


def scan_signs(tokens: list[Token]) -> None:
    for token in tokens:
        if re.search(r"^\+$", token.word, _F):
            token.tag(SignPlus("plus"))
        elif re.search(r"^-$", token.word, _F):
            token.tag(SignMinus("minus"))


def scan_time_zones(tokens: list[Token]) -> None:
    for token in tokens:
        if re.search(r"[PMCE][DS]T|UTC", token.word, _F | re.I) or re.search(
            r"(tzminus)?\d{2}:?\d{2}", token.word, _F
        ):
            token.tag(TimeZone("tz"))
