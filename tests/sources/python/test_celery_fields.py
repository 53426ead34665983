"""Celery's crontab fields: our reading agrees with Celery's own parser on any input."""

from __future__ import annotations

from typing import Any

import pytest
from celery.schedules import crontab, crontab_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.sources.python import celery_fields as cf

NAMES = ["mon", "Tue", "wednesday", "fri", "sat", "sun", "jan", "Mar", "december", "jun", "xyz"]
ATOMS = st.one_of(
    st.integers(0, 70).map(str),
    st.sampled_from(NAMES),
    st.just("*"),
)


@st.composite
def parts(draw: st.DrawFn) -> str:
    first = draw(ATOMS)
    shape = draw(st.sampled_from(["one", "range", "step", "range-step", "junk"]))
    if shape == "range":
        return f"{first}-{draw(ATOMS)}"
    if shape == "step":
        return f"{first}/{draw(st.integers(0, 30))}"
    if shape == "range-step":
        return f"{first}-{draw(ATOMS)}/{draw(st.one_of(st.integers(0, 30).map(str), st.just('')))}"
    if shape == "junk":
        return first + draw(st.sampled_from(["-", "/", " ", "x", "-1-2", "/2/3", "**"]))
    return first


SPECS = st.lists(parts(), min_size=1, max_size=4).map(",".join)


def celery_expand(spec: Any, field: cf.CeleryField) -> frozenset[int] | None:
    try:
        return frozenset(crontab._expand_cronspec(spec, field.size, field.low))
    except (ValueError, TypeError, crontab_parser.ParseException):
        return None


def ours(spec: Any, field: cf.CeleryField) -> frozenset[int] | None:
    try:
        return cf.field_values(spec, field)
    except cf.CeleryFieldError:
        return None


@pytest.mark.parametrize("field", cf.POSITIONAL, ids=lambda f: f.name)
@settings(max_examples=300, deadline=None)
@given(spec=SPECS)
def test_string_fields_agree_with_celery(field: cf.CeleryField, spec: str) -> None:
    assert ours(spec, field) == celery_expand(spec, field)


@pytest.mark.parametrize("field", cf.POSITIONAL, ids=lambda f: f.name)
@settings(max_examples=100, deadline=None)
@given(values=st.one_of(st.integers(-2, 70), st.lists(st.integers(-2, 70), max_size=5)))
def test_int_and_list_fields_agree_with_celery(field: cf.CeleryField, values: Any) -> None:
    assert ours(values, field) == celery_expand(values, field)


def test_celery_range_wraps() -> None:
    # Quirk (celery.schedules.crontab_parser._expand_range): a backwards range wraps around.
    assert cf.field_values("22-2", cf.HOUR) == {22, 23, 0, 1, 2}
    assert cf.field_values("fri-mon", cf.DAY_OF_WEEK) == {5, 6, 0, 1}


def test_celery_month_names_first() -> None:
    # Quirk (celery.utils.time: yearmonth is tried before weekday, in every field).
    assert cf.field_values("mar", cf.DAY_OF_WEEK) == {3}
    assert cf.field_values("monday", cf.DAY_OF_WEEK) == {1}
    assert cf.field_values("jun", cf.MINUTE) == {6}


def test_celery_prefix_match() -> None:
    # Quirk: parts are matched by prefix, so what follows a range is ignored.
    assert cf.field_values("1-5-7", cf.HOUR) == {1, 2, 3, 4, 5}


def test_celery_rejects_seven_as_sunday() -> None:
    with pytest.raises(cf.CeleryFieldError, match="7 is above 6"):
        cf.field_values("7", cf.DAY_OF_WEEK)


def test_celery_rejects_step_on_single_value() -> None:
    with pytest.raises(cf.CeleryFieldError, match="not a number, a month or a weekday name"):
        cf.field_values("5/15", cf.MINUTE)


def test_days_that_never_occur_are_refused() -> None:
    with pytest.raises(cf.CeleryFieldError, match="never occurs"):
        cf.check_days_exist(frozenset({30, 31}), frozenset({2}))
    cf.check_days_exist(frozenset({29}), frozenset({2}))  # leap February counts, as in Celery
