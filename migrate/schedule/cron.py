"""A legacy cron schedule parsed once into a value: one set per field plus the day rule.

The grammar is cronie's (Vixie cron 4.1 lineage), which is what `/etc/crontab`,
`/etc/cron.d/*` and user crontabs on Linux batch servers are read by:

* a field is a comma list of items; an item is `*`, `N`, `N-M`, optionally `/step`;
  cronie >= 1.5.3 also reads a step on a single value (`N/S` means `N-high/S`) and the random
  range `A~B` (a value picked at random in A..B when the crontab is loaded);
* month and day-of-week accept three-letter names in any case (`jan`, `Sun`), also as range
  ends; day-of-week 0 and 7 are both Sunday;
* a range must not run backwards (`5-2` is an error) and a step must not be 0;
* macros `@yearly @annually @monthly @weekly @daily @midnight @hourly @reboot`.

The day rule (cronie `entry.c` / `cron.c`): if the day-of-month or the day-of-week field
*starts with* `*` (so `*/2` counts), a day must match both fields (AND); otherwise it must
match either (OR). The flags are kept exactly as cronie keeps them (`DOM_STAR`, `DOW_STAR`),
and likewise `MIN_STAR`/`HR_STAR`, which decide how cronie treats a job when daylight saving
time moves the clock (see `verify.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from migrate.errors import MigrateError
from migrate.schedule.fields import CRON_FIELDS, DAY_OF_WEEK, Field

MACROS: dict[str, str] = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
REBOOT = "@reboot"


class CronSyntaxError(MigrateError, ValueError):
    """A field that cron would reject. `field` is the 0-based field index (None: the line)."""

    def __init__(self, message: str, field: int | None = None, token: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.token = token


@dataclass(frozen=True, slots=True)
class RandomRange:
    """A cronie `A~B` item: cronie picks one value in low..high when it loads the crontab."""

    field: str
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A parsed legacy schedule. Day-of-week values are 0-6 (Sunday = 0)."""

    text: str  # as written (the five fields joined by single spaces, or the macro)
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    min_star: bool = False
    hour_star: bool = False
    dom_star: bool = False
    dow_star: bool = False
    reboot: bool = False
    # Random items (`~`): the sets above hold the lower bound; see `RandomRange`.
    random: tuple[RandomRange, ...] = ()

    @property
    def day_rule(self) -> str:
        """"and" or "or": how day-of-month and day-of-week combine (cronie's DOM_STAR/DOW_STAR)."""
        return "and" if (self.dom_star or self.dow_star) else "or"

    @property
    def wildcard(self) -> bool:
        """cronie's "wildcard job" (MIN_STAR or HR_STAR), which DST jumps treat differently."""
        return self.min_star or self.hour_star

    @property
    def days_restricted(self) -> bool:
        return len(self.days) < 31

    @property
    def weekdays_restricted(self) -> bool:
        return len(self.weekdays) < 7


def parse_cron(text: str) -> CronSchedule:
    """Parse five whitespace-separated fields or a macro."""
    stripped = text.strip()
    if stripped.startswith("@"):
        return parse_macro(stripped)
    tokens = stripped.split()
    if len(tokens) != 5:
        raise CronSyntaxError(f"expected 5 time fields, found {len(tokens)}")
    return parse_fields(tokens)


def is_cron(text: str) -> bool:
    """Whether `parse_cron` accepts `text`, without building the schedule: it checks the same
    things (a known macro, or five fields each parsed by the same cached `_field_values`),
    and distinct schedules share most field tokens."""
    stripped = text.strip()
    if stripped.startswith("@"):
        low = stripped.lower()
        return low == REBOOT or low in MACROS
    tokens = stripped.split()
    if len(tokens) != 5:
        return False
    try:
        for index, token in enumerate(tokens):
            _field_values(index, token)
    except CronSyntaxError:
        return False
    return True


def parse_macro(word: str) -> CronSchedule:
    low = word.lower()
    if low == REBOOT:
        empty: frozenset[int] = frozenset()
        return CronSchedule(word, empty, empty, empty, empty, empty, reboot=True)
    if low not in MACROS:
        raise CronSyntaxError(
            f"bad time specifier: unknown macro {word!r} (expected one of "
            f"{', '.join([*MACROS, REBOOT])})",
            token=word,
        )
    fields = parse_fields(MACROS[low].split())
    # cronie sets the flags of the expanded macros itself: @weekly/@monthly/@yearly set
    # DOW_STAR (so the day fields AND), @hourly sets HR_STAR; none sets MIN_STAR.
    return CronSchedule(
        word,
        fields.minutes,
        fields.hours,
        fields.days,
        fields.months,
        fields.weekdays,
        min_star=False,
        hour_star=low == "@hourly",
        dom_star=False,
        dow_star=low in ("@weekly", "@monthly", "@yearly", "@annually"),
    )


def parse_fields(tokens: Sequence[str]) -> CronSchedule:
    """Parse the five time fields of a crontab line (already split on blanks)."""
    if len(tokens) != 5:
        raise CronSyntaxError(f"expected 5 time fields, found {len(tokens)}")
    return _parse_fields(tuple(tokens))


# Parses are cached (values are immutable): a crontab's lines are parsed twice (format
# detection, then reading), a fleet repeats schedules, and even a fleet of distinct
# schedules repeats field tokens; a shared frozenset per token also keeps memory small.
@lru_cache(maxsize=8192)
def _parse_fields(tokens: tuple[str, ...]) -> CronSchedule:
    sets: list[frozenset[int]] = []
    randoms: list[RandomRange] = []
    for index, token in enumerate(tokens):
        values, rnd = _field_values(index, token)
        sets.append(values)
        randoms.extend(rnd)
    weekdays = frozenset(v % 7 for v in sets[4])  # 7 is Sunday too
    return CronSchedule(
        " ".join(tokens),
        sets[0],
        sets[1],
        sets[2],
        sets[3],
        weekdays,
        min_star=tokens[0].startswith("*"),
        hour_star=tokens[1].startswith("*"),
        dom_star=tokens[2].startswith("*"),
        dow_star=tokens[4].startswith("*"),
        random=tuple(randoms),
    )


@lru_cache(maxsize=4096)
def _field_values(index: int, token: str) -> tuple[frozenset[int], tuple[RandomRange, ...]]:
    values, randoms = _parse_field(CRON_FIELDS[index], token, index)
    return values, tuple(randoms)


def _parse_field(
    field: Field, token: str, index: int
) -> tuple[frozenset[int], list[RandomRange]]:
    values: set[int] = set()
    randoms: list[RandomRange] = []
    if token == "":
        raise CronSyntaxError(f"bad {field.name}: empty field", index, token)
    for item in token.split(","):
        if "~" in item:
            rnd = _parse_random(field, item, index)
            randoms.append(rnd)
            values.add(rnd.low)
            continue
        values.update(_parse_item(field, item, index))
    return frozenset(values), randoms


def _bad(field: Field, index: int, token: str, why: str) -> CronSyntaxError:
    return CronSyntaxError(f"bad {field.name}: {why}", index, token)


def _number(field: Field, text: str, index: int, item: str) -> int:
    if text == "":
        raise _bad(field, index, item, f"{item!r} is missing a value")
    value = field.value_of(text)
    if value is None:
        expected = f"a number {field.low}-{field.high}"
        if field.names:
            expected += " or a three-letter name"
        raise _bad(field, index, item, f"{text!r} is not {expected}")
    if not field.low <= value <= field.high:
        raise _bad(field, index, item, f"{value} is out of range {field.low}-{field.high}")
    return value


def _parse_item(field: Field, item: str, index: int) -> range:
    base, slash, step_text = item.partition("/")
    step = 1
    if slash:
        if not (step_text.isascii() and step_text.isdigit()):
            raise _bad(field, index, item, f"step {step_text!r} in {item!r} is not a number")
        step = int(step_text)
        if step == 0:
            raise _bad(field, index, item, f"step 0 in {item!r}")
    if base == "*":
        return range(field.low, field.high + 1, step)
    start_text, dash, end_text = base.partition("-")
    start = _number(field, start_text, index, item)
    if dash:
        end = _number(field, end_text, index, item)
        if start > end and end == 0 and field is DAY_OF_WEEK and not slash:
            # cronie entry.c get_range (R_RANGE_NUM2): `if (low_ > high_ && high_ == 0)
            # high_ = 7;` (only without a step) so `FRI-SUN` / `5-0` is Friday to Sunday.
            end = 7
        if start > end:
            raise _bad(field, index, item, f"range {item!r} runs backwards")
    else:
        # cronie >= 1.5.3: a step on a single value runs to the end of the field.
        end = field.high if slash else start
    return range(start, end + 1, step)


def _parse_random(field: Field, item: str, index: int) -> RandomRange:
    if "/" in item or "-" in item:
        raise _bad(field, index, item, f"random range {item!r} cannot have a step or a range")
    low_text, _, high_text = item.partition("~")
    low = _number(field, low_text, index, item) if low_text else field.low
    high = _number(field, high_text, index, item) if high_text else field.high
    if low > high:
        raise _bad(field, index, item, f"random range {item!r} runs backwards")
    return RandomRange(field.name, low, high)
