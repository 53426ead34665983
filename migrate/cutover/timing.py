"""When a cut-over may run: now inside the computed (or given) window, or `--now` accepted.

`decide(jobs, now, window, accept_now, duration, homes)` returns a `Timing`: `run` says
whether to go ahead now, `text` what to print (the window, or which run of which job may be
doubled or skipped). No window at all (a job firing every few minutes) without `--now` is a
`CutoverError`. A job's instants are those of what it is deployed as (`homes`: job id ->
the kinds found, `rule` and/or `schedule`; rules by default): a rule's UTC expressions, or a
Scheduler schedule's expressions in its time zone (`schedule.scheduler`), or both while a
move between the two is unfinished. Pure.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from migrate.cutover.edits import CutoverError
from migrate.cutover.window import Timed, Window, find_window, next_fire
from migrate.model import Job


@dataclass(frozen=True, slots=True)
class Timing:
    run: bool
    text: str
    window: Window | None


Homes = Mapping[str, Collection[str]]


def _on_scheduler(job: Job, homes: Homes) -> bool:
    return "schedule" in homes.get(job.id, ()) and job.schedule.scheduler is not None


def _on_rules(job: Job, homes: Homes) -> bool:
    return not _on_scheduler(job, homes) or "rule" in homes.get(job.id, ())


def instants(job: Job, homes: Homes) -> list[str | Timed]:
    """The expressions `job` fires by where it is deployed: UTC, or (expression, zone)."""
    out: list[str | Timed] = list(job.schedule.aws) if _on_rules(job, homes) else []
    target = job.schedule.scheduler
    if _on_scheduler(job, homes) and target is not None:
        out += [(e, target.timezone) for e in (*target.expressions, *target.at)]
    return out


def _exact(job: Job, homes: Homes) -> bool:
    target = job.schedule.scheduler
    return ((not _on_rules(job, homes) or job.schedule.exact)
            and (not _on_scheduler(job, homes) or (target is not None and target.exact)))


def at_risk(jobs: Sequence[Job], now: datetime, homes: Homes | None = None) -> str:
    """Which run of each job may be doubled or skipped when the change happens now."""
    parts = []
    for j in jobs:
        timed = instants(j, homes or {})
        nxt = next_fire(timed, now) if timed else None
        when = nxt.strftime("%Y-%m-%dT%H:%MZ") if nxt else "none within 7 days"
        parts.append(f"{j.id}: the run at {when}")
    return "; ".join(parts)


def decide(jobs: Sequence[Job], now: datetime, window: Window | None, accept_now: bool,
           duration: timedelta, homes: Homes | None = None) -> Timing:
    homes = homes or {}
    minutes = int(duration.total_seconds() // 60)
    inexact = [j.id for j in jobs if not _exact(j, homes)]
    note = (f" (not proven exact, so their legacy instants may differ from AWS's: "
            f"{', '.join(inexact)})" if inexact else "")
    if accept_now:
        return Timing(True, "now (--now): may be doubled or skipped (if it starts while the "
                      f"lines and AWS change): {at_risk(jobs, now, homes)}{note}", None)
    if any(not instants(j, homes) for j in jobs):
        raise CutoverError("a job without AWS expressions has no instants to avoid; pass "
                           "--window START..END or --now")
    if window is not None:
        if not window.start <= now < window.end:
            return Timing(False, f"the given window {window} is not now; run again inside "
                                 "it", window)
        return Timing(True, f"{window} (given with --window){note}", window)
    found = find_window([e for j in jobs for e in instants(j, homes)], now, duration)
    if found is None:
        raise CutoverError(
            f"no window of {minutes} minutes within 7 days in which none of "
            f"{', '.join(j.id for j in jobs)} fires (a job firing every few minutes); pass "
            f"--now to accept that a run may be doubled or skipped: "
            f"{at_risk(jobs, now, homes)}")
    if found.start > now + timedelta(minutes=1):
        return Timing(False, f"next window: {found} ({minutes} minutes needed for the playbook "
                             "and the AWS calls, --duration); run this command again then",
                      found)
    return Timing(True, f"{found} (no chosen job fires before {found.end:%H:%MZ}){note}",
                  found)
