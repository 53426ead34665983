"""Conversion: golden cases (tests/data/schedule/convert/*.yaml: adding a case is adding a
file) and properties checked by the engine and by the independent evaluators."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.schedule.aws import parse_expression
from migrate.schedule.convert import to_aws
from migrate.schedule.cron import parse_cron
from migrate.schedule.verify import verify
from migrate.schedule.zones import resolve_zone
from tests.schedule import naive
from tests.schedule.strategies import FIXED_ZONES, cron_lines, macro_free

YEAR = (date(2027, 1, 1), date(2028, 1, 1))
CASES = sorted((Path(__file__).parent.parent / "data" / "schedule" / "convert").glob("*.yaml"))
INEXACT_BY_DESIGN = {"double-fire", "month-boundary", "day-and-inexpressible"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_conversion(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    horizon = tuple(date.fromisoformat(d) for d in case.get("horizon", "2027-01-01:2028-01-01")
                    .split(":"))
    schedule = parse_cron(case["cron"])
    conv = to_aws(schedule, case["zone"], horizon, dst=case.get("dst", "standard"))  # type: ignore[arg-type]
    assert list(conv.expressions) == case["aws"]
    assert sorted(f.code for f in conv.findings) == sorted(case.get("findings", []))
    result = verify(schedule, case["zone"], conv.expressions, horizon,  # type: ignore[arg-type]
                    cron_tz=case.get("cron_tz", False)).verification
    assert result.exact == case["exact"]


@settings(max_examples=300, deadline=None)
@given(cron=cron_lines(), zone=st.sampled_from(FIXED_ZONES))
def test_conversion_is_exact_unless_a_finding_says_why(cron: str, zone: str) -> None:
    schedule = parse_cron(cron)
    conv = to_aws(schedule, zone, YEAR)
    for text in conv.expressions:
        parse_expression(text)  # every emitted expression passes our validator
    result = verify(schedule, zone, conv.expressions, YEAR).verification
    explained = {f.code for f in conv.findings} & INEXACT_BY_DESIGN
    if not explained:
        assert result.exact, (cron, zone, conv.expressions, result.examples)
    if "double-fire" in explained and not explained - {"double-fire"}:
        assert result.missing == 0 and result.extra == 0 and result.duplicates > 0


@settings(max_examples=80, deadline=None)
@given(cron=cron_lines(dense=False), zone=st.sampled_from(FIXED_ZONES),
       start=st.dates(date(2025, 1, 1), date(2032, 11, 1)))
def test_exact_claims_hold_for_an_independent_evaluator(cron: str, zone: str, start: date
                                                        ) -> None:
    horizon = (start, date(start.year + 1, start.month, 1))
    schedule = parse_cron(cron)
    conv = to_aws(schedule, zone, horizon)
    if not verify(schedule, zone, conv.expressions, horizon).verification.exact:
        return
    try:
        src = naive.cron_fires(macro_free(cron), resolve_zone(zone), *horizon)
    except Exception:  # cronsim refuses some lines cronie accepts
        return
    assert src == naive.aws_fires(list(conv.expressions), *horizon)
