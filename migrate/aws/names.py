"""Rule and schedule names and descriptions for catalog jobs, and the error a catalog that
cannot be deployed raises: shared by `desired.py` (rules) and `schedules.py` (Scheduler), so
neither imports the other for them."""

from __future__ import annotations

import hashlib

from migrate.errors import MigrateError
from migrate.model import Job

MAX_RULE_NAME = 64
MAX_DESCRIPTION = 512


class DesiredStateError(MigrateError, ValueError):
    """The catalog cannot be deployed as is; the message names the catalog and the job."""


def rule_names(prefix: str, job: Job) -> list[str]:
    n = len(job.schedule.aws)
    suffixes = [""] + [f"-{i}" for i in range(2, n + 1)]
    names = []
    for suffix in suffixes:
        name = f"{prefix}{job.name}{suffix}"
        if len(name) > MAX_RULE_NAME:
            tag = "-" + hashlib.sha256(job.id.encode()).hexdigest()[:8]
            room = MAX_RULE_NAME - len(prefix) - len(suffix) - len(tag)
            name = f"{prefix}{job.name[:room]}{tag}{suffix}"
        names.append(name)
    return names


def description(job: Job, index: int, count: int) -> str:
    s = job.source
    text = f"{job.schedule.cron} ({job.schedule.timezone}) from {s.kind} {s.path}:{s.line}"
    if s.host:
        text += f" on {s.host}"
    if s.user:
        text += f" as {s.user}"
    if count > 1:
        text += f"; expression {index} of {count}"
    if job.description:
        text += f"; {job.description}"
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 3] + "..."
    return text
