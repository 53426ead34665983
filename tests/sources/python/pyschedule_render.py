"""Render a Python-schedule read as plain data, for the expected files beside the inputs."""

from __future__ import annotations

from typing import Any

from migrate.model import Job
from migrate.schedule.cron import CronSchedule
from migrate.sources.python import PythonSchedules

FULL = {"minute": range(60), "hour": range(24), "dom": range(1, 32), "month": range(1, 13),
        "dow": range(7)}


def compact(values: frozenset[int], full: range) -> str:
    """`0-5,7,9` for a set; `*` for the whole field."""
    if set(values) == set(full):
        return "*"
    items = sorted(values)
    out: list[str] = []
    start = prev = items[0]
    for value in [*items[1:], None]:
        if value is not None and value == prev + 1:
            prev = value
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if value is not None:
            start = prev = value
    return ",".join(out)


def fires(parsed: CronSchedule | None) -> str | None:
    """The parsed schedule as sets (weekdays Sunday = 0) and its day rule."""
    if parsed is None:
        return None
    if parsed.reboot:
        return "@reboot"
    sets = (parsed.minutes, parsed.hours, parsed.days, parsed.months, parsed.weekdays)
    text = " ".join(compact(s, full) for s, full in zip(sets, FULL.values(), strict=True))
    return f"{text} ({parsed.day_rule})"


def job_data(job: Job) -> dict[str, Any]:
    s = job.schedule
    return {
        "name": job.name,
        "kind": job.source.kind,
        "line": job.source.line,
        "schedule": {
            "cron": s.cron,
            "timezone": s.timezone,
            "timezone_from": s.timezone_from,
            "aws": list(s.aws),
            "fires": fires(s.parsed),
        },
        "command": {
            "shell": job.command.shell,
            "argv": None if job.command.argv is None else list(job.command.argv),
            "env": dict(job.command.env),
        },
        "findings": [f"{f.code} ({f.severity}): {f.message}" for f in job.findings],
        "extra": job.extra,
    }


def render(result: PythonSchedules) -> dict[str, Any]:
    return {
        "kinds": list(result.kinds),
        "diagnostics": [str(d) for d in result.diagnostics],
        "jobs": [job_data(j) for j in result.jobs],
    }
