"""The engine against independent evaluators: cronsim for the legacy side (fixed offsets),
a plain loop over dates for AWS expressions, and a simulation of cronie's main loop for
daylight-saving transitions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cronsim import CronSimError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from migrate.schedule.cron import parse_cron
from migrate.schedule.verify import verify
from migrate.schedule.zones import resolve_zone
from tests.schedule import naive
from tests.schedule.strategies import (
    DST_ZONES,
    FIXED_ZONES,
    aws_expressions,
    cron_lines,
    macro_free,
)

H = (date(2027, 1, 1), date(2027, 3, 15))


@settings(max_examples=150, deadline=None)
@given(
    cron=cron_lines(dense=False),
    zone=st.sampled_from(FIXED_ZONES),
    exprs=st.lists(aws_expressions(), min_size=0, max_size=3),
    start=st.dates(date(2024, 1, 1), date(2031, 12, 1)),
)
def test_engine_counts_match_independent_evaluators(
    cron: str, zone: str, exprs: list[str], start: date
) -> None:
    horizon = (start, start + timedelta(days=45))
    try:
        src = naive.cron_fires(macro_free(cron), resolve_zone(zone), *horizon)
    except CronSimError:
        assume(False)  # cronsim refuses some lines cronie accepts (`0 0 30 2 *`)
    result = verify(parse_cron(cron), zone, exprs, horizon).verification
    aws = naive.aws_fires(exprs, *horizon)
    assert (result.missing, result.extra, result.duplicates) == naive.compare(src, aws)
    assert result.source_fires == sum(src.values())
    assert result.aws_fires == sum(aws.values())


def _transition_days(zone: str, year: int) -> list[date]:
    tz = resolve_zone(zone)
    days = []
    d = date(year, 1, 1)
    while d.year == year:
        a = datetime.combine(d, datetime.min.time(), UTC).astimezone(tz).utcoffset()
        b = (datetime.combine(d, datetime.min.time(), UTC) + timedelta(days=1)).astimezone(
            tz).utcoffset()
        if a != b:
            days.append(d)
        d += timedelta(days=1)
    return days


@settings(max_examples=60, deadline=None)
@given(cron=cron_lines(dense=False), zone=st.sampled_from(DST_ZONES),
       cron_tz=st.booleans(), year=st.integers(2025, 2030))
def test_engine_follows_cronie_across_daylight_saving(
    cron: str, zone: str, cron_tz: bool, year: int
) -> None:
    # Around each transition, the legacy fires of a literal simulation of cronie's
    # virtual-time loop (tests/schedule/naive.py), written as one-off AWS expressions, must
    # be exactly what the engine computes.
    schedule = parse_cron(cron)
    for day in _transition_days(zone, year):
        horizon = (day - timedelta(days=1), day + timedelta(days=2))
        src = naive.cronie_loop_fires(macro_free(cron), resolve_zone(zone), *horizon,
                                      cron_tz=cron_tz)
        exprs = [f"cron({t.minute} {t.hour} {t.day} {t.month} ? {t.year})"
                 for t, n in sorted(src.items()) for _ in range(n)]
        assume(len(exprs) <= 50)
        result = verify(schedule, zone, exprs, horizon, cron_tz=cron_tz).verification
        assert result.exact, (day, result.examples)


def test_spring_forward_runs_skipped_fixed_time_job_after_the_jump() -> None:
    # 2027-03-14 02:30 does not exist in New York; cronie runs the job at 03:00 local.
    h = (date(2027, 3, 14), date(2027, 3, 15))
    r = verify(parse_cron("30 2 * * *"), "America/New_York", ["cron(0 7 14 3 ? 2027)"], h)
    assert r.verification.exact


def test_spring_forward_skips_wildcard_and_cron_tz_jobs() -> None:
    # A wildcard job fires at every local :30 that exists: once per UTC hour, so the plain
    # UTC rule is exact across the jump (local 02:30 has no UTC instant at all).
    h = (date(2027, 3, 14), date(2027, 3, 16))
    hourly = verify(parse_cron("30 * * * *"), "America/New_York", ["cron(30 * * * ? *)"], h)
    assert hourly.verification.exact and hourly.verification.source_fires == 48
    h = (date(2027, 3, 14), date(2027, 3, 15))
    tz = verify(parse_cron("30 2 * * *"), "America/New_York", [], h, cron_tz=True)
    assert tz.verification.source_fires == 0


def test_fall_back_runs_fixed_time_job_once_and_wildcard_twice() -> None:
    h = (date(2027, 11, 7), date(2027, 11, 8))
    fixed = verify(parse_cron("30 1 * * *"), "America/New_York", [], h).verification
    assert fixed.source_fires == 1
    # local 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST)
    assert verify(parse_cron("30 1 * * *"), "America/New_York", ["cron(30 5 7 11 ? *)"],
                  h).verification.exact
    wild = verify(parse_cron("30 * * * *"), "America/New_York", ["cron(30 * * * ? *)"], h)
    assert wild.verification.exact
    tz = verify(parse_cron("30 1 * * *"), "America/New_York", [], h, cron_tz=True)
    assert tz.verification.source_fires == 2


def test_duplicates_count_multiplicity() -> None:
    h = (date(2027, 1, 1), date(2027, 2, 1))
    r = verify(parse_cron("0 0 * * *"), "UTC",
               ["cron(0 0 * * ? *)", "cron(0 0 1 * ? *)", "cron(0 0 1 * ? *)"], h)
    v = r.verification
    assert (v.missing, v.extra, v.duplicates, v.source_fires, v.aws_fires) == (0, 0, 2, 31, 33)
    assert not v.exact
    assert v.examples[0].startswith("2027-01-01T00:00Z")


def test_examples_name_the_first_differing_instants() -> None:
    h = (date(2027, 1, 1), date(2027, 1, 3))
    r = verify(parse_cron("0 9 * * *"), "+09:00", ["cron(0 1 * * ? *)"], h).verification
    assert r.examples == (
        "2027-01-01T00:00Z (2027-01-01 09:00 UTC+09:00): legacy fires 1x, AWS fires 0x "
        "(missing)",
        "2027-01-01T01:00Z (2027-01-01 10:00 UTC+09:00): legacy fires 0x, AWS fires 1x "
        "(extra)",
        "2027-01-02T00:00Z (2027-01-02 09:00 UTC+09:00): legacy fires 1x, AWS fires 0x "
        "(missing)",
        "2027-01-02T01:00Z (2027-01-02 10:00 UTC+09:00): legacy fires 0x, AWS fires 1x "
        "(extra)",
    )
