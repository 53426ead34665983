"""`self-overlap`: a run that may still be going when the next one starts.

Two signs. The job is wrapped in a single-instance guard (`flock`, `lockrun`, `run-one`,
`solo`, `setlock`, `lckdo`, `lockf`, a `run-with-lockfile` script): its author saw runs
overlap, and the guard's lock lives on the host, so in a task it guards nothing. Or the
catalog gives a `max_runtime` (a reviewer's estimate, editable in catalog.yaml) longer than
the shortest interval between two starts, computed from the schedule's masks
(`timing.shortest_interval`).

`max_runtime` is minutes as a number, or a duration string: `90s`, `45m`, `2h`, `1h30m`,
`1d`, ISO 8601 `PT1H30M`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from migrate.analysis.codes import SELF_OVERLAP
from migrate.analysis.shell import LOCK_WRAPPERS, basename, contains_any, parse_shell
from migrate.model import Finding, Job

_GUARD_SCRIPTS = re.compile(r"(?i)^(?:run-with-lockfile|with-lock|lockf|singleton|run-once)"
                            r"(?:\.sh)?$")
_MARKERS = ("flock", "lockrun", "run-one", "run-this-one", "keep-one-running", "solo",
            "setlock", "lckdo", "lockf", "lockfile", "with-lock", "singleton", "run-once")
_DURATION = re.compile(
    r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*"
    r"(?:(?P<s>\d+)\s*s)?$",
    re.I,
)
_ISO = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$",
                  re.I)


def check_guard(job: Job) -> list[Finding]:
    text = job.command.shell
    if not contains_any(text, _MARKERS):
        return []
    for seg in parse_shell(text):
        for wrapper in seg.wrappers:
            name = basename(wrapper[0])
            if name in LOCK_WRAPPERS:
                evidence = " ".join(wrapper)
                return [SELF_OVERLAP.finding(
                    f"guarded by {name} on the host: runs overlapped there, and a lock inside "
                    "a task guards nothing", evidence)]
        if seg.program in LOCK_WRAPPERS or _GUARD_SCRIPTS.match(seg.program):
            evidence = " ".join((seg.command_word, *seg.args[:3]))
            return [SELF_OVERLAP.finding(
                f"guarded by {seg.program} on the host: runs overlapped there, and a lock "
                "inside a task guards nothing", evidence)]
    return []


def parse_duration(value: object) -> int | None:
    """Minutes (rounded up) of a `max_runtime` value, or None when it cannot be read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(-(-float(value) // 1)) if value > 0 else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.replace(".", "", 1).isdigit():
        return parse_duration(float(text))
    m = _DURATION.match(text) or _ISO.match(text)
    if m is None or not any(m.groupdict().values()):
        return None
    g = {k: int(v or 0) for k, v in m.groupdict().items()}
    seconds = ((g["d"] * 24 + g["h"]) * 60 + g["m"]) * 60 + g["s"]
    return -(-seconds // 60) if seconds > 0 else None


def max_runtime(job: Job) -> object:
    return job.extra.get("max_runtime")


def check_runtime(job: Job, shortest: Mapping[int, int], index: int) -> list[Finding]:
    """Findings for a job's `max_runtime` against its shortest interval (minutes)."""
    raw = max_runtime(job)
    if raw is None:
        return []
    minutes = parse_duration(raw)
    if minutes is None:
        return [SELF_OVERLAP.finding(
            f"max_runtime {raw!r} is not a duration (use minutes or e.g. 90m, 2h, PT1H30M)",
            f"max_runtime: {raw}", severity="info")]
    gap = shortest.get(index)
    if gap is None or minutes <= gap:
        return []
    return [SELF_OVERLAP.finding(
        f"max_runtime {minutes} min is longer than the shortest interval between starts "
        f"({gap} min): runs can overlap", f"max_runtime: {raw}")]
