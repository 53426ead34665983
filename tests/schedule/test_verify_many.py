"""Proofs evaluated together (`verify_many`) give exactly what each gives on its own
(`verify`): whatever else is in the batch, in any zone, for either target, with or without
CRON_TZ, one-time `at(...)` schedules, or signatures too wide for one word."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.schedule import verify as engine
from migrate.schedule.convert import to_aws
from migrate.schedule.cron import parse_cron
from migrate.schedule.verify import Check, verify, verify_many
from tests.schedule.strategies import DST_ZONES, FIXED_ZONES, aws_expressions, cron_lines

YEAR = (date(2027, 1, 1), date(2028, 1, 1))
SHORT = (date(2027, 3, 1), date(2027, 4, 15))  # New York and London change offset inside


def _alone(check: Check) -> engine.VerifyResult:
    return verify(check.schedule, check.zone, check.expressions, check.horizon,
                  cron_tz=check.cron_tz, target=check.target)


@st.composite
def checks(draw):  # type: ignore[no-untyped-def]
    schedule = parse_cron(draw(cron_lines()))
    zone = draw(st.sampled_from(FIXED_ZONES + DST_ZONES))
    target = draw(st.sampled_from(["rules", "scheduler"]))
    own = draw(st.booleans())  # the converter's expressions, or arbitrary ones
    exprs = (to_aws(schedule, zone if target == "rules" else "UTC", SHORT).expressions
             if own else tuple(draw(st.lists(aws_expressions(), max_size=3))))
    return Check(schedule, zone, exprs, SHORT, draw(st.booleans()), target)


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(checks(), min_size=1, max_size=12))
def test_a_batch_gives_what_each_proof_gives_alone(batch: list[Check]) -> None:
    assert verify_many(batch) == [_alone(c) for c in batch]


def test_batches_split_and_groups_interleave(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many proofs over two zones, two horizons and both targets, in an order that
    interleaves the groups, with batches of 3: results come back in the order asked."""
    monkeypatch.setattr(engine, "BATCH", 3)
    lines = ["0 2 * * *", "30 1 * * 0", "*/20 * 1,15 * *", "0 0 1 1 *", "15 3 * * 1-5",
             "0 0 29 2 *", "5 4 13 * 5"]
    batch = []
    for i, line in enumerate(lines * 2):
        s = parse_cron(line)
        zone = ("Europe/London", "Asia/Kolkata")[i % 2]
        horizon = (YEAR, SHORT)[i // len(lines)]
        batch.append(Check(s, zone, to_aws(s, zone, horizon).expressions, horizon))
        batch.append(Check(s, zone, to_aws(s, "UTC", horizon).expressions, horizon,
                           target="scheduler"))
    results = verify_many(batch)
    assert results == [_alone(c) for c in batch]
    assert any(not r.verification.exact for r in results)  # the DST drift is in the batch
    assert any(r.verification.exact for r in results)


def test_wide_signatures_are_compared_row_by_row() -> None:
    """Twenty expressions for Scheduler: 3 bits each, more than one word per signature.
    Also cover the one-time schedules of the daylight-saving remedy."""
    s = parse_cron("0 * * * *")
    exprs = tuple(f"cron(0 {h} * * ? *)" for h in range(20)) + ("cron(0 20-23 * * ? *)",)
    narrow = ("cron(0 * * * ? *)",)
    spring = "at(2027-03-14T02:30:00)"  # New York skips 02:00-03:00 that day
    batch = [Check(s, "America/New_York", exprs, SHORT, target="scheduler"),
             Check(s, "America/New_York", narrow, SHORT, target="scheduler"),
             Check(s, "America/New_York", exprs[:-1], SHORT, target="scheduler"),
             Check(s, "America/New_York", narrow + (spring,), SHORT, target="scheduler")]
    results = verify_many(batch)
    assert results == [_alone(c) for c in batch]
    # every hour, whichever way it is written: the same verdict and counts
    assert results[0].verification.source_fires == results[1].verification.source_fires
    assert results[0].verification.aws_fires == results[1].verification.aws_fires
    assert results[2].verification.missing > 0  # 20:00-23:00 left out
    assert results[3].verification.aws_fires == results[1].verification.aws_fires + 1


def test_a_malformed_check_raises() -> None:
    s = parse_cron("0 2 * * *")
    with pytest.raises(ValueError, match="one-time"):
        verify_many([Check(s, "UTC", ("cron(0 2 * * ? *)", "at(2027-03-14T02:30:00)"), SHORT)])
    with pytest.raises(ValueError, match="rate"):
        verify_many([Check(s, "UTC", ("rate(5 minutes)",), SHORT)])
    with pytest.raises(ValueError, match="unknown target"):
        verify_many([Check(s, "UTC", (), SHORT, target="lambda")])
    assert verify_many([]) == []


def test_a_horizon_of_transition_days_only() -> None:
    """No regular day at all: the batch has no signatures, only minute detail."""
    s = parse_cron("30 2 * * *")
    day = (date(2027, 3, 14), date(2027, 3, 15))
    batch = [Check(s, "America/New_York", to_aws(s, "America/New_York", day).expressions, day),
             Check(s, "America/New_York", ("cron(30 2 * * ? *)",), day, target="scheduler")]
    assert verify_many(batch) == [_alone(c) for c in batch]
    assert verify_many(batch[1:])[0].verification.missing == 1  # skipped by Scheduler
