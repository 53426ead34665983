"""Findings the whenever reader attaches to jobs: the wording, in one place (the codes are
declared in `migrate.analysis.codes.whenever`)."""

from __future__ import annotations

from dataclasses import replace

from migrate.analysis import codes
from migrate.model import Finding
from migrate.sources.whenever.cron_output import ChronicFn, Unresolved, cron_entries
from migrate.sources.whenever.emulate import Emulation
from migrate.sources.whenever.job import Job, WheneverError
from migrate.sources.whenever.ruby import Note
from migrate.sources.whenever.values import Unknown, Value, inspect, to_s


def conditional(conditions: tuple[str, ...]) -> Finding:
    what = " and ".join(conditions)
    return codes.CONDITIONAL.finding(
        f"this job exists only if {what}, which is not known when scanning", what)


def unevaluated(value: Unknown) -> Finding:
    """A value whenever computes when it runs (an output lambda, `ENV[...]`, the clock) is
    still Ruby text in the command: cron would run its value, which nobody knows here, so
    the job is not deployable (`aws.desired.held_back`) until a reviewer replaces it."""
    return codes.WHENEVER_UNEVALUATED.finding(
        f"the command still contains Ruby that whenever evaluates when it runs, "
        f"`{value.display}` ({value.reason}): cron runs its value, not this text",
        value.display)


def roles(values: list[Value]) -> Finding:
    """A job restricted to server roles (`roles: [:db]`) scanned without `--roles`: whenever
    installs it only on the servers Capistrano deploys with those roles
    (`whenever_roles`), so the scan cannot tell how many run it."""
    shown = ", ".join(inspect(r) for r in values)
    return codes.WHENEVER_ROLES.finding(
        f"whenever installs this job only on servers with the role {shown} "
        "(`whenever --roles`); the scan kept it without knowing which servers those are",
        f"roles: [{shown}]")


def at_unparsed(text: str) -> Finding:
    return codes.AT_UNPARSED.finding(
        f"whenever cannot read at: {text!r} (chronic returns nothing) and silently runs "
        "the job at minute 0 / midnight",
        text,
    )


def at_ignored(text: str) -> Finding:
    return codes.AT_IGNORED.finding(f"whenever ignores at: {text} for this frequency", text)


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
    return codes.AT_CLOCK.finding(
        "the `at:` depends on the day whenever runs (chronic reads it relative to now): "
        f"`{line}` here, `{other}` on another day",
        to_s(job.at),
    )


def from_note(note: Note) -> Finding:
    """A note of the evaluator (never an `error` one: those are diagnostics); notes carry
    no advice of their own."""
    return codes.CODES[note.code].finding(f"schedule.rb:{note.line}: {note.message}",
                                          severity=note.severity, recommendation="")


def whenever_fails(em: Emulation) -> Finding:
    first = em.evaluation.fatal[0] if em.evaluation.fatal else None
    if first is not None:
        why = f"line {first.line}: {first.message}"
    else:
        why = em.crontab.error or "an error"
    return codes.WHENEVER_FAILS.finding(
        f"real whenever stops on this schedule ({why}), so it never installs this crontab", why)


def container_template(note: str) -> Finding:
    return codes.WHENEVER_JOB_TEMPLATE.finding(note)
