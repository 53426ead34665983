"""Scheduler conversion: zone names, exactness where daylight saving does not interfere,
and findings that name every differing instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st

from migrate.schedule.convert import to_aws
from migrate.schedule.cron import parse_cron
from migrate.schedule.scheduler import scheduler_target, scheduler_zone
from migrate.schedule.verify import verify
from migrate.schedule.zones import resolve_zone
from tests.schedule import naive
from tests.schedule.strategies import DST_ZONES, cron_lines, macro_free

YEAR = (date(2027, 1, 1), date(2028, 1, 1))


def test_zone_names() -> None:
    assert scheduler_zone("Europe/Berlin", YEAR) == "Europe/Berlin"
    assert scheduler_zone("UTC", YEAR) == "UTC"
    assert scheduler_zone("+00:00", YEAR) == "UTC"
    # Etc/GMT zones carry POSIX's inverted sign
    assert scheduler_zone("+05:00", YEAR) == "Etc/GMT-5"
    assert scheduler_zone("-03:00", YEAR) == "Etc/GMT+3"
    assert scheduler_zone("+14:00", YEAR) == "Etc/GMT-14"
    # no Etc zone: an IANA zone that kept the offset all horizon
    assert scheduler_zone("+05:45", YEAR) == "Asia/Kathmandu"
    assert scheduler_zone("+05:30", YEAR) in ("Asia/Colombo", "Asia/Kolkata")
    # nobody has kept -09:30 or +12:45 without daylight saving -> None (rule's UTC expressions)
    assert scheduler_zone("+12:45", YEAR) is None


def test_fixed_offset_without_zone_runs_the_rule_expressions_in_utc() -> None:
    s = parse_cron("0 9 * * 1")
    conv = to_aws(s, "+12:45", YEAR)
    result = verify(s, "+12:45", conv.expressions, YEAR)
    target, findings = scheduler_target(s, "+12:45", False, YEAR, (conv, result))
    assert target.timezone == "UTC" and target.expressions == conv.expressions
    assert target.exact == result.verification.exact


def _touches_transition(line: str, zone: str, horizon: tuple[date, date]) -> bool:
    """Does the line match a local time inside a gap or an overlap? (plain zoneinfo walk
    around every transition: the local minutes skipped or repeated)."""
    tz = resolve_zone(zone)
    match, _ = naive.cron_matcher(line)
    u = datetime.combine(horizon[0], datetime.min.time(), UTC) - timedelta(hours=6)
    end = datetime.combine(horizon[1], datetime.min.time(), UTC) + timedelta(hours=6)
    prev = u.astimezone(tz)
    while u < end:
        u += timedelta(minutes=30)
        now = u.astimezone(tz)
        if now.utcoffset() != prev.utcoffset():
            # every local minute between the two readings is in a gap or an overlap
            a = min(prev.replace(tzinfo=None), now.replace(tzinfo=None))
            b = max(prev.replace(tzinfo=None), now.replace(tzinfo=None)) + timedelta(
                minutes=30)
            t = a
            while t <= b:
                if match(t):
                    return True
                t += timedelta(minutes=1)
        prev = now
    return False


@settings(max_examples=150, deadline=None)
@given(cron=cron_lines(dense=False), zone=st.sampled_from(DST_ZONES),
       cron_tz=st.booleans(), start=st.dates(date(2025, 1, 1), date(2030, 1, 1)))
def test_scheduler_is_exact_away_from_transitions_and_names_its_instants(
    cron: str, zone: str, cron_tz: bool, start: date
) -> None:
    horizon = (start, start + timedelta(days=365))
    s = parse_cron(cron)
    rules = to_aws(s, zone, horizon)
    target, findings = scheduler_target(
        s, zone, cron_tz, horizon, (rules, verify(s, zone, rules.expressions, horizon)))
    codes = {f.code for f in findings}
    assert target.timezone == zone and target.verification is not None
    conversion_explains = codes & {"double-fire", "day-and-inexpressible"}
    touches = _touches_transition(macro_free(cron), zone, horizon)
    event("exact" if target.exact else "inexact")
    event("touches a gap or overlap" if touches else "away from transitions")
    if not touches and not conversion_explains:
        assert target.exact, (cron, zone, target.verification.examples)
    if not target.exact and not conversion_explains:
        (dst,) = [f for f in findings if f.code == "scheduler-dst"]
        v = target.verification
        assert str(v.missing + v.extra + v.duplicates) in dst.message
        for example in v.examples:  # every differing instant is named, in local time
            local = example.split("(")[1][:16]
            assert local in dst.message or "more" in dst.message


STEADY_ZONES = ["Asia/Tokyo", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Eucla", "+05:30",
                "+14:00", "-12:00", "-03:30", "Pacific/Kiritimati", "Etc/GMT+12"]
EDGE_LINES = ["0 0 1 1 *", "59 23 31 12 *", "30 23 * * *", "15 0 28-31 * *", "0 12 1-7 * 5",
              "0 4 1,15 * mon", "*/7 */5 * * *", "0 0 29 2 *", "@daily", "45 1 * jan,dec sun"]


def _full_and_shared(line: str, zone: str) -> tuple[object, object]:
    """The Scheduler target as computed (sharing the wall-clock proof where it can) and as
    verifying in the zone itself gives it (the sharing turned off)."""
    from migrate.schedule import scheduler

    s = parse_cron(line)
    rules_conv = to_aws(s, zone, YEAR)
    rules = (rules_conv, verify(s, zone, rules_conv.expressions, YEAR))
    shared = scheduler_target(s, zone, False, YEAR, rules)
    steady = scheduler._steady
    try:
        scheduler._steady = lambda *args: None
        full = scheduler_target(s, zone, False, YEAR, rules)
    finally:
        scheduler._steady = steady
    return shared, full


@settings(max_examples=60, deadline=None)
@given(line=cron_lines(), zone=st.sampled_from(STEADY_ZONES))
def test_a_steady_zone_shares_the_wall_clock_proof_with_the_same_verdict(line: str,
                                                                        zone: str) -> None:
    """In a zone without transitions the Scheduler proof is shared across zones
    (`scheduler._steady`): its verdict must be the one verifying in the zone itself gives,
    counts included."""
    shared, full = _full_and_shared(macro_free(line), zone)
    assert shared == full


def test_the_shared_proof_is_taken_and_agrees_on_the_horizon_edges() -> None:
    from migrate.schedule import scheduler

    for line in EDGE_LINES:
        for zone in STEADY_ZONES:
            shared, full = _full_and_shared(line, zone)
            assert shared == full, (line, zone)
            s = parse_cron(line)
            rules = verify(s, zone, to_aws(s, zone, YEAR).expressions, YEAR)
            if full[0].exact and scheduler_zone(zone, YEAR) != "UTC":  # type: ignore[index]
                # the shared path is the one that answered
                assert scheduler._steady(s, zone, YEAR, rules) is not None, (line, zone)
