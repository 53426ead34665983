"""Chronic's date/anchor/arrow/narrow handlers (gitlab-chronic 0.10.5 `handlers.rb`),
ported line by line. The patterns that select them are in `definitions.py`.

`Parser` holds `now` (chronic's reference time), which `day_or_time` moves, as in Ruby.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from migrate.sources.whenever.chronic import calendar as cal
from migrate.sources.whenever.chronic import tags as tg
from migrate.sources.whenever.chronic.definitions import month_overflow
from migrate.sources.whenever.chronic.repeaters import (
    DAY_SECONDS,
    Repeater,
    RepeaterDayPortion,
    RepeaterTime,
)
from migrate.sources.whenever.chronic.rtime import (
    ChronicUnsupported,
    RubyArgumentError,
    RubyNoMethodError,
    RubyRuntimeError,
    Span,
    plus,
    time_new,
)
from migrate.sources.whenever.chronic.tags import Options, Token


class HandlerSet:
    """The handler methods, bound to a parser's mutable `now`."""

    def __init__(self, now: datetime, real_now: datetime) -> None:
        self.now = now
        self.real_now = real_now

    def invoke(self, method: str, tokens: list[Token], options: Options) -> Span | None:
        fn: Callable[[list[Token], Options], Span | None] = getattr(self, method)
        try:
            return fn(tokens, options)
        except IndexError as exc:  # Ruby indexes past the end to nil, then calls a method on it
            raise RubyNoMethodError(f"undefined method for nil in {method}") from exc

    # ------------------------------------------------------------------ dates
    def _m_d(
        self, month: Repeater, day: int, time_tokens: list[Token], options: Options
    ) -> Span | None:
        month.start(self.now)
        span = month.this_span(options["context"])
        day_start = time_new(span.begin.year, span.begin.month, day)
        return self.day_or_time(day_start, time_tokens, options)

    def handle_rmn_sd(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(cal.RepeaterMonthName)
        day = tokens[1].tag_of(tg.ScalarDay).type
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, tokens[2:], options)

    def handle_rmn_sd_on(self, tokens: list[Token], options: Options) -> Span | None:
        if len(tokens) > 3:
            month = tokens[2].tag_of(cal.RepeaterMonthName)
            day = tokens[3].tag_of(tg.ScalarDay).type
            time_tokens = tokens[0:2]
        else:
            month = tokens[1].tag_of(cal.RepeaterMonthName)
            day = tokens[2].tag_of(tg.ScalarDay).type
            time_tokens = tokens[0:1]
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, time_tokens, options)

    def handle_rmn_od(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(cal.RepeaterMonthName)
        day = tokens[1].tag_of(tg.OrdinalDay).type
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, tokens[2:], options)

    def handle_od_rm(self, tokens: list[Token], options: Options) -> Span | None:
        day = tokens[0].tag_of(tg.OrdinalDay).type
        month = tokens[2].get_tag(cal.RepeaterMonth)
        if month is None:
            raise RubyNoMethodError("undefined method `start=' for nil")
        return self._m_d(month, day, tokens[3:], options)

    def handle_od_rmn(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[0].tag_of(tg.OrdinalDay).type
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, tokens[2:], options)

    def _ymd(
        self, year: int, month: int, day: int, time_tokens: list[Token], options: Options
    ) -> Span | None:
        if month_overflow(year, month, day):
            return None
        try:
            day_start = time_new(year, month, day)
            return self.day_or_time(day_start, time_tokens, options)
        except RubyArgumentError:
            return None

    def handle_sy_rmn_od(self, tokens: list[Token], options: Options) -> Span | None:
        year = tokens[0].tag_of(tg.ScalarYear).type
        month = tokens[1].tag_of(cal.RepeaterMonthName).index
        day = tokens[2].tag_of(tg.OrdinalDay).type
        return self._ymd(year, month, day, tokens[3:], options)

    def handle_sd_rmn(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[0].tag_of(tg.ScalarDay).type
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, tokens[2:], options)

    def handle_rmn_od_on(self, tokens: list[Token], options: Options) -> Span | None:
        if len(tokens) > 3:
            month = tokens[2].tag_of(cal.RepeaterMonthName)
            day = tokens[3].tag_of(tg.OrdinalDay).type
            time_tokens = tokens[0:2]
        else:
            month = tokens[1].tag_of(cal.RepeaterMonthName)
            day = tokens[2].tag_of(tg.OrdinalDay).type
            time_tokens = tokens[0:1]
        if month_overflow(self.now.year, month.index, day):
            return None
        return self._m_d(month, day, time_tokens, options)

    def handle_rmn_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(cal.RepeaterMonthName).index
        year = tokens[1].tag_of(tg.ScalarYear).type
        return self.handle_year_and_month(year, month)

    def handle_generic(self, tokens: list[Token], options: Options) -> Span | None:
        # Ruby's Time.parse (Date._parse), reproduced only where chronic hands it a lone
        # ordinal day among words it could not tag ("5th", "the 1st"): Date._parse reads the
        # day of the month, Time.parse fills in the current month (of the real clock) and
        # midnight.
        text = str(options["text"]).lower()
        ordinals = re.findall(r"\d+(?:st|nd|rd|th)\b", text, re.A)
        rest = re.sub(r"\d+(?:st|nd|rd|th)\b", "", text, flags=re.A)
        if len(tokens) != 1 or len(ordinals) != 1 or re.search(r"\d", rest, re.A):
            raise ChronicUnsupported(f"Time.parse({options['text']!r}) is not reproduced")
        t = time_new(self.real_now.year, self.real_now.month, int(ordinals[0][:-2]))
        return Span(t, plus(t, 1))

    def handle_rmn_sd_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(cal.RepeaterMonthName).index
        day = tokens[1].tag_of(tg.ScalarDay).type
        year = tokens[2].tag_of(tg.ScalarYear).type
        return self._ymd(year, month, day, tokens[3:], options)

    def handle_rmn_od_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(cal.RepeaterMonthName).index
        day = tokens[1].tag_of(tg.OrdinalDay).type
        year = tokens[2].tag_of(tg.ScalarYear).type
        return self._ymd(year, month, day, tokens[3:], options)

    def handle_od_rmn_sy(self, tokens: list[Token], options: Options) -> Span | None:
        day = tokens[0].tag_of(tg.OrdinalDay).type
        month = tokens[1].tag_of(cal.RepeaterMonthName).index
        year = tokens[2].tag_of(tg.ScalarYear).type
        return self._ymd(year, month, day, tokens[3:], options)

    def handle_sd_rmn_sy(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_rmn_sd_sy([tokens[1], tokens[0], tokens[2], *tokens[3:]], options)

    def handle_sm_sd_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(tg.ScalarMonth).type
        day = tokens[1].tag_of(tg.ScalarDay).type
        year = tokens[2].tag_of(tg.ScalarYear).type
        return self._ymd(year, month, day, tokens[3:], options)

    def handle_sd_sm_sy(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_sm_sd_sy([tokens[1], tokens[0], tokens[2], *tokens[3:]], options)

    def handle_sy_sm_sd(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_sm_sd_sy([tokens[1], tokens[2], tokens[0], *tokens[3:]], options)

    def handle_sm_sd(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(tg.ScalarMonth).type
        day = tokens[1].tag_of(tg.ScalarDay).type
        year = self.now.year
        if month_overflow(year, month, day):
            return None
        try:
            day_start = time_new(year, month, day)
            if options["context"] == "future" and day_start < self.now:
                day_start = time_new(year + 1, month, day)
            return self.day_or_time(day_start, tokens[2:], options)
        except RubyArgumentError:
            return None

    def handle_sd_sm(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_sm_sd([tokens[1], tokens[0], *tokens[2:]], options)

    def handle_year_and_month(self, year: int, month: int) -> Span | None:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        try:
            end = time_new(next_year, next_month)
            return Span(time_new(year, month), end)
        except RubyArgumentError:
            return None

    def handle_sm_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[0].tag_of(tg.ScalarMonth).type
        year = tokens[1].tag_of(tg.ScalarYear).type
        return self.handle_year_and_month(year, month)

    def handle_sy_sm(self, tokens: list[Token], options: Options) -> Span | None:
        year = tokens[0].tag_of(tg.ScalarYear).type
        month = tokens[1].tag_of(tg.ScalarMonth).type
        return self.handle_year_and_month(year, month)

    def _day_span(
        self, year: int, month: int, day: int, time_tokens: list[Token], options: Options
    ) -> Span | None:
        if month_overflow(year, month, day):
            return None
        try:
            if not time_tokens:
                return Span(time_new(year, month, day), self._rollover(year, month, day + 1))
            return self.day_or_time(time_new(year, month, day), time_tokens, options)
        except RubyArgumentError:
            return None

    def handle_rdn_rmn_od(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[2].tag_of(tg.OrdinalDay).type
        return self._day_span(self.now.year, month.index, day, tokens[3:], options)

    def handle_rdn_rmn_od_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[2].tag_of(tg.OrdinalDay).type
        year = tokens[3].tag_of(tg.ScalarYear).type
        return self._day_span(year, month.index, day, [], options)

    def handle_rdn_od(self, tokens: list[Token], options: Options) -> Span | None:
        day = tokens[1].tag_of(tg.OrdinalDay).type
        year, month = self.now.year, self.now.month
        if options["context"] == "future" and self.now.day > day:
            month += 1
        return self._day_span(year, month, day, tokens[2:], options)

    def handle_rdn_rmn_sd(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[2].tag_of(tg.ScalarDay).type
        return self._day_span(self.now.year, month.index, day, tokens[3:], options)

    def handle_rdn_rmn_sd_sy(self, tokens: list[Token], options: Options) -> Span | None:
        month = tokens[1].tag_of(cal.RepeaterMonthName)
        day = tokens[2].tag_of(tg.ScalarDay).type
        year = tokens[3].tag_of(tg.ScalarYear).type
        return self._day_span(year, month.index, day, [], options)

    def handle_sm_rmn_sy(self, tokens: list[Token], options: Options) -> Span | None:
        day = tokens[0].tag_of(tg.ScalarDay).type
        month = tokens[1].tag_of(cal.RepeaterMonthName).index
        year = tokens[2].tag_of(tg.ScalarYear).type
        if len(tokens) > 3:
            anchor = self.get_anchor([tokens[-1]], options)
            if anchor is None:
                raise RubyNoMethodError("undefined method `begin' for nil")
            t = anchor.begin
            start = time_new(year, month, day, t.hour, t.minute, t.second)
            end = time_new(year, month, day + 1, t.hour, t.minute, t.second)
        else:
            start = time_new(year, month, day)
            end = time_new(year, month, day if day >= 31 else day + 1)
        return Span(start, end)

    # ---------------------------------------------------------------- anchors
    def handle_r(self, tokens: list[Token], options: Options) -> Span | None:
        return self.get_anchor(self.dealias_and_disambiguate_times(tokens, options), options)

    def handle_r_g_r(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_r([tokens[1], tokens[0], tokens[2]], options)

    # ----------------------------------------------------------------- arrows
    def _srp(self, tokens: list[Token], span: Span | None, options: Options) -> Span | None:
        distance = tokens[0].tag_of(tg.Scalar).type
        repeater = _repeater_of(tokens[1])
        pointer = tokens[2].tag_of(tg.Pointer).type
        if not repeater.has_offset:
            return None
        if span is None:
            raise RubyNoMethodError("undefined method `begin' for nil")
        return repeater.offset(span, distance, pointer)

    def handle_s_r_p(self, tokens: list[Token], options: Options) -> Span | None:
        return self._srp(tokens, Span(self.now, plus(self.now, 1)), options)

    def handle_p_s_r(self, tokens: list[Token], options: Options) -> Span | None:
        return self.handle_s_r_p([tokens[1], tokens[2], tokens[0]], options)

    def handle_s_r_p_a(self, tokens: list[Token], options: Options) -> Span | None:
        anchor = self.get_anchor(tokens[3:], options)
        return self._srp(tokens, anchor, options)

    def handle_s_r_a_s_r_p_a(self, tokens: list[Token], options: Options) -> Span | None:
        anchor = self.get_anchor(tokens[4:], options)
        span = self._srp(tokens[0:2] + tokens[4:7], anchor, options)
        return self._srp(tokens[2:4] + tokens[4:7], span, options)

    # ---------------------------------------------------------------- narrows
    def _orr(self, tokens: list[Token], outer: Span | None, options: Options) -> Span | None:
        repeater = _repeater_of(tokens[1])
        if outer is None:
            raise RubyNoMethodError("undefined method `begin' for nil")
        repeater.start(plus(outer.begin, -1))
        ordinal = tokens[0].tag_of(tg.Ordinal).type
        span = None
        for _ in range(ordinal):
            span = repeater.next_span("future")
            if span.begin >= outer.end:
                return None
        return span

    def handle_o_r_s_r(self, tokens: list[Token], options: Options) -> Span | None:
        return self._orr(tokens[0:2], self.get_anchor([tokens[3]], options), options)

    def handle_o_r_g_r(self, tokens: list[Token], options: Options) -> Span | None:
        return self._orr(tokens[0:2], self.get_anchor(tokens[2:4], options), options)

    # ---------------------------------------------------------------- support
    def day_or_time(
        self, day_start: datetime, time_tokens: list[Token], options: Options
    ) -> Span | None:
        outer = Span(day_start, plus(day_start, DAY_SECONDS))
        if not time_tokens:
            return outer
        self.now = outer.begin
        merged = {**options, "context": "future"}
        return self.get_anchor(self.dealias_and_disambiguate_times(time_tokens, options), merged)

    def get_anchor(self, tokens: list[Token], options: Options) -> Span | None:
        tokens = list(tokens)
        grabber = tg.Grabber("this")
        repeaters = get_repeaters(tokens)
        for _ in repeaters:
            if tokens:
                tokens.pop()
        if tokens and tokens[0].get_tag(tg.Grabber) is not None:
            grabber = tokens.pop(0).tag_of(tg.Grabber)
        if not repeaters:
            raise RubyNoMethodError("undefined method `start=' for nil")
        head = repeaters.pop(0)
        head.start(self.now)
        if grabber.type == "last":
            outer = head.next_span("past")
        elif grabber.type == "this":
            if options["context"] != "past" and repeaters:
                outer = head.this_span("none")
            else:
                outer = head.this_span(options["context"])
        elif grabber.type == "next":
            outer = head.next_span("future")
        else:
            raise RubyRuntimeError("Invalid grabber")
        return find_within(repeaters, outer, "future")

    def dealias_and_disambiguate_times(self, tokens: list[Token], options: Options) -> list[Token]:
        portion_index = next(
            (i for i, t in enumerate(tokens) if t.get_tag(RepeaterDayPortion)), None
        )
        time_index = next((i for i, t in enumerate(tokens) if t.get_tag(RepeaterTime)), None)
        if portion_index is not None and time_index is not None:
            t1 = tokens[portion_index]
            t1tag = t1.tag_of(RepeaterDayPortion)
            if t1tag.type == "morning":
                t1.untag(RepeaterDayPortion)
                t1.tag(RepeaterDayPortion("am"))
            elif t1tag.type in ("afternoon", "evening", "night"):
                t1.untag(RepeaterDayPortion)
                t1.tag(RepeaterDayPortion("pm"))
        if options["ambiguous_time_range"] != "none":
            result: list[Token] = []
            for i, token in enumerate(tokens):
                result.append(token)
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                rt = token.get_tag(RepeaterTime)
                if (
                    rt is not None
                    and rt.tick.ambiguous
                    and (nxt is None or nxt.get_tag(RepeaterDayPortion) is None)
                ):
                    dis = Token("disambiguator")
                    dis.tag(RepeaterDayPortion(options["ambiguous_time_range"]))
                    result.append(dis)
            tokens = result
        return tokens

    def _rollover(self, year: int, month: int, day: int) -> datetime:
        if month_overflow(year, month, day):
            parts = (year + 1, 1, 1) if month == 12 else (year, month + 1, 1)
        else:
            parts = (year, month, day)
        return time_new(*parts)


def repeater_tag(token: Token) -> Repeater | None:
    return next((t for t in token.tags if isinstance(t, Repeater)), None)


def _repeater_of(token: Token) -> Repeater:
    found = repeater_tag(token)
    if found is None:
        raise RubyNoMethodError(f"token {token.word!r} has no repeater")
    return found


def get_repeaters(tokens: Sequence[Token]) -> list[Repeater]:
    # Ruby: `.compact.sort.reverse` by width. Ruby's sort is glibc's qsort_r, a stable merge
    # sort on Debian 12, so ties keep their order before the reverse; Python's sort is stable.
    found = [r for r in (repeater_tag(t) for t in tokens) if r is not None]
    found.sort(key=lambda r: r.width())
    found.reverse()
    return found


def find_within(tags: list[Repeater], span: Span | None, pointer: str) -> Span | None:
    if not tags:
        return span
    if span is None:
        raise RubyNoMethodError("undefined method `begin' for nil")
    head = tags.pop(0)
    head.start(span.begin if pointer == "future" else span.end)
    h = head.this_span("none")
    if span.covers(h.begin) or span.covers(h.end):
        return find_within(tags, h, pointer)
    return None
