"""Crontab text -> jobs, env settings and diagnostics, with every line accounted for.

`parse_crontab` is a pure function of the text (no files, clock or environment). cronie is
the reference; the line rules, in the order cronie applies them (user.c `load_user`):

* A line whose first non-blank character is `#` is a comment (misc.c `skip_comments`); blank
  lines are blank. A comment that, without its leading `#`s, parses as a job line in the
  file's format is a *disabled* job (`active: False`), except legends such as
  `# *  *  *  *  * user command to be executed`. Commented-out env lines stay comments.
  `# Begin/End Whenever generated tasks for: X` (whenever >= 1.0 may append ` at: <time>`)
  mark the jobs between them with `Source.whenever_block = X`.
* Otherwise cronie first tries the line as an environment setting (env.c `load_env`, see
  `cronie.load_env`); the setting applies to the job lines below it, and `Command.env` holds
  every setting in effect (MAILTO, PATH, SHELL, TZ, CRON_TZ, custom variables).
* Otherwise it is a job line (entry.c `load_entry`, see `cronline`), or an error with cron's
  wording, `path:line[:col]: reason`. The scan goes on.

Zones: a job's schedule is in the host zone (`timezone`, `timezone_from="host"`) unless a
`CRON_TZ=zone` line above it says otherwise (`timezone_from="CRON_TZ"`; an empty CRON_TZ
returns to the host zone, as cron.c `find_jobs` does). `TZ=` only reaches the job's
environment (finding `tz-env`).

Commands follow do_command.c: the first unescaped `%` ends the command, the rest is stdin
(`cronie.split_percent`). CR LF endings are stripped (finding `crlf`: cron would keep the CR).
A last line without a newline is read (finding `no-final-newline`: cronie ignores such a line
and crontab(1) refuses the file, but busybox crond runs it and the job is kept for review).
Findings are listed in `crontab_findings`; format detection in `crontab_format`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from migrate.model import Command, Diagnostic, Finding, Job, Schedule, Source
from migrate.sources.base import EnvSetting, LineKind, LineRecord, ParsedFile
from migrate.sources.crontab import cronie
from migrate.sources.crontab import findings as F
from migrate.sources.crontab.format import (
    COMMAND_NAMES,
    USER_COLUMN_ACCOUNTS,
    CrontabFormat,
    can_be_system_line,
    choose_format,
    format_from_path,
)
from migrate.sources.crontab.line import JobLine, LineError, parse_job_line, single_value_steps

_WHENEVER = re.compile(
    r"#\s*(Begin|End) Whenever generated tasks for: (.*?)(?: at: .*)?\s*$"
)
_LEGEND_COMMAND = re.compile(r"[<\[(]?(?:command|cmd)\b", re.IGNORECASE)
_LEGEND_USERS = frozenset({"user", "username", "user-name", "who", "<user>", "[user]"})
_ENV_REFERENCE = re.compile(r"\$\{?[A-Za-z_]")
_SECOND_ASSIGNMENT = re.compile(r"\s[A-Za-z_][A-Za-z0-9_]*=")
_STRTOL = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+)")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    # What cron reads of the line: `written` up to its first NUL byte, unless a comment.
    # misc.c `get_string` stops at any character of its terminator string, and
    # `strchr(terms, '\0')` finds the string's own terminator: a NUL ends the field, env
    # line or command being read (entry.c `load_entry`, env.c `load_env`).
    text: str
    crlf: bool
    unterminated: bool  # last line of a text that does not end with a newline
    written: str  # without the newline and without a trailing CR of a CR LF ending

    @property
    def nul(self) -> int | None:
        """0-based column of the first NUL byte, or None."""
        return len(self.text) if len(self.text) != len(self.written) else None

    @property
    def start(self) -> int:
        return cronie.skip_blanks(self.text, 0)

    @property
    def body(self) -> str:
        return self.text[self.start :]


def split_lines(text: str) -> list[_Line]:
    """Lines as cron reads them: only `\\n` ends a line (not `\\r`, `\\f`, U+2028 ...)."""
    if not text:
        return []
    parts = text.split("\n")
    unterminated = parts[-1] != ""
    if not unterminated:
        parts.pop()
    lines = []
    for i, part in enumerate(parts):
        crlf = part.endswith("\r")
        last = unterminated and i == len(parts) - 1
        written = part[:-1] if crlf else part
        # misc.c `skip_comments` reads a comment to its newline, NULs and all.
        comment = written.lstrip(cronie.BLANKS).startswith("#")
        read = written.partition("\0")[0] if "\0" in written and not comment else written
        lines.append(_Line(i + 1, read, crlf, last, written))
    return lines


def parse_crontab(
    text: str,
    path: str,
    *,
    fmt: CrontabFormat | None,
    timezone: str,
    host: str | None = None,
    user: str | None = None,
) -> ParsedFile:
    """Read a crontab. `fmt` None detects the format (see `crontab_format`); `timezone` is
    the host's zone; `user` is the crontab's owner for user crontabs (the spool file name)."""
    lines = split_lines(text)
    chosen, mismatch = _detect_format(lines, path, fmt)
    reader = _Reader(path, chosen, mismatch, timezone, host, user)
    for line in lines:
        reader.read(line)
    return reader.result


def _detect_format(
    lines: list[_Line], path: str, fmt: CrontabFormat | None
) -> tuple[CrontabFormat, bool]:
    if fmt is not None:
        return fmt, False
    by_path = format_from_path(path)
    if by_path == "user":  # a spool file: `choose_format` needs no evidence
        return "user", False
    active: list[tuple[str | None, str | None]] = []
    disabled: list[tuple[str | None, str | None]] = []
    comments: list[str] = []
    for line in lines:
        body = line.body
        if not body:
            continue
        if body.startswith("#"):
            comments.append(body.lstrip("#"))
            candidate = _uncommented(body)
            if candidate and cronie.load_env(candidate[0]) is None:
                _add_candidate(disabled, candidate[0])
        elif cronie.load_env(body) is None and _add_candidate(active, body) and (
                by_path == "system" and can_be_system_line(active[-1][0],
                                                           active[-1][1] is not None)):
            # A system path stays system once one active line can be a system line
            # (`choose_format`): the rest of a fleet's /etc/cron.d file is not parsed twice.
            return "system", False
    return choose_format(path, None, active or disabled, comments)


def _add_candidate(out: list[tuple[str | None, str | None]], body: str) -> bool:
    """Add the sixth and seventh tokens of a job line to `out`; False: not a job line."""
    try:
        job_line = parse_job_line(body, 0, system=False)
    except LineError:
        return False
    words = [word for word, _ in cronie.blank_tokens(job_line.command, limit=2)] + [None, None]
    out.append((words[0], words[1]))
    return True


def _uncommented(body: str) -> tuple[str, int] | None:
    """The text after the leading `#`s and blanks of a comment, and its offset in `body`."""
    start = cronie.skip_blanks(body, len(body) - len(body.lstrip("#")))
    return (body[start:], start) if start < len(body) else None


@functools.lru_cache(maxsize=256)
def known_zone(name: str) -> bool:
    """An IANA zone name tzdata knows (not the machine-dependent `localtime`)."""
    if name in ("localtime", "posixrules"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@dataclass(slots=True)
class _Reader:
    path: str
    fmt: CrontabFormat
    mismatch: bool
    host_zone: str
    host: str | None
    user: str | None
    env: dict[str, str] = field(default_factory=dict)
    env_findings: dict[str, list[Finding]] = field(default_factory=dict)
    whenever_block: str | None = None
    result: ParsedFile = field(init=False)

    def __post_init__(self) -> None:
        self.result = ParsedFile(
            self.path, "crontab", format=self.fmt, host=self.host, user=self.user,
            timezone=self.host_zone,
        )

    def record(self, line: _Line, kind: LineKind) -> None:
        self.result.records.append(LineRecord(line.number, kind, line.written))

    def read(self, line: _Line) -> None:
        body = line.body
        if not body and line.nul is not None:
            self.error(line, F.nul_reason(line.written, line.nul), line.nul + 1)
        elif not body:
            self.record(line, "blank")
        elif body.startswith("#"):
            self.comment(line, body)
        elif (env := cronie.load_env(body)) is not None:
            self.set_env(line, env)
        else:
            try:
                job_line = parse_job_line(body, line.start, system=self.fmt == "system")
            except LineError as err:
                reason = err.reason
                if line.nul is not None:
                    reason += f" ({F.nul_reason(line.written, line.nul)})"
                self.error(line, reason, err.column)
                return
            self.add_job(line, job_line, active=True)

    def error(self, line: _Line, reason: str, column: int | None) -> None:
        self.record(line, "error")
        self.result.diagnostics.append(Diagnostic(self.path, line.number, reason, column))

    def comment(self, line: _Line, body: str) -> None:
        marker = _WHENEVER.match(body)
        if marker:
            self.whenever_block = marker.group(2) if marker.group(1) == "Begin" else None
            self.record(line, "comment")
            return
        candidate = _uncommented(body)
        if candidate and cronie.load_env(candidate[0]) is None:
            text, offset = candidate
            try:
                job_line = parse_job_line(
                    text, line.start + offset, system=self.fmt == "system"
                )
            except LineError:
                pass
            else:
                if not _is_legend(job_line):
                    self.add_job(line, job_line, active=False)
                    return
        self.record(line, "comment")

    def set_env(self, line: _Line, env: cronie.EnvLine) -> None:
        self.record(line, "env")
        self.result.env.append(EnvSetting(line.number, env.name, env.value))
        self.env[env.name] = env.value
        self.env_findings[env.name] = _env_findings(env)
        if line.nul is not None:
            self.env_findings[env.name].append(F.nul_env(env.name, line.written, line.nul))

    def zone(self) -> tuple[str, str, list[Finding]]:
        value = self.env.get("CRON_TZ", "")
        if not value:
            # cron.c find_jobs: an empty CRON_TZ means the daemon's own zone.
            return self.host_zone, "host", []
        name = value[1:] if value.startswith(":") else value  # glibc: TZ=:Area/City
        if known_zone(name):
            return name, "CRON_TZ", []
        return "UTC", "CRON_TZ", [F.cron_tz_invalid(value)]

    def add_job(self, line: _Line, job_line: JobLine, *, active: bool) -> None:
        self.record(line, "job" if active else "disabled")
        zone, zone_from, findings = self.zone()
        kept, too_long = cronie.max_command(job_line.command)
        shell, stdin = cronie.split_percent(kept)
        findings = _schedule_findings(job_line) + findings
        if too_long is not None:
            findings.append(F.command_too_long(too_long))
        if line.nul is not None:
            findings.append(F.nul_byte(line.written, line.nul))
        if stdin is not None:
            findings.append(F.percent_stdin(shell, stdin))
        findings += self.user_findings(job_line)
        for env_findings in self.env_findings.values():
            findings += env_findings
        if line.crlf:
            findings.append(F.crlf())
        if line.unterminated:
            findings.append(F.no_final_newline())
        if "\ufffd" in line.text:
            findings.append(F.encoding())
        if job_line.no_log:
            findings.append(F.no_log())
        if job_line.mail_on_error:
            findings.append(F.mail_on_error())
        source = Source(
            "crontab", self.path, line.number, line.written, host=self.host,
            user=job_line.user if self.fmt == "system" else self.user,
            whenever_block=self.whenever_block,
        )
        schedule = Schedule(
            cron=job_line.schedule.text, timezone=zone, timezone_from=zone_from,
            parsed=job_line.schedule,
        )
        command = Command(shell=shell, stdin=stdin, env=dict(self.env))
        self.result.jobs.append(
            Job("", "", "", active, [source], schedule, command, findings)
        )

    def user_findings(self, job_line: JobLine) -> list[Finding]:
        findings: list[Finding] = []
        if self.mismatch:
            findings.append(F.format_mismatch(self.path))
        if job_line.user is not None and job_line.user in COMMAND_NAMES:
            findings.append(F.suspicious_user(job_line.user))
        if self.fmt == "user":
            words = job_line.command.split(None, 1)
            if len(words) == 2 and words[0] in USER_COLUMN_ACCOUNTS:
                findings.append(F.user_column(words[0]))
        return findings


def _schedule_findings(job_line: JobLine) -> list[Finding]:
    schedule = job_line.schedule
    findings: list[Finding] = []
    if schedule.reboot:
        findings.append(F.reboot())
    if schedule.random:
        items = [i for t in schedule.text.split(" ") for i in t.split(",") if "~" in i]
        findings.append(F.random_range(", ".join(items)))
    steps = single_value_steps(schedule)
    if steps:
        findings.append(F.single_value_step(", ".join(steps)))
    return findings


def _env_findings(env: cronie.EnvLine) -> list[Finding]:
    name, value = env.name, env.value
    findings: list[Finding] = []
    if name == "TZ":
        findings.append(F.tz_env(value))
    if name == "RANDOM_DELAY":
        # entry.c: strtol(value), valid when 0 <= n <= 24*60; 0 means no delay.
        match = _STRTOL.match(value)
        minutes = int(match.group(1)) if match else 0
        if not 0 <= minutes <= 24 * 60:
            findings.append(F.random_delay(value, None))
        elif minutes:
            findings.append(F.random_delay(value, minutes))
    if _ENV_REFERENCE.search(value):
        findings.append(F.env_not_expanded(name, value))
    if not env.quoted and _SECOND_ASSIGNMENT.search(value):
        findings.append(F.env_value(name, value))
    return findings


def _is_legend(job_line: JobLine) -> bool:
    """`# *  *  *  *  * user command to be executed` and the like are not disabled jobs."""
    if job_line.user is not None and job_line.user.lower() in _LEGEND_USERS:
        return True
    first = job_line.command.split(None, 1)[0].lower() if job_line.command.strip() else ""
    return first in _LEGEND_USERS or _LEGEND_COMMAND.match(job_line.command) is not None
