"""Celery beat schedule values: `crontab(...)`, `crontab.from_string`, `timedelta`, numbers,
`schedule(run_every=...)`, `solar(...)`; each to a `CronSchedule`, a `rate(...)` or a finding.

`crontab` fields keep Celery's semantics (`celery_fields`), and the day fields combine with
AND. Numbers and timedeltas are intervals from when beat started (`intervals`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from migrate.analysis import codes
from migrate.schedule.cron import CronSchedule
from migrate.sources.python import celery_fields as cf
from migrate.sources.python.common import Findings, cron_schedule, item_text
from migrate.sources.python.intervals import plan_interval, report_unanchored
from migrate.sources.python.values import Call, Item, Ref, Unresolved, one_line, try_plain

TIMEDELTA_ARGS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours",
                  "weeks")
TIMEDELTA_SECONDS = {"days": 86400, "seconds": 1, "microseconds": 1e-6, "milliseconds": 1e-3,
                     "minutes": 60, "hours": 3600, "weeks": 604800}


@dataclass(slots=True)
class Sched:
    text: str
    parsed: CronSchedule | None = None
    rate: str | None = None
    interval: bool = False
    # The crontab fields as Celery receives them, constants resolved (plain values).
    fields: dict[str, Any] | None = None


def beat_schedule(value: Any, findings: Findings, line: int) -> Sched:
    if value is None:
        return Sched("(no schedule)")
    if isinstance(value, bool):
        findings.add(codes.INVALID_SCHEDULE, line,
                     f"schedule {value!r} is not a number, a timedelta or a crontab")
        return Sched(repr(value))
    if isinstance(value, int | float):
        return _interval(float(value), repr(value), findings, line)
    if isinstance(value, Call):
        if value.name == "crontab":
            return _crontab(value, findings)
        if value.func.endswith("crontab.from_string"):
            return _crontab_from_string(value, findings)
        if value.name == "timedelta":
            seconds = _timedelta_seconds(value, findings)
            return Sched(value.code) if seconds is None else _interval(
                seconds, value.code, findings, value.line)
        if value.name == "schedule":
            run_every = value.kwargs.get("run_every") or (value.args[0] if value.args else None)
            inner = beat_schedule(run_every.value if run_every else None, findings, value.line)
            return Sched(value.code, inner.parsed, inner.rate, inner.interval)
        if value.name == "solar":
            findings.add(codes.SOLAR_SCHEDULE, value.line,
                         "a solar schedule (sunrise, sunset ...) moves every day with the "
                         "sun; no cron or rate expression reproduces it", value.code,
                         "Run it from a scheduler that computes solar events, or choose a "
                         "fixed time.")
            return Sched(value.code)
    unresolved = value if isinstance(value, Unresolved) else as_unresolved(value, line)
    findings.dynamic("the schedule", unresolved, "the job has no schedule until one is set")
    return Sched(unresolved.code)


def as_unresolved(value: Any, line: int) -> Unresolved:
    if isinstance(value, Ref):
        return Unresolved(f"`{value.dotted}` is not a constant defined in this file",
                          value.line, value.code)
    if isinstance(value, Call):
        return Unresolved(f"calls `{value.func}(...)`, known only at run time", value.line,
                          value.code)
    return Unresolved(f"{one_line(repr(value), 60)} is not a schedule", line, repr(value))


def _interval(seconds: float, text: str, findings: Findings, line: int) -> Sched:
    plan = plan_interval(seconds, one_line(text))
    report_unanchored(plan, text, line, findings, started="beat started",
                      instead="give the entry a crontab()")
    return Sched(one_line(text), plan.parsed, rate=plan.rate, interval=True)


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
            findings.add(codes.INVALID_SCHEDULE, item.line,
                         f"timedelta({key}={value!r}) is not a valid duration", item.code)
            return None
        total += value * TIMEDELTA_SECONDS[key]
    if call.missing:
        findings.dynamic("the timedelta", call.missing[0], "the interval is unknown")
        return None
    return round(total, 6)


def _crontab(call: Call, findings: Findings) -> Sched:
    given: dict[str, Item] = {}
    for spec, item in zip(cf.POSITIONAL, call.args, strict=False):
        given[spec.name] = item
    for key, item in call.kwargs.items():
        if key in cf.BY_NAME:
            given[key] = item
        elif key not in ("nowfun", "app"):
            findings.add(codes.INVALID_SCHEDULE, item.line,
                         f"crontab() has no argument {key!r}; Celery refuses it", call.code)
            return Sched(call.code)
    if len(call.args) > 5 or call.missing:
        findings.add(codes.INVALID_SCHEDULE, call.line,
                     "crontab() takes at most five fields, given explicitly", call.code)
        return Sched(call.code)
    return _crontab_fields(call.code, call.line, {k: (v.value, v) for k, v in given.items()},
                           findings)


def _crontab_from_string(call: Call, findings: Findings) -> Sched:
    text = call.args[0].value if len(call.args) == 1 and not call.kwargs else None
    if not isinstance(text, str):
        unresolved = text if isinstance(text, Unresolved) else Unresolved(
            "crontab.from_string() needs one string", call.line, call.code)
        findings.dynamic("the crontab string", unresolved, "the job has no schedule")
        return Sched(call.code)
    parts = text.split(" ")  # Celery splits on single spaces: two blanks make six fields
    if len(parts) != 5:
        findings.add(codes.INVALID_SCHEDULE, call.line,
                     f"crontab.from_string({text!r}) splits into {len(parts)} fields on "
                     "single spaces, not 5; Celery refuses it", call.code)
        return Sched(call.code)
    minute, hour, day_of_month, month_of_year, day_of_week = parts
    item = call.args[0]
    fields = {"minute": minute, "hour": hour, "day_of_week": day_of_week,
              "day_of_month": day_of_month, "month_of_year": month_of_year}
    return _crontab_fields(call.code, call.line, {k: (v, item) for k, v in fields.items()},
                           findings)


def _crontab_fields(text: str, line: int, given: dict[str, tuple[Any, Item]],
                    findings: Findings) -> Sched:
    sets: dict[str, frozenset[int]] = {}
    for spec in cf.POSITIONAL:
        value, item = given.get(spec.name, ("*", None))
        if value is None:
            value = "*"  # Celery: a field given as None is "*"
        _, missing = try_plain(value)
        if missing is not None:
            findings.dynamic(f"crontab {spec.name}", missing, "the job has no schedule")
            return Sched(one_line(text))
        try:
            sets[spec.name] = cf.field_values(value, spec)
        except cf.CeleryFieldError as exc:
            findings.add(codes.INVALID_SCHEDULE, item.line if item else line,
                         f"Celery refuses crontab {exc}", item.code if item else text,
                         "Fix the field; beat fails to start with it.")
            return Sched(one_line(text))
    try:
        cf.check_days_exist(sets["day_of_month"], sets["month_of_year"])
    except cf.CeleryFieldError as exc:
        findings.add(codes.INVALID_SCHEDULE, line, str(exc), text)
        return Sched(one_line(text))
    minute_item, hour_item = given.get("minute"), given.get("hour")
    parsed = cron_schedule(
        text, sets["minute"], sets["hour"], sets["day_of_month"], sets["month_of_year"],
        sets["day_of_week"],
        minute_text=_field_text(minute_item), hour_text=_field_text(hour_item),
    )
    resolved = {name: _catalog_value(try_plain(value)[0]) for name, (value, _) in given.items()}
    return Sched(one_line(text), parsed, fields=resolved)


def _field_text(given: tuple[Any, Item] | None) -> str:
    if given is None or given[0] is None:
        return "*"
    return given[0] if isinstance(given[0], str) else item_text(given[1])


def _catalog_value(value: Any) -> Any:
    """A field value as the catalog can hold it (JSON and YAML): sets and tuples as lists."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if isinstance(value, tuple | list):
        return [_catalog_value(v) for v in value]
    return value
