"""The periodic folders of a host root: `/etc/cron.{hourly,daily,weekly,monthly}/` scripts.

`run-parts` runs every script of a folder, one after another in name order; a line of
`/etc/crontab` or `/etc/cron.d/*` runs the folder (Debian: `25 6 * * * root test -x
/usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }`; Red Hat's
`/etc/cron.d/0hourly`), or anacron does (`/etc/anacrontab`: `1 5 cron.daily run-parts
/etc/cron.daily`). Each script run-parts would run is a job with the schedule of that line:

* Which line: an `/etc/anacrontab` line when one runs the folder and the cron line (if
  any) is guarded by `test -x /usr/sbin/anacron ||` (Debian: cron runs the folder only where
  anacron is not installed, and anacron's own table runs it); otherwise the cron line (a
  guarded one then gets finding `anacron-guard` saying the scan assumed no anacron). A
  folder no line runs is listed as skipped, with its scripts.
* Which scripts: Debian's run-parts (no `--lsbsysinit`) runs names of ASCII letters,
  digits, `_` and `-` only; Red Hat's (the crontabs package's shell script; chosen when the
  host has `etc/redhat-release`, `etc/system-release` or `etc/cron.d/0hourly`) skips names
  starting with `.` or ending in `~`, `,`, `.rpmsave`, `.rpmorig`, `.rpmnew`, `.swp`,
  `.cfsaved`, `,v`, and honours the folder's `jobs.allow` / `jobs.deny`. Both skip
  directories and files that are not executable. Every skipped file is listed with why.

The command is the script's path on the host (`/etc/cron.daily/logrotate`); the source
text is its first lines. This module lists directories and reads script heads (I/O); the
choice of runner and the naming rules are pure functions.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from migrate.model import Command, Finding, Job, Schedule, Source
from migrate.sources import hostfindings as H
from migrate.sources.base import LineRecord, ParsedFile

FOLDERS = ("cron.hourly", "cron.daily", "cron.weekly", "cron.monthly")
KIND = "run-parts"
HEAD_LINES = 5
_RUNS_FOLDER = re.compile(r"\brun-parts\b[^;&|)}]*?/etc/(cron\.(?:hourly|daily|weekly|monthly))\b")
_ANACRON_GUARD = re.compile(r"\btest\s+-x\s+\S*anacron\s*\|\|")
_DEBIAN_NAME = re.compile(r"[A-Za-z0-9_-]+")
_REDHAT_SKIPPED_SUFFIXES = ("~", ",", ".rpmsave", ".rpmorig", ".rpmnew", ".swp", ".cfsaved",
                            ",v")
_REDHAT_MARKERS = (("etc", "redhat-release"), ("etc", "system-release"),
                   ("etc", "cron.d", "0hourly"))


@dataclass(frozen=True, slots=True)
class Runner:
    """The line that runs a folder, and the findings its scripts inherit."""

    job: Job
    findings: tuple[Finding, ...] = field(default_factory=tuple)


def in_folder(path: str) -> bool:
    """Whether `path` is a file of a periodic folder (`.../etc/cron.daily/logrotate`)."""
    parent = os.path.dirname(os.path.normpath(path))
    return (os.path.basename(parent) in FOLDERS
            and os.path.basename(os.path.dirname(parent)) == "etc")


def folder_of(command: str) -> str | None:
    match = _RUNS_FOLDER.search(command)
    return match.group(1) if match else None


def choose_runners(files: Sequence[ParsedFile]) -> dict[str, Runner]:
    """folder -> the line that runs it, over a host's crontabs and anacrontab. A guarded
    cron line that anacron stands in for gets an `anacron-guard` finding."""
    cron: dict[str, Job] = {}
    anacron: dict[str, Job] = {}
    for parsed in files:
        for job in parsed.jobs:
            folder = folder_of(job.command.shell) if job.active else None
            if folder is None:
                continue
            table = anacron if job.source.kind == "anacron" else cron
            table.setdefault(folder, job)
    out: dict[str, Runner] = {}
    for folder in FOLDERS:
        by_cron, by_anacron = cron.get(folder), anacron.get(folder)
        guarded = by_cron is not None and _ANACRON_GUARD.search(by_cron.command.shell)
        if by_anacron is not None and (by_cron is None or guarded):
            out[folder] = Runner(by_anacron, _inherited(by_anacron))
            if by_cron is not None:  # the guarded cron line does nothing on this host
                by_cron.findings.append(H.anacron_runs_it(by_anacron))
        elif by_cron is not None:
            extra = (H.assumed_no_anacron(by_cron),) if guarded else ()
            out[folder] = Runner(by_cron, _inherited(by_cron) + extra)
    return out


def _inherited(runner: Job) -> tuple[Finding, ...]:
    """What a script shares with its runner's line: anacron's window, an unknown zone."""
    return tuple(f for f in runner.findings if f.code in ("anacron", "timezone-unknown"))


def runs_by_name(name: str, redhat: bool, allow: set[str] | None, deny: set[str]) -> str | None:
    """Why run-parts skips a script of this name, or None when it runs it."""
    if not redhat:
        if not _DEBIAN_NAME.fullmatch(name):
            return ("Debian's run-parts runs only names of letters, digits, '_' and '-' "
                    "(no --lsbsysinit)")
        return None
    if name.startswith("."):
        return "Red Hat's run-parts skips hidden names"
    for suffix in _REDHAT_SKIPPED_SUFFIXES:
        if name.endswith(suffix):
            return f"Red Hat's run-parts skips names ending with {suffix!r}"
    if name in deny:
        return "listed in jobs.deny"
    if allow is not None and name not in allow:
        return "not listed in jobs.allow"
    return None


def read_folders(root: str, host: str | None, runners: dict[str, Runner]) -> list[ParsedFile]:
    """The scripts of a host root's periodic folders: jobs, or skipped files with why."""
    redhat = any(os.path.exists(os.path.join(root, *parts)) for parts in _REDHAT_MARKERS)
    out: list[ParsedFile] = []
    for folder in FOLDERS:
        directory = os.path.join(root, "etc", folder)
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        runner = runners.get(folder)
        allow = _names_in(os.path.join(directory, "jobs.allow"))
        deny = _names_in(os.path.join(directory, "jobs.deny")) or set()
        for name in names:
            path = os.path.join(directory, name)
            reason = _skip_reason(path, name, redhat, allow, deny)
            if reason is None and runner is None:
                reason = (f"no line of /etc/crontab, /etc/cron.d or /etc/anacrontab runs "
                          f"/etc/{folder}")
            if reason is not None:
                out.append(ParsedFile(path, KIND, host=host, skipped=reason))
                continue
            assert runner is not None
            out.append(_script_file(path, f"/etc/{folder}/{name}", host, runner))
    return out


def _skip_reason(path: str, name: str, redhat: bool, allow: set[str] | None,
                 deny: set[str]) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    if stat.S_ISDIR(mode):
        return "a directory (run-parts skips it)"
    by_name = runs_by_name(name, redhat, allow, deny)
    if by_name is not None:
        return by_name
    if not stat.S_ISREG(mode) or not mode & 0o111:
        return "not executable (run-parts skips it; a copy that lost its modes loses it too)"
    return None


def _names_in(path: str) -> set[str] | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return {line.strip() for line in handle if line.strip()}
    except OSError:
        return None


def _head(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(4096)
    except OSError as err:
        return f"(cannot read: {err.strerror or err})"
    if b"\0" in data:
        return "(a binary executable)"
    lines = data.decode("utf-8", "replace").splitlines()[:HEAD_LINES]
    return "\n".join(lines) if lines else "(empty)"


def _script_file(path: str, host_path: str, host: str | None, runner: Runner) -> ParsedFile:
    via = runner.job
    text = _head(path)
    source = Source(KIND, path, 1, text, host=host, user=via.source.user or "root")
    sched = via.schedule
    schedule = Schedule(cron=sched.cron, timezone=sched.timezone,
                        timezone_from=sched.timezone_from, parsed=sched.parsed)
    findings = [*runner.findings, H.periodic_script(via)]
    job = Job("", "", "", True, [source], schedule,
              Command(shell=host_path, env=dict(via.command.env)), findings,
              extra={"run_parts": host_path.rsplit("/", 1)[0]})
    parsed = ParsedFile(path, KIND, jobs=[job], host=host, timezone=sched.timezone,
                        timezone_from=sched.timezone_from)
    parsed.records.append(LineRecord(1, "job", text.split("\n", 1)[0]))
    return parsed
