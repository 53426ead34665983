"""APScheduler 3.x `CronTrigger` fields, read with APScheduler's own semantics.

Reproduced from apscheduler/triggers/cron (3.x) and tested against APScheduler itself
(tests/sources/python/test_aps_fields.py):

* fields are `year month day week day_of_week hour minute second`; a field given as `None`
  is not given;
* **defaults depend on what is given** (quirk: `apscheduler_defaults`): fields more
  significant than the least significant given field default to `*`, the ones after it to
  their minimum (`CronTrigger(hour=5)` is minute 0, second 0; `day_of_week="mon"` is 00:00:00);
  with no field at all, every field is `*` and the trigger fires every second;
* **day_of_week counts from Monday = 0** (`0-6` or `mon,tue,...,sun`), also in
  `CronTrigger.from_crontab`, where `0` is Monday, not cron's Sunday (quirk:
  `apscheduler_monday_zero`; fixed only in APScheduler 4);
* a value is `str(value)` split on commas (blanks around them allowed); each item is `*`,
  `*/S`, `N`, `N-M`, `N/S`, `N-M/S`; names (`mon-fri`, `jan-mar`) in day_of_week and month,
  matched by prefix (`"mon-fri/2"` is `mon-fri`); a backwards range is rejected; a step larger
  than its range is rejected;
* day also accepts `last`, `last fri` and `1st`..`5th` weekday positions; week (ISO week) and
  year restrict too. Cron cannot express these: they are returned as `unsupported`.
* all fields combine with AND (day and day_of_week both restrict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migrate.errors import MigrateError

FIELD_NAMES = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
LOW = {"year": 1970, "month": 1, "day": 1, "week": 1, "day_of_week": 0, "hour": 0,
       "minute": 0, "second": 0}
HIGH = {"year": 9999, "month": 12, "day": 31, "week": 53, "day_of_week": 6, "hour": 23,
        "minute": 59, "second": 59}
DEFAULTS = {"year": "*", "month": "1", "day": "1", "week": "*", "day_of_week": "*",
            "hour": "0", "minute": "0", "second": "0"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_SEPARATOR = re.compile(" *, *")
_ALL = re.compile(r"\*(?:/(?P<step>\d+))?$")
_RANGE = re.compile(r"(?P<first>\d+)(?:-(?P<last>\d+))?(?:/(?P<step>\d+))?$")
_NAMES = re.compile(r"(?P<first>[a-z]+)(?:-(?P<last>[a-z]+))?", re.IGNORECASE)
_POSITION = re.compile(r"(?P<option>1st|2nd|3rd|4th|5th|last) +(?P<weekday>(?:\d+|\w+))",
                       re.IGNORECASE)
_LAST = re.compile(r"last", re.IGNORECASE)


class ApsFieldError(MigrateError, ValueError):
    """A value APScheduler rejects when the trigger is built."""


@dataclass(slots=True)
class ApsField:
    name: str
    text: str  # the expression as APScheduler sees it (`str(value)`)
    values: set[int] = field(default_factory=set)  # day_of_week: Monday = 0
    unsupported: list[str] = field(default_factory=list)  # items cron cannot express
    is_default: bool = False

    @property
    def is_star(self) -> bool:
        return self.text.strip() == "*"


def effective_fields(given: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """Every field's expression and whether it is a default, as `CronTrigger.__init__` fills
    them: `*` before the least significant given field, the minimum after it."""
    out: dict[str, tuple[str, bool]] = {}
    remaining = dict(given)
    fill_minimum = False
    for name in FIELD_NAMES:
        if name in remaining:
            out[name] = (remaining.pop(name), False)
            fill_minimum = not remaining
        elif fill_minimum:
            out[name] = (DEFAULTS[name], True)
        else:
            out[name] = ("*", True)
    return out


def parse_field(name: str, text: str, is_default: bool = False) -> ApsField:
    result = ApsField(name, text, is_default=is_default)
    for item in _SEPARATOR.split(text.strip()):
        _item(result, item)
    return result


def _item(result: ApsField, item: str) -> None:
    name = result.name
    low, high = LOW[name], HIGH[name]
    m = _ALL.match(item)
    if m:
        step = _step(m.group("step"), high - low, item, name)
        result.values.update(range(low, high + 1, step))
        return
    m = _RANGE.match(item)
    if m:
        first = int(m.group("first"))
        last = None if m.group("last") is None else int(m.group("last"))
        step_text = m.group("step")
        if last is None and step_text is None:
            last = first
        _check_range(first, last, name, item)
        span = (last or high) - first  # APScheduler's `self.last or MAX`
        step = _step(step_text, span, item, name)
        result.values.update(range(max(first, low), (high if last is None else last) + 1,
                                   step))
        return
    if name in ("day_of_week", "month"):
        m = _NAMES.match(item)
        if m:
            names = WEEKDAYS if name == "day_of_week" else MONTHS
            base = 0 if name == "day_of_week" else 1
            first = _name_index(m.group("first"), names, name) + base
            last_name = m.group("last")
            last = first if not last_name else _name_index(last_name, names, name) + base
            _check_range(first, last, name, item)
            result.values.update(range(first, last + 1))
            return
    if name == "day":
        m = _POSITION.match(item)
        if m:
            _name_index(m.group("weekday"), WEEKDAYS, "day_of_week")
            result.unsupported.append(item)
            return
        if _LAST.match(item):
            result.unsupported.append(item)
            return
    raise ApsFieldError(f'unrecognized expression "{item}" for field "{name}"')


def _step(text: str | None, span: int, item: str, name: str) -> int:
    if text is None:
        return 1
    step = int(text)
    if step == 0:
        raise ApsFieldError(f"{name}: step 0 in {item!r}")
    if step > span:
        raise ApsFieldError(f"{name}: the step in {item!r} is larger than its range ({span})")
    return step


def _check_range(first: int, last: int | None, name: str, item: str) -> None:
    if last is not None and first > last:
        raise ApsFieldError(f"{name}: range {item!r} runs backwards")
    if first < LOW[name]:
        raise ApsFieldError(f"{name}: {first} is below {LOW[name]}")
    if last is not None and last > HIGH[name]:
        raise ApsFieldError(f"{name}: {last} is above {HIGH[name]}")


def _name_index(text: str, names: tuple[str, ...], name: str) -> int:
    try:
        return names.index(text.lower())
    except ValueError:
        raise ApsFieldError(f"{name}: {text!r} is not a name APScheduler knows") from None


def cron_weekday(aps_weekday: int) -> int:
    """APScheduler's Monday = 0 to cron's Sunday = 0."""
    return (aps_weekday + 1) % 7
