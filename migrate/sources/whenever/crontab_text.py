"""The whole crontab whenever prints (`JobList#generate_cron_output`), with provenance:
every output line knows the job calls it came from, so a catalog job can point back at
`schedule.rb`. Ordering: `env` lines and a blank line; the jobs with the default mailto,
grouped by frequency in first-seen order; then per explicit `mailto:` a `MAILTO=` line and
its groups. Inside a group `@`-shortcut lines come first, then the combined regular lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from migrate.sources.whenever.cron_output import ChronicFn, Unresolved, cron_entries
from migrate.sources.whenever.job import DEFAULT_MAILTO, Job, WheneverError
from migrate.sources.whenever.values import Sym, Unknown, Value, eql, to_s


@dataclass
class Line:
    """One cron line of whenever's output (without the blank line whenever adds after it)."""

    text: str
    jobs: list[Job]
    mailto: Value


@dataclass
class Crontab:
    text: str  # exactly what `whenever -f` prints before its two `## [message]` lines
    lines: list[Line] = field(default_factory=list)
    env: list[tuple[str, Value]] = field(default_factory=list)
    error: str | None = None  # whenever raises instead of printing
    error_job: Job | None = None
    unresolved: list[tuple[Job, str]] = field(default_factory=list)
    left_out: list[Job] = field(default_factory=list)  # restricted to roles not in --roles


@dataclass
class _Entry:
    text: str  # with whenever's trailing "\n\n"
    jobs: list[Job]


def combine(entries: Sequence[_Entry]) -> list[_Entry]:
    """`JobList#combine`: merge entries equal in all but one of the first five fields."""
    rows = [(re.split(r" +", e.text, maxsplit=5), list(e.jobs)) for e in entries]
    for f in range(5):
        i = len(rows) - 1
        while i >= 1:
            fields_i, jobs_i = rows[i]
            if _field(fields_i, f) != "*":
                comparison = fields_i[:f] + fields_i[f + 1 :]
                for j in range(i - 1, -1, -1):
                    fields_j, jobs_j = rows[j]
                    if _field(fields_j, f) == "*":
                        continue
                    if comparison == fields_j[:f] + fields_j[f + 1 :]:
                        fields_j[f] = fields_j[f] + "," + fields_i[f]
                        jobs_j.extend(x for x in jobs_i if x not in jobs_j)
                        del rows[i]
                        break
            i -= 1
    return [_Entry(" ".join(fields), jobs) for fields, jobs in rows]


def _field(row: list[str], index: int) -> str | None:
    return row[index] if index < len(row) else None


def _same(a: Value, b: Value) -> bool:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return a is b
    return eql(a, b)


def _groups(jobs: Sequence[Job]) -> list[tuple[Value, list[tuple[Value, list[Job]]]]]:
    """whenever's `@jobs[mailto][time]`, in Ruby Hash insertion order."""
    by_mailto: list[tuple[Value, list[tuple[Value, list[Job]]]]] = []
    for job in jobs:
        times = next((t for m, t in by_mailto if _same(m, job.mailto)), None)
        if times is None:
            times = []
            by_mailto.append((job.mailto, times))
        group = next((g for t, g in times if _same(t, job.time)), None)
        if group is None:
            group = []
            times.append((job.time, group))
        group.append(job)
    default = [g for g in by_mailto if _same(g[0], DEFAULT_MAILTO)]
    others = [g for g in by_mailto if not _same(g[0], DEFAULT_MAILTO)]
    return default + others


def env_text(env: Sequence[tuple[str, Value]]) -> str:
    if not env:
        return ""
    empty = '""'
    return "".join(f"{k}={empty if v is None or v == '' else to_s(v)}\n" for k, v in env) + "\n"


def has_any_role(job: Job, roles: Sequence[str]) -> bool:
    """`JobList#cron_jobs_of_time` with `Job#has_role?` (whenever 1.0): without `--roles`
    every job; otherwise a job without roles, or one whose roles include one of them.
    `--roles app,db` is split and made Symbols (bin/whenever), and `Array#include?` compares
    with `==`: a role written as a String (`roles: ['app']`) never matches. A role the scan
    cannot read keeps the job (its `whenever-roles` finding names it)."""
    if not roles or not job.roles:
        return True
    return any(isinstance(r, Unknown) or (isinstance(r, Sym) and r.name in roles)
               for r in job.roles)


def render(
    env: Sequence[tuple[str, Value]],
    jobs: Sequence[Job],
    chronic: ChronicFn,
    roles: Sequence[str] = (),
) -> Crontab:
    result = Crontab(text="", env=list(env))
    out: list[str] = [env_text(env)]
    for mailto, times in _groups(jobs):
        chunks: list[str] = []
        group_lines: list[Line] = []
        for _time, group in times:
            shortcut: list[_Entry] = []
            regular: list[_Entry] = []
            for job in group:
                if not has_any_role(job, roles):
                    if job not in result.left_out:
                        result.left_out.append(job)
                    continue
                try:
                    entries = cron_entries(job.time, job, chronic)
                except WheneverError as exc:
                    if result.error is None:
                        result.error, result.error_job = str(exc), job
                    continue
                except Unresolved as exc:
                    result.unresolved.append((job, str(exc)))
                    continue
                for e in entries:
                    (shortcut if e[:1] == "@" else regular).append(_Entry(e + "\n\n", [job]))
            merged = shortcut + combine(regular)
            chunks.append("".join(e.text for e in merged))
            group_lines += [
                Line(e.text[:-2] if e.text.endswith("\n\n") else e.text, e.jobs, mailto)
                for e in merged
            ]
        if not _same(mailto, DEFAULT_MAILTO) and any(chunks):
            out.append(f"MAILTO={to_s(mailto)}\n\n")
        out += chunks
        result.lines += group_lines
    result.text = "".join(out)
    return result
