"""`Chronic.parse` (gitlab-chronic 0.10.5 `parser.rb`, `repeater.rb` scanning): text in, a
naive local `datetime` (or None when chronic finds no date) out.

`now` is chronic's reference time (Ruby: `Time.now` unless `:now` is given); `real_now` is
the clock Ruby's own helpers read behind chronic's back (two-digit years, `Time.parse`).
Raises `RubyError` where chronic itself would raise, and `ChronicUnsupported` for the corners
this port does not reproduce.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from migrate.sources.whenever.chronic import calendar as cal
from migrate.sources.whenever.chronic import repeaters as rp
from migrate.sources.whenever.chronic import seasons as ss
from migrate.sources.whenever.chronic import tags as tg
from migrate.sources.whenever.chronic.definitions import DEFINITIONS, ENDIANS
from migrate.sources.whenever.chronic.handlers import HandlerSet
from migrate.sources.whenever.chronic.rtime import RubyArgumentError, Span, plus
from migrate.sources.whenever.chronic.tags import Options, Token, scan_for
from migrate.sources.whenever.chronic.text import pre_normalize, split_words

DEFAULT_OPTIONS: dict[str, Any] = {
    "context": "future",
    "now": None,
    "hours24": None,
    "guess": True,
    "ambiguous_time_range": 6,
    "endian_precedence": ["middle", "little"],
    "ambiguous_year_future_bias": 50,
}

_SEASON_NAMES = (
    (r"^springs?$", "spring"),
    (r"^summers?$", "summer"),
    (r"^(autumn)|(fall)s?$", "autumn"),
    (r"^winters?$", "winter"),
)
_MONTH_NAMES = (
    (r"^jan[:\.]?(uary)?$", "january"),
    (r"^feb[:\.]?(ruary)?$", "february"),
    (r"^mar[:\.]?(ch)?$", "march"),
    (r"^apr[:\.]?(il)?$", "april"),
    (r"^may$", "may"),
    (r"^jun[:\.]?e?$", "june"),
    (r"^jul[:\.]?y?$", "july"),
    (r"^aug[:\.]?(ust)?$", "august"),
    (r"^sep[:\.]?(t[:\.]?|tember)?$", "september"),
    (r"^oct[:\.]?(ober)?$", "october"),
    (r"^nov[:\.]?(ember)?$", "november"),
    (r"^dec[:\.]?(ember)?$", "december"),
)
_DAY_NAMES = (
    (r"^m[ou]n(day)?$", "monday"),
    (r"^t(ue|eu|oo|u|)s?(day)?$", "tuesday"),
    (r"^we(d|dnes|nds|nns)(day)?$", "wednesday"),
    (r"^th(u|ur|urs|ers)(day)?$", "thursday"),
    (r"^fr[iy](day)?$", "friday"),
    (r"^sat(t?[ue]rday)?$", "saturday"),
    (r"^su[nm](day)?$", "sunday"),
)
_DAY_PORTIONS = (
    (r"^ams?$", "am"),
    (r"^pms?$", "pm"),
    (r"^mornings?$", "morning"),
    (r"^afternoons?$", "afternoon"),
    (r"^evenings?$", "evening"),
    (r"^(night|nite)s?$", "night"),
)
_TIME = ((r"^\d{1,2}(:?\d{1,2})?([\.:]?\d{1,2}([\.:]\d{1,6})?)?$", True),)
_UNITS: tuple[tuple[str, type[rp.Repeater], str], ...] = (
    (r"^years?$", cal.RepeaterYear, "year"),
    (r"^seasons?$", ss.RepeaterSeason, "season"),
    (r"^months?$", cal.RepeaterMonth, "month"),
    (r"^fortnights?$", cal.RepeaterFortnight, "fortnight"),
    (r"^weeks?$", cal.RepeaterWeek, "week"),
    (r"^weekends?$", cal.RepeaterWeekend, "weekend"),
    (r"^(week|business)days?$", cal.RepeaterWeekday, "weekday"),
    (r"^days?$", rp.RepeaterDay, "day"),
    (r"^hrs?$", rp.RepeaterHour, "hour"),
    (r"^hours?$", rp.RepeaterHour, "hour"),
    (r"^mins?$", rp.RepeaterMinute, "minute"),
    (r"^minutes?$", rp.RepeaterMinute, "minute"),
    (r"^secs?$", rp.RepeaterSecond, "second"),
    (r"^seconds?$", rp.RepeaterSecond, "second"),
)


def _scan_repeaters(tokens: list[Token], options: Options) -> None:
    for token in tokens:
        word = token.word
        if (kind := scan_for(word, _SEASON_NAMES)) is not None:
            token.tag(ss.RepeaterSeasonName(kind, options))
        elif (kind := scan_for(word, _MONTH_NAMES)) is not None:
            token.tag(cal.RepeaterMonthName(kind, options))
        elif (kind := scan_for(word, _DAY_NAMES)) is not None:
            token.tag(rp.RepeaterDayName(kind, options))
        elif (kind := scan_for(word, _DAY_PORTIONS)) is not None:
            token.tag(rp.RepeaterDayPortion(kind, options))
        elif scan_for(word, _TIME) is not None:
            token.tag(rp.RepeaterTime(word, options))
        else:
            for pattern, klass, symbol in _UNITS:
                if scan_for(word, ((pattern, True),)) is not None:
                    token.tag(klass(symbol, options))
                    break


def tokenize(text: str, options: Options, now: datetime) -> list[Token]:
    tokens = [Token(word) for word in split_words(pre_normalize(text))]
    _scan_repeaters(tokens, options)
    tg.scan_grabbers(tokens)
    tg.scan_pointers(tokens)
    tg.scan_scalars(tokens, options, now)
    tg.scan_ordinals(tokens, options, now)
    tg.scan_separators(tokens)
    tg.scan_signs(tokens)
    tg.scan_time_zones(tokens)
    return [t for t in tokens if t.tagged()]


def _tokens_to_span(tokens: list[Token], options: Options, handlers: HandlerSet) -> Span | None:
    endian = options["endian_precedence"]
    first = endian[0] if isinstance(endian, list | tuple) and endian else endian
    if first == "little":
        endians = list(reversed(ENDIANS))
    elif first == "middle":
        endians = list(ENDIANS)
    else:
        raise RubyArgumentError(f"Unknown endian option '{first}'")
    definitions = {**DEFINITIONS, "endian": endians}
    for handler in endians + DEFINITIONS["date"]:
        if handler.match(tokens, definitions):
            good = [t for t in tokens if t.get_tag(tg.Separator) is None]
            return handlers.invoke(handler.method, good, options)
    for handler in DEFINITIONS["anchor"]:
        if handler.match(tokens, definitions):
            good = [t for t in tokens if t.get_tag(tg.Separator) is None]
            return handlers.invoke(handler.method, good, options)
    dropped = (
        tg.SeparatorAt,
        tg.SeparatorSlash,
        tg.SeparatorDash,
        tg.SeparatorComma,
        tg.SeparatorAnd,
    )
    for handler in DEFINITIONS["arrow"]:
        if handler.match(tokens, definitions):
            good = [t for t in tokens if not any(t.get_tag(k) for k in dropped)]
            return handlers.invoke(handler.method, good, options)
    for handler in DEFINITIONS["narrow"]:
        if handler.match(tokens, definitions):
            return handlers.invoke(handler.method, tokens, options)
    return None


def parse(
    text: str,
    now: datetime,
    options: Mapping[str, Any] | None = None,
    real_now: datetime | None = None,
) -> datetime | None:
    """`Chronic.parse(text, options)` with chronic's `now` given explicitly."""
    opts: dict[str, Any] = {**DEFAULT_OPTIONS, **(options or {})}
    opts["text"] = text
    clock = real_now or now
    tokens = tokenize(text, opts, clock)
    span = _tokens_to_span(tokens, opts, HandlerSet(now, clock))
    if span is None:
        return None
    mode = opts["guess"]
    if mode is False or mode is None:
        from migrate.sources.whenever.chronic.rtime import ChronicUnsupported

        raise ChronicUnsupported("chronic_options guess: false returns a span, not a time")
    if span.width > 1 and (mode is True or mode == "middle"):
        return plus(span.begin, span.width // 2)
    if mode == "end":
        return span.end
    return span.begin
