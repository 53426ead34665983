"""`duplicate-job`: the same job on several hosts, or twice in one file.

Two jobs are the same when their normalised command (blank runs collapsed), stdin,
environment (`MAILTO` aside: it changes who reads the output, not what runs), schedule (the
parsed sets and day rule, so `@daily` equals `0 0 * * *`), zone and `active` flag are equal.
Jobs are grouped by that key in one dictionary pass: no job is compared with another.

By default each group becomes one catalog job that lists every source (sorted by host, path,
line; the first one's id and name are kept), because in AWS each copy would be one more run.
With `merge=False` (`--no-merge`) the copies stay apart and each names the others.
Copies whose environments differ are `near_duplicates`' business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import replace

from migrate.analysis.codes import DUPLICATE_JOB
from migrate.model import Finding, Job, Source
from migrate.schedule.cron import CronSchedule

_ALL_DAYS = frozenset(range(1, 32))
_ALL_WEEKDAYS = frozenset(range(7))


def _schedule_key(job: Job) -> Hashable:
    p: CronSchedule | None = job.schedule.parsed
    if p is None:
        return ("text", " ".join(job.schedule.cron.split()), job.schedule.aws)
    # The day fields by meaning: under the OR rule a full day-of-month (or day-of-week) field
    # matches every day, so `@daily` (no star flags) equals `0 0 * * *`.
    rule, days, weekdays = p.day_rule, p.days, p.weekdays
    if rule == "or" and (len(days) == 31 or len(weekdays) == 7):
        rule, days, weekdays = "and", _ALL_DAYS, _ALL_WEEKDAYS
    return (p.minutes, p.hours, days, p.months, weekdays, rule, p.reboot, p.random)


def job_key(job: Job) -> Hashable:
    cmd = job.command
    env = tuple(sorted((k, v) for k, v in cmd.env.items() if k != "MAILTO"))
    return (
        " ".join(cmd.shell.split()),
        cmd.stdin,
        env,
        cmd.argv,
        _schedule_key(job),
        job.schedule.timezone,
        job.active,
    )


def _source_order(s: Source) -> tuple[str, str, str, int]:
    return (s.host or "", s.user or "", s.path, s.line)


def _where(s: Source) -> str:
    host = f"{s.host}:" if s.host else ""
    return f"{host}{s.path}:{s.line}"


def _describe(sources: Sequence[Source]) -> str:
    hosts = sorted({s.host for s in sources if s.host})
    per_file = Counter((s.host, s.path) for s in sources)
    if len(hosts) > 1:
        shown = ", ".join(hosts[:5]) + (f" and {len(hosts) - 5} more" if len(hosts) > 5 else "")
        text = f"the same job on {len(hosts)} hosts ({shown})"
    else:
        text = f"the same job {len(sources)} times"
    twice = sorted({path for (_, path), n in per_file.items() if n > 1})
    if twice:
        text += f", more than once in {', '.join(twice[:3])}"
    if len(hosts) > 1 and any(s.kind == "whenever" or s.whenever_block for s in sources):
        # Capistrano runs `whenever --update-crontab` on every server of the app; a job
        # without `roles:` is installed on each, so it runs once per server.
        text += (" (a whenever job: deploying the app installs it on every server whose "
                 "roles it matches, all of them when it has no roles, so it ran once per "
                 "server)")
    return text


def _evidence(sources: Sequence[Source]) -> str:
    shown = ", ".join(_where(s) for s in sources[:4])
    return shown + (f" … (+{len(sources) - 4})" if len(sources) > 4 else "")


def _has_copies(job: Job) -> bool:
    """A job merged earlier (a catalog read back) still stands for several copies: more than
    one source of one kind. (A schedule.rb job and its crontab whenever block are one job.)"""
    kinds = [s.kind for s in job.sources]
    return len(kinds) != len(set(kinds))


def merge_duplicates(jobs: Sequence[Job], merge: bool = True) -> list[Job]:
    """Jobs with duplicates merged (or, with merge=False, annotated), in input order."""
    return merge_duplicates_keyed(jobs, merge)[0]


def merge_duplicates_keyed(
    jobs: Sequence[Job], merge: bool = True
) -> tuple[list[Job], list[Hashable]]:
    """`merge_duplicates`, and each output job's `job_key` (a merged job has its group's key),
    so later rules (`near_duplicates`) need not compute the keys again."""
    keys = [job_key(job) for job in jobs]
    groups: dict[Hashable, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    out: list[Job | None] = list(jobs)
    for members in groups.values():
        if len(members) < 2 and not _has_copies(jobs[members[0]]):
            continue
        copies = sorted((jobs[i] for i in members), key=lambda j: _source_order(j.source))
        sources = sorted((s for j in copies for s in j.sources), key=_source_order)
        if merge:
            findings: list[Finding] = []
            for j in copies:
                findings.extend(f for f in j.findings if f not in findings)
            findings.append(DUPLICATE_JOB.finding(
                f"{_describe(sources)}: merged into one job; in AWS each copy would run",
                _evidence(sources)))
            merged = replace(copies[0], sources=sources, findings=findings)
            first = min(members)
            for i in members:
                out[i] = None
            out[first] = merged
        else:
            for i in members:
                others = [s for s in sources if s not in jobs[i].sources]
                out[i] = replace(jobs[i], findings=[*jobs[i].findings, DUPLICATE_JOB.finding(
                    f"{_describe(sources)}: in AWS each copy runs (kept apart by --no-merge)",
                    _evidence(others))])
    pairs = [(j, keys[i]) for i, j in enumerate(out) if j is not None]
    return [j for j, _ in pairs], [k for _, k in pairs]
