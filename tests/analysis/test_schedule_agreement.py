"""The analysis and the schedule engine read zones and days the same way.

Once, `analysis/timing.py` parsed zone names itself and disagreed with `schedule/zones.py`:
`-0330` came out as -19800 (seconds, not minutes) and `UTC+9` as unknown, so a job not yet
converted was counted in the wrong UTC minute, or not at all. These tests spell zones every
way `resolve_zone` reads (and a few ways it rejects) and check what the analysis counts
against offsets worked out from the spelling itself, and the analysis's day patterns against
the verification engine's and a plain loop over dates.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.analysis.occupancy import start_counts
from migrate.analysis.runner import AnalysisOptions, utc_fires
from migrate.analysis.timing import fires_from_schedules
from migrate.schedule.calendar import horizon_calendar, horizon_window
from migrate.schedule.convert import to_aws
from migrate.schedule.cron import CronSchedule, parse_cron
from migrate.schedule.verify import source_day_mask
from migrate.schedule.zones import UnknownZone, resolve_zone
from tests.analysis.jobfixtures import make_job
from tests.analysis.test_timing import walk
from tests.schedule.strategies import DST_ZONES, cron_lines

HORIZON = (date(2027, 2, 20), date(2027, 4, 10))  # February's end, March, a DST change
NAMES = [*DST_ZONES, "Asia/Tokyo", "Asia/Kolkata", "UTC", "utc", "Z", "GMT", "Etc/UTC",
         "ETC/UTC", "Mars/Olympus", "", "UTC+", "+5:3", "+05:300", "EST5EDT"]


@st.composite
def fixed_offsets(draw: st.DrawFn) -> tuple[str, int | None]:
    """A fixed-offset spelling and the offset in minutes it means (None: not a zone)."""
    sign = draw(st.sampled_from("+-"))
    hours = draw(st.integers(0, 15))
    minutes = draw(st.sampled_from([0, 0, 15, 30, 45, 59, 60]))
    prefix = draw(st.sampled_from(["", "", "UTC", "GMT"]))
    form = draw(st.sampled_from(["hh:mm", "hhmm", "h", "hh"]))
    if form in ("h", "hh"):
        minutes = 0
    text = {"hh:mm": f"{hours:02d}:{minutes:02d}", "hhmm": f"{hours:02d}{minutes:02d}",
            "h": str(hours), "hh": f"{hours:02d}"}[form]
    valid = minutes < 60 and (hours, minutes) <= (14, 0)
    offset = (1 if sign == "+" else -1) * (hours * 60 + minutes)
    return f"{prefix}{sign}{text}", offset if valid else None


def named_zone(name: str, parsed: CronSchedule) -> tuple[str, int | None]:
    """An IANA-style name and the offset the converter takes for it (None: not a zone)."""
    try:
        resolve_zone(name)
    except UnknownZone:
        return name, None
    conversion = to_aws(parsed, name, HORIZON)
    assert conversion.offset is not None
    return name, conversion.offset


@settings(max_examples=150, deadline=None)
@given(line=cron_lines(), fixed=fixed_offsets(), name=st.sampled_from(NAMES),
       use_name=st.booleans())
def test_a_job_not_yet_converted_starts_where_its_zone_puts_it(
    line: str, fixed: tuple[str, int | None], name: str, use_name: bool
) -> None:
    parsed = parse_cron(line)
    zone, offset = named_zone(name, parsed) if use_name else fixed
    job = make_job("true", cron=parsed.text, tz=zone)
    counts = start_counts(utc_fires([job], AnalysisOptions(horizon=HORIZON)))
    if offset is None:  # the analysis accepts exactly the zones the engine accepts
        assert counts.sum() == 0, f"{zone!r} is no zone, yet the analysis placed the job"
        return
    expected = walk(parsed, -offset, HORIZON)
    assert np.array_equal(counts, expected), f"{zone!r} should be {offset} minutes"


def days_by_loop(s: CronSchedule, start: date, n: int) -> list[bool]:
    """cron's day rule, one date at a time (cronie `cron.c`: DOM_STAR/DOW_STAR)."""
    out = []
    for i in range(n):
        d = start + timedelta(days=i)
        dom, dow = d.day in s.days, d.isoweekday() % 7 in s.weekdays
        out.append(d.month in s.months and ((dom and dow) if s.day_rule == "and"
                                            else (dom or dow)))
    return out


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(cron_lines(), min_size=1, max_size=5),
       start=st.dates(date(2024, 1, 1), date(2030, 12, 31)), length=st.integers(1, 400))
def test_analysis_day_patterns_are_the_engines(lines: list[str], start: date,
                                               length: int) -> None:
    schedules = [parse_cron(line) for line in lines]
    end = start + timedelta(days=length)
    fires = fires_from_schedules(schedules, [0] * len(schedules), (start, end))
    window = horizon_window(start, end)
    cal = horizon_calendar(start, end)
    for job, s in enumerate(schedules):
        rows = fires.pattern[fires.job == job]
        if not s.hours or not s.minutes:
            continue
        assert len(rows) == 1  # shift 0: one component, the local days unchanged
        analysis_days = fires.patterns[rows[0]]
        engine_days = window.window(source_day_mask(s, cal))
        assert analysis_days.tolist() == engine_days.tolist() == days_by_loop(s, start, length)
