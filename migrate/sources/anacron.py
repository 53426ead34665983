"""`/etc/anacrontab` (cronie's anacron, Debian's anacron) read as jobs, every line accounted.

anacrontab(5): blank lines and `#` comments; environment assignments `NAME=value` (blanks
around `=` allowed; `START_HOURS_RANGE`, `RANDOM_DELAY`, `SHELL`, `PATH`, `MAILTO` ...); and
job lines `period delay job-identifier command`, where `period` is a number of days or
`@daily`, `@weekly`, `@monthly` (`@yearly`/`@annually` too in cronie), `delay` minutes.

anacron does not run at fixed instants: started by cron or a systemd timer (and at boot), it
runs a job once `period` days have passed since its last run, `delay` minutes (plus a random
0..`RANDOM_DELAY`) after it started, and only within `START_HOURS_RANGE`. The catalog shows
the earliest such instant as a cron schedule (hour = start of the range, minute = delay;
weekly on Sunday, monthly on the 1st, other periods every N days of the month) with an
`anacron` finding saying so, and the scan never calls such a job `exact`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migrate.model import Command, Diagnostic, Job, Schedule, Source
from migrate.schedule.cron import CronSyntaxError, parse_cron
from migrate.sources import hostfindings as H
from migrate.sources.base import EnvSetting, LineRecord, ParsedFile, ReadRequest, SourceReader

KIND = "anacron"
_ENV = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_JOB = re.compile(r"^(\S+)\s+(\S+)\s+(\S+)\s+(\S.*?)\s*$")
_HOURS = re.compile(r"^(\d+)-(\d+)$")
_NAMED_PERIODS = {"@daily": 1, "@weekly": 7, "@monthly": 30, "@yearly": 365, "@annually": 365}


@dataclass(frozen=True, slots=True)
class Window:
    """When anacron may start a job: the delay, RANDOM_DELAY and START_HOURS_RANGE."""

    delay: int
    random_delay: int
    hours: tuple[int, int] | None  # START_HOURS_RANGE, e.g. (3, 22)

    def earliest(self) -> tuple[int, int]:
        """(hour, minute) of the earliest start: the range's first hour plus the delay."""
        start = (self.hours[0] if self.hours else 0) * 60 + self.delay
        return divmod(start % (24 * 60), 60)


def schedule_text(period: str, window: Window) -> str | None:
    """The cron schedule of a run's earliest instant, or None for a period we cannot read."""
    hour, minute = window.earliest()
    days = _NAMED_PERIODS.get(period)
    if days is None:
        if not period.isdigit() or int(period) < 1:
            return None
        days = int(period)
    if period == "@monthly":
        return f"{minute} {hour} 1 * *"
    if days >= 365:
        return f"{minute} {hour} 1 1 *"
    if days == 7:
        return f"{minute} {hour} * * 0"
    if days == 1:
        return f"{minute} {hour} * * *"
    return f"{minute} {hour} */{min(days, 31)} * *"


def parse_anacrontab(text: str, path: str, *, timezone: str, host: str | None = None
                     ) -> ParsedFile:
    parsed = ParsedFile(path, KIND, host=host, timezone=timezone)
    env: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            parsed.records.append(LineRecord(number, "blank" if not line else "comment", raw))
            continue
        env_match = _ENV.match(line)
        if env_match:  # a job line starts with its period: digits or `@`
            name, value = env_match.group(1), env_match.group(2).strip("\"'")
            env[name] = value
            parsed.env.append(EnvSetting(number, name, value))
            parsed.records.append(LineRecord(number, "env", raw))
            continue
        job = _job(line, number, raw, path, env, timezone, host)
        if isinstance(job, str):
            parsed.records.append(LineRecord(number, "error", raw))
            parsed.diagnostics.append(Diagnostic(path, number, job))
        else:
            parsed.records.append(LineRecord(number, "job", raw))
            parsed.jobs.append(job)
    return parsed


def window_of(env: dict[str, str], delay: int) -> Window:
    hours_match = _HOURS.match(env.get("START_HOURS_RANGE", "").strip())
    hours = (int(hours_match.group(1)), int(hours_match.group(2))) if hours_match else None
    random_text = env.get("RANDOM_DELAY", "").strip()
    return Window(delay, int(random_text) if random_text.isdigit() else 0, hours)


def _job(line: str, number: int, raw: str, path: str, env: dict[str, str], timezone: str,
         host: str | None) -> Job | str:
    match = _JOB.match(line)
    if match is None:
        return "not an anacrontab line: expected 'period delay job-identifier command'"
    period, delay, ident, command = match.groups()
    if not delay.isdigit():
        return f"bad delay: {delay!r} is not a number of minutes"
    if "/" in ident:
        return f"bad job identifier: {ident!r} (anacron forbids '/')"
    window = window_of(env, int(delay))
    text = schedule_text(period, window)
    if text is None:
        return f"bad period: {period!r} (expected days or @daily, @weekly, @monthly)"
    try:
        parsed = parse_cron(text)
    except CronSyntaxError as err:  # pragma: no cover - schedule_text writes valid fields
        return err.message
    schedule = Schedule(cron=text, timezone=timezone, parsed=parsed)
    source = Source(KIND, path, number, raw, host=host, user="root")
    findings = [H.anacron_window(period, window.delay, window.random_delay, window.hours, text)]
    command_env = {k: v for k, v in env.items() if k not in ("START_HOURS_RANGE", "RANDOM_DELAY")}
    return Job("", "", "", True, [source], schedule, Command(shell=command, env=command_env),
               findings, extra={"anacron_job": ident})


def _read(request: ReadRequest) -> ParsedFile:
    return parse_anacrontab(request.text, request.path, timezone=request.timezone,
                            host=request.host)


def claims(path: str) -> bool:
    return path.replace("\\", "/").rsplit("/", 1)[-1] == "anacrontab"


ANACRONTAB = SourceReader(KIND, claims, _read)
