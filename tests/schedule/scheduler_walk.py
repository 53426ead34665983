"""A test-only reference for EventBridge Scheduler's daylight-saving behaviour, written
apart from the engine: walk UTC minute by minute, read each minute's wall clock in the zone
with `zoneinfo`, and fire every expression whose fields match it. A wall-clock time that does
not exist never shows (spring forward: skipped); one that shows twice fires only when
`zoneinfo` marks it as the first occurrence (`fold == 0`: our stated assumption for the
fall-back overlap). `at(...)` instants are local times, first occurrence."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo

from tests.schedule import naive


def scheduler_walk(expressions: list[str], zone: tzinfo, start: date, end: date
                   ) -> Counter[datetime]:
    crons = [e for e in expressions if e.startswith("cron(")]
    fields = []
    for expr in crons:
        mi, hr = expr[len("cron("):].split(" ")[:2]
        fields.append((expr, naive._values(mi, 0, 59), naive._values(hr, 0, 23)))
    out: Counter[datetime] = Counter()
    u = datetime.combine(start, datetime.min.time(), UTC)
    hi = datetime.combine(end, datetime.min.time(), UTC)
    while u < hi:
        local = u.astimezone(zone)
        if local.fold == 0:
            for expr, minutes, hours in fields:
                if (local.minute in minutes and local.hour in hours
                        and naive.aws_day_matches(expr, local.date())):
                    out[u] += 1
        u += timedelta(minutes=1)
    for expr in expressions:
        if expr.startswith("at("):
            t = datetime.fromisoformat(expr[3:-1]).replace(tzinfo=zone).astimezone(UTC)
            if datetime.combine(start, datetime.min.time(), UTC) <= t < hi:
                out[t] += 1
    return out


def transition_days(zone: tzinfo, start: date, end: date) -> list[date]:
    """Dates whose local noon offset differs from the next day's (found by plain stepping)."""
    days = []
    d = start
    while d < end:
        a = datetime(d.year, d.month, d.day, 12, tzinfo=zone).utcoffset()
        n = d + timedelta(days=1)
        b = datetime(n.year, n.month, n.day, 12, tzinfo=zone).utcoffset()
        if a != b:
            days.append(n)
        d = n
    return days
