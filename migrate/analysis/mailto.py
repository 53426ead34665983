"""`mailto`: cron mailed the job's output (`MAILTO`); a task mails nothing.

cron sends whatever a job prints to `MAILTO` (cronie: to the crontab's owner when unset, to
nobody when `MAILTO=""`). Only an explicit, non-empty `MAILTO` is reported: that is a team
relying on the mail. When the job's output is redirected away entirely, cron mailed only
failures to start, so the finding is `info`.
"""

from __future__ import annotations

from migrate.analysis.codes import MAILTO
from migrate.analysis.shell import parse_shell
from migrate.model import Finding, Job


def _output_redirected(text: str) -> bool:
    segments = parse_shell(text)
    if not segments:
        return False
    last = segments[-1]
    ops = [r.op for r in last.redirects if r.writes]
    stdout = any(op.startswith((">", "1>", "&>")) for op in ops)
    stderr = any(op.startswith(("2>", "&>")) for op in ops)
    return stdout and stderr


def check(job: Job) -> list[Finding]:
    value = job.command.env.get("MAILTO")
    if value is None:
        return []
    value = value.strip().strip("'\"")
    if not value:
        return []
    evidence = f"MAILTO={value}"
    if _output_redirected(job.command.shell):
        return [MAILTO.finding(
            f"cron mailed {value} (the output is redirected, so only errors starting the job)",
            evidence, severity="info")]
    return [MAILTO.finding(f"cron mailed the output to {value}", evidence)]
