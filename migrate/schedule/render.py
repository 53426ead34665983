"""The rendering step of conversion: partition rows -> as few EventBridge `cron(...)` texts as
we can find, each checked by our own validator (`schedule.aws.parse_expression`).

`merge` unions the times of equal day parts, then the months and the day values of otherwise
equal rows, until nothing changes; `render` writes one row as `cron(Min Hour Dom Mon Dow Year)`.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from migrate.schedule.aws import AwsExpressionError, parse_expression, render_set
from migrate.schedule.fields import AWS_DAY_OF_WEEK, AWS_YEAR, DAY_OF_MONTH, HOUR, MINUTE, MONTH
from migrate.schedule.partition import DaySpec, Row


def render_years(years: frozenset[int]) -> str:
    """Years as residues mod 4 (`2029/4`) where a whole residue class up to 2199 is included,
    and single years otherwise (2100 is the only non-leap multiple of 4 in range)."""
    remaining = set(years)
    parts: list[str] = []
    for start in sorted(years):
        if start not in remaining:
            continue
        cls = set(range(start, AWS_YEAR.high + 1, 4))
        if len(cls) >= 3 and cls <= remaining:
            parts.append(f"{start}/4")
            remaining -= cls
    parts.extend(str(y) for y in sorted(remaining))
    return ",".join(sorted(parts, key=lambda p: int(p.split("/")[0])))



@lru_cache(maxsize=4096)
def day_fields(spec: DaySpec) -> tuple[str, str, str, str]:
    """The Day-of-month, Month, Day-of-week and Year fields of one day part (cached: day parts
    repeat across distinct schedules)."""
    months = render_set(spec.months, MONTH)
    years = "*" if spec.years is None else render_years(spec.years)
    if spec.kind == "dom":
        return render_set(spec.values, DAY_OF_MONTH), months, "?", years
    if spec.kind == "last":
        return "L", months, "?", years
    if spec.kind == "dow":
        return "?", months, render_set(spec.values, AWS_DAY_OF_WEEK, steps=False), years
    assert spec.nth is not None
    return "?", months, f"{spec.nth[0]}#{spec.nth[1]}", years


def _union_products(times: list[tuple[frozenset[int], frozenset[int]]]
                    ) -> list[tuple[frozenset[int], frozenset[int]]]:
    """The union of (minutes, hours) products, re-grouped: hours with equal minute sets share
    one product. Worked per hour (a minute set per hour), never per minute of the day."""
    if len(times) == 1:
        return times
    by_hour: dict[int, set[int]] = defaultdict(set)
    for minutes, hours in times:
        for h in hours:
            by_hour[h] |= minutes
    groups: dict[frozenset[int], set[int]] = defaultdict(set)
    for h, ms in by_hour.items():
        groups[frozenset(ms)].add(h)
    return [(ms, frozenset(hs)) for ms, hs in groups.items()]


def merge(rows: list[Row]) -> list[str]:
    """Fewer expressions: union times of equal day specs, then months of otherwise equal rows,
    then day values of otherwise equal rows, until nothing changes. Returns the expressions,
    rendered (each row once) and sorted. (Each step is a function of the set of rows, so the
    order rows come in never changes the result.)"""
    if len(rows) == 1:  # most schedules: nothing to merge
        return [render(rows[0])]
    by_day: dict[DaySpec, list[tuple[frozenset[int], frozenset[int]]]] = defaultdict(list)
    for minutes, hours, spec in rows:
        by_day[spec].append((minutes, hours))
    out = [(mi, hr, spec) for spec, times in by_day.items()
           for mi, hr in _union_products(times)]
    changed = len(out) > 1
    while changed:
        changed = False
        for merge in ("months", "values"):
            # Grouping keys are the row with the merged field left out: a plain tuple has the
            # equality of the DaySpec with that field blanked, without building one.
            groups: dict[object, list[Row]] = defaultdict(list)
            for r in out:
                mi, hr, sp = r
                if merge == "months":
                    groups[(mi, hr, sp.kind, sp.values, sp.years, sp.nth)].append(r)
                elif sp.kind in ("dom", "dow"):
                    groups[(mi, hr, sp.kind, sp.months, sp.years, sp.nth)].append(r)
                else:
                    groups[("keep", r)].append(r)
            merged: list[Row] = []
            for members in groups.values():
                if len(members) == 1:
                    merged.append(members[0])
                    continue
                mi, hr, spec = members[0]
                if merge == "months":
                    union = frozenset().union(*(m[2].months for m in members))
                    spec = DaySpec(spec.kind, spec.values, union, spec.years, spec.nth)
                else:
                    union = frozenset().union(*(m[2].values for m in members))
                    spec = DaySpec(spec.kind, union, spec.months, spec.years, spec.nth)
                merged.append((mi, hr, spec))
                changed = True
            out = merged
    return sorted(render(r) for r in out)


def render(row: Row) -> str:
    minutes, hours, spec = row
    dom, month, dow, year = day_fields(spec)
    text = (f"cron({render_set(minutes, MINUTE)} {render_set(hours, HOUR)} {dom} {month} "
            f"{dow} {year})")
    try:
        parse_expression(text)  # cached: the verification parses the same text next
    except AwsExpressionError as exc:  # pragma: no cover - a bug in this module
        raise AssertionError(f"converter produced an invalid expression: {exc}") from exc
    return text
