"""EventBridge expressions parsed field by field (`awstiming`) give what the whole
expression's parse gives: the same masks and day fields, and nothing for what it refuses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.analysis.awstiming import _day_key, _Fields, _mask, _parsed

# Tokens per field, valid and not (out of range, misplaced `?`/`L`/`#`/`W`, bad steps, junk).
MINUTES = ["0", "5", "59", "60", "0/15", "*/5", "1-3", "3-1", "1,2,3", "*", "x", "5/0", "?"]
HOURS = ["0", "23", "24", "0/6", "1-5", "*", "2,22", "-1", "L"]
DOMS = ["?", "*", "1", "31", "32", "L", "15W", "0W", "1-15", "1/7", "L,1", "?x"]
MONTHS = ["*", "1", "12", "13", "JAN", "jan-mar", "FEB,DEC", "1/3", "0", "?"]
DOWS = ["?", "*", "1", "7", "8", "MON-FRI", "SUN,SAT", "6L", "2#3", "2#6", "1/2", "FRI-MON"]
YEARS = ["*", "2027", "1969", "2027-2030", "2199", "2200", "2027/2", "?"]


@st.composite
def expressions(draw: st.DrawFn) -> str:
    fields = [draw(st.sampled_from(choices))
              for choices in (MINUTES, HOURS, DOMS, MONTHS, DOWS, YEARS)]
    text = f"cron({' '.join(fields)})"
    if draw(st.integers(0, 9)) == 0:  # now and then: broken around the fields
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from([" ", "", "\n", ")", "  "])) + text[at + 1 :]
    return text


@settings(max_examples=2000, deadline=None)
@given(texts=st.lists(expressions(), min_size=1, max_size=8))
def test_field_by_field_parse_equals_the_whole_parse(texts: list[str]) -> None:
    fields = _Fields()  # shared by the texts, as in one scan
    for text in texts:
        whole = _parsed(text)
        got = fields.parse(text)
        if whole is None:
            assert got is None, text
            continue
        assert got is not None, text
        hours, minutes, key, days = got
        assert (hours, minutes, key) == (_mask(whole.hours), _mask(whole.minutes),
                                         _day_key(whole)), text
        assert _day_key(days) == key
