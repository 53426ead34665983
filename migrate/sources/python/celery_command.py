"""Celery task names and the container command `celery -A <app> call <task> ...`."""

from __future__ import annotations

import json
import shlex
from typing import Any

from migrate.analysis import codes
from migrate.model import Command
from migrate.sources.python.celery_schedule import as_unresolved
from migrate.sources.python.common import Findings
from migrate.sources.python.module import Walk
from migrate.sources.python.values import (
    Call,
    Dict,
    Entry,
    Item,
    Seq,
    Unresolved,
    one_line,
    try_plain,
)

CALL_OPTIONS = {"queue": "--queue", "exchange": "--exchange", "routing_key": "--routing-key",
                "expires": "--expires", "countdown": "--countdown",
                "serializer": "--serializer"}


def task_name(value: Any, findings: Findings, line: int) -> str | Unresolved:
    if isinstance(value, str) and value:
        return value
    unresolved = value if isinstance(value, Unresolved) else as_unresolved(value, line) if (
        value is not None) else Unresolved("the entry has no 'task'", line, "")
    findings.dynamic("the task name", unresolved, "the container command is incomplete")
    return unresolved


def signature(item: Item | None, walk: Walk, module: str, findings: Findings,
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
            return _task_of(base, item, walk, module, findings), args, kwargs
        if method == "signature" and base and not value.func.startswith("celery."):
            args = value.kwargs.get("args") or (value.args[0] if value.args else None)
            kwargs = value.kwargs.get("kwargs") or (value.args[1] if len(value.args) > 1
                                                    else None)
            return _task_of(base, item, walk, module, findings), args, kwargs
        if value.name == "signature" and value.args:
            name = value.args[0].value
            args = value.kwargs.get("args") or (value.args[1] if len(value.args) > 1 else None)
            kwargs = value.kwargs.get("kwargs") or (value.args[2] if len(value.args) > 2
                                                    else None)
            return task_name(name, findings, line), args, kwargs
    if isinstance(value, str):
        return value, None, None
    unresolved = value if isinstance(value, Unresolved) else as_unresolved(value, line)
    findings.dynamic("the task signature", unresolved, "the container command is incomplete")
    return unresolved, None, None


def _seq_of(call: Call) -> Seq:
    return Seq("tuple", list(call.args), call.line, call.code, list(call.missing))


def _task_of(dotted: str, item: Item | None, walk: Walk, module: str,
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
        task = f"{module}.{dotted}"
    elif local in walk.evaluator.imports:
        task = walk.evaluator.qualify(dotted)
    else:
        task = dotted
    line = item.line if item else 0
    findings.add(codes.CELERY_TASK_NAME_DERIVED, line,
                 f"task name {task!r} is Celery's default (module + function) for `{dotted}`",
                 item.code if item else dotted,
                 "Check it against the worker's registered tasks (`celery inspect registered`)"
                 " unless the task declares name=.")
    return task


def celery_command(app: str, task: str | Unresolved, args: Any, kwargs: Any,
             options: Any, findings: Findings) -> Command:
    argv: list[str] = ["celery", "-A", app, "call"]
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
            findings.add(codes.CELERY_ARGS_NOT_JSON, getattr(item, "line", 0),
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
            option: str | None = None
            if isinstance(entry.key, str):
                option = CALL_OPTIONS.get(entry.key)
            if option is None or missing is not None or not isinstance(value, str | int | float):
                findings.add(codes.CELERY_OPTION_DROPPED, entry.line,
                             f"option {one_line(entry.code, 80)} has no `celery call` "
                             "equivalent here; the task is sent without it", entry.code,
                             "Set it on the task (or its route) instead.")
                continue
            argv += [option, str(value)]
    elif options is not None:
        data, missing = try_plain(options)
        if missing is not None:
            findings.dynamic("the task's options", missing, "they are not passed")
    shell = shlex.join(argv)
    return Command(shell=shell, argv=tuple(argv) if complete else None)
