"""django-crontab: `CRONJOBS = [("*/5 * * * *", "app.cron.job", [args], {kwargs}, ">> log")]`.

django-crontab (kraiz/django-crontab 0.7.1, `crontab.py`) installs each entry into the user's
crontab as

    <time> [PREFIX] <python> <manage.py> crontab run <hash> [--settings=M] [suffix] [SUFFIX]
        # <comment>

so the schedule *is* a crontab line: cronie's grammar and its day-of-month OR day-of-week
rule apply, in the host's zone (`--tz`). `<hash>` is the md5 of the entry serialised with
`json.JSONEncoder(sort_keys=True)`; `crontab run <hash>` looks the entry up in CRONJOBS,
imports the function and calls it with the args and kwargs (an exception is logged and the
command still exits 0).

Container command: `python manage.py crontab run <hash> [--settings=M]`, what cron ran, so the
job keeps django-crontab's behaviour (its lookup, logging and `CRONTAB_LOCK_JOBS` lock).
The hash ties the rule to this exact entry: changing the entry in CRONJOBS changes the hash,
and the rule must be re-scanned (finding `django-crontab-hash`). `CRONTAB_COMMAND_PREFIX` made
of `NAME=value` words becomes the job's environment; the entry's and the global suffix
(usually output redirection) are kept in `shell` and reported.

Entry formats (django-crontab's README): format 1 `(time, func[, suffix])` where the third
item is a string; format 2 `(time, func[, args[, kwargs[, suffix]]])`.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from typing import Any

from migrate.analysis import codes
from migrate.model import Command, Diagnostic, Job, Schedule
from migrate.schedule.cron import CronSyntaxError, parse_cron
from migrate.sources.python.common import Findings, make_job, rule_name
from migrate.sources.python.module import Walk
from migrate.sources.python.values import Item, Seq, Unresolved, one_line, try_plain, unknown

KIND = "django-crontab"
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.DOTALL)


def has_django_crontab(walk: Walk) -> bool:
    found, _ = walk.scope.lookup("CRONJOBS")
    return found


def job_hash(entry: Any) -> str:
    """django-crontab's `__hash_job`: md5 of the entry as `JSONEncoder(sort_keys=True)`
    writes it (a tuple is a JSON list)."""
    encoded = json.JSONEncoder(sort_keys=True).encode(entry)
    return hashlib.md5(encoded.encode("utf-8")).hexdigest()


def read_django_crontab(walk: Walk, path: str, scan_zone: str) -> tuple[list[Job],
                                                                         list[Diagnostic]]:
    jobs: list[Job] = []
    diagnostics: list[Diagnostic] = []
    cronjobs = walk.value_of("CRONJOBS")
    line = walk.bound_at.get("CRONJOBS", 0)
    if not isinstance(cronjobs, Seq):
        found = unknown(cronjobs)
        reason = found.reason if found is not None else "it is not a list or a tuple"
        diagnostics.append(Diagnostic(path, line, f"django-crontab: CRONJOBS cannot be read: "
                                                  f"{reason}; its entries are not in the catalog"))
        return jobs, diagnostics
    for missing in cronjobs.missing:
        diagnostics.append(Diagnostic(path, missing.line,
                                      f"django-crontab: part of CRONJOBS cannot be read: "
                                      f"{missing.reason}; entries it adds are not in the "
                                      "catalog"))
    settings = _settings(walk, path)
    for index, item in enumerate(cronjobs.items):
        jobs.append(_entry(index, item, settings, path, scan_zone))
    return jobs, diagnostics


def _settings(walk: Walk, path: str) -> dict[str, Any]:
    names = ("CRONTAB_COMMAND_PREFIX", "CRONTAB_COMMAND_SUFFIX", "CRONTAB_DJANGO_SETTINGS_MODULE",
             "CRONTAB_PYTHON_EXECUTABLE", "CRONTAB_DJANGO_MANAGE_PATH", "CRONTAB_LOCK_JOBS")
    out: dict[str, Any] = {}
    for name in names:
        found, value = walk.scope.lookup(name)
        if found:
            out[name] = (value, walk.bound_at.get(name, 0))
    return out


def _entry(index: int, item: Item, settings: dict[str, Any], path: str,
           scan_zone: str) -> Job:
    findings = Findings(path)
    value = item.value
    parts: list[Item] = value.items if isinstance(value, Seq) else []
    if not isinstance(value, Seq):
        unresolved = unknown(value) or Unresolved("the entry is not a tuple or a list",
                                                  item.line, item.code)
        findings.dynamic(f"CRONJOBS[{index}]", unresolved, "its schedule and function are "
                                                           "unknown")
    elif value.missing:
        findings.dynamic(f"part of CRONJOBS[{index}]", value.missing[0],
                         "the entry is incomplete")
    time_value = parts[0].value if parts else None
    func_value = parts[1].value if len(parts) > 1 else None
    if not isinstance(value, Seq):
        schedule = Schedule(cron=one_line(item.code), timezone=scan_zone)
    else:
        schedule = _schedule(time_value, parts[0] if parts else item, findings, scan_zone)
    if len(parts) < 2 and isinstance(value, Seq):
        findings.add(codes.INVALID_SCHEDULE, item.line,
                     "an entry needs at least a time and a function path", item.code)
    if not isinstance(func_value, str) and isinstance(value, Seq) and len(parts) >= 2:
        unresolved = unknown(func_value) or Unresolved("the function path is not a string",
                                                       item.line, item.code)
        findings.dynamic("the function path", unresolved, "the job's function is unknown")
    # Format 1: (time, func, suffix); format 2: (time, func, args, kwargs, suffix).
    suffix_item = None
    if len(parts) > 2 and isinstance(parts[2].value, str):
        suffix_item = parts[2]
    elif len(parts) > 4:
        suffix_item = parts[4]
    entry, missing = try_plain(value) if isinstance(value, Seq) else (None, None)
    hash_text = "<hash>"
    if entry is not None and missing is None:
        try:
            hash_text = job_hash(entry)
        except (TypeError, ValueError):
            findings.add(codes.DJANGO_CRONTAB_HASH, item.line,
                         "the entry cannot be serialised to JSON, so django-crontab cannot "
                         "hash it", item.code, severity="error")
    elif missing is not None:
        findings.dynamic("part of the entry", missing,
                         "its django-crontab hash (and so the container command) is unknown")
    command = _command(hash_text, suffix_item, settings, findings, item)
    extra: dict[str, Any] = {"function": func_value if isinstance(func_value, str) else None,
                             "django_crontab_hash": None if hash_text == "<hash>" else hash_text}
    if isinstance(value, Seq) and len(parts) > 2 and not isinstance(parts[2].value, str):
        args, _ = try_plain(parts[2].value)
        extra["args"] = list(args) if isinstance(args, list | tuple) else args
        if len(parts) > 3:
            extra["kwargs"] = try_plain(parts[3].value)[0]
    if hash_text != "<hash>":
        findings.add(codes.DJANGO_CRONTAB_HASH, item.line,
                     f"the container runs `crontab run {hash_text}`: the md5 of this CRONJOBS "
                     "entry. Any change to the entry changes the hash; re-scan after editing "
                     "it. django-crontab logs an exception from the job and exits 0",
                     item.code, "Alert on the job's log, not only on its exit code.")
    label = func_value.rsplit(".", 1)[-1] if isinstance(func_value, str) else f"entry-{index}"
    return make_job(
        kind=KIND, path=path, line=item.line, text=item.code, name=rule_name("django", label),
        identity=f"{index}\x00{hash_text}", schedule=schedule, command=command,
        findings=findings, extra={k: v for k, v in extra.items() if v is not None},
        description=f"django-crontab {func_value if isinstance(func_value, str) else label}: "
                    f"{schedule.cron} ({schedule.timezone})",
    )


def _schedule(value: Any, item: Item, findings: Findings, scan_zone: str) -> Schedule:
    if not isinstance(value, str):
        unresolved = unknown(value) or Unresolved("the time is not a string", item.line,
                                                  item.code)
        findings.dynamic("the cron time", unresolved, "the job has no schedule until one is set")
        return Schedule(cron=one_line(item.code), timezone=scan_zone)
    text = " ".join(value.split())
    try:
        parsed = parse_cron(text)
    except CronSyntaxError as exc:
        findings.add(codes.INVALID_SCHEDULE, item.line,
                     f"cron would reject the time {value!r}: {exc.message}", item.code,
                     "Fix the time; `manage.py crontab add` installs it as is.")
        return Schedule(cron=text, timezone=scan_zone)
    return Schedule(cron=text, timezone=scan_zone, timezone_from="host", parsed=parsed)


def _setting_text(settings: dict[str, Any], name: str, findings: Findings) -> str:
    if name not in settings:
        return ""
    value, line = settings[name]
    plain_value, missing = try_plain(value)
    if missing is not None:
        findings.dynamic(name, missing, "it is left out of the command")
        return ""
    return "" if plain_value in (None, False) else str(plain_value)


def _command(hash_text: str, suffix_item: Item | None, settings: dict[str, Any],
             findings: Findings, item: Item) -> Command:
    prefix = _setting_text(settings, "CRONTAB_COMMAND_PREFIX", findings)
    global_suffix = _setting_text(settings, "CRONTAB_COMMAND_SUFFIX", findings)
    settings_module = _setting_text(settings, "CRONTAB_DJANGO_SETTINGS_MODULE", findings)
    python = _setting_text(settings, "CRONTAB_PYTHON_EXECUTABLE", findings) or "python"
    manage = _setting_text(settings, "CRONTAB_DJANGO_MANAGE_PATH", findings) or "manage.py"
    suffix = ""
    if suffix_item is not None:
        suffix_value, missing = try_plain(suffix_item.value)
        if missing is not None:
            findings.dynamic("the job suffix", missing, "it is left out of the command")
        elif isinstance(suffix_value, str):
            suffix = suffix_value
    settings_flag = f"--settings={settings_module}" if settings_module else ""
    words = [prefix, python, manage, "crontab", "run", hash_text, settings_flag, suffix,
             global_suffix]
    shell = " ".join(w for w in words if w)
    env: dict[str, str] = {}
    if prefix:
        try:
            tokens = shlex.split(prefix)
        except ValueError:
            tokens = []
        if tokens and all(_ASSIGNMENT.fullmatch(t) for t in tokens):
            env = dict(t.split("=", 1) for t in tokens)
        else:
            findings.add(codes.DJANGO_CRONTAB_PREFIX, settings["CRONTAB_COMMAND_PREFIX"][1],
                         f"CRONTAB_COMMAND_PREFIX {prefix!r} is not only NAME=value "
                         "assignments; the container command leaves it out", prefix,
                         "Reproduce it in the image or the task definition.")
    for text, what in ((suffix, "the entry's suffix"), (global_suffix, "CRONTAB_COMMAND_SUFFIX")):
        if text:
            findings.add(codes.OUTPUT_REDIRECT, item.line,
                         f"{what} {text!r} redirects or post-processes the output; the "
                         "container's output goes to its log instead", text,
                         "Read the job's output from CloudWatch Logs.")
    lock = settings.get("CRONTAB_LOCK_JOBS")
    if lock is not None and try_plain(lock[0])[0] is True:
        findings.add(codes.LOCK_PER_CONTAINER, lock[1],
                     "CRONTAB_LOCK_JOBS locks a file in the host's temp directory; each "
                     "container has its own, so overlapping runs are no longer prevented",
                     "CRONTAB_LOCK_JOBS = True",
                     "Guard the job against overlap (e.g. a database lock).")
    words = ["python", "manage.py", "crontab", "run", hash_text]
    if settings_flag:
        words.append(settings_flag)
    argv = None if hash_text == "<hash>" else tuple(words)
    return Command(shell=shell, env=env, argv=argv)

