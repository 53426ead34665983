"""Fixed intervals (`timedelta(minutes=15)`, `30.0`, APScheduler `'interval'`) as schedules.

An interval of N seconds counts from when the scheduler process started (Celery beat,
APScheduler without `start_date`), so it has no wall-clock anchor: the legacy fire instants
are not knowable from the file. We choose one and say so:

* **The anchor is 00:00 UTC**: the converted job fires at every multiple of the interval
  since midnight UTC (`*/15` minutes, `0 */6` hours, `0 0` daily). Intervals are elapsed
  time, not wall-clock time, so they are read in UTC, where no daylight-saving change bends
  them. With an explicit `start_date` (APScheduler), its time of day in UTC is the anchor.
* That is exact as a *rate* when the interval divides an hour (in whole minutes) or a day (in
  whole hours, or exactly one day): the fires form one cron product.
* Otherwise (90 minutes, 7 days, 5 hours) the job becomes an EventBridge `rate(...)`
  expression, which also runs from when the rule is created; intervals that are not a whole
  number of minutes cannot be expressed at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from migrate.analysis import codes
from migrate.schedule.cron import CronSchedule
from migrate.sources.python.common import Findings

ALL_DAYS = frozenset(range(1, 32))
ALL_MONTHS = frozenset(range(1, 13))
ALL_WEEKDAYS = frozenset(range(7))
MAX_INTERVAL = 10 * 365 * 86400  # ten years: beyond any rate() EventBridge accepts


@dataclass(frozen=True, slots=True)
class IntervalPlan:
    """How an interval converts: a cron product (`parsed`), or a `rate`, or neither."""

    seconds: float
    parsed: CronSchedule | None = None
    rate: str | None = None
    problem: str = ""  # why neither is possible (sub-minute, zero ...)


def describe_seconds(seconds: float) -> str:
    if not math.isfinite(seconds):
        return f"{seconds} seconds"
    whole = int(seconds)
    if whole != seconds:
        return f"{seconds:g} seconds"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if whole % size == 0 and whole >= size:
            count = whole // size
            return f"{count} {unit}" + ("s" if count != 1 else "")
    return f"{whole} second" + ("s" if whole != 1 else "")


def rate_expression(minutes: int) -> str:
    """EventBridge `rate(value unit)`: singular unit for 1, the largest unit that divides."""
    for unit, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            count = minutes // size
            return f"rate({count} {unit}{'' if count == 1 else 's'})"
    raise AssertionError("unreachable: minute divides everything")


def plan_interval(seconds: float, text: str, anchor_seconds: int = 0) -> IntervalPlan:
    """Convert an interval of `seconds`; `anchor_seconds` is the anchor's time of day (UTC).

    `text` is the schedule as written, kept as the `CronSchedule`'s text.
    """
    if not math.isfinite(seconds) or seconds <= 0:
        return IntervalPlan(seconds, problem=f"an interval of {seconds:g} seconds never "
                                              "advances")
    if seconds > MAX_INTERVAL:
        return IntervalPlan(seconds, problem=f"an interval of {seconds:g} seconds is longer "
                                             "than EventBridge's rate() allows")
    if seconds != int(seconds) or int(seconds) % 60:
        what = "shorter than a minute" if seconds < 60 else "not a whole number of minutes"
        return IntervalPlan(seconds, problem=f"every {describe_seconds(seconds)} is {what}; "
                                             "EventBridge schedules have one-minute resolution")
    minutes = int(seconds) // 60
    anchor = anchor_seconds % 86400
    anchor_minute, anchor_hour = (anchor // 60) % 60, anchor // 3600
    if 60 % minutes == 0:
        start = anchor_minute % minutes
        return IntervalPlan(seconds, parsed=_product(
            text, frozenset(range(start, 60, minutes)), frozenset(range(24)),
            min_star=start == 0, hour_star=True))
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        hours = minutes // 60
        start = anchor_hour % hours
        return IntervalPlan(seconds, parsed=_product(
            text, frozenset({anchor_minute}), frozenset(range(start, 24, hours)),
            min_star=False, hour_star=start == 0))
    if minutes == 1440:
        return IntervalPlan(seconds, parsed=_product(
            text, frozenset({anchor_minute}), frozenset({anchor_hour}), min_star=False,
            hour_star=False))
    return IntervalPlan(seconds, rate=rate_expression(minutes))


def _product(
    text: str, minutes: frozenset[int], hours: frozenset[int], *, min_star: bool,
    hour_star: bool
) -> CronSchedule:
    # Every day: both day fields are "*" and combine with AND (cron's DOM_STAR/DOW_STAR).
    return CronSchedule(text, minutes, hours, ALL_DAYS, ALL_MONTHS, ALL_WEEKDAYS,
                        min_star=min_star, hour_star=hour_star, dom_star=True, dow_star=True)


def report_unanchored(
    plan: IntervalPlan, text: str, line: int, findings: Findings, *, started: str, instead: str
) -> None:
    """The findings of an interval counted from when its scheduler `started` (no wall-clock
    anchor): converted at multiples since 00:00 UTC, a `rate(...)`, or not convertible."""
    every = describe_seconds(plan.seconds)
    if plan.parsed is not None:
        findings.add(codes.INTERVAL_ANCHORED, line,
                     f"every {every} counts from when {started}, not from the clock; "
                     "converted to fire at multiples of it since 00:00 UTC", text,
                     f"Accept the new phase, or {instead}.")
    elif plan.rate is not None:
        findings.add(codes.INTERVAL_RATE, line,
                     f"every {every} does not divide an hour or a day, so no cron expression "
                     f"repeats it; converted to {plan.rate}, which counts from when the rule "
                     "is created and cannot be verified", text,
                     f"Accept the rate, or {instead}.")
    else:
        findings.add(codes.SUB_MINUTE, line, plan.problem, text,
                     "Run it inside a long-running service, or choose a whole-minute interval.")
