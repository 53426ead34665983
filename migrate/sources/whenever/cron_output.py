"""whenever's crontab text, exactly as `whenever -f` prints it (cron.rb, job_list.rb).

`cron_line` is `Whenever::Output::Cron#output` for one (time, at) pair; `combine` merges
lines that differ in one field; `render_crontab` orders env lines, default-mailto jobs, then
`MAILTO=` groups. Quirks reproduced from whenever 1.0.0 (each has a named test):

* a numeric frequency is cut into minutes/hours/days/months by whole-unit ranges, and
  `comma_separated_timing` spreads it from the range start: `every 1.week` is days
  1,8,15,22 (four occurrences, `(31/7.0).round`), `every 2.days` the odd days, and a
  frequency above half the range is a single value (`every 40.minutes` is minute 40 hourly,
  `12.months` is December only);
* `every 1.year` matches exactly 365.25 days; `every 2.years` (or any other length above a
  month that is not exactly one year) raises "Couldn't parse";
* an `at:` string chronic cannot read becomes 0 (midnight), silently in whenever;
* lines differing in one field are combined (`combine`), for regular lines only, within
  one (mailto, frequency) group; `@`-shortcut lines come first in their group.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from migrate.sources.whenever.job import Job, WheneverError
from migrate.sources.whenever.values import (
    RHash,
    RRange,
    RTime,
    Sym,
    Unknown,
    Value,
    is_int,
    is_num,
    shown,
    to_s,
)

DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
KEYWORDS = ("reboot", "yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly")
REGEX = re.compile(
    rf"^(@({'|'.join(KEYWORDS)})|((\*?[\d/,\-]*)\s){{3}}(\*?([\d/,\-]|({'|'.join(MONTHS)}))*\s)"
    rf"(\*?([\d/,\-]|({'|'.join(DAYS)}))*))$",
    re.I | re.M | re.A,
)

MINUTE, HOUR, DAY, WEEK, MONTH, YEAR = 60, 3_600, 86_400, 604_800, 2_592_000, 31_557_600


class Unresolved(Exception):
    """The line depends on something we cannot know or reproduce (the message says what)."""


# chronic(at_string) -> RTime | None; raises Unresolved for what the port cannot reproduce.
ChronicFn = Callable[[str], RTime | None]


def ruby_split_comma(text: str) -> list[str]:
    parts = text.split(",")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def enumerate_items(item: Value, detect_cron: bool = True) -> list[Value]:
    """`Cron.enumerate`."""
    if isinstance(item, str):
        if detect_cron and REGEX.search(item):
            return [item]
        return list(ruby_split_comma(item))
    if isinstance(item, Unknown):
        what = "every" if detect_cron else "at:"
        raise Unresolved(f"{what} `{shown(item)}`: {item.reason}")
    if isinstance(item, list):
        return list(item)
    if isinstance(item, RRange):
        ints = item.integers()
        if ints is None:
            raise Unresolved(f"range {to_s(item)} is not reproduced")
        return list(ints)
    if isinstance(item, RHash):
        return [[k, v] for k, v in item]
    return [item]


def ruby_round(x: float) -> int:
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def comma_separated_timing(frequency: int, maximum: int, start: Value = 0) -> Value:
    if frequency == 0:
        return start
    if frequency == 1:
        return "*"
    if frequency > math.ceil(maximum * 0.5):
        return frequency
    if isinstance(start, RTime):
        if (maximum + 1) % frequency != 0:
            raise WheneverError("comparison of Time with 0 failed (ArgumentError)")
        raise WheneverError("bad value for range (ArgumentError)")
    if not is_num(start):
        raise WheneverError(f"bad value for range: {to_s(start)} (ArgumentError)")
    assert isinstance(start, int | float)
    original = start
    if not ((maximum + 1) % frequency == 0 or start > 0):
        start += frequency
    values: list[int | float] = []
    value = start
    while value <= maximum:
        values.append(value)
        value += frequency
    occurrences = ruby_round(maximum / frequency)
    if original == 0:
        occurrences += 1
    return ",".join(to_s(v) for v in values[:occurrences])


def range_or_integer(at: Value, low: int, high: int, name: str) -> Value:
    must = f"{name} must be between {low}-{high}"
    if isinstance(at, RRange):
        ints = at.integers()
        if not ints:
            raise Unresolved(f"range {to_s(at)} is not reproduced")
        if not low <= min(ints) <= high:
            raise WheneverError(f"{must}, {min(ints)} given (ArgumentError)")
        if not low <= max(ints) <= high:
            raise WheneverError(f"{must}, {max(ints)} given (ArgumentError)")
        return f"{min(ints)}-{max(ints)}"
    if not is_num(at) or not low <= at <= high:  # type: ignore[operator]
        raise WheneverError(f"{must}, {to_s(at)} given (ArgumentError)")
    return at


@dataclass
class CronTime:
    """`Whenever::Output::Cron` for one frequency item and one at item."""

    time: Value
    at_given: Value
    at: Value

    def day_given(self) -> bool:
        text = self.at_given
        return isinstance(text, str) and (
            any(m in text.lower() for m in MONTHS) or re.search(r"\d/\d", text) is not None
        )

    def syntax(self) -> Value:
        time = self.time
        if is_num(time):
            assert isinstance(time, int | float)
            time = int(time)
            self.time = time
        if isinstance(time, str) and REGEX.search(time):
            return time
        if isinstance(time, Sym) and REGEX.search(time.name):
            return time.name
        if isinstance(time, Sym):
            return self.parse_symbol(time)
        if isinstance(time, str):
            return self.parse_as_string()
        if isinstance(time, Unknown):
            raise Unresolved(f"every `{shown(time)}`: {time.reason}")
        return self.parse_time()

    def parse_symbol(self, time: Sym) -> Value:
        if time.name in KEYWORDS:
            at = self.at
            if isinstance(at, RTime) or (is_num(at) and at > 0):  # type: ignore[operator]
                raise WheneverError(
                    "You cannot specify an ':at' when using the shortcuts for times."
                    " (ArgumentError)"
                )
            return "@" + time.name
        units = {
            "year": YEAR,
            "day": DAY,
            "month": MONTH,
            "week": WEEK,
            "hour": HOUR,
            "minute": MINUTE,
        }
        if time.name in units:
            self.time = units[time.name]
            return self.parse_time()
        return self.parse_as_string()

    def parse_time(self) -> Value:
        t = self.time
        at = self.at
        timing: list[Value] = ["*"] * 5
        if not is_int(t):
            return self.parse_as_string()
        assert isinstance(t, int)
        if 0 <= t < MINUTE:
            raise WheneverError("Time must be in minutes or higher (ArgumentError)")
        if MINUTE <= t < HOUR:
            timing[0] = comma_separated_timing(t // 60, 59, at if at is not None else 0)
        elif HOUR <= t < DAY:
            timing[0] = (
                at.value.minute if isinstance(at, RTime) else range_or_integer(at, 0, 59, "Minute")
            )
            timing[1] = comma_separated_timing(t // 60 // 60, 23)
        elif DAY <= t < MONTH:
            timing[0] = at.value.minute if isinstance(at, RTime) else 0
            timing[1] = (
                at.value.hour if isinstance(at, RTime) else range_or_integer(at, 0, 23, "Hour")
            )
            timing[2] = comma_separated_timing(t // 24 // 60 // 60, 31, 1)
        elif MONTH <= t < YEAR:
            timing[0] = at.value.minute if isinstance(at, RTime) else 0
            timing[1] = at.value.hour if isinstance(at, RTime) else 0
            if isinstance(at, RTime):
                timing[2] = at.value.day if self.day_given() else 1
            else:
                timing[2] = 1 if _is_zero(at) else range_or_integer(at, 1, 31, "Day")
            timing[3] = comma_separated_timing(t // 30 // 24 // 60 // 60, 12, 1)
        elif t == YEAR:
            timing[0] = at.value.minute if isinstance(at, RTime) else 0
            timing[1] = at.value.hour if isinstance(at, RTime) else 0
            timing[2] = at.value.day if isinstance(at, RTime) and self.day_given() else 1
            if isinstance(at, RTime):
                timing[3] = at.value.month if self.day_given() else 1
            else:
                timing[3] = 1 if _is_zero(at) else range_or_integer(at, 1, 12, "Month")
        else:
            return self.parse_as_string()
        return " ".join(to_s(x) for x in timing)

    def parse_as_string(self) -> Value:
        if self.time is None or self.time is False:
            return None
        string = to_s(self.time).lower()
        at = self.at
        minute: Value = at.value.minute if isinstance(at, RTime) else 0
        hour: Value = at.value.hour if isinstance(at, RTime) else 0
        prefix = f"{to_s(minute)} {to_s(hour)} * *"
        if "weekday" in string:
            return prefix + " 1-5"
        if "weekend" in string:
            return prefix + " 6,0"
        for i, day in enumerate(DAYS):
            if day in string:
                return f"{prefix} {i}"
        raise WheneverError(f"Couldn't parse: {_ruby_inspect(self.time)} (ArgumentError)")


def _is_zero(value: Value) -> bool:
    return is_num(value) and value == 0


def _ruby_inspect(value: Value) -> str:
    from migrate.sources.whenever.values import inspect

    return inspect(value)


def cron_entries(time: Value, job: Job, chronic: ChronicFn) -> list[str]:
    """`Cron.output(time, job)`: one cron entry per frequency item per at item."""
    out: list[str] = []
    for item in enumerate_items(time):
        for at_item in enumerate_items(job.at, detect_cron=False):
            task = job.output()
            at = _chronic_at(at_item, chronic)
            syntax = CronTime(item, at_item, at).syntax()
            parts = [to_s(x) for x in (syntax, task) if x is not None]
            out.append(" ".join(parts).strip(" \t\n\v\f\r\0"))
    return out


def _chronic_at(at_item: Value, chronic: ChronicFn) -> Value:
    if isinstance(at_item, str):
        parsed = chronic(at_item)
        return parsed if parsed is not None else 0
    if isinstance(at_item, Unknown):
        raise Unresolved(f"at: `{shown(at_item)}`: {at_item.reason}")
    return at_item if at_item is not None else 0
