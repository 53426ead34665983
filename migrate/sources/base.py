"""What every source reader returns: a `ParsedFile` that accounts for every input line.

Shared by all source kinds (crontab, whenever, Python schedulers). Values only.

The accounting rule (issue 2, "Every line is accounted for"): each line 1..N of an input file
gets exactly one `LineRecord` whose `kind` says what became of it:

* `job`      - an active job (one `Job` in `ParsedFile.jobs` has `source.line` == this line);
* `disabled` - a commented-out line that parses as a job (a `Job` with `active=False`);
* `env`      - an environment setting (`NAME=value`), also listed in `ParsedFile.env`;
* `comment`  - a comment, or text that is not a job (Debian legend, prose);
* `blank`    - empty or only blanks;
* `error`    - a line cron would reject; `ParsedFile.diagnostics` says why (`path:line: reason`).

Diagnostics with `line == 0` concern the file as a whole (unreadable, binary); such a file has
no records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from migrate.model import Diagnostic, Job

if TYPE_CHECKING:
    from migrate.sources.crontab.format import CrontabFormat

LineKind = Literal["job", "disabled", "env", "comment", "blank", "error"]
LINE_KINDS: tuple[LineKind, ...] = ("job", "disabled", "env", "comment", "blank", "error")


@dataclass(frozen=True, slots=True)
class LineRecord:
    """What became of one input line (1-based `line`); `text` is the line as written."""

    line: int
    kind: LineKind
    text: str


@dataclass(frozen=True, slots=True)
class EnvSetting:
    """One environment line: the variable as cron sets it, from `line` on."""

    line: int
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class LineCounts:
    """Line accounting, addable across files for the scan's one summary line."""

    lines: int = 0
    jobs: int = 0  # active and disabled
    disabled: int = 0
    env: int = 0
    comments: int = 0  # comments and blank lines
    errors: int = 0  # diagnostics (line errors and unusable files)
    files: int = 0
    skipped: int = 0  # files not read (backups, non-crontab names)

    def __add__(self, other: LineCounts) -> LineCounts:
        return LineCounts(
            self.lines + other.lines,
            self.jobs + other.jobs,
            self.disabled + other.disabled,
            self.env + other.env,
            self.comments + other.comments,
            self.errors + other.errors,
            self.files + other.files,
            self.skipped + other.skipped,
        )

    def summary(self) -> str:
        """`412 lines: 57 jobs (6 disabled), 9 env, 301 comments/blank, 2 errors`."""
        text = (
            f"{_plural(self.lines, 'line')}: {_plural(self.jobs, 'job')} "
            f"({self.disabled} disabled), "
            f"{self.env} env, {self.comments} comments/blank, {_plural(self.errors, 'error')}"
        )
        if self.skipped:
            text += f"; {_plural(self.skipped, 'file')} skipped"
        return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(slots=True)
class ParsedFile:
    """One input file read by a source: its jobs, env settings, diagnostics and records.

    `kind` names the source (`crontab`, `whenever`, ...). `format` is the crontab format the
    file was read in (`user` / `system`), None for other kinds. `skipped` is set (and nothing
    else) when a reader decided not to read the file, with the reason.
    """

    path: str
    kind: str
    jobs: list[Job] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    records: list[LineRecord] = field(default_factory=list)
    env: list[EnvSetting] = field(default_factory=list)
    format: str | None = None
    host: str | None = None
    user: str | None = None
    timezone: str | None = None
    timezone_from: str | None = None  # where `timezone` came from (`host:/etc/localtime`)
    skipped: str | None = None
    # Lines deliberately not made into jobs, as `path:line: reason` (a whenever job that
    # `--roles` leaves out of this server's crontab); listed with the catalog's `skipped`.
    left_out: list[str] = field(default_factory=list)

    def counts(self) -> LineCounts:
        by_kind = dict.fromkeys(LINE_KINDS, 0)
        for record in self.records:
            by_kind[record.kind] += 1
        return LineCounts(
            lines=len(self.records),
            jobs=by_kind["job"] + by_kind["disabled"],
            disabled=by_kind["disabled"],
            env=by_kind["env"],
            comments=by_kind["comment"] + by_kind["blank"],
            errors=len(self.diagnostics),
            files=0 if self.skipped else 1,
            skipped=1 if self.skipped else 0,
        )

    def summary(self) -> str:
        return self.counts().summary()


def total_counts(files: Iterable[ParsedFile]) -> LineCounts:
    total = LineCounts()
    for parsed in files:
        total = total + parsed.counts()
    return total


def summarize(files: Iterable[ParsedFile]) -> str:
    """The scan's one summary line over all files read, with the zones they were read in:
    `...; zone Asia/Tokyo from /etc/localtime` (or `zones: A from X (2 files), ...`)."""
    files = list(files)
    return total_counts(files).summary() + zones_read(files)


def zones_read(files: Iterable[ParsedFile]) -> str:
    by_zone: dict[tuple[str, str], int] = {}
    for parsed in files:
        if parsed.timezone is not None and parsed.timezone_from is not None:
            key = (parsed.timezone, parsed.timezone_from)
            by_zone[key] = by_zone.get(key, 0) + 1
    if not by_zone:
        return ""
    shown = [f"{zone} {_origin_words(origin)}" for zone, origin in by_zone]
    if len(shown) == 1:
        return f"; zone {shown[0]}"
    counted = [f"{text} ({_plural(n, 'file')})"
               for text, n in zip(shown, by_zone.values(), strict=True)]
    more = f", {len(counted) - 5} more" if len(counted) > 5 else ""
    return f"; zones: {', '.join(counted[:5])}{more}"


def _origin_words(origin: str) -> str:
    where = origin.split(":", 1)[1] if ":" in origin else origin
    return "(unknown: no --tz, no host zone file)" if where == "unknown" else f"from {where}"


# A progress callback from the CLI edge: (stage, done so far, total or None). Stages:
# "read" (files read), "convert" (jobs converted and verified), "analyse", "write".
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """Everything a reader needs: the text and what the caller knows about it."""

    path: str  # as shown in diagnostics and catalog sources
    text: str
    fmt: CrontabFormat | None  # crontab format override (crontab reader only)
    timezone: str  # the host's zone (--tz, or the fleet host's /etc/timezone)
    host: str | None = None
    user: str | None = None  # the owner, when the location says (spool file name)
    # whenever's `--set name=value` pairs (whenever reader only), e.g. environment=staging
    settings: tuple[tuple[str, str], ...] = ()
    # whenever's `--roles` (whenever reader only): jobs restricted to other roles are left out
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceReader:
    kind: str
    claims: Callable[[str], bool]
    read: Callable[[ReadRequest], ParsedFile]
