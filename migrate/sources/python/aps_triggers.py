"""APScheduler 3.x triggers as schedules: `'cron'`/`CronTrigger`, `from_crontab`,
`'interval'`/`IntervalTrigger`, `'date'`/`DateTrigger` (one-shot), combined triggers.

What cron cannot express (year, ISO week, `last`, `2nd fri`, several seconds a minute) is a
finding and no `parsed` schedule; what only shifts or bounds the fires (one second other than
0, `start_date`/`end_date`, `jitter`) keeps the schedule with a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from migrate.analysis import codes
from migrate.schedule.cron import CronSchedule
from migrate.sources.python import aps_fields as af
from migrate.sources.python.common import Findings, cron_schedule, known_zone, zone_name
from migrate.sources.python.intervals import describe_seconds, plan_interval, report_unanchored
from migrate.sources.python.values import Call, Item, Unresolved, one_line, try_plain

CRON_POSITIONAL = (*af.FIELD_NAMES, "start_date", "end_date", "timezone", "jitter")
INTERVAL_UNITS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}
INTERVAL_POSITIONAL = ("weeks", "days", "hours", "minutes", "seconds", "start_date",
                       "end_date", "timezone", "jitter")
TRIGGER_WORDS = ("cron", "interval", "date")


@dataclass(slots=True)
class Sched:
    text: str
    parsed: CronSchedule | None = None
    rate: str | None = None
    interval: bool = False
    zone: str | None = None  # the trigger's own zone
    # The cron fields as APScheduler receives them (`str(value)`), constants resolved.
    fields: dict[str, str] | None = None



def read_trigger(trigger: Item | None, trigger_args: dict[str, Item], findings: Findings,
                 call: Call, default_zone: str) -> Sched:
    """The schedule of a trigger; `default_zone` (the scheduler's, else the scan's) is where
    a naive `start_date` is read."""
    value = trigger.value if trigger is not None else None
    if value is None or value == "date":
        return _one_shot(call, findings)
    if value == "cron":
        return _cron(trigger_args, _as_text("cron", trigger_args), findings, call.line)
    if value == "interval":
        return _interval(trigger_args, _as_text("interval", trigger_args), findings, call.line,
                         default_zone)
    if isinstance(value, Call):
        if value.func.endswith("CronTrigger.from_crontab"):
            return _from_crontab(value, findings)
        named = dict(zip(CRON_POSITIONAL, value.args, strict=False))
        if value.name == "CronTrigger":
            return _cron({**named, **value.kwargs}, value.code, findings, value.line)
        if value.name == "IntervalTrigger":
            named = dict(zip(INTERVAL_POSITIONAL, value.args, strict=False))
            return _interval({**named, **value.kwargs}, value.code, findings, value.line,
                             default_zone)
        if value.name == "DateTrigger":
            return _one_shot(call, findings)
        if value.name in ("OrTrigger", "AndTrigger", "CalendarIntervalTrigger"):
            findings.add(codes.UNSUPPORTED_TRIGGER, value.line,
                         f"`{value.name}` combines or computes fire times in ways this "
                         "reader does not convert", value.code,
                         "Split it into plain cron triggers, or write the schedule by hand.")
            return Sched(value.code)
    if isinstance(value, str):
        findings.add(codes.INVALID_SCHEDULE, trigger.line if trigger else call.line,
                     f"trigger {value!r} is not one of APScheduler's "
                     f"{', '.join(TRIGGER_WORDS)}", call.code)
        return Sched(call.code)
    unresolved = value if isinstance(value, Unresolved) else Unresolved(
        f"`{one_line(trigger.code if trigger else '', 60)}` is not a trigger this reader "
        "knows", call.line, call.code)
    findings.dynamic("the trigger", unresolved, "the job has no schedule until one is set")
    return Sched(unresolved.code)


def _as_text(word: str, trigger_args: dict[str, Item]) -> str:
    return f"{word}({', '.join(item.code for item in trigger_args.values())})"


def _one_shot(call: Call, findings: Findings) -> Sched:
    findings.add(codes.ONE_SHOT, call.line,
                 "a `date` trigger (or none) runs the job once, when the scheduler starts or "
                 "at its run_date; it is not a recurring schedule", call.code,
                 "Run it by hand once (ECS run-task), or set active: false.")
    return Sched(one_line(call.code))


def _cron(args: dict[str, Item], text: str, findings: Findings, line: int) -> Sched:
    given: dict[str, str] = {}
    for key, item in args.items():
        value, missing = try_plain(item.value)
        if missing is not None and key != "timezone":
            findings.dynamic(f"cron {key}", missing, "the job has no schedule")
            return Sched(one_line(text))
        if key in af.FIELD_NAMES:
            if value is not None:
                given[key] = str(value)
        elif key not in ("start_date", "end_date", "timezone", "jitter"):
            findings.add(codes.INVALID_SCHEDULE, item.line,
                         f"CronTrigger has no argument {key!r}; APScheduler refuses it",
                         item.code)
            return Sched(one_line(text))
    sched = Sched(one_line(text), zone=_trigger_zone(args, findings), fields=dict(given))
    fields: dict[str, af.ApsField] = {}
    for name, (expr, is_default) in af.effective_fields(given).items():
        try:
            fields[name] = af.parse_field(name, expr, is_default)
        except af.ApsFieldError as exc:
            bad = args.get(name)
            findings.add(codes.INVALID_SCHEDULE, bad.line if bad else line,
                         f"APScheduler refuses {exc}", bad.code if bad else text,
                         "Fix the field; the scheduler refuses the job.")
            return sched
    if not _expressible(fields, args, findings, line):
        return sched
    _bounds(args, findings)
    weekdays = frozenset(af.cron_weekday(v) for v in fields["day_of_week"].values)
    sched.parsed = cron_schedule(
        text, frozenset(fields["minute"].values), frozenset(fields["hour"].values),
        frozenset(fields["day"].values), frozenset(fields["month"].values), weekdays,
        minute_text=fields["minute"].text, hour_text=fields["hour"].text,
    )
    return sched


def _expressible(fields: dict[str, af.ApsField], args: dict[str, Item], findings: Findings,
                 line: int) -> bool:
    ok = True
    for name in ("year", "week"):
        if not fields[name].is_star:
            item = args.get(name)
            what = "year" if name == "year" else "ISO week number"
            findings.add(codes.UNSUPPORTED_FIELD, item.line if item else line,
                         f"{name}={fields[name].text!r} restricts the {what}; a five-field "
                         "cron schedule cannot", item.code if item else "",
                         "Write the schedule by hand (EventBridge has a year field).")
            ok = False
    day = fields["day"]
    if day.unsupported:
        item = args.get("day")
        findings.add(codes.UNSUPPORTED_FIELD, item.line if item else line,
                     f"day={day.text!r} uses {', '.join(repr(u) for u in day.unsupported)} "
                     "(a last day or an nth weekday of the month), which cron cannot express",
                     item.code if item else "",
                     "Write the schedule by hand: EventBridge has `L` and `#`.")
        ok = False
    seconds = fields["second"].values
    item = args.get("second")
    if len(seconds) > 1:
        findings.add(codes.SUB_MINUTE, item.line if item else line,
                     f"second={fields['second'].text!r} fires {len(seconds)} times a minute; "
                     "EventBridge fires at most once a minute",
                     item.code if item else "second='*' (no field given)",
                     "Run it inside a long-running service, or fire once a minute.")
        ok = False
    elif seconds != {0}:
        (second,) = seconds
        findings.add(codes.SECONDS_OFFSET, item.line if item else line,
                     f"the job fires at second {second} of its minutes; EventBridge starts "
                     "targets at the minute, not at a given second",
                     item.code if item else "")
    return ok


def _bounds(args: dict[str, Item], findings: Findings) -> None:
    for key in ("start_date", "end_date"):
        item = args.get(key)
        if item is not None and item.value is not None:
            findings.add(codes.DATE_BOUNDS, item.line,
                         f"{one_line(item.code, 80)} limits when the job runs; an "
                         "EventBridge rule has no start or end date",
                         item.code, "Enable or delete the rule by hand at that date.")
    jitter = args.get("jitter")
    if jitter is not None and jitter.value not in (None, 0):
        findings.add(codes.JITTER, jitter.line,
                     f"{one_line(jitter.code, 40)} delays each run by a random number "
                     "of seconds; EventBridge runs at the scheduled minute", jitter.code)


def _trigger_zone(args: dict[str, Item], findings: Findings) -> str | None:
    item = args.get("timezone")
    if item is None:
        return None
    name = zone_name(item.value)
    if isinstance(name, Unresolved):
        findings.dynamic("the trigger's timezone", name, "the scheduler's zone is used")
        return None
    return name


def _from_crontab(call: Call, findings: Findings) -> Sched:
    expr = call.kwargs.get("expr") or (call.args[0] if call.args else None)
    tz_item = call.kwargs.get("timezone") or (call.args[1] if len(call.args) > 1 else None)
    value = expr.value if expr is not None else None
    if not isinstance(value, str):
        unresolved = value if isinstance(value, Unresolved) else Unresolved(
            "from_crontab() needs a string", call.line, call.code)
        findings.dynamic("the crontab string", unresolved, "the job has no schedule")
        return Sched(call.code)
    parts = value.split()
    if len(parts) != 5:
        findings.add(codes.INVALID_SCHEDULE, call.line,
                     f"from_crontab({value!r}) has {len(parts)} fields, not 5; APScheduler "
                     "refuses it", call.code)
        return Sched(call.code)
    where = expr if expr is not None else Item(value, call.line, call.code)
    args = {name: Item(part, where.line, where.code)
            for name, part in zip(("minute", "hour", "day", "month", "day_of_week"), parts,
                                  strict=True)}
    if tz_item is not None:
        args["timezone"] = tz_item
    # Quirk apscheduler_monday_zero: from_crontab hands day_of_week to CronTrigger as is,
    # so "0" is Monday here, not cron's Sunday (APScheduler 3.x, documented in its source).
    sched = _cron(args, call.code, findings, call.line)
    if any(ch.isdigit() for ch in parts[4]):
        findings.add(codes.APSCHEDULER_WEEKDAY_NUMBERS, call.line,
                     f"from_crontab reads the weekday field {parts[4]!r} with Monday = 0 "
                     "(APScheduler 3), one day later than cron would", call.code,
                     "Converted as APScheduler runs it; check the author meant that.")
    return sched


def _interval(args: dict[str, Item], text: str, findings: Findings, line: int,
              default_zone: str) -> Sched:
    seconds = 0.0
    for key, item in args.items():
        value, missing = try_plain(item.value)
        if key in INTERVAL_UNITS:
            if missing is not None:
                findings.dynamic(f"interval {key}", missing, "the interval is unknown")
                return Sched(one_line(text), interval=True)
            if isinstance(value, bool) or not isinstance(value, int | float):
                findings.add(codes.INVALID_SCHEDULE, item.line,
                             f"interval {key}={value!r} is not a number", item.code)
                return Sched(one_line(text), interval=True)
            seconds += value * INTERVAL_UNITS[key]
        elif key not in ("start_date", "end_date", "timezone", "jitter"):
            findings.add(codes.INVALID_SCHEDULE, item.line,
                         f"IntervalTrigger has no argument {key!r}; APScheduler refuses it",
                         item.code)
            return Sched(one_line(text), interval=True)
    zone = _trigger_zone(args, findings)
    anchor, anchored = _anchor(args, findings, zone or default_zone)
    plan = plan_interval(seconds, one_line(text), anchor)
    every = describe_seconds(seconds)
    end = args.get("end_date")
    if end is not None:
        _bounds({"end_date": end}, findings)
    jitter = args.get("jitter")
    if jitter is not None:
        _bounds({"jitter": jitter}, findings)
    if plan.parsed is not None and anchored:
        findings.add(codes.INTERVAL_START_DATE, line,
                     f"every {every} from start_date; converted to the same instants "
                     "(start_date's time of day in UTC is the anchor)", text)
        start = args["start_date"]
        findings.add(codes.DATE_BOUNDS, start.line,
                     f"{one_line(start.code, 80)}: no runs before it; an "
                     "EventBridge rule has no start date", start.code,
                     "Create the rule after that date.")
    else:
        report_unanchored(plan, text, line, findings, started="the scheduler started",
                          instead="use a cron trigger")
    return Sched(one_line(text), plan.parsed, rate=plan.rate, interval=True)


def _anchor(args: dict[str, Item], findings: Findings, zone: str) -> tuple[int, bool]:
    """Seconds after 00:00 UTC of an explicit `start_date` (a naive one is in `zone`), and
    whether there was one. IntervalTrigger counts in absolute time (timestamps)."""
    item = args.get("start_date")
    if item is None or item.value is None:
        return 0, False
    start = _datetime(item.value)
    if start is None:
        findings.dynamic("start_date", item.value if isinstance(item.value, Unresolved)
                         else Unresolved("not a date this reader can read", item.line,
                                         item.code), "anchored at 00:00 UTC instead")
        return 0, False
    if start.tzinfo is None:
        if not known_zone(zone):
            return 0, False
        start = start.replace(tzinfo=ZoneInfo(zone) if zone.upper() != "UTC" else None)
    offset = start.utcoffset()
    seconds = start.hour * 3600 + start.minute * 60 + start.second
    if offset is not None:
        seconds -= int(offset.total_seconds())
    return seconds % 86400, True


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, Call) and value.name == "datetime" and not value.kwargs:
        numbers, missing = try_plain([i.value for i in value.args])
        if missing is None and all(isinstance(n, int) for n in numbers) and 3 <= len(
            numbers
        ) <= 6:
            try:
                return datetime(*numbers)
            except ValueError:
                return None
    return None
