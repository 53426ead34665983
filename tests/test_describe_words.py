"""Descriptions: the cached composition of cron-descriptor's segments (`_cron_words`) gives
exactly cron-descriptor's full description (`get_description`, or the text where it fails),
for any five fields: generated cron lines, AWS-style and malformed tokens, real lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.naming import _cron_words, _full_words, describe
from migrate.schedule.cron import CronSchedule, CronSyntaxError, is_cron, parse_cron
from tests.corpus import CORPUS, MISSING
from tests.schedule.strategies import cron_lines, macro_free

ROOT = Path(__file__).resolve().parent.parent
# Tokens cron-descriptor treats apart (steps that start at 0 or 1, `?`, `L`, `W`, `#`,
# names, years, a lone hour the parser widens to a range) and ones it cannot word.
_ODD = ["*", "?", "0", "1", "7", "12", "23", "59", "0/5", "1/2", "*/1", "*/15", "5-10/2",
        "L", "LW", "15W", "W3", "L-3", "2#3", "5L", "MON-FRI", "sun,sat", "JAN-MAR", "dec",
        "2027", "1,2,3", "3-", "-", ",", "x", "99", "0-0", "10-2", "1/0", "*/*", "L#", ""]


def _same(text: str) -> None:
    assert _cron_words(text) == _full_words(text), text


@settings(max_examples=2000, deadline=None)
@given(cron_lines())
def test_composed_description_is_cron_descriptors_for_cron_lines(line: str) -> None:
    _same(macro_free(line))


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_ODD), min_size=5, max_size=5).map(" ".join))
def test_composed_description_is_cron_descriptors_for_odd_fields(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("text", ["", "@reboot", "* * * *", "* * * * * *", "0 0 1 1 * 2027"])
def test_texts_that_are_not_five_fields_use_cron_descriptor_itself(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("where", ["samples", "corpus"])
def test_composed_description_is_cron_descriptors_for_real_lines(where: str) -> None:
    root = CORPUS if where == "corpus" else ROOT / where
    if not root.is_dir():
        pytest.skip(MISSING)
    seen = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for line in path.read_bytes().decode("utf-8", "replace").splitlines():
            fields = line.split()
            if len(fields) >= 5 and not line.lstrip().startswith("#"):
                _same(" ".join(fields[:5]))
                seen += 1
    assert seen > 10


@settings(max_examples=2000, deadline=None)
@given(st.one_of(cron_lines(), st.lists(st.sampled_from(_ODD + ["@daily", "@reboot", "@x"]),
                                        min_size=1, max_size=6).map(" ".join)))
def test_is_cron_is_whether_parse_cron_accepts(text: str) -> None:
    try:
        parse_cron(text)
        accepted = True
    except CronSyntaxError:
        accepted = False
    assert is_cron(text) == accepted


def test_schedules_written_another_way_are_worded_from_their_sets() -> None:
    s = parse_cron("30 7 * * 1-5")
    other = CronSchedule("crontab(hour=7, minute=30, day_of_week='mon-fri')", s.minutes,
                         s.hours, s.days, s.months, s.weekdays, dom_star=True)
    assert describe(other, "UTC") == describe(s, "UTC") == (
        "At 07:30, Monday through Friday, UTC")
