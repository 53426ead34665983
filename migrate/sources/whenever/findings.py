"""Findings the whenever reader attaches to jobs (stable codes, one place for the wording)."""

from __future__ import annotations

from dataclasses import replace

from migrate.model import Finding, Severity
from migrate.sources.whenever.cron_output import ChronicFn, Unresolved, cron_entries
from migrate.sources.whenever.emulate import Emulation
from migrate.sources.whenever.job import Job, WheneverError
from migrate.sources.whenever.ruby import Note
from migrate.sources.whenever.values import Unknown, Value, inspect, to_s


def conditional(conditions: tuple[str, ...]) -> Finding:
    what = " and ".join(conditions)
    return Finding(
        "conditional",
        "warning",
        f"this job exists only if {what}, which is not known when scanning",
        evidence=what,
        recommendation="Scan with --set environment=<env> (as `whenever --set`) to resolve "
        "environment conditions, or confirm the condition and mark the job inactive if it "
        "does not hold.",
    )


UNEVALUATED = "whenever-unevaluated"


def unevaluated(value: Unknown) -> Finding:
    """A value whenever computes when it runs (an output lambda, `ENV[...]`, the clock) is
    still Ruby text in the command: cron would run its value, which nobody knows here, so
    the job is not deployable (`aws.desired` skips it) until a reviewer replaces it."""
    return Finding(
        UNEVALUATED,
        "error",
        f"the command still contains Ruby that whenever evaluates when it runs, "
        f"`{value.display}` ({value.reason}): cron runs its value, not this text",
        evidence=value.display,
        recommendation="Replace it in catalog.yaml (command.shell and command.argv) with the "
        "value `whenever` prints on the server, or pass it to the scan (--set); the job is "
        "not deployed while the command holds it.",
    )


def roles(values: list[Value]) -> Finding:
    """A job restricted to server roles (`roles: [:db]`) scanned without `--roles`: whenever
    installs it only on the servers Capistrano deploys with those roles
    (`whenever_roles`), so the scan cannot tell how many run it."""
    shown = ", ".join(inspect(r) for r in values)
    return Finding(
        "whenever-roles",
        "warning",
        f"whenever installs this job only on servers with the role {shown} "
        "(`whenever --roles`); the scan kept it without knowing which servers those are",
        evidence=f"roles: [{shown}]",
        recommendation="Scan with --roles (as `whenever --roles` on one server) to keep that "
        "server's jobs, or keep one catalog job per role and deploy it once.",
    )


def at_unparsed(text: str) -> Finding:
    return Finding(
        "at-unparsed",
        "warning",
        f"whenever cannot read at: {text!r} (chronic returns nothing) and silently runs "
        "the job at minute 0 / midnight",
        evidence=text,
        recommendation="Write the time the job should run (e.g. '4:30 am') in schedule.rb.",
    )


def at_ignored(text: str) -> Finding:
    return Finding(
        "at-ignored",
        "info",
        f"whenever ignores at: {text} for this frequency",
        evidence=text,
    )


def at_findings(job: Job, chronic: ChronicFn) -> list[Finding]:
    out: list[Finding] = []
    items = job.at if isinstance(job.at, list) else [job.at]
    for item in items:
        if not isinstance(item, str):
            continue
        for part in item.split(","):
            try:
                parsed = chronic(part)
            except (Unresolved, WheneverError):
                continue
            if parsed is None and part.strip():
                out.append(at_unparsed(part))
    if job.at is not None and not isinstance(job.at, Unknown) and not out:
        try:
            with_at = cron_entries(job.time, job, chronic)
            without = cron_entries(job.time, replace(job, at=None), chronic)
        except (Unresolved, WheneverError):
            return out
        if with_at == without and with_at and not _is_empty(job.at):
            out.append(at_ignored(_ruby_text(job.at)))
    return out


def _is_empty(value: object) -> bool:
    return value == 0 or value == "" or value == []


def _ruby_text(value: object) -> str:
    return inspect(value)  # type: ignore[arg-type]


def at_clock(job: Job, line: str, other: str) -> Finding:
    return Finding(
        "at-clock",
        "warning",
        "the `at:` depends on the day whenever runs (chronic reads it relative to now): "
        f"`{line}` here, `{other}` on another day",
        evidence=to_s(job.at),
        recommendation="Write an absolute time in schedule.rb.",
    )


def from_note(note: Note) -> Finding:
    return Finding(note.code, note.severity, f"schedule.rb:{note.line}: {note.message}")


def whenever_fails(em: Emulation) -> Finding:
    first = em.evaluation.fatal[0] if em.evaluation.fatal else None
    if first is not None:
        why = f"line {first.line}: {first.message}"
    else:
        why = em.crontab.error or "an error"
    severity: Severity = "error"
    return Finding(
        "whenever-fails",
        severity,
        f"real whenever stops on this schedule ({why}), so it never installs this crontab",
        evidence=why,
        recommendation="Check whether the job really runs today before migrating it.",
    )


def container_template(note: str) -> Finding:
    return Finding("whenever-job-template", "info", note)
