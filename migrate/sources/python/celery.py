"""Celery beat schedules: `beat_schedule` dicts, `add_periodic_task`, `@periodic_task`.

Where entries come from (all read statically):

* `app.conf.beat_schedule = {...}`, `app.conf.update(beat_schedule=...)`, a `beat_schedule`
  module constant (a `celeryconfig` module), Django's `CELERY_BEAT_SCHEDULE` /
  `CELERYBEAT_SCHEDULE`, and later `X.update({...})`, `X["name"] = {...}` on any of them;
* `sender.add_periodic_task(schedule, task.s(...), name=...)` (the documented
  `on_after_configure` hook);
* the Celery 3 decorator `@periodic_task(run_every=...)`.

The container command is `celery -A <app> call <task> --args '<json>' --kwargs '<json>'`
(plus `--queue`/`--exchange`/`--routing-key`/`--expires`/`--countdown`/`--serializer` from the
entry's `options`): it enqueues the task exactly as beat would, and a worker runs it, so the
rule replaces beat, not the workers. `<app>` is found, in order: the main name of a
`Celery("proj")` in the file; for a Django settings file the project package (the directory
holding `settings.py`, or above a `settings/` package); else the file's module from its path.

Zone: the file's `timezone` / `CELERY_TIMEZONE` / `app.conf.timezone` / `Celery(timezone=...)`,
else Django's `TIME_ZONE`; with `enable_utc = False` and no zone, the host's zone (`--tz`);
a file that creates the app and loads no configuration from elsewhere runs in UTC (Celery's
default); otherwise the scan's zone, with a `celery-timezone-unstated` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from migrate.analysis import codes
from migrate.analysis.codes import Code
from migrate.model import Command, Diagnostic, Job, Schedule, Severity
from migrate.sources.python.celery_command import celery_command, signature, task_name
from migrate.sources.python.celery_schedule import Sched, beat_schedule
from migrate.sources.python.common import (
    Findings,
    Zone,
    known_zone,
    make_job,
    module_of,
    rule_name,
    zone_name,
)
from migrate.sources.python.module import CallSite, Walk
from migrate.sources.python.values import Call, Dict, Entry, Ref, Unresolved, one_line, try_plain

KIND = "celery"
SCHEDULE_NAMES = ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE", "beat_schedule")
ZONE_NAMES = ("timezone", "CELERY_TIMEZONE")
UTC_SWITCHES = ("enable_utc", "CELERY_ENABLE_UTC")
CALL_OPTIONS = {"queue": "--queue", "exchange": "--exchange", "routing_key": "--routing-key",
                "expires": "--expires", "countdown": "--countdown",
                "serializer": "--serializer"}


@dataclass(slots=True)
class _Settings:
    path: str
    zone: Zone
    zone_findings: list[tuple[Code, int, str, str, str]] = field(default_factory=list)
    app: str = ""
    app_note: str = ""  # how the app was found, when it is not a `Celery("name")` here
    app_severity: Severity = "info"


def has_celery(walk: Walk) -> bool:
    return bool(_containers(walk)) or any(
        site.method in ("add_periodic_task", "periodic_task") for site in walk.calls
    )


def read_celery(walk: Walk, path: str, scan_zone: str) -> tuple[list[Job], list[Diagnostic]]:
    settings = _settings(walk, path, scan_zone)
    jobs: list[Job] = []
    diagnostics: list[Diagnostic] = []
    for where, container in _containers(walk):
        if not isinstance(container, Dict):
            reason = container.reason if isinstance(container, Unresolved) else (
                "it is not a dict literal this reader can follow")
            line = container.line if isinstance(container, Unresolved | Ref | Call) else 0
            diagnostics.append(Diagnostic(path, line or walk.bound_at.get(where, 0),
                                          f"celery: `{where}` cannot be read: {reason}; "
                                          "its entries are not in the catalog"))
            continue
        for missing in container.missing:
            diagnostics.append(Diagnostic(path, missing.line,
                                          f"celery: part of `{where}` cannot be read: "
                                          f"{missing.reason}; entries it adds are not in "
                                          "the catalog"))
        for entry in container.entries:
            jobs.append(_beat_entry(entry, where, walk, settings))
    for site in walk.calls:
        if site.method == "add_periodic_task":
            jobs.append(_periodic_task_call(site, walk, settings))
        elif site.method == "periodic_task" and site.decorates is not None:
            jobs.append(_periodic_task_decorator(site, walk, settings))
    return jobs, diagnostics


# ---------------------------------------------------------------- where the schedule is


def _containers(walk: Walk) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    seen: set[int] = set()
    for name, value in walk.scope.names():
        last = name.rsplit(".", 1)[-1]
        if last not in SCHEDULE_NAMES:
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        found.append((name, value))
    found.sort(key=lambda pair: walk.bound_at.get(pair[0], 0))
    return found


def _settings(walk: Walk, path: str, scan_zone: str) -> _Settings:
    settings = _Settings(path, Zone(scan_zone, "host"))
    _find_zone(walk, settings, scan_zone)
    _find_app(walk, settings)
    return settings


def _setting(walk: Walk, names: tuple[str, ...]) -> tuple[str, Any] | None:
    for name, value in walk.scope.names():
        last = name.rsplit(".", 1)[-1]
        if last in names:
            if last == "timezone" and "." not in name and not isinstance(value, str | Call):
                continue  # `from django.utils import timezone` and the like
            return name, value
    return None


def _find_zone(walk: Walk, settings: _Settings, scan_zone: str) -> None:
    stated = _setting(walk, ZONE_NAMES)
    for site in walk.calls:
        if stated is None and site.method == "Celery" and "timezone" in site.call.kwargs:
            stated = ("Celery(timezone=...)", site.call.kwargs["timezone"].value)
    if stated is None:
        stated = _setting(walk, ("TIME_ZONE",))
    if stated is not None:
        where, value = stated
        line = walk.bound_at.get(where, 0)
        name = zone_name(value)
        if isinstance(name, str) and known_zone(name):
            settings.zone = Zone(name, "file")
            return
        if isinstance(name, str):
            settings.zone_findings.append((
                codes.INVALID_TIMEZONE, line,
                f"`{where}` names {name!r}, which is not an IANA time zone; read in "
                f"{scan_zone} (--tz)", one_line(repr(value)),
                "Fix the zone name; Celery refuses to start with it."))
        elif isinstance(name, Unresolved):
            settings.zone_findings.append((
                codes.DYNAMIC_VALUE, name.line or line,
                f"`{where}` is not a constant: {name.reason}; read in {scan_zone} (--tz)",
                name.code, "Check the zone the Celery app runs in and set it in the catalog."))
        return
    switch = _setting(walk, UTC_SWITCHES)
    if switch is not None and switch[1] is False:
        return  # Celery uses the host's local zone: the scan's zone
    creates_app = any(site.method == "Celery" for site in walk.calls)
    loads_elsewhere = any(
        site.method in ("config_from_object", "config_from_envvar", "config_from_cmdline")
        for site in walk.calls
    )
    if creates_app and not loads_elsewhere:
        settings.zone = Zone("UTC", "file")
        return
    settings.zone_findings.append((
        codes.CELERY_TIMEZONE_UNSTATED, 1,
        f"this file does not set Celery's `timezone` (or Django's `TIME_ZONE`); read in "
        f"{scan_zone} (--tz). Celery runs beat in UTC when no zone is configured anywhere",
        "", "Check the app's `timezone` setting and pass it with --tz."))


def _find_app(walk: Walk, settings: _Settings) -> None:
    for site in walk.calls:
        if site.method != "Celery":
            continue
        main = site.call.kwargs.get("main") or (site.call.args[0] if site.call.args else None)
        if main is not None and isinstance(main.value, str) and main.value:
            settings.app = main.value
            return
    p = PurePosixPath(settings.path.replace("\\", "/"))
    if any(name in ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE", "INSTALLED_APPS")
           for name, _ in walk.scope.names()):
        package = p.parent.parent.name if p.parent.name == "settings" else p.parent.name
        if package:
            settings.app = package
            settings.app_note = (f"the Django project package `{package}` that holds these "
                                 f"settings (Celery's convention: `{package}/celery.py`)")
            return
    module = module_of(settings.path)
    if p.stem in ("celery", "__init__") and p.parent.name:
        module = p.parent.name
    settings.app = module
    settings.app_note = f"the module this file is (`{module}`), from its path"
    settings.app_severity = "warning"


# ---------------------------------------------------------------- entries


def _beat_entry(entry: Entry, where: str, walk: Walk, settings: _Settings) -> Job:
    findings = Findings(settings.path)
    entry_name, missing = try_plain(entry.key)
    if missing is not None or not isinstance(entry_name, str):
        findings.dynamic("the entry name", missing or Unresolved("not a string", entry.line,
                                                                 entry.code),
                         "named after its line")
        entry_name = f"line-{entry.line}"
    value = entry.value
    body = value if isinstance(value, Dict) else None
    if body is None:
        reason = value if isinstance(value, Unresolved) else Unresolved(
            "the entry is not a dict", entry.line, entry.code)
        findings.dynamic(f"entry {entry_name!r}", reason, "its schedule and task are unknown")
    _notes(entry, findings)

    def get(key: str) -> Entry | None:
        return body.find(key) if body is not None else None

    task_entry, schedule_entry = get("task"), get("schedule")
    task = task_name(task_entry.value if task_entry else None, findings, entry.line)
    if schedule_entry is None and body is not None:
        findings.add(codes.INVALID_SCHEDULE, entry.line,
                     f"entry {entry_name!r} has no 'schedule'; Celery beat refuses it",
                     entry.code)
    sched = beat_schedule(schedule_entry.value if schedule_entry else None, findings,
                      schedule_entry.line if schedule_entry else entry.line)
    options = get("options")
    command = celery_command(
        settings.app, task, get("args"), get("kwargs"), options.value if options else None,
        findings)
    return _job(settings, entry.line, entry.code, str(entry_name), sched, command, findings,
                {"entry": entry_name, "defined_in": where})


def _periodic_task_call(site: CallSite, walk: Walk, settings: _Settings) -> Job:
    findings = Findings(settings.path)
    call = site.call
    _context(site, findings)
    for missing in call.missing:
        findings.dynamic("an argument of add_periodic_task", missing, "it is not read")
    schedule_item = call.kwargs.get("schedule") or (call.args[0] if call.args else None)
    sig_item = call.kwargs.get("sig") or (call.args[1] if len(call.args) > 1 else None)
    sched = beat_schedule(schedule_item.value if schedule_item else None, findings, call.line)
    task, args, kwargs = signature(sig_item, walk, module_of(settings.path),
                                   findings, call.line)
    if args is None:
        args = call.kwargs.get("args") or (call.args[2] if len(call.args) > 2 else None)
    if kwargs is None:
        kwargs = call.kwargs.get("kwargs") or (call.args[3] if len(call.args) > 3 else None)
    name_item = call.kwargs.get("name") or (call.args[4] if len(call.args) > 4 else None)
    name = name_item.value if name_item and isinstance(name_item.value, str) else None
    options = {k: v for k, v in call.kwargs.items()
               if k not in ("schedule", "sig", "args", "kwargs", "name")}
    option_dict = Dict([Entry(k, v.value, v.line, v.code) for k, v in options.items()],
                       call.line, call.code)
    command = celery_command(settings.app, task, args, kwargs, option_dict, findings)
    # Celery names an unnamed periodic task after the signature's repr.
    label = name or (task if isinstance(task, str) else f"line-{call.line}")
    return _job(settings, call.line, call.code, label, sched, command, findings,
                {"entry": name, "defined_in": "add_periodic_task"})


def _periodic_task_decorator(site: CallSite, walk: Walk, settings: _Settings) -> Job:
    findings = Findings(settings.path)
    call = site.call
    _context(site, findings)
    run_every = call.kwargs.get("run_every") or (call.args[0] if call.args else None)
    sched = beat_schedule(run_every.value if run_every else None, findings, call.line)
    name_item = call.kwargs.get("name")
    function = site.decorates or "task"
    if name_item is not None and isinstance(name_item.value, str):
        task: str | Unresolved = name_item.value
    else:
        task = f"{module_of(settings.path)}.{function}"
        findings.add(codes.CELERY_TASK_NAME_DERIVED, call.line,
                     f"task name {task!r} is Celery's default (module + function) for "
                     f"`{function}`, with the module taken from the file's path",
                     call.code, "Check the module path the worker imports it under.")
    command = celery_command(settings.app, task, None, None, None, findings)
    return _job(settings, site.decorates_line, call.code, function, sched, command, findings,
                {"entry": function, "defined_in": "@periodic_task"})


def _notes(entry: Entry, findings: Findings) -> None:
    if entry.note:
        findings.add(codes.CONDITIONAL_ENTRY, entry.line,
                     f"the entry is set {entry.note}; it exists only when that holds",
                     entry.code, "Decide whether the job belongs in the environment you "
                                 "migrate; set `active: false` if not.")
    for line in entry.replaced:
        findings.add(codes.ENTRY_REPLACED, entry.line,
                     f"an earlier value of this entry (line {line}) is replaced here; "
                     "Python keeps only the last", entry.code)


def _context(site: CallSite, findings: Findings) -> None:
    note = site.context.note()
    if note:
        findings.add(codes.CONDITIONAL_ENTRY, site.call.line,
                     f"the call runs {note}; it exists only when that holds", site.call.code,
                     "Decide whether the job belongs in the environment you migrate.")


def _job(settings: _Settings, line: int, text: str, label: str, sched: Sched,
         command: Command, findings: Findings, extra: dict[str, Any]) -> Job:
    for code, fline, message, evidence, rec in settings.zone_findings:
        findings.add(code, fline, message, evidence, rec)
    zone = settings.zone
    timezone, timezone_from = zone.name, zone.source
    if sched.interval:
        timezone, timezone_from = "UTC", "interval"
    schedule = Schedule(cron=sched.text, timezone=timezone, timezone_from=timezone_from,
                        aws=(sched.rate,) if sched.rate else (), parsed=sched.parsed)
    extra = {k: v for k, v in extra.items() if v is not None}
    extra["celery_app"] = settings.app
    if settings.app_note:
        findings.add(codes.CELERY_APP_DERIVED,
                     line, f"the file creates no `Celery(\"name\")`; `-A {settings.app}` is "
                           f"{settings.app_note}", "",
                     "Check the -A value the workers run with and correct the command.",
                     severity=settings.app_severity)
    if sched.fields is not None:
        extra["crontab"] = sched.fields
    return make_job(
        kind=KIND, path=settings.path, line=line, text=text,
        name=rule_name(KIND, label), identity=f"{label}\x00{line}", schedule=schedule,
        command=command, findings=findings, extra=extra,
        description=f"Celery beat {label!r}: {sched.text} ({timezone})",
    )
