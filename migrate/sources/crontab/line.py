"""One crontab job line, as cronie's entry.c `load_entry` reads it.

`parse_job_line` takes the line after its leading blanks and returns a `JobLine` or raises
`LineError` with cron's wording (`bad hour: 30 is out of range 0-23`) and a 1-based column.
The five time fields (and macros) are parsed by `migrate.schedule.cron`; this module adds what
`load_entry` does around them:

* a leading `-` (cronie): do not syslog the runs (`no_log`);
* `@` macros are lower case only (`strcmp`); `@Daily` is a bad time specifier;
* a sixth token that starts with `*` is rejected ("catch a common typo": six time fields);
* system format: the next token is the user; a user name is required and so is a command;
* cronie >= 1.6 options before the command: `-n` (mail only on error), any other `-x` is a
  bad option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migrate.errors import MigrateError
from migrate.schedule.cron import (
    MACROS,
    REBOOT,
    CronSchedule,
    CronSyntaxError,
    parse_fields,
    parse_macro,
)
from migrate.schedule.fields import CRON_FIELDS
from migrate.sources.crontab import cronie
from migrate.sources.crontab.format import plausible_user


class LineError(MigrateError, ValueError):
    """A line cron would reject; `column` is 1-based within the line body's original line."""

    def __init__(self, reason: str, column: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


@dataclass(frozen=True, slots=True)
class JobLine:
    schedule: CronSchedule
    user: str | None  # system format: the user column
    command: str  # as cron stores it: the rest of the line, before `%` handling
    no_log: bool = False
    mail_on_error: bool = False


_SINGLE_VALUE_STEP = re.compile(r"^[0-9A-Za-z]+/")


def parse_job_line(body: str, offset: int, *, system: bool) -> JobLine:
    """Parse `body` (a line minus its `offset` leading characters) as a job line."""
    no_log = False
    if body.startswith("-"):
        # entry.c: '-' as the first character disables syslog of the runs (cronie).
        no_log = True
        body = body[1:]
        offset += 1
        if not body:
            raise LineError("bad minute: nothing follows the '-' prefix", offset + 1)
        if body[0] in cronie.BLANKS:
            raise LineError("bad minute: a blank follows the '-' prefix", offset + 1)
    tokens = cronie.blank_tokens(body, limit=7)  # five fields, user, command start
    if body.startswith("@"):
        schedule = _macro(tokens[0][0], offset + 1)
        used = 1
    else:
        schedule = _fields([t for t, _ in tokens[:5]], tokens, offset)
        used = 5
    if len(tokens) <= used:
        raise LineError("bad command: missing command", offset + len(body) + 1)
    nxt, start = tokens[used]
    if nxt.startswith("*"):
        raise LineError(
            f"bad command: {nxt!r} after the time fields looks like a sixth time field",
            offset + start + 1,
        )
    user: str | None = None
    if system:
        user = nxt
        if not plausible_user(user):
            raise LineError(f"bad username: {user!r} is not a user name", offset + start + 1)
        if len(tokens) <= used + 1:
            raise LineError(
                f"bad command: missing command after user {user!r}", offset + len(body) + 1
            )
        start = tokens[used + 1][1]
    command, mail_on_error = _options(body, start, offset)
    return JobLine(schedule, user, command, no_log=no_log, mail_on_error=mail_on_error)


def _macro(word: str, column: int) -> CronSchedule:
    # entry.c compares the macro with strcmp: lower case only.
    if word.lower() != word and word.lower() in (*MACROS, REBOOT):
        raise LineError(
            f"bad time specifier: {word!r} (cron macros are lower case)", column
        )
    try:
        return parse_macro(word)
    except CronSyntaxError as err:
        raise LineError(err.message, column) from None


def _fields(fields: list[str], tokens: list[tuple[str, int]], offset: int) -> CronSchedule:
    # Pad missing fields with `*` so the first bad field is reported, left to right, as
    # cronie's get_list does; a missing field is reported after the present ones.
    padded = fields + ["*"] * (5 - len(fields))
    try:
        schedule = parse_fields(padded)
    except CronSyntaxError as err:
        index = err.field if err.field is not None else 0
        column = offset + tokens[index][1] + 1 if index < len(tokens) else None
        raise LineError(err.message, column) from None
    if len(fields) < 5:
        name = CRON_FIELDS[len(fields)].name
        raise LineError(
            f"bad {name}: missing (the line has {len(fields)} of 5 time fields)",
            offset + (tokens[-1][1] + len(tokens[-1][0]) if tokens else 0) + 1,
        )
    return schedule


def _options(body: str, start: int, offset: int) -> tuple[str, bool]:
    """entry.c (cronie >= 1.6): `-n` before the command; other `-x` is a bad option."""
    mail_on_error = False
    while start < len(body) and body[start] == "-":
        option = body[start + 1 : start + 2]
        if option != "n" or mail_on_error:
            raise LineError(
                f"bad option: {body[start:start + 2]!r} before the command (cronie knows -n)",
                offset + start + 1,
            )
        mail_on_error = True
        after = start + 2
        if after >= len(body) or body[after] not in cronie.BLANKS:
            raise LineError("bad option: '-n' must be followed by a blank", offset + after + 1)
        start = cronie.skip_blanks(body, after)
        if start >= len(body):
            raise LineError("bad command: missing command after -n", offset + start + 1)
    return body[start:], mail_on_error


def single_value_steps(schedule: CronSchedule) -> list[str]:
    """Items like `5/15` (a step on a single value) in the time fields as written."""
    if schedule.text.startswith("@") or "/" not in schedule.text:  # (no step at all)
        return []
    found: list[str] = []
    for token in schedule.text.split(" "):
        for item in token.split(","):
            if _SINGLE_VALUE_STEP.match(item) and "-" not in item.partition("/")[0]:
                found.append(item)
    return found
