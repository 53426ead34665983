"""Small, faithful ports of the parts of cronie that decide what a crontab line means.

Each function cites the cronie function it reproduces (cronie-crond/cronie, `src/`). They
work on one line at a time (without its newline) and never raise on any input.

* `load_env`: env.c `load_env`, which cronie tries on every line *before* trying a job.
* `split_percent`: do_command.c `child_process`, the `%` rule (command / stdin).
* `blank_tokens`: the fields of a line; cronie separates fields by blanks (space, tab) only
  (misc.c `Skip_Blanks`, `get_string(..., " \\t\\n")`).
* `not_a_crontab`: database.c `not_a_crontab`, the file names crond skips in a directory.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import NamedTuple

BLANKS = " \t"
# C `isspace` in the C locale.
C_SPACE = " \t\n\v\f\r"

_NAMEI, _NAME, _EQ1, _EQ2, _VALUEI, _VALUE, _FINI, _ERROR = range(8)


class EnvLine(NamedTuple):
    name: str
    value: str
    quoted: bool  # the value was written in quotes


# What every environment line starts with: a quote (the machine below decides), or an
# unquoted NAME (no blank, no `=`), blanks, and the `=` without which no state after EQ1
# is reached.
_MAY_BE_ENV = re.compile(r"['\"]|[^ \t\n\v\f\r=]*[ \t\n\v\f\r]*=")


def load_env(text: str) -> EnvLine | None:
    """The variable cron sets for an environment line, or None if it is not one.

    Port of cronie env.c `load_env` (1.7). `text` is the line after its leading blanks (which
    cronie's `skip_comments` has already eaten). The grammar: NAME, optional blanks, `=`,
    optional blanks, VALUE; NAME or VALUE may be wrapped in single or double quotes (no
    escapes); a quoted NAME must not contain `=`; nothing but blanks may follow a quoted
    VALUE; an unquoted VALUE runs to the end of the line, trailing blanks trimmed;
    `NAME=` (nothing after `=`) sets an empty value (cronie >= 1.5 accepts state EQ2).
    """
    if not _MAY_BE_ENV.match(text):  # (most lines: a job line is told in one regex match)
        return None
    name: list[str] = []
    value: list[str] = []
    out = name
    state = _NAMEI
    quote = ""
    quoted_value = False
    i, n = 0, len(text)
    while state != _ERROR and i < n:
        c = text[i]
        if state in (_NAMEI, _VALUEI):
            if c in "'\"":
                quote = c
                quoted_value = state == _VALUEI
                i += 1
            state += 1
            if i >= n:  # C would read past the terminator here; treat as end of line
                break
            c = text[i]
        if state in (_NAME, _VALUE):
            if quote:
                if c == quote:
                    state += 1
                    i += 1
                    continue
                if state == _NAME and c == "=":
                    state = _ERROR
                    continue
            elif state == _NAME:
                if c in C_SPACE:
                    i += 1
                    state += 1
                    continue
                if c == "=":
                    state += 1
                    continue
            out.append(c)
            i += 1
        elif state == _EQ1:
            if c == "=":
                state = _EQ2
                out = value
                quote = ""
            elif c not in C_SPACE:
                state = _ERROR
            i += 1
        else:  # _EQ2, _FINI: skip blanks, then move on (FINI -> ERROR)
            if c in C_SPACE:
                i += 1
            else:
                state += 1
    if state not in (_FINI, _EQ2) and not (state == _VALUE and not quote):
        return None
    result = "".join(value)
    if state == _VALUE:
        result = result.rstrip(C_SPACE)
    return EnvLine("".join(name), result, quoted_value)


def split_percent(command: str) -> tuple[str, str | None]:
    """(command cron runs, text cron feeds on stdin or None), per cronie's `%` rule.

    Port of do_command.c `child_process`: the first unescaped `%` ends the command; in the
    command `\\%` becomes `%` and every other backslash stays. In the rest (the stdin), `\\%`
    becomes `%`, an unescaped `%` becomes a newline, other backslashes stay, and cron adds a
    final newline if the text does not end with one. `cmd%` (nothing after the `%`) gives
    stdin "" (cron writes nothing).

    cronie walks the command a character at a time, a backslash escaping the next one; this
    visits only the `%` signs and the backslash runs before them (a `%` is escaped when an
    odd number of backslashes precede it), so a 2 MB command stays fast.
    """
    if "%" not in command:
        return command, None
    parts: list[str] = []
    pos = 0
    for match in _PERCENT.finditer(command):
        if len(match.group(1)) % 2:  # `\%`: the % overwrites its backslash (`*--p = ch`)
            parts += (command[pos : match.end() - 2], "%")
            pos = match.end()
            continue
        parts.append(command[pos : match.end() - 1])
        return "".join(parts), _stdin_text(command[match.end() :])
    parts.append(command[pos:])
    return "".join(parts), None


_PERCENT = re.compile(r"(\\*)%")
_STDIN_PERCENT = re.compile(r"\\%|%")


def _stdin_text(data: str) -> str:
    """The stdin part: every `\\%` is `%` (its backslash dropped, whatever precedes it),
    every other `%` a newline, other backslashes stay; a final newline is added unless the
    last character that is not a backslash came out as one."""
    out = _STDIN_PERCENT.sub(lambda m: "%" if len(m.group()) == 2 else "\n", data)
    body = out.rstrip("\\")
    return out + "\n" if body and body[-1] != "\n" else out


# macros.h: "max length of internally generated cmd"; entry.c `load_entry` reads the command
# with get_string(cmd, MAX_COMMAND, file, "\n"), which stores at most MAX_COMMAND - 1 bytes
# (one is kept for the NUL) and reads on, discarding the rest, to the end of the line.
MAX_COMMAND = 131072


def max_command(command: str) -> tuple[str, int | None]:
    """(the command as cronie keeps it, its length in bytes when cronie cut it, else None)."""
    if len(command) < (MAX_COMMAND - 1) // 4:  # no UTF-8 text this short is over the limit
        return command, None
    data = command.encode("utf-8", "surrogateescape")
    if len(data) < MAX_COMMAND:
        return command, None
    # A cut inside a multi-byte character leaves a partial one: dropped.
    return data[: MAX_COMMAND - 1].decode("utf-8", "ignore"), len(data)


_TOKEN = re.compile(r"[^ \t]+")


def blank_tokens(text: str, limit: int | None = None) -> list[tuple[str, int]]:
    """The blank-separated tokens of `text` with their 0-based start offsets (the first
    `limit` of them: a job line needs its first seven, not every word of its command)."""
    return [(m.group(), m.start()) for m in islice(_TOKEN.finditer(text), limit)]


def skip_blanks(text: str, start: int) -> int:
    """Index of the first non-blank character at or after `start`."""
    while start < len(text) and text[start] in BLANKS:
        start += 1
    return start


# database.c `not_a_crontab`: names crond skips when it reads a crontab directory.
_CRONIE_SKIPPED_SUFFIXES = ("~", ".rpmsave", ".rpmorig", ".rpmnew")


def not_a_crontab(name: str) -> str | None:
    """Why crond skips a file of this name in a crontab directory, or None."""
    if name.startswith("."):
        return "hidden file (cronie skips names starting with '.')"
    if name.startswith("#"):
        return "editor lock file (cronie skips names starting with '#')"
    for suffix in _CRONIE_SKIPPED_SUFFIXES:
        if name.endswith(suffix):
            return f"backup file (cronie skips names ending with {suffix!r})"
    return None
