"""whenever's schedule quirks, one named test each (expected values from whenever 1.0.0)."""

from __future__ import annotations

import pytest
from whenever_helpers import cron, lines, run

JOB = "/bin/bash -l -c 'x'"


def first_fields(source: str) -> list[str]:
    return [" ".join(line.split()[:5]) for line in lines(source)]


def every(freq: str, at: str | None = None) -> str:
    opts = f", at: {at}" if at is not None else ""
    return f"every {freq}{opts} do\n  command 'x'\nend\n"


# -------------------------------------------------------- numeric frequencies


def test_every_1_week_is_days_1_8_15_22() -> None:
    # cron.rb comma_separated_timing(7, 31, 1): (1..31).step(7) cut to (31/7.0).round = 4.
    assert first_fields(every("1.week")) == ["0 0 1,8,15,22 * *"]


def test_every_2_days_is_odd_days() -> None:
    assert first_fields(every("2.days")) == ["0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 * *"]


def test_every_40_minutes_is_hourly_at_40() -> None:
    # A frequency above half the range is printed as a single value.
    assert first_fields(every("40.minutes")) == ["40 * * * *"]


def test_every_7_minutes_starts_at_7_not_0() -> None:
    # 60 is not a multiple of 7: whenever starts at the frequency, not at 0.
    assert first_fields(every("7.minutes")) == ["7,14,21,28,35,42,49,56 * * * *"]


def test_every_15_minutes_starts_at_0() -> None:
    assert first_fields(every("15.minutes")) == ["0,15,30,45 * * * *"]


def test_every_5_hours_is_hours_5_to_20() -> None:
    assert first_fields(every("5.hours")) == ["0 5,10,15,20 * * *"]


def test_every_59_minutes_is_minute_59() -> None:
    assert first_fields(every("59.minutes")) == ["59 * * * *"]


def test_every_90_minutes_is_hourly() -> None:
    # 5400 s is in the hours range: (5400 / 3600).round = 1, i.e. every hour.
    assert first_fields(every("90.minutes")) == ["0 * * * *"]


def test_every_12_months_is_december_only() -> None:
    # 12 > (12 * 0.5).ceil: printed as the single month 12.
    assert first_fields(every("12.months")) == ["0 0 1 12 *"]


def test_every_32_days_is_monthly() -> None:
    assert first_fields(every("32.days")) == ["0 0 1 * *"]


def test_every_1_year_is_january_first() -> None:
    assert first_fields(every("1.year")) == ["0 0 1 1 *"]


def test_every_2_years_raises_couldnt_parse() -> None:
    em = run(every("2.years"))
    assert em.fails and "Couldn't parse: 63115200" in (em.crontab.error or "")


def test_every_30_seconds_raises() -> None:
    em = run(every("30.seconds"))
    assert em.crontab.error == "Time must be in minutes or higher (ArgumentError)"


def test_float_duration_is_truncated() -> None:
    # NumericSeconds#initialize: number.to_i, so 1.5.hours is one hour.
    assert first_fields(every("1.5.hours")) == ["0 * * * *"]


# ---------------------------------------------------------------- symbols


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [
        (":reboot", "@reboot"),
        (":daily", "@daily"),
        (":annually", "@annually"),
        (":hour", "0 * * * *"),
        (":day", "0 0 * * *"),
        (":week", "0 0 1,8,15,22 * *"),
        (":month", "0 0 1 * *"),
        (":year", "0 0 1 1 *"),
        (":minute", "* * * * *"),
        (":sunday", "0 0 * * 0"),
        (":thursday", "0 0 * * 4"),
        (":weekday", "0 0 * * 1-5"),
        (":weekend", "0 0 * * 6,0"),
    ],
)
def test_symbols(symbol: str, expected: str) -> None:
    got = lines(every(symbol))[0]
    assert got.startswith(expected + " ")


def test_shortcut_with_at_raises() -> None:
    em = run(every(":daily", "'4am'"))
    assert "You cannot specify an ':at' when using the shortcuts" in (em.crontab.error or "")


def test_shortcut_with_unparsable_at_is_accepted() -> None:
    # Chronic returns nil, whenever uses 0, and 0 is allowed with a shortcut.
    assert lines(every(":daily", "'garbage'")) == [f"@daily {JOB}"]


def test_day_name_ignores_integer_at() -> None:
    assert first_fields(every(":monday", "5")) == ["0 0 * * 1"]


# ---------------------------------------------------------------- strings


def test_raw_cron_string_is_kept() -> None:
    assert first_fields(every("'*/5 9-17 * * 1-5'")) == ["*/5 9-17 * * 1-5"]


def test_raw_cron_ignores_at() -> None:
    assert first_fields(every("'15 3 * * *'", "'4am'")) == ["15 3 * * *"]


def test_day_list_string_is_split_and_combined() -> None:
    assert first_fields(every("'mon,wed,fri'", "'9am'")) == ["0 9 * * 1,3,5"]


def test_string_with_two_spaces_is_not_cron_but_a_day_name() -> None:
    # The REGEX wants single blanks; the string then reads as a day name ("mon").
    assert first_fields(every("'0 0  * * mon'")) == ["0 0 * * 1"]


def test_duration_written_as_string_raises() -> None:
    em = run(every("'5.minutes'"))
    assert em.crontab.error == 'Couldn\'t parse: "5.minutes" (ArgumentError)'


# -------------------------------------------------------------------- at:


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("'4:30 am'", "30 4"),
        ("'12pm'", "0 12"),
        ("'0:05'", "5 0"),
        ("'3:15 pm'", "15 15"),
        ("'noon'", "0 12"),
        ("'midnight'", "0 0"),
        ("'6.00 pm'", "0 18"),
        ("'1.15am'", "15 1"),
        ("'00:35am'", "35 0"),
        ("'12:00 am'", "0 0"),
        ("'13:00'", "0 13"),
    ],
)
def test_at_strings_on_daily(at: str, expected: str) -> None:
    assert first_fields(every("1.day", at)) == [f"{expected} * * *"]


def test_ambiguous_5_00_is_5pm() -> None:
    # chronic's ambiguous_time_range 6: a one-digit hour 1-6 without am/pm is afternoon.
    assert first_fields(every("1.day", "'5:00'")) == ["0 17 * * *"]


def test_ambiguous_7_00_is_7am() -> None:
    assert first_fields(every("1.day", "'7:00'")) == ["0 7 * * *"]


def test_zero_padded_05_00_is_5am() -> None:
    # Only a one-digit hour (or 10-12) is ambiguous.
    assert first_fields(every("1.day", "'05:00'")) == ["0 5 * * *"]


def test_hours24_makes_4_30_morning() -> None:
    src = "set :chronic_options, hours24: true\n" + every("1.day", "'4:30'")
    assert first_fields(src) == ["30 4 * * *"]


def test_hours24_pm_is_nil_so_midnight() -> None:
    # With hours24, '3:15 pm' does not parse: whenever silently uses 0.
    src = "set :chronic_options, hours24: true\n" + every("1.day", "'3:15 pm'")
    assert first_fields(src) == ["0 0 * * *"]


def test_unparsable_at_is_midnight() -> None:
    assert first_fields(every("1.day", "'garbage'")) == ["0 0 * * *"]


def test_month_name_gives_day_for_monthly() -> None:
    assert first_fields(every("1.month", "'January 5th 2am'")) == ["0 2 5 * *"]


def test_month_name_gives_day_and_month_for_yearly() -> None:
    assert first_fields(every("1.year", "'March 3rd 5:15 pm'")) == ["15 17 3 3 *"]


def test_start_of_the_month_at_4am() -> None:
    # No month name: day_given? is false, so day 1 whatever chronic's day.
    assert first_fields(every("1.month", "'start of the month at 4am'")) == ["0 4 1 * *"]


def test_at_comma_list_is_split() -> None:
    assert first_fields(every("1.day", "'2am, 3:30pm'")) == ["0 2 * * *", "30 15 * * *"]


def test_at_array_same_minute_is_combined() -> None:
    assert first_fields(every(":day", "['3:02am', '4:02am']")) == ["2 3,4 * * *"]


def test_integer_at_is_minute_for_hourly() -> None:
    assert first_fields(every(":hour", "15")) == ["15 * * * *"]


def test_integer_at_is_hour_for_daily() -> None:
    assert first_fields(every("1.day", "23")) == ["0 23 * * *"]


def test_integer_at_is_day_for_monthly() -> None:
    assert first_fields(every("1.month", "15")) == ["0 0 15 * *"]


def test_integer_at_is_month_for_yearly() -> None:
    assert first_fields(every(":year", "7")) == ["0 0 1 7 *"]


def test_integer_at_out_of_range_raises() -> None:
    em = run(every("1.day", "24"))
    assert em.crontab.error == "Hour must be between 0-23, 24 given (ArgumentError)"


def test_integer_at_offsets_minutes() -> None:
    assert first_fields(every("10.minutes", "3")) == ["3,13,23,33,43,53 * * * *"]


def test_string_at_with_minutes_frequency_raises() -> None:
    em = run(every("10.minutes", "'4am'"))
    assert em.crontab.error == "bad value for range (ArgumentError)"


def test_empty_at_string_makes_no_line() -> None:
    # ''.split(',') is [] in Ruby: nothing to enumerate.
    assert cron(every("1.day", "''")) == ""


# ------------------------------------------------------------- combining


def test_lines_differing_in_one_field_are_combined() -> None:
    src = every(":day", "'3am'") + every(":day", "'4am'")
    assert lines(src) == [f"0 3,4 * * * {JOB}"]


def test_lines_differing_in_two_fields_are_not_combined() -> None:
    assert first_fields(every(":day", "['4:30 am', '6:15 pm']")) == ["30 4 * * *", "15 18 * * *"]


def test_different_frequencies_are_not_combined() -> None:
    # Combining happens per frequency group (a hash key), not across groups.
    src = every("'0 3 * * *'") + every("'0 4 * * *'")
    assert first_fields(src) == ["0 3 * * *", "0 4 * * *"]


def test_same_frequency_in_two_blocks_shares_a_group() -> None:
    src = every("1.day", "'3am'") + every(":hour") + every("86400", "'4am'")
    assert first_fields(src) == ["0 3,4 * * *", "0 * * * *"]


def test_shortcuts_come_first_in_their_group() -> None:
    src = "every [:day, :reboot] do\n  command 'x'\nend\n"
    assert lines(src) == [f"@reboot {JOB}", f"0 0 * * * {JOB}"]
