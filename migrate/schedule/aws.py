"""EventBridge schedule expressions: our own validator, evaluator and compact renderer.

Neither botocore nor moto validates `cron(...)`, so we carry the grammar ourselves
(https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html):

    cron(Minutes Hours Day-of-month Month Day-of-week Year)
    Minutes 0-59 `, - * /`   Hours 0-23 `, - * /`   Day-of-month 1-31 `, - * ? / L W`
    Month 1-12 or JAN-DEC `, - * /`   Day-of-week 1-7 or SUN-SAT `, - * ? L #`
    Year 1970-2199 `, - * /`

Rules enforced (EventBridge rejects the rest; where the documentation is silent we are
stricter than EventBridge, never looser, so everything we accept is deployable):

* exactly one of day-of-month and day-of-week is `?`;
* `L` (last day of month), `nW` (weekday nearest day n), `nL` (last weekday n of the month) and
  `n#k` (k-th weekday n of the month) stand alone in their field: no lists around them
  (AWS: "If you use '#', you can only define one expression in the day-of-week field");
* steps are written `start/step` (`0/15`): `*/15` and `a-b/s` are refused;
* day-of-week takes no `/` step; ranges do not wrap around (`FRI-MON` is rejected);
* `rate(value unit)`: a positive integer, `minute|hour|day` when value is 1, else the plural.

`parse_expression` returns an `AwsCron` (or `AwsRate`) value; `AwsCron.day_mask(calendar)`
and `AwsCron.minute_mask()` evaluate it with numpy, independently of the converter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from migrate.errors import MigrateError
from migrate.schedule.calendar import BoolArray, Calendar, IntArray, lookup
from migrate.schedule.fields import (
    AWS_DAY_OF_WEEK,
    AWS_YEAR,
    DAY_OF_MONTH,
    DOW_NAMES,
    HOUR,
    MINUTE,
    MONTH,
    Field,
)

NAME_MAX = 256  # ScheduleExpression length limit
_ALL_YEARS = AWS_YEAR.values


class AwsExpressionError(MigrateError, ValueError):
    pass


@dataclass(frozen=True, slots=True)
class AwsRate:
    text: str
    value: int
    unit: str  # minute | hour | day

    @property
    def minutes(self) -> int:
        return self.value * {"minute": 1, "hour": 60, "day": 1440}[self.unit]


@dataclass(frozen=True, slots=True)
class AwsCron:
    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int]
    dom: frozenset[int] | None = None  # plain day-of-month values, None for `?`/special
    dom_last: bool = False  # `L`
    dom_weekday: int | None = None  # `nW`
    dow: frozenset[int] | None = None  # plain day-of-week values 1-7 (SUN=1)
    dow_last: int | None = None  # `nL`
    dow_nth: tuple[int, int] | None = None  # `n#k`: (weekday 1-7, k)
    dom_question: bool = False

    def minute_mask(self) -> BoolArray:
        """1440 booleans: which minutes of a UTC day the expression fires at."""
        hours = lookup(self.hours, 24)
        minutes = lookup(self.minutes, 60)
        return np.logical_and.outer(hours, minutes).reshape(1440)

    def day_mask(self, cal: Calendar) -> BoolArray:
        """Which days of `cal` (UTC dates) the expression fires on."""
        ok = lookup(self.months, 13)[cal.month]
        if self.years != _ALL_YEARS:
            ok &= lookup(self.years, AWS_YEAR.high + 1)[np.clip(cal.year, 0, AWS_YEAR.high)]
        if not self.dom_question:
            if self.dom is not None:
                days = lookup(self.dom, 32)[cal.dom]
            elif self.dom_last:
                days = cal.dom == cal.dim
            else:
                assert self.dom_weekday is not None
                days = cal.dom == _nearest_weekday(cal, self.dom_weekday)
        else:
            dow = cal.dow + 1  # AWS numbering
            if self.dow is not None:
                days = lookup(self.dow, 8)[dow]
            elif self.dow_last is not None:
                days = (dow == self.dow_last) & (cal.dom > cal.dim - 7)
            else:
                assert self.dow_nth is not None
                weekday, k = self.dow_nth
                days = (dow == weekday) & ((cal.dom - 1) // 7 == k - 1)
        return ok & days


def _nearest_weekday(cal: Calendar, n: int) -> IntArray:
    """Quartz `nW`: the weekday nearest day n of each date's month, not leaving the month."""
    target = np.minimum(n, cal.dim)
    # weekday of `target` in the same month: shift from the date's own weekday
    wd = (cal.dow + (target - cal.dom)) % 7
    result = target.copy()
    sat, sun = wd == 6, wd == 0
    result = np.where(sat & (target > 1), target - 1, result)
    result = np.where(sat & (target == 1), target + 2, result)
    result = np.where(sun & (target < cal.dim), target + 1, result)
    result = np.where(sun & (target == cal.dim), target - 2, result)
    return result


# ------------------------------------------------------------------------------ parsing

_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$")
_CRON = re.compile(r"^cron\((.*)\)$")


@lru_cache(maxsize=16384)
def parse_expression(text: str) -> AwsCron | AwsRate:
    """Validate and parse a ScheduleExpression; raise AwsExpressionError saying why not.

    Cached (the values are immutable): the converter validates each expression it renders,
    and the verification and the timing analysis then parse the same text again."""
    if len(text) > NAME_MAX:
        raise AwsExpressionError(f"{text[:40]}...: longer than {NAME_MAX} characters")
    m = _RATE.match(text)
    if m:
        value, unit = int(m.group(1)), m.group(2)
        if value < 1:
            raise AwsExpressionError(f"{text}: rate value must be a positive integer")
        if (value == 1) != (not unit.endswith("s")):
            raise AwsExpressionError(
                f"{text}: use '{unit.rstrip('s')}' for 1 and '{unit.rstrip('s')}s' otherwise"
            )
        return AwsRate(text, value, unit.rstrip("s"))
    m = _CRON.match(text)
    if not m:
        raise AwsExpressionError(f"{text!r}: expected cron(...) or rate(...)")
    parts = m.group(1).split(" ")
    if len(parts) != 6 or "" in parts:
        raise AwsExpressionError(
            f"{text}: expected 6 fields separated by single spaces, "
            f"found {len(m.group(1).split())}"
        )
    mi, hr, dom, mon, dow, yr = parts
    try:
        minutes = _minutes(mi)
        hours = _hours(hr)
        months = _months(mon)
        years = _years(yr)
        if (dom == "?") == (dow == "?"):
            raise AwsExpressionError(
                "exactly one of day-of-month and day-of-week must be '?'"
            )
        # One AwsCron built once (no dataclasses.replace: the converter validates every
        # expression it renders, so this is on the per-schedule path).
        if dom == "?":
            plain_dow, dow_last, dow_nth = _dow_parts(dow)
            return AwsCron(text, minutes, hours, months, years, None, False, None, plain_dow,
                           dow_last, dow_nth, True)
        plain_dom, dom_last, dom_weekday = _dom_parts(dom)
        return AwsCron(text, minutes, hours, months, years, plain_dom, dom_last, dom_weekday)
    except AwsExpressionError as exc:
        raise AwsExpressionError(f"{text}: {exc}") from None


def is_valid(text: str) -> bool:
    try:
        parse_expression(text)
    except AwsExpressionError:
        return False
    return True


def _bad(field: Field, why: str) -> AwsExpressionError:
    return AwsExpressionError(f"bad {field.name}: {why}")


def _value(field: Field, token: str) -> int:
    v = field.value_of(token)
    if v is None:
        raise _bad(field, f"{token!r} is not a value of {field.low}-{field.high}")
    if not field.low <= v <= field.high:
        raise _bad(field, f"{v} is out of range {field.low}-{field.high}")
    return v


def _plain(field: Field, text: str, steps: bool = True) -> frozenset[int]:
    """The values of a field without `L`/`W`/`#`."""
    values: set[int] = set()
    for item in text.split(","):
        base, slash, step_text = item.partition("/")
        step = 1
        if slash:
            if not steps:
                raise _bad(field, f"no '/' step allowed in {item!r}")
            # AWS documents steps as `start/step` (`0/15`); `*/15` and `a-b/s` are not
            # documented, and reports say `*/n` is refused: we never accept them.
            if base == "*":
                raise _bad(field, f"{item!r}: write the step as 'start/step' (e.g. 0/5)")
            if "-" in base:
                raise _bad(field, f"{item!r}: a step needs a single start value")
            if not step_text.isdigit() or int(step_text) == 0:
                raise _bad(field, f"step in {item!r} must be a positive number")
            step = int(step_text)
        if base == "*":
            lo, hi = field.low, field.high
        else:
            a, dash, b = base.partition("-")
            lo = _value(field, a)
            hi = _value(field, b) if dash else (field.high if slash else lo)
            if lo > hi:
                raise _bad(field, f"range {item!r} runs backwards")
        values.update(range(lo, hi + 1, step))
    return frozenset(values)


# One cache per field, keyed by the text alone (hashing the Field would cost more than the
# lookup): expressions share one frozenset per field text (e.g. the 230 years of `*`), and
# distinct schedules' expressions share most field texts.
_minutes = lru_cache(maxsize=4096)(partial(_plain, MINUTE))
_hours = lru_cache(maxsize=4096)(partial(_plain, HOUR))
_months = lru_cache(maxsize=1024)(partial(_plain, MONTH))
_years = lru_cache(maxsize=256)(partial(_plain, AWS_YEAR))

_DOM_WEEKDAY = re.compile(r"(\d{1,2})W")
_DOW_LAST = re.compile(r"([1-7])L")
_DOW_NTH = re.compile(r"([1-7])#([1-5])")


@lru_cache(maxsize=2048)
def _dom_parts(text: str) -> tuple[frozenset[int] | None, bool, int | None]:
    """Day-of-month as (plain values, `L`, `nW` day): exactly one is set."""
    if text == "L":
        return None, True, None
    m = _DOM_WEEKDAY.fullmatch(text)
    if m:
        return None, False, _value(DAY_OF_MONTH, m.group(1))
    if any(c in text for c in "LW#?"):
        raise _bad(DAY_OF_MONTH, f"{text!r}: 'L' and 'nW' must stand alone")
    return _plain(DAY_OF_MONTH, text), False, None


@lru_cache(maxsize=512)
def _dow_parts(text: str) -> tuple[frozenset[int] | None, int | None, tuple[int, int] | None]:
    """Day-of-week as (plain values, `nL` weekday, `n#k`): exactly one is set."""
    m = _DOW_LAST.fullmatch(text)
    if m:
        return None, int(m.group(1)), None
    m = _DOW_NTH.fullmatch(text)
    if m:
        return None, None, (int(m.group(1)), int(m.group(2)))
    if any(c in text for c in "L#?"):
        raise _bad(AWS_DAY_OF_WEEK, f"{text!r}: 'nL' and 'n#k' must stand alone (n 1-7, k 1-5)")
    return _plain(AWS_DAY_OF_WEEK, text, steps=False), None, None


# ------------------------------------------------------------------------------ rendering


def render_set(values: Iterable[int], field: Field, *, steps: bool = True) -> str:
    """Compact, exact rendering of a value set: `*`, `a/s`, ranges, lists; DOW as names.

    Cached per (set, field): distinct schedules still share most field sets (a converter
    renders the same minute, hour and month sets over and over)."""
    frozen = values if type(values) is frozenset else frozenset(values)
    return _render_frozen(frozen, field, steps)


@lru_cache(maxsize=8192)
def _render_frozen(values: frozenset[int], field: Field, steps: bool) -> str:
    vals = sorted(values)
    if not vals:
        raise ValueError(f"empty {field.name} set")
    if vals == list(range(field.low, field.high + 1)):
        return "*"

    def name(v: int) -> str:
        if field is AWS_DAY_OF_WEEK:
            return DOW_NAMES[v - 1]
        return str(v)

    if steps and len(vals) >= 3:
        step = vals[1] - vals[0]
        if (
            step > 1
            and vals[-1] + step > field.high
            and vals == list(range(vals[0], vals[-1] + 1, step))  # every gap is `step`
        ):
            return f"{vals[0]}/{step}"
    parts: list[str] = []
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{name(vals[i])}-{name(vals[j])}")
        else:
            parts.extend(name(v) for v in vals[i : j + 1])
        i = j + 1
    return ",".join(parts)
