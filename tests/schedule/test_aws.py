"""Our EventBridge expression validator: data files list what it accepts and, with the exact
message, what it rejects."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from migrate.schedule.aws import AwsCron, AwsExpressionError, parse_expression, render_set
from migrate.schedule.calendar import calendar
from migrate.schedule.fields import AWS_DAY_OF_WEEK, MINUTE
from tests.schedule import naive

DATA = Path(__file__).parent.parent / "data" / "schedule" / "aws"


def _lines(name: str) -> list[str]:
    return [ln for ln in (DATA / name).read_text().splitlines() if ln and not ln.startswith("#")]


@pytest.mark.parametrize("text", _lines("valid.txt"))
def test_valid_expressions_are_accepted(text: str) -> None:
    parse_expression(text)


@pytest.mark.parametrize("line", _lines("invalid.txt"))
def test_invalid_expressions_are_rejected_with_a_reason(line: str) -> None:
    text, message = line.split("\t")
    with pytest.raises(AwsExpressionError) as exc:
        parse_expression(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("text", [t for t in _lines("valid.txt") if t.startswith("cron")])
def test_day_mask_matches_a_plain_date_loop(text: str) -> None:
    cal = calendar(date(2026, 1, 1), date(2029, 12, 31))
    expr = parse_expression(text)
    assert isinstance(expr, AwsCron)
    mask = expr.day_mask(cal)
    expected = [naive.aws_day_matches(text, cal.date_of(i)) for i in range(len(cal))]
    assert mask.tolist() == expected


def test_render_set_is_compact_and_exact() -> None:
    assert render_set(range(0, 60, 15), MINUTE) == "0/15"
    assert render_set([0, 15, 30], MINUTE) == "0,15,30"
    assert render_set([1, 2, 3, 7, 8], MINUTE) == "1-3,7,8"
    assert render_set(range(60), MINUTE) == "*"
    assert render_set([2, 3, 4, 5, 6], AWS_DAY_OF_WEEK, steps=False) == "MON-FRI"
