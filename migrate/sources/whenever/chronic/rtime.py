"""Ruby's `Time`, as chronic 0.10.5 uses it, over naive local `datetime`s.

Chronic (the natural-language time parser whenever hands `at:` strings to) works on Ruby
`Time` values in the process's local zone. We model local time as naive `datetime` without
daylight saving (whenever's reference runs are made with `TZ=UTC`), and reproduce the parts
of Ruby's `Time.new` that chronic relies on: a day of 29-31 past the month's end rolls into
the next month (`Time.new(2023, 2, 30)` is 2 March), hour 24 is the next midnight, second 60
rolls over, anything else out of range raises `ArgumentError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


class RubyError(Exception):
    """An exception Ruby would raise; `kind` is the Ruby class name."""

    kind = "StandardError"


class RubyArgumentError(RubyError):
    kind = "ArgumentError"


class RubyRuntimeError(RubyError):
    kind = "RuntimeError"


class RubyNoMethodError(RubyError):
    kind = "NoMethodError"


class ChronicUnsupported(Exception):
    """A corner of chronic (or of Ruby's `Time.parse`) this port does not reproduce."""


# Chronic::Date::MONTH_DAYS / MONTH_DAYS_LEAP are indexed by month (1-12, nil at 0).
MONTH_DAYS = (None, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
MONTH_DAYS_LEAP = (None, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_days(year: int, month: int) -> int:
    """Days in `month` (1-12); Ruby would raise on other months (nil comparison)."""
    table = MONTH_DAYS_LEAP if is_leap(year) else MONTH_DAYS
    if not 1 <= month <= 12:
        raise RubyNoMethodError("undefined method for nil (month out of table)")
    value = table[month]
    assert value is not None
    return value


def time_new(
    year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: float = 0
) -> datetime:
    """Ruby's `Time.new(year, month, day, hour, min, sec)` / `Time.local`."""
    if not 1 <= month <= 12:
        raise RubyArgumentError("mon out of range")
    if day < 1 or day > 31:
        raise RubyArgumentError("argument out of range")
    if hour < 0 or hour > 24 or (hour == 24 and (minute != 0 or second != 0)):
        raise RubyArgumentError("argument out of range")
    if minute < 0 or minute > 59:
        raise RubyArgumentError("min out of range")
    if second < 0 or second >= 61:
        raise RubyArgumentError("sec out of range")
    if not 1 <= year <= 9998:
        raise ChronicUnsupported(f"year {year} is outside the range this port handles")
    return datetime(year, month, 1) + timedelta(
        days=day - 1, hours=hour, minutes=minute, seconds=second
    )


def construct(
    year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """`Chronic.construct`: carries overflowing seconds/minutes/hours/days upwards."""
    if second >= 60:
        minute += second // 60
        second = second % 60
    if minute >= 60:
        hour += minute // 60
        minute = minute % 60
    if hour >= 24:
        day += hour // 24
        hour = hour % 24
    if day > 56:
        raise RubyRuntimeError("day must be no more than 56 (makes month resolution easier)")
    if day > 28:
        days_this_month = month_days(year, month)
        if day > days_this_month:
            month += day // days_this_month
            day = day % days_this_month
    if month > 12:
        if month % 12 == 0:
            year += (month - 12) // 12
            month = 12
        else:
            year += month // 12
            month = month % 12
    return time_new(year, month, day, hour, minute, second)


def plus(t: datetime, seconds: float) -> datetime:
    try:
        return t + timedelta(seconds=seconds)
    except OverflowError as exc:
        raise ChronicUnsupported("time out of the range this port handles") from exc


def diff(a: datetime, b: datetime) -> float:
    """Ruby `Time#-`: seconds as a Float."""
    return (a - b).total_seconds()


def wday(t: datetime | date) -> int:
    """Ruby `wday`: Sunday is 0."""
    return (t.weekday() + 1) % 7


@dataclass(frozen=True, slots=True)
class Span:
    """`Chronic::Span` (an inclusive Range of two times)."""

    begin: datetime
    end: datetime

    @property
    def width(self) -> int:
        return int(diff(self.end, self.begin))

    def shift(self, seconds: float) -> Span:
        return Span(plus(self.begin, seconds), plus(self.end, seconds))

    def covers(self, t: datetime) -> bool:
        return self.begin <= t <= self.end
