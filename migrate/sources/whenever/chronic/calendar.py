"""Chronic's calendar repeaters: week, weekday, weekend, fortnight, month, month name, year,
season and season name (gitlab-chronic 0.10.5 `repeaters/*.rb`), ported line by line.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from migrate.sources.whenever.chronic.repeaters import (
    DAY_SECONDS,
    HOUR_SECONDS,
    Repeater,
    RepeaterDayName,
)
from migrate.sources.whenever.chronic.rtime import (
    RubyNoMethodError,
    RubyRuntimeError,
    Span,
    construct,
    month_days,
    plus,
    time_new,
    wday,
)
from migrate.sources.whenever.chronic.tags import Options

WEEK_SECONDS = 604_800
WEEKEND_SECONDS = 172_800
FORTNIGHT_SECONDS = 1_209_600
MONTH_SECONDS = 2_592_000
YEAR_SECONDS = 31_536_000
SEASON_SECONDS = 7_862_400


def _direction(pointer: str) -> int:
    return 1 if pointer == "future" else -1


def _sunday(now: datetime) -> RepeaterDayName:
    rep = RepeaterDayName("sunday")
    rep.start(now)
    return rep


class RepeaterWeek(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_week_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_week_start is None:
            if pointer == "future":
                self.current_week_start = _sunday(now).next_span("future").begin
            elif pointer == "past":
                rep = _sunday(plus(now, DAY_SECONDS))
                rep.next_span("past")
                self.current_week_start = rep.next_span("past").begin
            else:
                raise RubyNoMethodError("current week start is nil")
        else:
            self.current_week_start = plus(
                self.current_week_start, _direction(pointer) * WEEK_SECONDS
            )
        return Span(self.current_week_start, plus(self.current_week_start, WEEK_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "future":
            start = plus(time_new(now.year, now.month, now.day, now.hour), HOUR_SECONDS)
            return Span(start, _sunday(now).this_span("future").begin)
        if pointer == "past":
            end = time_new(now.year, now.month, now.day, now.hour)
            return Span(_sunday(now).next_span("past").begin, end)
        start = _sunday(now).next_span("past").begin
        return Span(start, plus(start, WEEK_SECONDS))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount * WEEK_SECONDS)

    def width(self) -> float:
        return WEEK_SECONDS


def _is_weekday(day: int) -> bool:
    return day not in (0, 6)


class RepeaterWeekday(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_weekday_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        direction = _direction(pointer)
        if self.current_weekday_start is None:
            cur = plus(construct(now.year, now.month, now.day), direction * DAY_SECONDS)
            while not _is_weekday(wday(cur)):
                cur = plus(cur, direction * DAY_SECONDS)
        else:
            cur = self.current_weekday_start
            while True:
                cur = plus(cur, direction * DAY_SECONDS)
                if _is_weekday(wday(cur)):
                    break
        self.current_weekday_start = cur
        return Span(cur, plus(cur, DAY_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        self._now()
        return self.next_span("past" if pointer == "past" else "future")

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        direction = _direction(pointer)
        passed = 0
        offset = 0
        while passed != amount:
            offset += direction * DAY_SECONDS
            if _is_weekday(wday(plus(span.begin, offset))):
                passed += 1
            if abs(offset) > DAY_SECONDS * 10_000:  # Ruby loops forever on amount <= 0
                raise RubyNoMethodError("weekday offset does not terminate")
        return span.shift(offset)

    def width(self) -> float:
        return DAY_SECONDS


class RepeaterWeekend(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_week_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_week_start is None:
            if pointer == "future":
                rep = RepeaterDayName("saturday")
                rep.start(now)
                self.current_week_start = rep.next_span("future").begin
            elif pointer == "past":
                rep = RepeaterDayName("saturday")
                rep.start(plus(now, DAY_SECONDS))
                self.current_week_start = rep.next_span("past").begin
            else:
                raise RubyNoMethodError("current week start is nil")
        else:
            self.current_week_start = plus(
                self.current_week_start, _direction(pointer) * WEEK_SECONDS
            )
        return Span(self.current_week_start, plus(self.current_week_start, WEEKEND_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        rep = RepeaterDayName("saturday")
        rep.start(now)
        sat = rep.this_span("past" if pointer == "past" else "future")
        return Span(sat.begin, plus(sat.begin, WEEKEND_SECONDS))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        direction = _direction(pointer)
        weekend = RepeaterWeekend("weekend")
        weekend.start(span.begin)
        start = plus(weekend.next_span(pointer).begin, (amount - 1) * direction * WEEK_SECONDS)
        return Span(start, plus(start, (span.end - span.begin).total_seconds()))

    def width(self) -> float:
        return WEEKEND_SECONDS


class RepeaterFortnight(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_fortnight_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_fortnight_start is None:
            if pointer == "future":
                self.current_fortnight_start = _sunday(now).next_span("future").begin
            elif pointer == "past":
                rep = _sunday(plus(now, DAY_SECONDS))
                rep.next_span("past")
                rep.next_span("past")
                self.current_fortnight_start = rep.next_span("past").begin
            else:
                raise RubyNoMethodError("current fortnight start is nil")
        else:
            self.current_fortnight_start = plus(
                self.current_fortnight_start, _direction(pointer) * FORTNIGHT_SECONDS
            )
        start = self.current_fortnight_start
        return Span(start, plus(start, FORTNIGHT_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "none":
            pointer = "future"
        if pointer == "future":
            start = plus(construct(now.year, now.month, now.day, now.hour), HOUR_SECONDS)
            rep = _sunday(now)
            rep.this_span("future")
            return Span(start, rep.this_span("future").begin)
        end = construct(now.year, now.month, now.day, now.hour)
        return Span(_sunday(now).next_span("past").begin, end)

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount * FORTNIGHT_SECONDS)

    def width(self) -> float:
        return FORTNIGHT_SECONDS


class RepeaterMonth(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_month_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        base = now if self.current_month_start is None else self.current_month_start
        self.current_month_start = self.offset_by(construct(base.year, base.month), 1, pointer)
        cur = self.current_month_start
        return Span(cur, construct(cur.year, cur.month + 1))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "future":
            return Span(
                construct(now.year, now.month, now.day + 1),
                self.offset_by(construct(now.year, now.month), 1, "future"),
            )
        if pointer == "past":
            return Span(construct(now.year, now.month), construct(now.year, now.month, now.day))
        return Span(
            construct(now.year, now.month),
            self.offset_by(construct(now.year, now.month), 1, "future"),
        )

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return Span(
            self.offset_by(span.begin, amount, pointer), self.offset_by(span.end, amount, pointer)
        )

    def offset_by(self, time: datetime, amount: int, pointer: str) -> datetime:
        direction = _direction(pointer)
        amount_years = direction * amount // 12
        amount_months = direction * amount % 12
        new_year = time.year + amount_years
        new_month = time.month + amount_months
        if new_month > 12:
            new_year += 1
            new_month -= 12
        days = month_days(new_year, new_month)
        new_day = min(time.day, days)
        return construct(new_year, new_month, new_day, time.hour, time.minute, time.second)

    def width(self) -> float:
        return MONTH_SECONDS


MONTH_INDEX = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}


class RepeaterMonthName(Repeater):
    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_month_begin: datetime | None = None

    @property
    def index(self) -> int:
        return MONTH_INDEX[self.type]

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        index = self.index
        cur = self.current_month_begin
        if cur is None:
            if pointer == "future":
                if now.month < index:
                    cur = construct(now.year, index)
                elif now.month > index:
                    cur = construct(now.year + 1, index)
            elif pointer == "none":
                cur = construct(now.year if now.month <= index else now.year + 1, index)
            elif pointer == "past":
                cur = construct(now.year if now.month >= index else now.year - 1, index)
            if cur is None:
                raise RubyRuntimeError("Current month should be set by now")
        elif pointer == "future":
            cur = construct(cur.year + 1, cur.month)
        elif pointer == "past":
            cur = construct(cur.year - 1, cur.month)
        self.current_month_begin = cur
        next_year, next_month = (cur.year + 1, 1) if cur.month == 12 else (cur.year, cur.month + 1)
        return Span(cur, construct(next_year, next_month))

    def this_span(self, pointer: str = "future") -> Span:
        self._now()
        return self.next_span("past" if pointer == "past" else "none")

    def width(self) -> float:
        return MONTH_SECONDS


class RepeaterYear(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_year_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_year_start is None:
            if pointer not in ("future", "past"):
                raise RubyNoMethodError("current year start is nil")
            self.current_year_start = construct(now.year + _direction(pointer))
        else:
            self.current_year_start = construct(self.current_year_start.year + _direction(pointer))
        return Span(self.current_year_start, construct(self.current_year_start.year + 1))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "future":
            return Span(construct(now.year, now.month, now.day + 1), construct(now.year + 1, 1, 1))
        if pointer == "past":
            return Span(construct(now.year, 1, 1), construct(now.year, now.month, now.day))
        return Span(construct(now.year, 1, 1), construct(now.year + 1, 1, 1))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        direction = _direction(pointer)
        return Span(
            self._offset_time(span.begin, amount, direction),
            self._offset_time(span.end, amount, direction),
        )

    def _offset_time(self, time: datetime, amount: int, direction: int) -> datetime:
        year = time.year + amount * direction
        day = min(time.day, month_days(year, time.month))
        return construct(year, time.month, day, time.hour, time.minute, time.second)

    def width(self) -> float:
        return YEAR_SECONDS
