"""Where each source line of a job lives on its host, and the marker edit that cuts it over.

A cut-over line is commented out in place, keeping the original text after a marker naming
the environment, the job and the day:

    #migrated(production j-a9d4418e991c, 2026-12-04): */5 * * * * www-data php artisan ...

Rollback restores exactly the text after the marker. Both directions are regular-expression
substitutions over the whole file (`re.MULTILINE`), anchored on the full line, so every other
byte stays as it was; the same patterns run locally (`mark`, `unmark`: the preview written to
output/) and on the hosts (`ansible.builtin.replace` / `regex_replace` in the playbook, both
Python `re`). A line is edited only when, on the host, exactly one line of the file is the
original and none the marked one (or, already cut over, the reverse): anything else is drift.

Host files follow Ansible `fetch`'s layout (`sources.fleet`): a source path
`<snapshot>/<host>/etc/crontab` is `/etc/crontab` on host `<host>` whose root on this machine
is `<snapshot>/<host>`. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Literal

from migrate.errors import MigrateError
from migrate.model import Job, Source

FileKind = Literal["system", "user"]

# (location below the host root, kind): user crontabs are named after their user.
_SYSTEM_FILES = (("etc", "crontab"),)
_SYSTEM_DIRS = (("etc", "cron.d"),)
_USER_DIRS = (("var", "spool", "cron", "crontabs"), ("var", "spool", "cron"), ("etc", "crontabs"))


class CutoverError(MigrateError, ValueError):
    """A job cannot be cut over as asked (not deployed, not from a snapshot, no window...)."""


@dataclass(frozen=True, slots=True)
class Place:
    """One crontab file of one host: `remote` is its path on the host, `root` the host root
    on this machine (the snapshot directory the catalog was scanned from)."""

    host: str
    root: str
    remote: str
    kind: FileKind
    user: str | None = None  # user crontabs: whose

    @property
    def local(self) -> str:
        return self.root.rstrip("/") + self.remote

    @property
    def key(self) -> str:
        """How the playbook names the file: its path, or `crontab -u USER`."""
        return self.remote if self.kind == "system" else f"crontab -u {self.user}"


@dataclass(frozen=True, slots=True)
class LineEdit:
    place: Place
    line: int  # 1-based, as scanned (for messages; the edit finds the line by its text)
    text: str  # the original line
    job_id: str

    @property
    def where(self) -> str:
        return f"{self.place.host}:{self.place.remote}:{self.line}"


def marker(env: str, job_id: str, day: date) -> str:
    return f"#migrated({env} {job_id}, {day.isoformat()}): "


def original_pattern(edit: LineEdit) -> str:
    return "^" + re.escape(edit.text) + "$"


def marked_pattern(env: str, edit: LineEdit) -> str:
    """The marked line of any day; group 1 is the original text."""
    return ("^" + re.escape(f"#migrated({env} {edit.job_id}, ") + r"\d{4}-\d\d-\d\d\): ("
            + re.escape(edit.text) + ")$")


def cutover_replacement(env: str, edit: LineEdit, day: date) -> str:
    return marker(env, edit.job_id, day).replace("\\", "\\\\") + r"\g<0>"


ROLLBACK_REPLACEMENT = r"\1"


def locate(source: Source, job_id: str) -> Place:
    """The host file a crontab source line lives in; `CutoverError` saying what to do when
    the source is not a line of a fleet snapshot's crontab."""
    where = f"{job_id} ({source.path}:{source.line})"
    if source.kind != "crontab":
        raise CutoverError(
            f"{where}: a {source.kind} source lives in the application, not in a host's "
            "crontab; cut-over edits crontab lines only (change the application's schedule "
            "in its repository)")
    if source.host is None:
        raise CutoverError(
            f"{where}: scanned as a single file, not from a fleet snapshot, so migrate does "
            "not know which host it lives on; fetch the hosts' crontabs into a snapshot "
            "(Ansible fetch: <dest>/<host>/etc/crontab ...), scan that directory and apply "
            "the new catalog")
    parts = PurePosixPath(source.path).parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] != source.host:
            continue
        rest = parts[i + 1:]
        kind = _kind(rest)
        if kind is not None:
            root = str(PurePosixPath(*parts[: i + 1]))
            user = rest[-1] if kind == "user" else None
            return Place(source.host, root, "/" + "/".join(rest), kind, user)
    raise CutoverError(
        f"{where}: not a crontab location of host {source.host} in a fleet snapshot "
        "(<snapshot>/<host>/etc/crontab, etc/cron.d/*, var/spool/cron/..., etc/crontabs/*)")


def _kind(rest: tuple[str, ...]) -> FileKind | None:
    if rest in _SYSTEM_FILES:
        return "system"
    if len(rest) >= 1 and rest[:-1] in _SYSTEM_DIRS:
        return "system"
    if len(rest) >= 1 and rest[:-1] in _USER_DIRS:
        return "user"
    return None


PYTHON_KINDS = ("celery", "django-crontab", "apscheduler")
# Sources edited in the application (patches), not on a host: schedule.rb and Python modules.
APP_KINDS = ("whenever", *PYTHON_KINDS)


def job_edits(job: Job) -> list[LineEdit]:
    """One edit per crontab line of the job, on every host it lives on. The job's
    schedule.rb sources (whenever: the same job, merged with the crontab line whenever
    installed) are patched in the application instead (`patches.py`); a Python schedule
    job (Celery beat, django-crontab, APScheduler) has no crontab line at all: none, its
    module's patch (`pypatch.py`) is the whole legacy edit."""
    lines = [s for s in job.sources if s.kind not in APP_KINDS]
    if not lines and job.source.kind in PYTHON_KINDS:
        return []  # the scheduler reads the module: its patch is the whole legacy edit
    if not lines:
        raise CutoverError(
            f"{job.id} ({job.source.path}:{job.source.line}): only read from schedule.rb, "
            "no crontab line of a host; scan the hosts' crontabs (a fleet snapshot) together "
            "with schedule.rb so the line whenever installed is known")
    return [LineEdit(locate(s, job.id), s.line, s.text, job.id) for s in lines]


def mark(text: str, env: str, edits: Iterable[LineEdit], day: date) -> str:
    for e in edits:
        text = re.sub(original_pattern(e), cutover_replacement(env, e, day), text,
                      flags=re.MULTILINE)
    return text


def unmark(text: str, env: str, edits: Iterable[LineEdit]) -> str:
    for e in edits:
        text = re.sub(marked_pattern(env, e), ROLLBACK_REPLACEMENT, text, flags=re.MULTILINE)
    return text


State = Literal["legacy", "cut-over", "drifted"]


def line_state(text: str, env: str, edit: LineEdit) -> State:
    """`legacy` (the original once, no marker), `cut-over` (the reverse) or `drifted`."""
    original = len(re.findall(original_pattern(edit), text, flags=re.MULTILINE))
    marked = len(re.findall(marked_pattern(env, edit), text, flags=re.MULTILINE))
    if (original, marked) == (1, 0):
        return "legacy"
    if (original, marked) == (0, 1):
        return "cut-over"
    return "drifted"


def by_place(edits: Sequence[LineEdit]) -> dict[Place, list[LineEdit]]:
    out: dict[Place, list[LineEdit]] = {}
    for e in edits:
        out.setdefault(e.place, []).append(e)
    return out
