"""Schedules defined in Python (Celery beat, django-crontab, APScheduler), read statically.

The project's code is never imported or run: the file is parsed with libcst and its
constants evaluated by `values.py`. `read_python_schedules(text, path, timezone=...)` is the
pure entry point; `looks_like_python_schedule(text)` recognises such files by content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migrate.model import Diagnostic, Job
from migrate.sources.python.apscheduler import has_apscheduler, read_apscheduler
from migrate.sources.python.celery import has_celery, read_celery
from migrate.sources.python.common import unique_names
from migrate.sources.python.django_crontab import has_django_crontab, read_django_crontab
from migrate.sources.python.parse import PythonSyntaxError
from migrate.sources.python.walker import walk_module

KINDS = ("celery", "django-crontab", "apscheduler")

# Words that only these schedules use; a file needs one of them (and must parse as Python).
_MARKERS = re.compile(
    r"beat_schedule|BEAT_SCHEDULE|CELERYBEAT_SCHEDULE|add_periodic_task|periodic_task"
    r"|\bCRONJOBS\b|\.add_job\s*\(|scheduled_job\s*\(|CronTrigger|IntervalTrigger"
    r"|\bapscheduler\b"
)
# A literal every `_MARKERS` match contains: a text without any cannot match (a crontab is
# told in a few substring searches instead of a regex scan of the alternatives).
_MARKER_WORDS = ("BEAT_SCHEDULE", "beat_schedule", "periodic_task", "CRONJOBS", "add_job",
                 "scheduled_job", "CronTrigger", "IntervalTrigger", "apscheduler")
# Python-only syntax: an import, a def, a class, or an assignment of a literal/call.
_PYTHON = re.compile(
    r"^\s*(?:from\s+[\w.]+\s+import\b|import\s+[\w.]+|def\s+\w+\s*\(|class\s+\w+"
    r"|@[\w.]+|[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*=\s*[\[{(\"'\w])",
    re.MULTILINE,
)


@dataclass(slots=True)
class PythonSchedules:
    """What one Python file holds: jobs per framework, and what could not be read."""

    path: str
    jobs: list[Job] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    kinds: tuple[str, ...] = ()


def looks_like_python_schedule(text: str) -> bool:
    """True when `text` reads as Python and uses one of the schedulers' names.

    Cheap (two regular expressions); `read_python_schedules` still decides what is there.
    """
    return (any(word in text for word in _MARKER_WORDS) and bool(_MARKERS.search(text))
            and bool(_PYTHON.search(text)))


def read_python_schedules(text: str, path: str, *, timezone: str) -> PythonSchedules:
    """Every Celery beat, django-crontab and APScheduler entry of one Python file.

    `timezone` is the scan's zone (--tz), used where the file does not say. A file that is
    not Python yields one diagnostic and no jobs; nothing raises for bad input.
    """
    result = PythonSchedules(path)
    try:
        walk = walk_module(text)
    except PythonSyntaxError as exc:
        result.diagnostics.append(Diagnostic(path, exc.line, exc.message, exc.column))
        return result
    kinds: list[str] = []
    for kind, present, read in (
        ("celery", has_celery, read_celery),
        ("django-crontab", has_django_crontab, read_django_crontab),
        ("apscheduler", has_apscheduler, read_apscheduler),
    ):
        if not present(walk):
            continue
        kinds.append(kind)
        jobs, diagnostics = read(walk, path, timezone)
        result.jobs.extend(jobs)
        result.diagnostics.extend(diagnostics)
    result.jobs.sort(key=lambda job: job.source.line)
    unique_names(result.jobs)
    result.kinds = tuple(kinds)
    return result


__all__ = [
    "KINDS",
    "PythonSchedules",
    "looks_like_python_schedule",
    "read_python_schedules",
]
