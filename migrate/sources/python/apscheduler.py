"""APScheduler 3.x jobs: `add_job(func, 'cron'|'interval'|trigger, ...)`, `@scheduled_job`.

Triggers read: `'cron'` keyword fields and `CronTrigger(...)` (see `aps_fields` for the
field semantics: Monday = 0, defaults that depend on the given fields),
`CronTrigger.from_crontab("m h dom mon dow")` (still Monday = 0), `'interval'` /
`IntervalTrigger(...)` (see `intervals`), and `'date'` / `DateTrigger` / no trigger (a
one-shot run: kept, with a finding).

Zone: the trigger's `timezone=`, else the scheduler's (`BackgroundScheduler(timezone=...)`,
`{"apscheduler.timezone": ...}`, `scheduler.configure(timezone=...)`), else APScheduler's
default, the host's local zone: the scan's `--tz`.

The container command calls the job's function: `python -c "from <module> import <func>;
<func>(*args, **kwargs)"`. The module is the import the reference came from, the textual
reference `"pkg.mod:func"`, or, for a function defined in the scanned script, the script's
module name from its path (so importing the script must not start its scheduler: a
finding says when it would).
"""

from __future__ import annotations

import shlex
from typing import Any

from migrate.analysis import codes
from migrate.model import Command, Diagnostic, Job, Schedule
from migrate.sources.python.aps_triggers import TRIGGER_WORDS, Sched, read_trigger
from migrate.sources.python.common import (
    Findings,
    known_zone,
    make_job,
    module_of,
    rule_name,
    zone_name,
)
from migrate.sources.python.module import CallSite, Walk
from migrate.sources.python.values import Call, Dict, Item, Ref, Unresolved, one_line, try_plain

KIND = "apscheduler"
ADD_JOB_PARAMS = ("func", "trigger", "args", "kwargs", "id", "name", "misfire_grace_time",
                  "coalesce", "max_instances", "next_run_time", "jobstore", "executor",
                  "replace_existing")
DECORATOR_PARAMS = ("trigger", "args", "kwargs", "id", "name", "misfire_grace_time",
                    "coalesce", "max_instances", "next_run_time", "jobstore", "executor")


def has_apscheduler(walk: Walk) -> bool:
    return any(_is_job_site(site, walk) for site in walk.calls)


def _imports_apscheduler(walk: Walk) -> bool:
    return any(m.startswith("apscheduler") for m in walk.evaluator.imports.values())


def _is_job_site(site: CallSite, walk: Walk) -> bool:
    if site.method == "scheduled_job" and site.decorates is not None:
        return True
    if site.method == "add_schedule":
        return _imports_apscheduler(walk)
    if site.method != "add_job":
        return False
    trigger = _param(site.call, "trigger", 1)
    if trigger is not None and (
        trigger.value in TRIGGER_WORDS
        or (isinstance(trigger.value, Call) and "Trigger" in trigger.value.func)
    ):
        return True
    return _imports_apscheduler(walk)


def read_apscheduler(walk: Walk, path: str, scan_zone: str) -> tuple[list[Job],
                                                                      list[Diagnostic]]:
    jobs = [
        _job_site(site, walk, path, scan_zone)
        for site in walk.calls
        if _is_job_site(site, walk)
    ]
    return jobs, []


def _param(call: Call, name: str, position: int) -> Item | None:
    if name in call.kwargs:
        return call.kwargs[name]
    return call.args[position] if len(call.args) > position else None


def _job_site(site: CallSite, walk: Walk, path: str, scan_zone: str) -> Job:
    findings = Findings(path)
    call = site.call
    scheduler_zone: str | None = None
    note = site.context.note()
    if note:
        findings.add(codes.CONDITIONAL_ENTRY, call.line,
                     f"the job is added {note}; it exists only when that holds", call.code,
                     "Decide whether the job belongs in the environment you migrate.")
    for missing in call.missing:
        findings.dynamic("an argument", missing, "it is not read")
    if site.method == "scheduled_job":
        func_item = None
        trigger = _param(call, "trigger", 0)
        args_item, kwargs_item = _param(call, "args", 1), _param(call, "kwargs", 2)
        params: tuple[str, ...] = DECORATOR_PARAMS
        line = site.decorates_line or call.line
    else:
        func_item = _param(call, "func", 0)
        trigger = _param(call, "trigger", 1)
        args_item, kwargs_item = _param(call, "args", 2), _param(call, "kwargs", 3)
        params = ADD_JOB_PARAMS
        line = call.line
    positional_used = 3 if site.method == "scheduled_job" else 4
    trigger_args = {k: v for k, v in call.kwargs.items() if k not in params}
    if site.method == "add_schedule":
        findings.add(codes.APSCHEDULER_4, call.line,
                     "`add_schedule` is APScheduler 4, whose trigger semantics this reader "
                     "does not read; the job is kept without a schedule", call.code,
                     "Write its schedule in the catalog by hand.")
        sched = Sched(one_line(call.code))
    elif call.missing:
        sched = Sched(one_line(call.code))  # `**spec`: the trigger's fields are unknown
    else:
        if len(call.args) > positional_used:
            findings.add(codes.DYNAMIC_VALUE, call.line,
                         "positional arguments after `kwargs` are not read", call.code)
        scheduler_zone = _valid_zone(*_scheduler_zone(site, walk, findings), site, findings,
                                     scan_zone)
        sched = read_trigger(trigger, trigger_args, findings, call,
                             scheduler_zone or scan_zone)
    trigger_zone = _valid_zone(sched.zone, "the trigger's timezone", site, findings, scan_zone)
    zone, zone_from = scan_zone, "host"
    if trigger_zone or scheduler_zone:
        zone, zone_from = trigger_zone or scheduler_zone or scan_zone, "file"
    function, module, attr = _function(site, func_item, walk, path, findings)
    command = _command(module, attr, args_item, kwargs_item, findings)
    job_id_item = call.kwargs.get("id")
    name_item = call.kwargs.get("name")
    label = next((i.value for i in (job_id_item, name_item)
                  if i is not None and isinstance(i.value, str) and i.value), None)
    label = label or attr or f"line-{line}"
    if sched.interval:
        zone, zone_from = "UTC", "interval"
    schedule = Schedule(cron=sched.text, timezone=zone, timezone_from=zone_from,
                        aws=(sched.rate,) if sched.rate else (), parsed=sched.parsed)
    if module is not None and module == module_of(path) and _starts_on_import(walk):
        findings.add(codes.APSCHEDULER_IMPORT_STARTS, line,
                     f"the container imports `{module}`, and this script starts its "
                     "scheduler at import time (a `.start()` outside "
                     "`if __name__ == \"__main__\":`)", call.code,
                     "Guard the scheduler start, or move the job function to its own module.")
    extra: dict[str, Any] = {"function": function}
    if isinstance(job_id_item.value if job_id_item else None, str):
        extra["apscheduler_id"] = job_id_item.value  # type: ignore[union-attr]
    if sched.fields is not None:
        extra["cron_fields"] = sched.fields
    if site.context.iteration:
        extra["loop"] = site.context.iteration
    return make_job(
        kind=KIND, path=path, line=line, text=call.code, name=rule_name(KIND, label),
        identity=f"{label}\x00{line}\x00{site.context.iteration}", schedule=schedule,
        command=command, findings=findings, extra=extra,
        description=f"APScheduler job {label!r}: {sched.text} ({zone})",
    )


# ---------------------------------------------------------------- zone, function, command


def _valid_zone(name: str | None, where: str, site: CallSite, findings: Findings,
                scan_zone: str) -> str | None:
    if name is None or known_zone(name):
        return name
    findings.add(codes.INVALID_TIMEZONE, site.call.line,
                 f"{where} {name!r} is not an IANA time zone; read in {scan_zone} (--tz)",
                 site.call.code)
    return None


def _scheduler_zone(site: CallSite, walk: Walk, findings: Findings) -> tuple[str | None, str]:
    if site.receiver is None:
        return None, ""
    found, scheduler = site.scope.lookup(site.receiver)
    candidates: list[Any] = []
    if found and isinstance(scheduler, Call):
        candidates.append(scheduler.kwargs.get("timezone"))
        if scheduler.args and isinstance(scheduler.args[0].value, Dict):
            gconfig = scheduler.args[0].value
            candidates.append(gconfig.find("apscheduler.timezone") or gconfig.find("timezone"))
    for other in walk.calls:
        if other.method == "configure" and other.receiver == site.receiver:
            candidates.append(other.call.kwargs.get("timezone"))
            if other.call.args and isinstance(other.call.args[0].value, Dict):
                gconfig = other.call.args[0].value
                candidates.append(gconfig.find("apscheduler.timezone")
                                  or gconfig.find("timezone"))
    for candidate in reversed(candidates):
        if candidate is None:
            continue
        name = zone_name(candidate.value)
        if isinstance(name, Unresolved):
            findings.dynamic("the scheduler's timezone", name, "the scan's zone (--tz) is used")
            return None, ""
        if name is not None:
            return name, "the scheduler's timezone"
    return None, ""


def _function(site: CallSite, item: Item | None, walk: Walk, path: str,
              findings: Findings) -> tuple[str, str | None, str | None]:
    """(reference as `module:attr`, module, attr); module/attr None when not importable."""
    if site.method == "scheduled_job" and site.decorates is not None:
        module = module_of(path)
        _derived(findings, site, module)
        return f"{module}:{site.decorates}", module, site.decorates
    value = item.value if item is not None else None
    if isinstance(value, str) and ":" in value:
        module, _, attr = value.partition(":")
        return value, module, attr
    code = item.code if item is not None else ""
    dotted = value.dotted if isinstance(value, Ref) else code if code.replace(
        ".", "").replace("_", "").isalnum() else None
    if dotted:
        head = dotted.split(".")[0]
        if dotted in walk.functions:
            module = module_of(path)
            _derived(findings, site, module)
            return f"{module}:{dotted}", module, dotted
        if head in walk.evaluator.imports:
            qualified = walk.evaluator.qualify(dotted)
            module, _, attr = qualified.rpartition(".")
            if module:
                return f"{module}:{attr}", module, attr
    unresolved = value if isinstance(value, Unresolved) and not code.isidentifier() else (
        Unresolved(f"`{one_line(code, 60)}` is not a function this reader can import",
                   item.line if item else site.call.line, code))
    findings.dynamic("the job function", unresolved, "the container command is incomplete")
    return code, None, None


def _derived(findings: Findings, site: CallSite, module: str) -> None:
    findings.add(codes.APSCHEDULER_MODULE_DERIVED, site.call.line,
                 f"the job function is defined in this script; the container imports it as "
                 f"`{module}`, a module name taken from the file's path", site.call.code,
                 "Check the image's working directory makes that import work.")


def _command(module: str | None, attr: str | None, args_item: Item | None,
             kwargs_item: Item | None, findings: Findings) -> Command:
    args: Any = []
    kwargs: Any = {}
    complete = module is not None and attr is not None
    for label, item in (("args", args_item), ("kwargs", kwargs_item)):
        if item is None or item.value is None:
            continue
        value, missing = try_plain(item.value)
        if missing is not None:
            findings.dynamic(f"the job's {label}", missing, "the container command is "
                                                            "incomplete")
            complete = False
            continue
        if label == "args":
            args = list(value) if isinstance(value, list | tuple) else value
        else:
            kwargs = value
    call_args = ", ".join(
        part for part in (f"*{args!r}" if args else "", f"**{kwargs!r}" if kwargs else "")
        if part
    )
    target = attr or "<function>"
    code = f"from {module or '<module>'} import {target}; {target}({call_args})"
    argv = ("python", "-c", code)
    return Command(shell=shlex.join(argv), argv=argv if complete else None)


def _starts_on_import(walk: Walk) -> bool:
    return any(
        site.method == "start" and site.context.function is None
        and not site.context.main_guard
        for site in walk.calls
    )
