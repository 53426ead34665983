"""One job for a schedule.rb job and the crontab line whenever installed for it.

A crontab scanned next to `schedule.rb` often holds whenever's own output (the lines
between `# Begin/End Whenever generated tasks for: ...`, `Source.whenever_block`). Such a
crontab job is the same job as the schedule.rb one when both fire at the same instants
(same cron sets, same zone) and run the same command; `merge_whenever_duplicates` keeps the
schedule.rb job and lists the crontab line as its second source.

The command must match exactly, except for the application directory: whenever writes
`cd <Dir.pwd> &&` and the server's directory (e.g. `/var/www/app/releases/20240101`) is
not the one scanned, so the `:path` part may differ if it is the same everywhere in the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from migrate.analysis import codes
from migrate.model import Job
from migrate.schedule.cron import CronSchedule


def _same_schedule(a: Job, b: Job) -> bool:
    if a.schedule.timezone != b.schedule.timezone:
        return False
    pa, pb = a.schedule.parsed, b.schedule.parsed
    if pa is None or pb is None:
        return a.schedule.cron == b.schedule.cron
    return _key(pa) == _key(pb)


def _key(s: CronSchedule) -> tuple[object, ...]:
    return (s.minutes, s.hours, s.days, s.months, s.weekdays, s.dom_star, s.dow_star, s.reboot)


def _same_command(whenever: Job, crontab: Job) -> str | None:
    """None when the commands differ, else the crontab's application path ("" if equal)."""
    if whenever.command.stdin != crontab.command.stdin:
        return None
    shell, other = whenever.command.shell, crontab.command.shell
    if shell == other:
        return ""
    path = whenever.extra.get("app_path")
    if not isinstance(path, str) or not path or path not in shell:
        return None
    pattern = "(\\S+)".join(re.escape(part) for part in shell.split(path))
    m = re.fullmatch(pattern, other)
    if m is None or len(set(m.groups())) != 1:
        return None
    return m.group(1)


def merge_whenever_duplicates(jobs: Sequence[Job]) -> list[Job]:
    """Fold crontab jobs from whenever blocks into the matching schedule.rb jobs."""
    scheduled = [j for j in jobs if j.source.kind == "whenever"]
    out: list[Job] = []
    for job in jobs:
        source = job.source
        if source.kind == "crontab" and source.whenever_block is not None:
            match = _find(scheduled, job)
            if match is not None:
                target, path = match
                target.sources.extend(job.sources)
                where = f"{source.host + ':' if source.host else ''}{source.path}:{source.line}"
                message = f"installed by whenever as {where}"
                if path:
                    message += f" (running in {path})"
                target.findings.append(
                    codes.WHENEVER_INSTALLED.finding(message, source.text)
                )
                continue
        out.append(job)
    return out


def _find(candidates: Sequence[Job], job: Job) -> tuple[Job, str] | None:
    for candidate in candidates:
        if candidate.active != job.active or not _same_schedule(candidate, job):
            continue
        path = _same_command(candidate, job)
        if path is not None:
            return candidate, path
    return None
