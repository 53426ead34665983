"""The normalised catalog entry: what every source produces and every later step reads.

Values only: nothing here reads files, the clock or the environment.

A `Job` is one scheduled command. Sources (crontab, whenever, ...) build jobs with the
schedule as written (`Schedule.cron`, `Schedule.timezone`); conversion fills in
`Schedule.aws`, `Schedule.exact` and `Schedule.verification`; analyses append `Finding`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from migrate.schedule.cron import CronSchedule

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
Verdict = Literal["exact", "anchored", "not exact"]


@dataclass(frozen=True, slots=True)
class Finding:
    """An expected problem worth a reviewer's attention, with a stable `code`."""

    code: str
    severity: Severity
    message: str
    evidence: str = ""
    recommendation: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A line we could not use, and why. Rendered as `path:line: reason`."""

    path: str
    line: int
    reason: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a job was read from. `text` is the line (or DSL call) as written."""

    kind: str  # crontab | whenever | celery | django-crontab | apscheduler
    path: str
    line: int
    text: str
    host: str | None = None
    user: str | None = None
    # Set for crontab lines inside a `# Begin Whenever generated tasks for: X` block (X).
    whenever_block: str | None = None


@dataclass(frozen=True, slots=True)
class Command:
    """What runs. `shell` is the command line cron hands to the shell (after `%` handling);
    `stdin` is the text cron feeds on standard input (the part after an unescaped `%`);
    `env` is the environment the source sets for the job; `argv` is the container command
    when a source can derive one (e.g. whenever), else None (the ECS step runs `sh -c shell`).
    """

    shell: str
    stdin: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    argv: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    """The verification engine's verdict over `horizon` (start inclusive, end exclusive).

    Counts are fire instants (minutes) compared with multiplicity: `missing` legacy fires
    no AWS expression reproduces, `extra` AWS fires the legacy job never had, `duplicates`
    AWS fires beyond the legacy multiplicity at an instant that also fires in the legacy job.
    """

    horizon: tuple[date, date]
    source_fires: int
    aws_fires: int
    missing: int
    extra: int
    duplicates: int
    examples: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return self.missing == 0 and self.extra == 0 and self.duplicates == 0


@dataclass(frozen=True, slots=True)
class SchedulerTarget:
    """The job as EventBridge Scheduler schedules: `cron(...)` expressions evaluated in
    `timezone` (`ScheduleExpressionTimezone`), plus one-time `at(...)` schedules (local time)
    when the opt-in daylight-saving remedy added them. `exact` only when verified."""

    expressions: tuple[str, ...]
    timezone: str
    exact: bool
    verification: Verification | None
    at: tuple[str, ...] = ()


@dataclass(slots=True)
class Schedule:
    """The schedule as written plus its conversion."""

    cron: str  # as written: five fields or a macro (`@daily`, `@reboot`)
    timezone: str  # IANA name or fixed offset (`+05:30`) the legacy schedule ran in
    # Where the zone came from: "host" (the cron daemon's zone), which the scan qualifies
    # with the file that decided it ("host:/etc/localtime", "host:/etc/timezone",
    # "host:/etc/default/cron", "host:--tz", "host:unknown"); "CRON_TZ" (a CRON_TZ line);
    # "file" (the source file says, e.g. CELERY_TIMEZONE). cronie treats daylight-saving
    # jumps differently for "host" and CRON_TZ jobs: compare `origin_kind(timezone_from)`.
    timezone_from: str = "host"
    aws: tuple[str, ...] = ()  # `cron(...)` expressions in UTC that together reproduce it
    exact: bool = False  # True only when verification proved the legacy instants
    # True when the expressions are proven for an anchor the scan chose because the legacy
    # instants are unknown (an interval counted from when its scheduler started, finding
    # `interval-anchored`): such a job is never `exact`; its verdict is "anchored".
    anchored: bool = False
    verification: Verification | None = None
    scheduler: SchedulerTarget | None = None  # the same job as Scheduler schedules
    # The parsed value, set by sources, so nothing downstream re-parses `cron`.
    # Not written to the catalog (a catalog read back has None).
    parsed: CronSchedule | None = None

    @property
    def verdict(self) -> Verdict:
        """`exact` (proven legacy instants), `anchored` (proven for an anchor we chose; the
        legacy instants are unknown) or `not exact`."""
        if self.exact:
            return "exact"
        return "anchored" if self.anchored else "not exact"


def origin_kind(timezone_from: str) -> str:
    """`host` for every host origin (`host:/etc/localtime` ...), else the value itself."""
    return timezone_from.split(":", 1)[0]


@dataclass(slots=True)
class Job:
    id: str
    name: str
    description: str
    active: bool
    sources: list[Source]
    schedule: Schedule
    command: Command
    findings: list[Finding] = field(default_factory=list)
    # Source-specific extras kept in the catalog verbatim (job_type, task, roles, max_runtime ...).
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def source(self) -> Source:
        return self.sources[0]
