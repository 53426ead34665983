"""schedule.rb -> `ParsedFile` of catalog jobs, one per line of whenever's crontab.

`parse_schedule` is pure: it emulates `whenever -f` (see `emulate`), reads the crontab it
would install with the crontab reader (so `command.shell` is exactly what a crontab scan
of whenever's output yields), then points each job back at `schedule.rb`: `source.kind`
`whenever`, one source per job call the line came from (whenever combines identical
commands), extras `job_type`, `task`, `roles`, `crontab_line`, and `command.argv` /
`command.env` for the container (`container.py`). Every line of the file is accounted for.

`read_schedule` (used by the source registry) is the I/O edge: it looks at the application
directory the way whenever does (`Gemfile`, `bin/rails`, `script/rails`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from migrate.analysis import codes
from migrate.model import Diagnostic, Finding, Job, Source
from migrate.sources.base import (
    EnvSetting,
    LineKind,
    LineRecord,
    ParsedFile,
    ReadRequest,
    SourceReader,
)
from migrate.sources.crontab.parse import parse_crontab
from migrate.sources.whenever import findings as F
from migrate.sources.whenever.container import container_command
from migrate.sources.whenever.crontab_text import Line
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.emulate import Emulation, chronic_fn, emulate
from migrate.sources.whenever.job import Job as WheneverJob
from migrate.sources.whenever.ruby import Note
from migrate.sources.whenever.values import Unknown, inspect, to_s

# chronic's reference time when the scan does not say (an `at:` whose meaning depends on
# it gets an `at-clock` finding); a second reference detects that dependence.
REFERENCE_NOW = datetime(2001, 1, 1, 0, 0)
_OTHER_NOW = datetime(2003, 7, 19, 13, 31)


@dataclass(frozen=True, slots=True)
class WheneverOptions:
    """How whenever would be run: `--set` values, `--roles`, and what it sees."""

    settings: Mapping[str, str] | None = None  # whenever --set name=value
    roles: Sequence[str] = ()
    env: Mapping[str, str] | None = None  # ENV when known exactly (None: not known)
    now: datetime = REFERENCE_NOW


def app_root_of(path: str) -> str:
    """The directory whenever runs in: the one above `config/`, else the file's own."""
    # Dir.pwd is getcwd(3): the physical path, symlinks resolved.
    directory = os.path.dirname(os.path.realpath(path))
    if os.path.basename(directory) == "config":
        return os.path.dirname(directory)
    return directory


def file_label_of(path: str, root: str) -> str:
    """`__FILE__` as whenever sees it when run as `whenever -f <path>` from `root`."""
    full = os.path.realpath(path)
    rel = os.path.relpath(full, root)
    return rel if not rel.startswith("..") else full


def parse_schedule(
    text: str,
    path: str,
    *,
    timezone: str,
    app: AppFacts,
    file_label: str = "config/schedule.rb",
    options: WheneverOptions | None = None,
    host: str | None = None,
    user: str | None = None,
) -> ParsedFile:
    opts = options or WheneverOptions()
    settings = dict(opts.settings or {})
    rails_env = settings.get("environment")
    env = opts.env
    emulation = emulate(
        text,
        file_label=file_label,
        app=app,
        now=opts.now,
        pre_set=settings,
        env=env,
        rails_env=rails_env,
        roles=opts.roles,
    )
    other = emulate(
        text,
        file_label=file_label,
        app=app,
        now=_OTHER_NOW,
        pre_set=settings,
        env=env,
        rails_env=rails_env,
        roles=opts.roles,
    )
    builder = _Builder(path, timezone, host, user, emulation, opts.now, tuple(opts.roles))
    builder.build(other)
    builder.account(text)
    return builder.result


class _Builder:
    def __init__(
        self,
        path: str,
        timezone: str,
        host: str | None,
        user: str | None,
        em: Emulation,
        now: datetime,
        roles: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.timezone = timezone
        self.host = host
        self.user = user
        self.em = em
        self.roles = roles
        self.result = ParsedFile(path, "whenever", host=host, user=user, timezone=timezone)
        self.kinds: dict[int, LineKind] = {}
        self.chronic = chronic_fn(em.evaluation.chronic_options, now)

    # ------------------------------------------------------------------ jobs
    def build(self, other: Emulation) -> None:
        em = self.em
        crontab = em.crontab
        parsed = parse_crontab(
            crontab.text,
            self.path,
            fmt="user",
            timezone=self.timezone,
            host=self.host,
            user=self.user,
        )
        by_line = {job.source.line: job for job in parsed.jobs}
        errors = {d.line: d for d in parsed.diagnostics}
        numbers = _line_numbers(crontab.text, crontab.lines)
        # Where chronic's reading of an at: depends on the day whenever runs, the same calls
        # give other lines with another `now`: pair the lines of both runs by their calls.
        other_lines: dict[tuple[int, ...], list[str]] = {}
        for ln in other.crontab.lines:
            other_lines.setdefault(_calls_key(ln), []).append(ln.text)
        for line, number in zip(crontab.lines, numbers, strict=True):
            cron_job = by_line.get(number)
            first = line.jobs[0]
            if cron_job is None:
                why = errors[number].reason if number in errors else "not a cron line"
                self.diagnose(
                    first.line, f"whenever writes `{line.text}`, which cron rejects: {why}"
                )
                continue
            self.add_job(line, cron_job, other_lines)
        for job in crontab.left_out:
            roles = ", ".join(inspect(r) for r in job.roles)
            self.result.left_out.append(
                f"{self.path}:{job.line}: left out: `{_one_line(job.text)}` is for roles "
                f"{roles}, none of --roles {','.join(self.roles)} (as `whenever --roles`)")
        for job, reason in crontab.unresolved:
            self.diagnose(job.line, f"`{_one_line(job.text)}` is not scheduled: {reason}")
        if crontab.error is not None:
            where = crontab.error_job.line if crontab.error_job is not None else 0
            self.diagnose(where, f"whenever raises here: {crontab.error}")
        for note in em.evaluation.notes:
            if note.severity == "error":
                self.diagnose(note.line, note.message)
        self.empty_every_blocks()
        for env in em.evaluation.env_settings:
            self.result.env.append(EnvSetting(env[0], env[1], to_s(env[2])))
            self.kinds.setdefault(env[0], "env")

    def empty_every_blocks(self) -> None:
        """An `every` block that yields no job is reported when it holds code we could not
        read (whenever might have made jobs of it); an empty block is just empty."""
        evaluation = self.em.evaluation
        for start, end in evaluation.every_spans:
            if any(j.every_line == start for j in evaluation.jobs):
                continue
            unread = [
                n for n in evaluation.notes if start <= n.line <= end and n.severity != "info"
            ]
            if unread:
                first = unread[0]
                self.diagnose(
                    start,
                    f"this `every` block (lines {start}-{end}) schedules no job "
                    f"that can be read: line {first.line}: {first.message}",
                )

    def add_job(
        self, line: Line, cron_job: Job, other_lines: dict[tuple[int, ...], list[str]]
    ) -> None:
        first = line.jobs[0]
        sources: list[Source] = []
        for wjob in line.jobs:
            if any(s.line == wjob.line for s in sources):
                continue
            sources.append(
                Source(
                    "whenever",
                    self.path,
                    wjob.line,
                    _one_line(wjob.text),
                    host=self.host,
                    user=self.user,
                )
            )
            self.kinds[wjob.line] = "job"
        container = container_command(first)
        env = dict(cron_job.command.env)
        env.update(container.env)
        cron_job.command = type(cron_job.command)(
            shell=cron_job.command.shell,
            stdin=cron_job.command.stdin,
            env=env,
            argv=container.argv,
        )
        cron_job.sources = sources
        cron_job.findings = _dedupe(
            cron_job.findings
            + self.job_findings(line, other_lines)
            + [F.container_template(n) for n in container.notes]
        )
        cron_job.extra = {
            "job_type": first.type_name,
            "task": to_s(first.task),
            "roles": [to_s(r) for r in first.roles],
            "crontab_line": line.text,
        }
        path = first.options.sym_get("path")
        if isinstance(path, str):
            cron_job.extra["app_path"] = path
        self.result.jobs.append(cron_job)

    def job_findings(
        self, line: Line, other_lines: dict[tuple[int, ...], list[str]]
    ) -> list[Finding]:
        out: list[Finding] = []
        for wjob in line.jobs:
            if wjob.conditions:
                out.append(F.conditional(wjob.conditions))
            out += [F.unevaluated(u) for u in _unknowns(wjob)]
            if wjob.roles and not self.roles:
                out.append(F.roles(wjob.roles))
            out += F.at_findings(wjob, self.chronic)
        others = other_lines.get(_calls_key(line), [])
        if others and line.text not in others:
            out.append(F.at_clock(line.jobs[0], line.text, others[0]))
        out += [F.from_note(n) for n in self.notes_for(line.jobs)]
        if self.em.fails:
            out.append(F.whenever_fails(self.em))
        return out

    def notes_for(self, jobs: list[WheneverJob]) -> list[Note]:
        spans = self.em.evaluation.every_spans
        out: list[Note] = []
        for note in self.em.evaluation.notes:
            if note.severity == "error":
                continue
            inside = [s for s in spans if s[0] <= note.line <= s[1]]
            if inside:
                if any(s[0] <= j.line <= s[1] for j in jobs for s in inside):
                    out.append(note)
            elif note.code in _FILE_WIDE:
                out.append(note)
        return out

    def diagnose(self, line: int, reason: str) -> None:
        reason = " ".join(reason.split())
        if len(reason) > 400:
            reason = reason[:397] + "..."
        diagnostic = Diagnostic(self.path, line, reason)
        if diagnostic not in self.result.diagnostics:
            self.result.diagnostics.append(diagnostic)
        if line > 0 and self.kinds.get(line) != "job":
            self.kinds[line] = "error"  # a line that also made a job stays a job line

    # ------------------------------------------------------------ accounting
    def account(self, text: str) -> None:
        for number, raw in enumerate(text.split("\n"), start=1):
            if number == len(text.split("\n")) and raw == "":
                break
            kind: LineKind = self.kinds.get(number, "blank" if not raw.strip() else "comment")
            self.result.records.append(LineRecord(number, kind, raw.rstrip("\r")))


# Notes outside `every` blocks that concern every job of the file.
_FILE_WIDE = frozenset(
    c.code for c in (codes.WHENEVER_REQUIRE, codes.ENV_DEFAULT, codes.WHENEVER_RAILS))


def _line_numbers(text: str, lines: list[Line]) -> list[int]:
    physical = text.split("\n")
    out: list[int] = []
    index = 0
    for line in lines:
        head = line.text.split("\n", 1)[0]
        while index < len(physical) and physical[index] != head:
            index += 1
        out.append(index + 1)
        index += 1
    return out


def _calls_key(line: Line) -> tuple[int, ...]:
    return tuple(j.line for j in line.jobs)


def _unknowns(job: WheneverJob) -> list[Unknown]:
    values = [job.task, job.options.sym_get("path"), job.options.sym_get("output")]
    return [v for v in values if isinstance(v, Unknown)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in findings:
        if f not in out:
            out.append(f)
    return out


def read_schedule(request: ReadRequest) -> ParsedFile:
    """The registry's entry point (`ReadRequest` -> `ParsedFile`): probes the app root."""
    root = app_root_of(request.path)
    app = AppFacts(
        root,
        gemfile=os.path.isfile(os.path.join(root, "Gemfile")),
        bin_rails=os.path.exists(os.path.join(root, "bin", "rails")),
        script_rails=os.path.exists(os.path.join(root, "script", "rails")),
    )
    return parse_schedule(
        request.text,
        request.path,
        timezone=request.timezone,
        app=app,
        file_label=file_label_of(request.path, root),
        host=request.host,
        user=request.user,
        options=WheneverOptions(settings=dict(request.settings), roles=request.roles),
    )


_DSL_MARKER = re.compile(
    r"^\s*(?:#\s*)?every[\s(]|^\s*job_type[\s(]|^\s*set[\s(]+:(?:output|job_template|chronic_options)\b",
    re.M,
)


def claims(path: str) -> bool:
    """`schedule.rb` (or a `.rb` / `.rb.erb` file that calls `every`)."""
    name = os.path.basename(path)
    if name in ("schedule.rb", "schedule.rb.erb"):
        return True
    if not name.endswith((".rb", ".rb.erb")):
        return False
    if not os.path.isfile(path):  # never open a FIFO or device: it would block the walk
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return _DSL_MARKER.search(head) is not None


WHENEVER = SourceReader("whenever", claims, read_schedule)
