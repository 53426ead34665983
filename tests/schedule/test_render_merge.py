"""`render.merge` on rows built by hand: real conversions rarely give it anything to merge
(`partition` already groups months and days), so its merging is exercised here."""

from __future__ import annotations

import pytest

from migrate.schedule.partition import DaySpec, Row
from migrate.schedule.render import merge

f = frozenset
JAN = DaySpec("dom", f({1}), f({1}))
FEB = DaySpec("dom", f({1}), f({2}))
SECOND = DaySpec("dom", f({2}), f({1, 2}))
AT_3 = (f({0}), f({3}))


def _rows(*rows: tuple[frozenset[int], frozenset[int], DaySpec]) -> list[Row]:
    return list(rows)


@pytest.mark.parametrize(("rows", "expressions"), [
    (_rows((*AT_3, JAN)), ["cron(0 3 1 1 ? *)"]),
    # equal times and day values: the months join
    (_rows((*AT_3, JAN), (*AT_3, FEB)), ["cron(0 3 1 1,2 ? *)"]),
    # then the day values of rows equal but for them
    (_rows((*AT_3, JAN), (*AT_3, FEB), (*AT_3, SECOND)), ["cron(0 3 1,2 1,2 ? *)"]),
    # equal day parts: their times join, regrouped by hours with equal minutes
    (_rows((*AT_3, JAN), (f({30}), f({3}), JAN), (f({0}), f({4}), JAN)),
     ["cron(0 4 1 1 ? *)", "cron(0,30 3 1 1 ? *)"]),
    # weekdays join; `L` (and `n#k`) never take other values
    (_rows((*AT_3, DaySpec("dow", f({2}), f({1}))), (*AT_3, DaySpec("dow", f({6}), f({1}))),
           (*AT_3, DaySpec("last", f(), f({1}))), (*AT_3, DaySpec("last", f(), f({2})))),
     ["cron(0 3 ? 1 MON,FRI *)", "cron(0 3 L 1,2 ? *)"]),
    (_rows((*AT_3, DaySpec("nth", f(), f({1}), nth=(2, 1))),
           (*AT_3, DaySpec("nth", f(), f({1}), nth=(2, 3)))),
     ["cron(0 3 ? 1 2#1 *)", "cron(0 3 ? 1 2#3 *)"]),
    # different years never join
    (_rows((*AT_3, DaySpec("dom", f({1}), f({3}), f({2027}))),
           (*AT_3, DaySpec("dom", f({1}), f({4}), f({2028})))),
     ["cron(0 3 1 3 ? 2027)", "cron(0 3 1 4 ? 2028)"]),
])
def test_merge_joins_rows_that_differ_in_one_field(rows: list[Row], expressions: list[str]
                                                   ) -> None:
    assert merge(rows) == expressions
    assert merge(rows[::-1]) == expressions  # the order of rows never matters
