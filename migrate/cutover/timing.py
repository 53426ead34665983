"""When a cut-over may run: now inside the computed (or given) window, or `--now` accepted.

`decide(jobs, now, window, accept_now, duration)` returns a `Timing`: `run` says whether to
go ahead now, `text` what to print (the window, or which run of which job may be doubled
or skipped). No window at all (a job firing every few minutes) without `--now` is a
`CutoverError`. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from migrate.cutover.edits import CutoverError
from migrate.cutover.window import Window, find_window, next_fire
from migrate.model import Job


@dataclass(frozen=True, slots=True)
class Timing:
    run: bool
    text: str
    window: Window | None


def _expressions(jobs: Sequence[Job]) -> list[str]:
    return [e for j in jobs for e in j.schedule.aws]


def at_risk(jobs: Sequence[Job], now: datetime) -> str:
    """Which run of each job may be doubled or skipped when the change happens now."""
    parts = []
    for j in jobs:
        nxt = next_fire(list(j.schedule.aws), now) if j.schedule.aws else None
        when = nxt.strftime("%Y-%m-%dT%H:%MZ") if nxt else "none within 7 days"
        parts.append(f"{j.id}: the run at {when}")
    return "; ".join(parts)


def decide(jobs: Sequence[Job], now: datetime, window: Window | None, accept_now: bool,
           duration: timedelta) -> Timing:
    minutes = int(duration.total_seconds() // 60)
    inexact = [j.id for j in jobs if not j.schedule.exact]
    note = (f" (not proven exact, so their legacy instants may differ from the rules': "
            f"{', '.join(inexact)})" if inexact else "")
    if accept_now:
        return Timing(True, "now (--now): may be doubled or skipped (if it starts while the "
                      f"lines and rules change): {at_risk(jobs, now)}{note}", None)
    if any(not j.schedule.aws for j in jobs):
        raise CutoverError("a job without AWS expressions has no instants to avoid; pass "
                           "--window START..END or --now")
    if window is not None:
        if not window.start <= now < window.end:
            return Timing(False, f"the given window {window} is not now; run again inside "
                                 "it", window)
        return Timing(True, f"{window} (given with --window){note}", window)
    found = find_window(_expressions(jobs), now, duration)
    if found is None:
        raise CutoverError(
            f"no window of {minutes} minutes within 7 days in which none of "
            f"{', '.join(j.id for j in jobs)} fires (a job firing every few minutes); pass "
            f"--now to accept that a run may be doubled or skipped: {at_risk(jobs, now)}")
    if found.start > now + timedelta(minutes=1):
        return Timing(False, f"next window: {found} ({minutes} minutes needed for the playbook "
                             "and the AWS calls, --duration); run this command again then",
                      found)
    return Timing(True, f"{found} (no chosen job fires before {found.end:%H:%MZ}){note}",
                  found)
