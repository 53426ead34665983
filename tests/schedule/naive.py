"""Independent reference evaluators for tests: slow, simple, and sharing no code with
migrate.schedule (other than nothing). Used to check the vectorised engine."""

from __future__ import annotations

import calendar as pycal
from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo

from cronsim import CronSim

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _num(tok: str, names: list[str] | None, base: int) -> int:
    if names and tok.upper() in names:
        return names.index(tok.upper()) + base
    return int(tok)


def _values(
    field: str, lo: int, hi: int, names: list[str] | None = None, base: int = 1
) -> set[int]:
    out: set[int] = set()
    for item in field.split(","):
        rng, _, step = item.partition("/")
        st = int(step) if step else 1
        if rng == "*":
            a, b = lo, hi
        elif "-" in rng:
            x, y = rng.split("-")
            a, b = _num(x, names, base), _num(y, names, base)
        else:
            a = _num(rng, names, base)
            b = hi if step else a
        out.update(range(a, b + 1, st))
    return out


def aws_day_matches(expr: str, d: date) -> bool:
    mi, hr, dom, mon, dow, yr = expr[len("cron("):-1].split(" ")
    if d.month not in _values(mon, 1, 12, MONTHS):
        return False
    if yr != "*" and d.year not in _values(yr, 1970, 2199):
        return False
    last = pycal.monthrange(d.year, d.month)[1]
    wd = (d.weekday() + 1) % 7 + 1  # AWS: SUN=1
    if dom != "?":
        if dom == "L":
            return d.day == last
        if dom.endswith("W"):
            n = min(int(dom[:-1]), last)
            t = date(d.year, d.month, n)
            if t.weekday() == 5:
                t = t - timedelta(days=1) if n > 1 else t + timedelta(days=2)
            elif t.weekday() == 6:
                t = t + timedelta(days=1) if n < last else t - timedelta(days=2)
            return d == t
        return d.day in _values(dom, 1, 31)
    if "#" in dow:
        w, k = dow.split("#")
        return wd == int(w) and (d.day - 1) // 7 + 1 == int(k)
    if dow.endswith("L"):
        return wd == int(dow[:-1]) and d.day + 7 > last
    return wd in _values(dow, 1, 7, DAYS)


def aws_fires(expressions: list[str], start: date, end: date) -> Counter[datetime]:
    out: Counter[datetime] = Counter()
    for expr in expressions:
        mi, hr = expr[len("cron("):].split(" ")[:2]
        minutes, hours = _values(mi, 0, 59), _values(hr, 0, 23)
        d = start
        while d < end:
            if aws_day_matches(expr, d):
                for h in hours:
                    for m in minutes:
                        out[datetime(d.year, d.month, d.day, h, m, tzinfo=UTC)] += 1
            d += timedelta(days=1)
    return out


def cron_fires(cron: str, zone: tzinfo, start: date, end: date) -> Counter[datetime]:
    """Legacy fires by cronsim (fixed-offset zones: no DST semantics involved)."""
    lo = datetime.combine(start, datetime.min.time(), UTC)
    hi = datetime.combine(end, datetime.min.time(), UTC)
    out: Counter[datetime] = Counter()
    for t in CronSim(cron, (lo - timedelta(days=2)).astimezone(zone)):
        u = t.astimezone(UTC)
        if u >= hi:
            break
        if u >= lo:
            out[u] += 1
    return out


def compare(src: Counter[datetime], aws: Counter[datetime]) -> tuple[int, int, int]:
    missing = sum(max(n - aws[t], 0) for t, n in src.items())
    extra = sum(n for t, n in aws.items() if src[t] == 0)
    dup = sum(max(n - src[t], 0) for t, n in aws.items() if src[t] > 0)
    return missing, extra, dup


def cron_matcher(cron: str):  # type: ignore[no-untyped-def]
    """A plain cronie matcher for five fields (no macros), written from the man page."""
    mi, hr, dom, mon, dow = cron.split()
    minutes, hours = _values(mi, 0, 59), _values(hr, 0, 23)
    days, months = _values(dom, 1, 31), _values(mon, 1, 12, MONTHS)
    weekdays = {w % 7 for w in _values(dow, 0, 7, DAYS, base=0)}
    star = dom.startswith("*") or dow.startswith("*")
    wild = mi.startswith("*") or hr.startswith("*")

    def match(local: datetime) -> bool:
        wd = (local.weekday() + 1) % 7
        day_ok = (
            (local.day in days and wd in weekdays)
            if star
            else (local.day in days or wd in weekdays)
        )
        return (
            local.minute in minutes and local.hour in hours and local.month in months and day_ok
        )

    return match, wild


def cronie_loop_fires(
    cron: str, zone: tzinfo, start: date, end: date, *, cron_tz: bool = False
) -> Counter[datetime]:
    """Simulate cronie's main loop (cron.c: timeRunning / virtualTime, wakeup kinds small,
    medium, negative, large) minute by minute in UTC; record when each job starts."""
    match, wild = cron_matcher(cron)
    lo = datetime.combine(start, datetime.min.time(), UTC)
    hi = datetime.combine(end, datetime.min.time(), UTC)
    epoch = datetime(1970, 1, 1)

    def local_minutes(u: datetime) -> int:
        off = u.astimezone(zone).utcoffset()
        assert off is not None
        return int((u - datetime(1970, 1, 1, tzinfo=UTC) + off).total_seconds()) // 60

    def local_dt(lm: int) -> datetime:
        return epoch + timedelta(minutes=lm)

    out: Counter[datetime] = Counter()
    u = lo - timedelta(hours=4)
    virtual = local_minutes(u) - 1
    while u < hi:
        running = local_minutes(u)
        runs = 0
        if cron_tz:
            runs = int(match(u.astimezone(zone).replace(tzinfo=None)))
        else:
            diff = running - virtual
            if diff == 1:
                virtual = running
                runs = int(match(local_dt(running)))
            elif 0 < diff <= 5:
                while virtual < running:
                    virtual += 1
                    runs += int(match(local_dt(virtual)))
            elif 5 < diff <= 180:
                runs += int(wild and match(local_dt(running)))
                while virtual < running:
                    virtual += 1
                    runs += int((not wild) and match(local_dt(virtual)))
            elif -180 <= diff <= 0:
                runs += int(wild and match(local_dt(running)))
            else:
                virtual = running
                runs = int(match(local_dt(running)))
        if runs and u >= lo:
            out[u] += runs
        u += timedelta(minutes=1)
    return out
