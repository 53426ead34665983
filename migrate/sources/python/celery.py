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

import json
import shlex
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from migrate.model import Command, Diagnostic, Job, Schedule
from migrate.schedule.cron import CronSchedule
from migrate.sources.python import celery_fields as cf
from migrate.sources.python.common import (
    Findings,
    Zone,
    cron_schedule,
    item_text,
    known_zone,
    make_job,
    module_of,
    rule_name,
    zone_name,
)
from migrate.sources.python.intervals import describe_seconds, plan_interval
from migrate.sources.python.module import CallSite, Walk
from migrate.sources.python.values import (
    Call,
    Dict,
    Entry,
    Item,
    Ref,
    Seq,
    Unresolved,
    one_line,
    try_plain,
)

KIND = "celery"
SCHEDULE_NAMES = ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE", "beat_schedule")
ZONE_NAMES = ("timezone", "CELERY_TIMEZONE")
UTC_SWITCHES = ("enable_utc", "CELERY_ENABLE_UTC")
CALL_OPTIONS = {"queue": "--queue", "exchange": "--exchange", "routing_key": "--routing-key",
                "expires": "--expires", "countdown": "--countdown",
                "serializer": "--serializer"}
TIMEDELTA_ARGS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours",
                  "weeks")
TIMEDELTA_SECONDS = {"days": 86400, "seconds": 1, "microseconds": 1e-6, "milliseconds": 1e-3,
                     "minutes": 60, "hours": 3600, "weeks": 604800}


@dataclass(slots=True)
class _Settings:
    path: str
    zone: Zone
    zone_findings: list[tuple[str, str, int, str, str, str]] = field(default_factory=list)
    app: str = ""
    app_note: str = ""


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
        if "." in name and ".conf." not in f"{name}." and not name.startswith("conf."):
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
        if last in names and ("." not in name or ".conf." in f"{name}."):
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
                "invalid-timezone", "error", line,
                f"`{where}` names {name!r}, which is not an IANA time zone; read in "
                f"{scan_zone} (--tz)", one_line(repr(value)),
                "Fix the zone name; Celery refuses to start with it."))
        elif isinstance(name, Unresolved):
            settings.zone_findings.append((
                "dynamic-value", "warning", name.line or line,
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
        "celery-timezone-unstated", "warning", 1,
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
            settings.app_note = f"the main name of `Celery({main.value!r})`"
            return
    p = PurePosixPath(settings.path.replace("\\", "/"))
    if any(name in ("CELERY_BEAT_SCHEDULE", "CELERYBEAT_SCHEDULE", "INSTALLED_APPS")
           for name, _ in walk.scope.names()):
        package = p.parent.parent.name if p.parent.name == "settings" else p.parent.name
        if package:
            settings.app = package
            settings.app_note = f"the Django project package `{package}` holding the settings"
            return
    module = module_of(settings.path)
    if p.stem in ("celery", "__init__") and p.parent.name:
        module = p.parent.name
    settings.app = module
    settings.app_note = f"the module `{module}` this file is"


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
    get = (lambda key: body.find(key)) if body is not None else (lambda key: None)
    task_entry, schedule_entry = get("task"), get("schedule")
    task = _task_name(task_entry.value if task_entry else None, findings, entry.line)
    if schedule_entry is None and body is not None:
        findings.add("invalid-schedule", "error", entry.line,
                     f"entry {entry_name!r} has no 'schedule'; Celery beat refuses it",
                     entry.code)
    sched = _schedule(schedule_entry.value if schedule_entry else None, findings,
                      schedule_entry.line if schedule_entry else entry.line)
    options = get("options")
    command = _command(
        settings, task, get("args"), get("kwargs"), options.value if options else None,
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
    sched = _schedule(schedule_item.value if schedule_item else None, findings, call.line)
    task, args, kwargs = _signature(sig_item, walk, settings, findings, call.line)
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
    command = _command(settings, task, args, kwargs, option_dict, findings)
    # Celery names an unnamed periodic task after the signature's repr.
    label = name or (task if isinstance(task, str) else f"line-{call.line}")
    return _job(settings, call.line, call.code, label, sched, command, findings,
                {"entry": name, "defined_in": "add_periodic_task"})


def _periodic_task_decorator(site: CallSite, walk: Walk, settings: _Settings) -> Job:
    findings = Findings(settings.path)
    call = site.call
    _context(site, findings)
    run_every = call.kwargs.get("run_every") or (call.args[0] if call.args else None)
    sched = _schedule(run_every.value if run_every else None, findings, call.line)
    name_item = call.kwargs.get("name")
    function = site.decorates or "task"
    if name_item is not None and isinstance(name_item.value, str):
        task: str | Unresolved = name_item.value
    else:
        task = f"{module_of(settings.path)}.{function}"
        findings.add("celery-task-name-derived", "info", call.line,
                     f"task name {task!r} is Celery's default (module + function) for "
                     f"`{function}`, with the module taken from the file's path",
                     call.code, "Check the module path the worker imports it under.")
    command = _command(settings, task, None, None, None, findings)
    return _job(settings, site.decorates_line, call.code, function, sched, command, findings,
                {"entry": function, "defined_in": "@periodic_task"})


def _notes(entry: Entry, findings: Findings) -> None:
    if entry.note:
        findings.add("conditional-entry", "warning", entry.line,
                     f"the entry is set {entry.note}; it exists only when that holds",
                     entry.code, "Decide whether the job belongs in the environment you "
                                 "migrate; set `active: false` if not.")
    for line in entry.replaced:
        findings.add("entry-replaced", "info", entry.line,
                     f"an earlier value of this entry (line {line}) is replaced here; "
                     "Python keeps only the last", entry.code)


def _context(site: CallSite, findings: Findings) -> None:
    note = site.context.note()
    if note:
        findings.add("conditional-entry", "warning", site.call.line,
                     f"the call runs {note}; it exists only when that holds", site.call.code,
                     "Decide whether the job belongs in the environment you migrate.")


def _job(settings: _Settings, line: int, text: str, label: str, sched: _Sched,
         command: Command, findings: Findings, extra: dict[str, Any]) -> Job:
    for code, severity, fline, message, evidence, rec in settings.zone_findings:
        findings.add(code, severity, fline, message, evidence, rec)  # type: ignore[arg-type]
    zone = settings.zone
    timezone, timezone_from = zone.name, zone.source
    if sched.interval:
        timezone, timezone_from = "UTC", "interval"
    schedule = Schedule(cron=sched.text, timezone=timezone, timezone_from=timezone_from,
                        aws=(sched.rate,) if sched.rate else (), parsed=sched.parsed)
    extra = {k: v for k, v in extra.items() if v is not None}
    extra["celery_app"] = settings.app
    return make_job(
        kind=KIND, path=settings.path, line=line, text=text,
        name=rule_name(KIND, label), identity=f"{label}\x00{line}", schedule=schedule,
        command=command, findings=findings, extra=extra,
        description=f"Celery beat {label!r}: {sched.text} ({timezone})",
    )


# ---------------------------------------------------------------- schedules


@dataclass(slots=True)
class _Sched:
    text: str
    parsed: CronSchedule | None = None
    rate: str | None = None
    interval: bool = False


def _schedule(value: Any, findings: Findings, line: int) -> _Sched:
    if value is None:
        return _Sched("(no schedule)")
    if isinstance(value, bool):
        findings.add("invalid-schedule", "error", line,
                     f"schedule {value!r} is not a number, a timedelta or a crontab")
        return _Sched(repr(value))
    if isinstance(value, int | float):
        return _interval(float(value), repr(value), findings, line)
    if isinstance(value, Call):
        if value.name == "crontab":
            return _crontab(value, findings)
        if value.func.endswith("crontab.from_string"):
            return _crontab_from_string(value, findings)
        if value.name == "timedelta":
            seconds = _timedelta_seconds(value, findings)
            return _Sched(value.code) if seconds is None else _interval(
                seconds, value.code, findings, value.line)
        if value.name == "schedule":
            run_every = value.kwargs.get("run_every") or (value.args[0] if value.args else None)
            inner = _schedule(run_every.value if run_every else None, findings, value.line)
            return _Sched(value.code, inner.parsed, inner.rate, inner.interval)
        if value.name == "solar":
            findings.add("solar-schedule", "error", value.line,
                         "a solar schedule (sunrise, sunset ...) moves every day with the "
                         "sun; no cron or rate expression reproduces it", value.code,
                         "Run it from a scheduler that computes solar events, or choose a "
                         "fixed time.")
            return _Sched(value.code)
    unresolved = value if isinstance(value, Unresolved) else _as_unresolved(value, line)
    findings.dynamic("the schedule", unresolved, "the job has no schedule until one is set")
    return _Sched(unresolved.code)


def _as_unresolved(value: Any, line: int) -> Unresolved:
    if isinstance(value, Ref):
        return Unresolved(f"`{value.dotted}` is not a constant defined in this file",
                          value.line, value.code)
    if isinstance(value, Call):
        return Unresolved(f"calls `{value.func}(...)`, known only at run time", value.line,
                          value.code)
    return Unresolved(f"{one_line(repr(value), 60)} is not a schedule", line, repr(value))


def _interval(seconds: float, text: str, findings: Findings, line: int) -> _Sched:
    plan = plan_interval(seconds, one_line(text))
    every = describe_seconds(seconds)
    if plan.parsed is not None:
        findings.add("interval-anchored", "warning", line,
                     f"every {every} counts from when beat started, not from the clock; "
                     "converted to fire at multiples of it since 00:00 UTC", text,
                     "Accept the new phase, or give the entry a crontab().")
        return _Sched(one_line(text), plan.parsed, interval=True)
    if plan.rate is not None:
        findings.add("interval-rate", "warning", line,
                     f"every {every} does not divide an hour or a day, so no cron expression "
                     f"repeats it; converted to {plan.rate}, which counts from when the rule "
                     "is created and cannot be verified", text,
                     "Accept the rate, or give the entry a crontab().")
        return _Sched(one_line(text), rate=plan.rate, interval=True)
    findings.add("sub-minute", "error", line, plan.problem, text,
                 "Run it inside a long-running service, or choose a whole-minute interval.")
    return _Sched(one_line(text), interval=True)


def _timedelta_seconds(call: Call, findings: Findings) -> float | None:
    total = 0.0
    pairs = [(TIMEDELTA_ARGS[i], item) for i, item in enumerate(call.args[:7])]
    pairs += list(call.kwargs.items())
    for key, item in pairs:
        value, missing = try_plain(item.value)
        if missing is not None:
            findings.dynamic(f"timedelta {key}", missing, "the interval is unknown")
            return None
        if key not in TIMEDELTA_SECONDS or isinstance(value, bool) or not isinstance(
            value, int | float
        ):
            findings.add("invalid-schedule", "error", item.line,
                         f"timedelta({key}={value!r}) is not a valid duration", item.code)
            return None
        total += value * TIMEDELTA_SECONDS[key]
    if call.missing:
        findings.dynamic("the timedelta", call.missing[0], "the interval is unknown")
        return None
    return round(total, 6)


def _crontab(call: Call, findings: Findings) -> _Sched:
    given: dict[str, Item] = {}
    for field, item in zip(cf.POSITIONAL, call.args, strict=False):
        given[field.name] = item
    for key, item in call.kwargs.items():
        if key in cf.BY_NAME:
            given[key] = item
        elif key not in ("nowfun", "app"):
            findings.add("invalid-schedule", "error", item.line,
                         f"crontab() has no argument {key!r}; Celery refuses it", call.code)
            return _Sched(call.code)
    if len(call.args) > 5 or call.missing:
        findings.add("invalid-schedule", "error", call.line,
                     "crontab() takes at most five fields, given explicitly", call.code)
        return _Sched(call.code)
    return _crontab_fields(call.code, call.line, {k: (v.value, v) for k, v in given.items()},
                           findings)


def _crontab_from_string(call: Call, findings: Findings) -> _Sched:
    text = call.args[0].value if len(call.args) == 1 and not call.kwargs else None
    if not isinstance(text, str):
        unresolved = text if isinstance(text, Unresolved) else Unresolved(
            "crontab.from_string() needs one string", call.line, call.code)
        findings.dynamic("the crontab string", unresolved, "the job has no schedule")
        return _Sched(call.code)
    parts = text.split(" ")  # Celery splits on single spaces: two blanks make six fields
    if len(parts) != 5:
        findings.add("invalid-schedule", "error", call.line,
                     f"crontab.from_string({text!r}) splits into {len(parts)} fields on "
                     "single spaces, not 5; Celery refuses it", call.code)
        return _Sched(call.code)
    minute, hour, day_of_month, month_of_year, day_of_week = parts
    item = call.args[0]
    fields = {"minute": minute, "hour": hour, "day_of_week": day_of_week,
              "day_of_month": day_of_month, "month_of_year": month_of_year}
    return _crontab_fields(call.code, call.line, {k: (v, item) for k, v in fields.items()},
                           findings)


def _crontab_fields(text: str, line: int, given: dict[str, tuple[Any, Item]],
                    findings: Findings) -> _Sched:
    sets: dict[str, frozenset[int]] = {}
    for field in cf.POSITIONAL:
        value, item = given.get(field.name, ("*", None))
        if value is None:
            value = "*"  # Celery: a field given as None is "*"
        _, missing = try_plain(value)
        if missing is not None:
            findings.dynamic(f"crontab {field.name}", missing, "the job has no schedule")
            return _Sched(one_line(text))
        try:
            sets[field.name] = cf.field_values(value, field)
        except cf.CeleryFieldError as exc:
            findings.add("invalid-schedule", "error", item.line if item else line,
                         f"Celery refuses crontab {exc}", item.code if item else text,
                         "Fix the field; beat fails to start with it.")
            return _Sched(one_line(text))
    try:
        cf.check_days_exist(sets["day_of_month"], sets["month_of_year"])
    except cf.CeleryFieldError as exc:
        findings.add("invalid-schedule", "error", line, str(exc), text)
        return _Sched(one_line(text))
    minute_item, hour_item = given.get("minute"), given.get("hour")
    parsed = cron_schedule(
        text, sets["minute"], sets["hour"], sets["day_of_month"], sets["month_of_year"],
        sets["day_of_week"],
        minute_text=_field_text(minute_item), hour_text=_field_text(hour_item),
    )
    return _Sched(one_line(text), parsed)


def _field_text(given: tuple[Any, Item] | None) -> str:
    if given is None or given[0] is None:
        return "*"
    return given[0] if isinstance(given[0], str) else item_text(given[1])


# ---------------------------------------------------------------- tasks and commands


def _task_name(value: Any, findings: Findings, line: int) -> str | Unresolved:
    if isinstance(value, str) and value:
        return value
    unresolved = value if isinstance(value, Unresolved) else _as_unresolved(value, line) if (
        value is not None) else Unresolved("the entry has no 'task'", line, "")
    findings.dynamic("the task name", unresolved, "the container command is incomplete")
    return unresolved


def _signature(item: Item | None, walk: Walk, settings: _Settings, findings: Findings,
               line: int) -> tuple[str | Unresolved, Item | None, Item | None]:
    """`task.s(1, 2)`, `task.si(...)`, `task.signature(args, kwargs)`, `signature("name")`."""
    value = item.value if item else None
    if isinstance(value, Call):
        base, _, method = value.func.rpartition(".")
        if method in ("s", "si") and base:
            args = Item(_seq_of(value), value.line, value.code) if value.args else None
            kwargs = Item(Dict([Entry(k, v.value, v.line, v.code)
                                for k, v in value.kwargs.items()], value.line, value.code),
                          value.line, value.code) if value.kwargs else None
            return _task_of(base, item, walk, settings, findings), args, kwargs
        if method == "signature" and base and not value.func.startswith("celery."):
            args = value.kwargs.get("args") or (value.args[0] if value.args else None)
            kwargs = value.kwargs.get("kwargs") or (value.args[1] if len(value.args) > 1
                                                    else None)
            return _task_of(base, item, walk, settings, findings), args, kwargs
        if value.name == "signature" and value.args:
            name = value.args[0].value
            args = value.kwargs.get("args") or (value.args[1] if len(value.args) > 1 else None)
            kwargs = value.kwargs.get("kwargs") or (value.args[2] if len(value.args) > 2
                                                    else None)
            return _task_name(name, findings, line), args, kwargs
    if isinstance(value, str):
        return value, None, None
    unresolved = value if isinstance(value, Unresolved) else _as_unresolved(value, line)
    findings.dynamic("the task signature", unresolved, "the container command is incomplete")
    return unresolved, None, None


def _seq_of(call: Call) -> Seq:
    return Seq("tuple", list(call.args), call.line, call.code, list(call.missing))


def _task_of(dotted: str, item: Item | None, walk: Walk, settings: _Settings,
             findings: Findings) -> str | Unresolved:
    """Celery's name for a task function: its `name=` if declared here, else module.function."""
    local = dotted.split(".")[0]
    info = walk.functions.get(dotted)
    if info is not None:
        for decorator in info.decorators:
            if decorator.name in ("task", "shared_task"):
                name = decorator.kwargs.get("name")
                if name is not None and isinstance(name.value, str):
                    return name.value
        task = f"{module_of(settings.path)}.{dotted}"
    elif local in walk.evaluator.imports:
        task = walk.evaluator.qualify(dotted)
    else:
        task = dotted
    line = item.line if item else 0
    findings.add("celery-task-name-derived", "info", line,
                 f"task name {task!r} is Celery's default (module + function) for `{dotted}`",
                 item.code if item else dotted,
                 "Check it against the worker's registered tasks (`celery inspect registered`)"
                 " unless the task declares name=.")
    return task


def _command(settings: _Settings, task: str | Unresolved, args: Any, kwargs: Any,
             options: Any, findings: Findings) -> Command:
    argv: list[str] = ["celery", "-A", settings.app, "call"]
    complete = True
    if isinstance(task, str):
        argv.append(task)
    else:
        argv.append("<task>")
        complete = False
    for flag, item in (("--args", args), ("--kwargs", kwargs)):
        if item is None:
            continue
        value = item.value if isinstance(item, Item | Entry) else item
        data, missing = try_plain(value)
        if missing is not None:
            findings.dynamic(f"the task's {flag[2:]}", missing,
                             "the container command is incomplete")
            argv += [flag, "<unresolved>"]
            complete = False
            continue
        if flag == "--args" and isinstance(data, list | tuple):
            data = list(data)
        try:
            encoded = json.dumps(data, sort_keys=False, ensure_ascii=False)
        except (TypeError, ValueError):
            findings.add("celery-args-not-json", "error", getattr(item, "line", 0),
                         f"the task's {flag[2:]} {one_line(repr(data), 80)} cannot be written "
                         "as JSON for `celery call`", getattr(item, "code", ""))
            argv += [flag, "<unresolved>"]
            complete = False
            continue
        if data in ([], {}, ()):
            continue
        argv += [flag, encoded]
    if isinstance(options, Dict):
        for entry in options.entries:
            value, missing = try_plain(entry.value)
            flag = CALL_OPTIONS.get(entry.key) if isinstance(entry.key, str) else None
            if flag is None or missing is not None or not isinstance(value, str | int | float):
                findings.add("celery-option-dropped", "warning", entry.line,
                             f"option {one_line(entry.code, 80)} has no `celery call` "
                             "equivalent here; the task is sent without it", entry.code,
                             "Set it on the task (or its route) instead.")
                continue
            argv += [flag, str(value)]
    elif options is not None:
        data, missing = try_plain(options)
        if missing is not None:
            findings.dynamic("the task's options", missing, "they are not passed")
    shell = shlex.join(argv)
    return Command(shell=shell, argv=tuple(argv) if complete else None)

