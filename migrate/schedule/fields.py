"""Cron fields as values: each knows its range, its names and its error wording.

Two grammars share these definitions:

* the legacy (Vixie cron / cronie) fields of a crontab line: `CRON_FIELDS`;
* the AWS EventBridge fields of `cron(...)`: the same minute, hour, day-of-month and month,
  with `AWS_DAY_OF_WEEK` (1-7 = SUN-SAT) and `AWS_YEAR`.

Only the value sets and names live here; the two grammars are parsed in `cron.py` and
`aws.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DOW_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a cron grammar: `name` is used in error messages ("bad day-of-week")."""

    name: str
    low: int
    high: int
    # Upper-case names mapped to values (e.g. JAN -> 1). Empty when the field has none.
    names: tuple[tuple[str, int], ...] = ()

    @property
    def values(self) -> frozenset[int]:
        return frozenset(range(self.low, self.high + 1))

    def value_of(self, token: str) -> int | None:
        """The value of a number or a (case-insensitive, three-letter) name, else None."""
        if token.isascii() and token.isdigit():  # not "²" or "١": int() rejects those
            return int(token)
        upper = token.upper()
        for name, value in self.names:
            if name == upper:
                return value
        return None


MINUTE = Field("minute", 0, 59)
HOUR = Field("hour", 0, 23)
DAY_OF_MONTH = Field("day-of-month", 1, 31)
MONTH = Field("month", 1, 12, tuple((n, i + 1) for i, n in enumerate(MONTH_NAMES)))
# cron: 0-7, 0 and 7 are both Sunday (cronie "make sundays equivalent").
DAY_OF_WEEK = Field(
    "day-of-week", 0, 7, tuple((n, i) for i, n in enumerate(DOW_NAMES))
)

CRON_FIELDS = (MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK)

# AWS: day-of-week 1-7 = SUN-SAT, and a year field.
AWS_DAY_OF_WEEK = Field(
    "day-of-week", 1, 7, tuple((n, i + 1) for i, n in enumerate(DOW_NAMES))
)
AWS_YEAR = Field("year", 1970, 2199)
