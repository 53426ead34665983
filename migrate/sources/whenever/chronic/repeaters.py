"""Chronic's repeaters for the clock and the day (gitlab-chronic 0.10.5 `repeater.rb` and
`repeaters/repeater_{time,day_portion,day,day_name,hour,minute,second}.rb`).

A repeater is a tag that can enumerate the spans it names relative to `now`: `next_span`
(Ruby `next`), `this_span` (Ruby `this`), and for some `offset`. Local time has no daylight
saving here, so `RepeaterTime#adjust_daylight_savings_offset` is the identity.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from datetime import date, datetime, timedelta
from typing import Any

from migrate.sources.whenever.chronic.rtime import (
    RubyArgumentError,
    RubyNoMethodError,
    RubyRuntimeError,
    Span,
    construct,
    diff,
    plus,
    time_new,
    wday,
)
from migrate.sources.whenever.chronic.tags import Options, Tag

DAY_SECONDS = 86_400
HOUR_SECONDS = 3600
MINUTE_SECONDS = 60


class Repeater(Tag, ABC):
    has_offset = False

    @abstractmethod
    def width(self) -> float: ...

    def _now(self) -> datetime:
        if self.now is None:
            raise RubyRuntimeError("Start point must be set before calling #next")
        return self.now

    @abstractmethod
    def next_span(self, pointer: str) -> Span: ...

    @abstractmethod
    def this_span(self, pointer: str = "future") -> Span: ...

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        # Ruby: the repeaters without `offset` do not respond to it (see `has_offset`).
        raise RubyNoMethodError(f"undefined method `offset' for {type(self).__name__}")


def _direction(pointer: str) -> int:
    return 1 if pointer == "future" else -1


class Tick:
    def __init__(self, time: float, ambiguous: bool) -> None:
        self.time = time
        self.ambiguous = ambiguous


class RepeaterTime(Repeater):
    def __init__(self, time: str, options: Options | None = None) -> None:
        super().__init__(None, options)
        self.current_time: datetime | None = None
        parts = time.split(":")
        while parts and parts[-1] == "":
            parts.pop()  # Ruby's split drops trailing empty fields
        if len(parts) > 4:
            raise RubyArgumentError("Time cannot have more than 4 groups of ':'")
        if len(parts[0]) > 2 and len(parts) == 1:
            if len(parts[0]) > 4:
                second_index = len(parts[0]) - 2
                parts.insert(1, parts[0][second_index:])
                parts[0] = parts[0][:second_index]
            minute_index = len(parts[0]) - 2
            parts.insert(1, parts[0][minute_index:])
            parts[0] = parts[0][:minute_index]
        ambiguous = False
        hours = _to_i(parts[0])
        hours24 = self.options.get("hours24")
        if hours24 is not True:
            if (
                (len(parts[0]) == 1 and hours > 0)
                or 10 <= hours <= 12
                or (hours24 is False and hours > 0)
            ):
                ambiguous = True
            if hours == 12 and ambiguous:
                hours = 0
        seconds: float = hours * 3600
        if len(parts) > 1:
            seconds += _to_i(parts[1]) * 60
        if len(parts) > 2:
            seconds += _to_i(parts[2])
        if len(parts) > 3:
            seconds += _to_i(parts[3]) / (10 ** len(parts[3]))
        self.type = Tick(seconds, ambiguous)

    @property
    def tick(self) -> Tick:
        assert isinstance(self.type, Tick)
        return self.type

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        half_day = 60 * 60 * 12
        full_day = 60 * 60 * 24
        first = False
        if self.current_time is None:
            first = True
            midnight = time_new(now.year, now.month, now.day)
            yesterday = plus(midnight, -full_day)
            tomorrow = plus(midnight, full_day)
            if pointer == "future":
                bases = (
                    [midnight, plus(midnight, half_day), tomorrow]
                    if self.tick.ambiguous
                    else [midnight, tomorrow]
                )
                for base in bases:
                    t = plus(base, self.tick.time)
                    if t >= now:
                        self.current_time = t
                        break
            else:
                bases = (
                    [plus(midnight, half_day), midnight, plus(yesterday, half_day)]
                    if self.tick.ambiguous
                    else [midnight, yesterday]
                )
                for base in bases:
                    t = plus(base, self.tick.time)
                    if t <= now:
                        self.current_time = t
                        break
            if self.current_time is None:
                raise RubyRuntimeError("Current time cannot be nil at this point")
        if not first:
            increment = half_day if self.tick.ambiguous else full_day
            assert self.current_time is not None
            self.current_time = plus(
                self.current_time, increment if pointer == "future" else -increment
            )
        assert self.current_time is not None
        return Span(self.current_time, plus(self.current_time, self.width()))

    def this_span(self, pointer: str = "future") -> Span:
        self._now()
        return self.next_span("future" if pointer == "none" else pointer)

    def width(self) -> float:
        return 1


def _to_i(text: str) -> int:
    """Ruby `String#to_i`: the leading digits, 0 if none."""
    m = re.match(r"[0-9]+", text)
    return int(m.group(0)) if m else 0


_PORTIONS: dict[str, tuple[int, int]] = {
    "am": (0, 12 * 60 * 60 - 1),
    "pm": (12 * 60 * 60, 24 * 60 * 60 - 1),
    "morning": (6 * 60 * 60, 12 * 60 * 60),
    "afternoon": (13 * 60 * 60, 17 * 60 * 60),
    "evening": (17 * 60 * 60, 20 * 60 * 60),
    "night": (20 * 60 * 60, 24 * 60 * 60),
}


class RepeaterDayPortion(Repeater):
    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_span: Span | None = None
        if isinstance(type_, int) and not isinstance(type_, bool):
            self.range = (type_ * 60 * 60, (type_ + 12) * 60 * 60)
        elif type_ in _PORTIONS:
            self.range = _PORTIONS[type_]
        else:
            raise RubyRuntimeError(f"Invalid type '{type_}' for RepeaterDayPortion")

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        begin, end = self.range
        if self.current_span is None:
            today = construct(now.year, now.month, now.day)
            now_seconds = diff(now, today)
            if now_seconds < begin:
                day = now.day if pointer == "future" else now.day - 1
            elif now_seconds > end:
                day = now.day + 1 if pointer == "future" else now.day
            else:
                day = now.day + 1 if pointer == "future" else now.day - 1
            if pointer not in ("future", "past"):
                raise RubyNoMethodError("range_start is nil")
            range_start = plus(construct(now.year, now.month, day), begin)
            range_end = self._from_reference(range_start, end - begin)
            self.current_span = Span(range_start, range_end)
        else:
            shift = 1 if pointer == "future" else -1
            b, e = self.current_span.begin, self.current_span.end
            self.current_span = Span(
                construct(b.year, b.month, b.day + shift, b.hour, b.minute, b.second),
                construct(e.year, e.month, e.day + shift, e.hour, e.minute, e.second),
            )
        return self.current_span

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        range_start = plus(construct(now.year, now.month, now.day), self.range[0])
        self.current_span = Span(range_start, self._from_reference(range_start))
        return self.current_span

    has_offset = True

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        self.now = span.begin
        portion = self.next_span(pointer)
        direction = 1 if pointer == "future" else -1
        return portion.shift(direction * (amount - 1) * DAY_SECONDS)

    def width(self) -> float:
        if self.current_span is not None:
            return self.current_span.width
        if isinstance(self.type, int) and not isinstance(self.type, bool):
            return 12 * 60 * 60
        return self.range[1] - self.range[0]

    def _from_reference(self, reference: datetime, offset: int | None = None) -> datetime:
        elapsed = offset if offset is not None else self.range[1] - self.range[0]
        second_hand = (elapsed - (12 * 60)) % 60
        minute_hand = (elapsed - second_hand) // 60 % 60
        hour_hand = (elapsed - minute_hand - second_hand) // (60 * 60) + reference.hour % 24
        return construct(
            reference.year, reference.month, reference.day, hour_hand, minute_hand, second_hand
        )


class RepeaterDay(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_day_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_day_start is None:
            self.current_day_start = time_new(now.year, now.month, now.day)
        self.current_day_start = plus(self.current_day_start, _direction(pointer) * DAY_SECONDS)
        return Span(self.current_day_start, plus(self.current_day_start, DAY_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "future":
            return Span(
                construct(now.year, now.month, now.day, now.hour),
                plus(construct(now.year, now.month, now.day), DAY_SECONDS),
            )
        if pointer == "past":
            return Span(
                construct(now.year, now.month, now.day),
                construct(now.year, now.month, now.day, now.hour),
            )
        day = construct(now.year, now.month, now.day)
        return Span(day, plus(day, DAY_SECONDS))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount * DAY_SECONDS)

    def width(self) -> float:
        return DAY_SECONDS


_DAY_NUMBERS = {
    "sunday": 0,
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
}


class RepeaterDayName(Repeater):
    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_date: date | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        direction = _direction(pointer)
        if self.current_date is None:
            self.current_date = date(now.year, now.month, now.day) + timedelta(days=direction)
            day_num = _DAY_NUMBERS[self.type]
            while wday(self.current_date) != day_num:
                self.current_date += timedelta(days=direction)
        else:
            self.current_date += timedelta(days=direction * 7)
        cur = self.current_date
        nxt = cur + timedelta(days=1)
        return Span(
            construct(cur.year, cur.month, cur.day), construct(nxt.year, nxt.month, nxt.day)
        )

    def this_span(self, pointer: str = "future") -> Span:
        self._now()
        return self.next_span("future" if pointer == "none" else pointer)

    def width(self) -> float:
        return DAY_SECONDS


class RepeaterHour(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_hour_start: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        if self.current_hour_start is None:
            step = 1 if pointer == "future" else -1
            if pointer not in ("future", "past"):
                raise RubyNoMethodError("current hour start is nil")
            self.current_hour_start = construct(now.year, now.month, now.day, now.hour + step)
        else:
            self.current_hour_start = plus(
                self.current_hour_start, _direction(pointer) * HOUR_SECONDS
            )
        return Span(self.current_hour_start, plus(self.current_hour_start, HOUR_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if pointer == "future":
            return Span(
                construct(now.year, now.month, now.day, now.hour, now.minute + 1),
                construct(now.year, now.month, now.day, now.hour + 1),
            )
        if pointer == "past":
            return Span(
                construct(now.year, now.month, now.day, now.hour),
                construct(now.year, now.month, now.day, now.hour, now.minute),
            )
        start = construct(now.year, now.month, now.day, now.hour)
        return Span(start, plus(start, HOUR_SECONDS))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount * HOUR_SECONDS)

    def width(self) -> float:
        return HOUR_SECONDS


class RepeaterMinute(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.current_minute_start: datetime | None = None

    def next_span(self, pointer: str = "future") -> Span:
        now = self._now()
        if self.current_minute_start is None:
            if pointer not in ("future", "past"):
                raise RubyNoMethodError("current minute start is nil")
            step = 1 if pointer == "future" else -1
            self.current_minute_start = construct(
                now.year, now.month, now.day, now.hour, now.minute + step
            )
        else:
            self.current_minute_start = plus(
                self.current_minute_start, _direction(pointer) * MINUTE_SECONDS
            )
        return Span(self.current_minute_start, plus(self.current_minute_start, MINUTE_SECONDS))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        at_minute = construct(now.year, now.month, now.day, now.hour, now.minute)
        if pointer == "future":
            return Span(now, at_minute)
        if pointer == "past":
            return Span(at_minute, now)
        return Span(at_minute, plus(at_minute, MINUTE_SECONDS))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount * MINUTE_SECONDS)

    def width(self) -> float:
        return MINUTE_SECONDS


class RepeaterSecond(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.second_start: datetime | None = None

    def next_span(self, pointer: str = "future") -> Span:
        now = self._now()
        direction = _direction(pointer)
        if self.second_start is None:
            self.second_start = plus(now, direction)
        else:
            self.second_start = plus(self.second_start, direction)
        return Span(self.second_start, plus(self.second_start, 1))

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        return Span(now, plus(now, 1))

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        return span.shift(_direction(pointer) * amount)

    def width(self) -> float:
        return 1
