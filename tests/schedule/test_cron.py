"""The legacy cron grammar (cronie): errors worded in one place, quirks named."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.schedule.cron import CronSyntaxError, parse_cron

DATA = Path(__file__).parent.parent / "data" / "schedule" / "cron"


def _cases() -> list[str]:
    text = (DATA / "invalid.txt").read_text()
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


@pytest.mark.parametrize("line", _cases())
def test_invalid_fields_are_rejected_with_cronie_wording(line: str) -> None:
    fields, message = line.split("\t")
    with pytest.raises(CronSyntaxError) as exc:
        parse_cron(fields)
    assert exc.value.message == message


def test_names_any_case_and_sunday_is_0_and_7() -> None:
    s = parse_cron("0 0 * jan-Mar sun,7")
    assert s.months == {1, 2, 3} and s.weekdays == {0}


def test_day_rule_is_and_when_a_day_field_starts_with_star() -> None:
    # cronie entry.c sets DOM_STAR/DOW_STAR when the field's first character is '*'.
    assert parse_cron("0 0 */2 * 1").day_rule == "and"
    assert parse_cron("0 0 1 * */2").day_rule == "and"
    assert parse_cron("0 0 1-31 * 1").day_rule == "or"
    assert parse_cron("0 0 1,15 * mon").day_rule == "or"


def test_step_on_single_value_runs_to_field_end() -> None:
    # cronie >= 1.5.3: `N/S` means `N-max/S`.
    assert parse_cron("5/20 * * * *").minutes == {5, 25, 45}


def test_macros_set_cronie_flags() -> None:
    weekly = parse_cron("@weekly")
    assert weekly.day_rule == "and" and weekly.weekdays == {0}
    assert parse_cron("@hourly").hour_star and not parse_cron("@daily").wildcard
    assert parse_cron("@reboot").reboot


def test_random_range_keeps_lower_bound_and_records_the_range() -> None:
    s = parse_cron("0~30 2 * * *")
    assert s.minutes == {0} and s.random[0].high == 30
