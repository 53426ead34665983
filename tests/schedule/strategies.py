"""Hypothesis strategies for realistic cron lines, zones and AWS expressions."""

from __future__ import annotations

from hypothesis import strategies as st

FIXED_ZONES = ["UTC", "+09:00", "+05:30", "+05:45", "+08:45", "-03:30", "-09:30", "+14:00",
               "-12:00", "+10:30", "-05:00", "+01:00", "+12:45"]
DST_ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Australia/Sydney",
             "America/Santiago", "Europe/Berlin", "Pacific/Chatham", "America/St_Johns"]
MONTHS = ["jan", "FEB", "Mar", "APR", "may", "JUN", "jul", "AUG", "sep", "OCT", "nov", "DEC"]
DAYS = ["sun", "MON", "Tue", "WED", "thu", "FRI", "sat"]


# cronsim reads a one-value range with a step (`5-5/2`) as `5/2`; cronie as {5}. The
# generator avoids that form so cronsim can serve as the independent reference.
def _item(lo: int, hi: int, names: list[str] | None = None, base: int = 0):  # type: ignore[no-untyped-def]
    def name(v: int) -> str:
        if names and v - base < len(names):
            return names[v - base]
        return str(v)

    single = st.integers(lo, hi).map(str)
    named = st.integers(lo, min(hi, lo + len(names) - 1)).map(name) if names else single
    rng = st.tuples(st.integers(lo, hi), st.integers(lo, hi)).map(
        lambda t: f"{min(t)}-{max(t)}")
    kinds = st.sampled_from(["*", "range", "single"])
    step = st.tuples(kinds, st.integers(1, max(2, (hi - lo) // 2)),
                     st.integers(lo, hi), st.integers(lo, hi)).map(
        lambda t: (f"*/{t[1]}" if t[0] == "*" else
                   f"{min(t[2], t[3])}-{max(t[2], t[3]) + 1}/{t[1]}"
                   if t[0] == "range" and max(t[2], t[3]) < hi else
                   f"{t[2]}/{t[1]}"))
    return st.one_of(single, named, rng, step)


def field(lo: int, hi: int, names: list[str] | None = None, base: int = 0):  # type: ignore[no-untyped-def]
    lst = st.lists(_item(lo, hi, names, base), min_size=1, max_size=3).map(",".join)
    return st.one_of(st.just("*"), lst)


@st.composite
def cron_lines(draw, dense: bool = True):  # type: ignore[no-untyped-def]
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["@yearly", "@annually", "@monthly", "@weekly", "@daily",
                                     "@midnight", "@hourly"]))
    minute = draw(st.one_of(st.integers(0, 59).map(str), field(0, 59)) if dense
                  else st.lists(st.integers(0, 59), min_size=1, max_size=3).map(
                      lambda v: ",".join(map(str, v))))
    hour = draw(st.one_of(st.integers(0, 23).map(str), field(0, 23)) if dense
                else st.lists(st.integers(0, 23), min_size=1, max_size=3).map(
                    lambda v: ",".join(map(str, v))))
    dom = draw(st.one_of(st.just("*"), field(1, 31)))
    month = draw(st.one_of(st.just("*"), st.just("*"), field(1, 12, MONTHS, base=1)))
    dow = draw(st.one_of(st.just("*"), field(0, 7, DAYS, base=0)))
    return f"{minute} {hour} {dom} {month} {dow}"


def macro_free(line: str) -> str:
    return {
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    }.get(line, line)


@st.composite
def aws_expressions(draw):  # type: ignore[no-untyped-def]
    minute = draw(st.sampled_from(["0", "30", "0/15", "5,35", "0-2", "*"]))
    hour = draw(st.sampled_from(["0", "23", "9-17", "0/6", "*", "3,15"]))
    month = draw(st.sampled_from(["*", "1", "2", "FEB-APR", "12", "1/3", "JAN,JUL"]))
    year = draw(st.sampled_from(["*", "*", "2027", "2026-2028", "2024/4"]))
    if draw(st.booleans()):
        dom = draw(st.sampled_from(["*", "1", "L", "15W", "1W", "31W", "29-31", "1/2", "28,29",
                                    "10-20"]))
        dow = "?"
    else:
        dom = "?"
        dow = draw(st.sampled_from(["*", "1", "MON-FRI", "6L", "2#1", "7#5", "SUN,SAT", "4#3",
                                    "1L"]))
    return f"cron({minute} {hour} {dom} {month} {dow} {year})"
