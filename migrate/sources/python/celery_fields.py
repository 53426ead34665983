"""Celery's `crontab(...)` fields, read with Celery's own semantics (celery.schedules).

Celery does not use cron's grammar; what it accepts and what it means differ in ways that
change fire times, so each is reproduced here and tested against Celery itself
(tests/sources/python/test_celery_fields.py runs Celery's `crontab` on the same input):

* positional order is `crontab(minute, hour, day_of_week, day_of_month, month_of_year)`,
  not cron's order; `crontab.from_string("m h dom mon dow")` splits on single spaces;
* a field is an int, a string, or any iterable of ints (a set, list, `range(...)`);
* day_of_week is 0-6 with Sunday = 0; **7 is rejected** (cron accepts 7 as Sunday);
* a range that runs backwards wraps around (`hour="22-2"` is 22,23,0,1,2; `"fri-mon"`);
  cron rejects it (quirk: `celery_range_wraps`);
* names are tried as months first, then weekdays, in *every* field, on their first three
  letters (`day_of_week="mar"` is 3, Wednesday; `"monday"` is 1)
  (quirk: `celery_month_names_first`);
* a step needs a range or `*` (`"5/15"` is rejected, cron reads it as 5-59/15);
* each part is matched by prefix, so text after a recognised range is ignored
  (`"1-5-7"` is 1-5) (quirk: `celery_prefix_match`);
* the day fields and the month combine with AND: a day must be in day_of_month *and* in
  day_of_week (cron ORs them when both are restricted);
* Celery raises at start-up when no day_of_month exists in any month_of_year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migrate.errors import MigrateError
from migrate.sources.python.values import Dict, NotPlain, Seq, plain

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February of a leap year

_RANGE_STEP = re.compile(r"(\w+?)-(\w+)/(\w+)?")
_RANGE = re.compile(r"(\w+?)-(\w+)")
_STAR_STEP = re.compile(r"\*/(\w+)?")
_STAR = re.compile(r"^\*$")


class CeleryFieldError(MigrateError, ValueError):
    """A value Celery rejects when the schedule is built (beat fails to start)."""


@dataclass(frozen=True, slots=True)
class CeleryField:
    name: str  # Celery's keyword: minute, hour, day_of_week, day_of_month, month_of_year
    size: int  # Celery's `max_`
    low: int  # Celery's `min_`

    @property
    def high(self) -> int:
        return self.low + self.size - 1


MINUTE = CeleryField("minute", 60, 0)
HOUR = CeleryField("hour", 24, 0)
DAY_OF_WEEK = CeleryField("day_of_week", 7, 0)
DAY_OF_MONTH = CeleryField("day_of_month", 31, 1)
MONTH_OF_YEAR = CeleryField("month_of_year", 12, 1)
# `crontab(minute, hour, day_of_week, day_of_month, month_of_year)`: Celery's positional order.
POSITIONAL = (MINUTE, HOUR, DAY_OF_WEEK, DAY_OF_MONTH, MONTH_OF_YEAR)
BY_NAME = {f.name: f for f in POSITIONAL}


def field_values(spec: Any, field: CeleryField) -> frozenset[int]:
    """The set a Celery crontab field expands to; `CeleryFieldError` if Celery rejects it.

    `spec` is an evaluated value (int, str, or a `Seq` of ints as the evaluator returns it).
    """
    if isinstance(spec, Seq | Dict):
        try:
            spec = plain(spec)
        except NotPlain as exc:
            raise CeleryFieldError(exc.unresolved.reason) from None
    if isinstance(spec, int):  # bool too, as in Celery (`True` is 1)
        values = {int(spec)}
    elif isinstance(spec, str):
        values = parse_spec(spec, field)
    elif isinstance(spec, Iterable) and not isinstance(spec, bytes):
        items = list(spec)
        if not all(isinstance(v, int) for v in items):
            raise CeleryFieldError(f"{field.name}: a collection of values that are not all "
                                   "integers")
        values = {int(v) for v in items}
    else:
        raise CeleryFieldError(f"{field.name}: {type(spec).__name__} is not an int, a string "
                               "or a collection of ints")
    for value in values:
        if not field.low <= value <= field.high:
            raise CeleryFieldError(
                f"{field.name}: {value} is out of range {field.low}-{field.high}"
            )
    return frozenset(values)


def parse_spec(spec: str, field: CeleryField) -> set[int]:
    values: set[int] = set()
    for part in spec.split(","):
        if not part:
            raise CeleryFieldError(f"{field.name}: empty part in {spec!r}")
        values.update(_part(part, field))
    return values


def _part(part: str, field: CeleryField) -> list[int]:
    m = _RANGE_STEP.match(part)
    if m:
        first, last, step = m.groups()
        if not step:
            raise CeleryFieldError(f"{field.name}: empty step in {part!r}")
        return _stepped(_range(first, last, field), step, part, field)
    m = _RANGE.match(part)
    if m:
        return _range(m.group(1), m.group(2), field)
    m = _STAR_STEP.match(part)
    if m:
        if not m.group(1):
            raise CeleryFieldError(f"{field.name}: empty step in {part!r}")
        return _stepped(list(range(field.low, field.high + 1)), m.group(1), part, field)
    if _STAR.match(part):
        return list(range(field.low, field.high + 1))
    return [_number(part, field)]


def _stepped(values: list[int], step_text: str, part: str, field: CeleryField) -> list[int]:
    try:
        step = int(step_text)
    except ValueError:
        raise CeleryFieldError(f"{field.name}: step {step_text!r} in {part!r} is not a "
                               "number") from None
    if step == 0:
        raise CeleryFieldError(f"{field.name}: step 0 in {part!r}")
    return values[::step]


def _range(first_text: str, last_text: str, field: CeleryField) -> list[int]:
    first = _number(first_text, field)
    last = _number(last_text, field)
    if last < first:  # Celery wraps a backwards range around the end of the field
        return list(range(first, field.high + 1)) + list(range(field.low, last + 1))
    return list(range(first, last + 1))


def _number(text: str, field: CeleryField) -> int:
    if text.startswith("-"):
        raise CeleryFieldError(f"{field.name}: negative number {text!r}")
    try:
        value = int(text)
    except ValueError:
        abbreviation = text[:3].lower()
        if abbreviation in MONTHS:  # months are tried first, in every field
            value = MONTHS.index(abbreviation) + 1
        elif abbreviation in WEEKDAYS:
            value = WEEKDAYS.index(abbreviation)
        else:
            raise CeleryFieldError(f"{field.name}: {text!r} is not a number, a month or a "
                                   "weekday name") from None
    if value > field.high:
        raise CeleryFieldError(f"{field.name}: {value} is above {field.high}")
    if value < field.low:
        raise CeleryFieldError(f"{field.name}: {value} is below {field.low}")
    return value


def check_days_exist(days: frozenset[int], months: frozenset[int]) -> None:
    """Celery refuses a crontab whose day_of_month never occurs in month_of_year."""
    if not any(day <= DAYS_IN_MONTH[month - 1] for month in months for day in days):
        raise CeleryFieldError(
            "day_of_month never occurs in month_of_year (Celery refuses this crontab)"
        )
