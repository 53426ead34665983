"""What the three Python readers share: findings with a place, zones, names, job assembly."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from migrate.analysis import codes
from migrate.analysis.codes import Code
from migrate.model import Command, Finding, Job, Schedule, Severity, Source
from migrate.schedule.cron import CronSchedule
from migrate.sources.python.values import Call, Item, Ref, Unresolved, one_line

RULE_NAME_LIMIT = 64
_RULE_CHARS = re.compile(r"[^.\-_A-Za-z0-9]+")
UTC_NAMES = frozenset({
    "pytz.utc", "pytz.UTC", "datetime.timezone.utc", "timezone.utc", "datetime.UTC", "UTC",
    "utc", "dateutil.tz.UTC", "tz.UTC", "tz.tzutc", "zoneinfo.ZoneInfo.UTC",
})
ZONE_CONSTRUCTORS = frozenset({"timezone", "ZoneInfo", "gettz", "get_timezone", "tz"})


@dataclass(slots=True)
class Findings:
    """Findings of one entry; every message starts with `path:line:`."""

    path: str
    items: list[Finding] = field(default_factory=list)

    def add(self, code: Code, line: int, message: str, evidence: str = "",
            recommendation: str = "", *, severity: Severity | None = None) -> None:
        """The advice is the call site's (none when not given): these codes carry none."""
        self.items.append(code.finding(f"{self.path}:{line}: {message}", one_line(evidence),
                                       severity=severity, recommendation=recommendation))

    def dynamic(self, what: str, unresolved: Unresolved, consequence: str) -> None:
        self.add(
            codes.DYNAMIC_VALUE, unresolved.line or 0,
            f"{what} is not a constant: {unresolved.reason}; {consequence}",
            unresolved.code,
            "Make the value a literal or a module-level constant, or fill it in by hand in "
            "the catalog.",
        )


@dataclass(frozen=True, slots=True)
class Zone:
    name: str
    source: str  # "file" or "host"


def zone_name(value: Any) -> str | Unresolved | None:
    """A zone written as a string, `pytz.timezone("X")`, `ZoneInfo("X")`, `pytz.utc` ..."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Ref):
        if value.qualified in UTC_NAMES or value.dotted in UTC_NAMES:
            return "UTC"
        return Unresolved(f"`{value.dotted}` is not a time zone this reader knows", value.line,
                          value.code)
    if isinstance(value, Call) and value.name in ZONE_CONSTRUCTORS and len(value.args) == 1:
        inner = value.args[0].value
        if isinstance(inner, str):
            return inner
    if isinstance(value, Call) and value.name == "tzutc":
        return "UTC"
    if isinstance(value, Unresolved):
        return value
    if isinstance(value, Call):
        return Unresolved(f"calls `{value.func}(...)`, known only at run time", value.line,
                          value.code)
    return Unresolved(f"{value!r} is not a time zone", 0, repr(value))


def known_zone(name: str) -> bool:
    if name.upper() == "UTC":
        return True
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def rule_name(*parts: str) -> str:
    """A readable EventBridge rule name: <= 64 of `[.-_A-Za-z0-9]`."""
    joined = "-".join(p for p in parts if p)
    cleaned = _RULE_CHARS.sub("-", joined).strip("-.") or "job"
    return cleaned[:RULE_NAME_LIMIT].rstrip("-.") or "job"


def unique_names(jobs: list[Job]) -> None:
    """Suffix `-2`, `-3` ... to names repeated within one file (in place)."""
    seen: dict[str, int] = {}
    for job in jobs:
        count = seen.get(job.name, 0) + 1
        seen[job.name] = count
        if count > 1:
            suffix = f"-{count}"
            job.name = job.name[: RULE_NAME_LIMIT - len(suffix)] + suffix


def job_id(*material: str) -> str:
    digest = hashlib.sha256("\x00".join(material).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:12]


def module_of(path: str) -> str:
    """The importable module a file most likely is, from its path (`proj/tasks.py` ->
    `proj.tasks`, `scheduler.py` -> `scheduler`). Only the parent directory is used: we do
    not read the file system to find package roots."""
    p = PurePosixPath(path.replace("\\", "/"))
    stem = p.stem if p.suffix == ".py" else p.name
    parent = p.parent.name
    parts = [part for part in (parent, stem) if part and part not in (".", "..")]
    if stem == "__init__":
        parts = [parent] if parent else ["__init__"]
    return ".".join(parts) or "module"


def make_job(
    *,
    kind: str,
    path: str,
    line: int,
    text: str,
    name: str,
    identity: str,
    schedule: Schedule,
    command: Command,
    findings: Findings,
    extra: dict[str, Any],
    description: str,
) -> Job:
    return Job(
        id=job_id(kind, path, identity, schedule.cron, command.shell),
        name=name,
        description=description,
        active=True,
        sources=[Source(kind=kind, path=path, line=line, text=one_line(text, 400))],
        schedule=schedule,
        command=command,
        findings=list(findings.items),
        extra=extra,
    )


def cron_schedule(
    text: str,
    minutes: frozenset[int],
    hours: frozenset[int],
    days: frozenset[int],
    months: frozenset[int],
    weekdays: frozenset[int],
    *,
    minute_text: str,
    hour_text: str,
) -> CronSchedule:
    """A framework schedule whose day fields combine with AND (Celery, APScheduler).

    `dom_star`/`dow_star` are cronie's flags; either one set makes `day_rule` "and", which is
    what these frameworks do whatever the fields hold. `min_star`/`hour_star` follow the
    fields as written (a `*` start), as for a crontab line.
    """
    return CronSchedule(
        one_line(text),
        minutes,
        hours,
        days,
        months,
        weekdays,
        min_star=minute_text.strip().startswith("*"),
        hour_star=hour_text.strip().startswith("*"),
        dom_star=True,
        dow_star=True,
    )


def item_text(item: Item | None, default: str = "*") -> str:
    if item is None:
        return default
    value = item.value
    if isinstance(value, str):
        return value
    return item.code
