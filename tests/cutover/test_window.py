"""The window: the next stretch without a fire of any chosen job, and when to refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cronsim import CronSim

from migrate.cutover.edits import CutoverError
from migrate.cutover.timing import decide
from migrate.cutover.window import find_window, next_fire, parse_window
from migrate.model import Command, Job, Schedule

NOW = datetime(2026, 12, 4, 19, 58, 30, tzinfo=UTC)


def _job(*aws: str, exact: bool = True) -> Job:
    return Job("j-1", "n", "", True, [], Schedule("* * * * *", "UTC", aws=aws, exact=exact),
               Command("true"))


@pytest.mark.parametrize(("legacy", "aws"), [
    ("10 3 * * *", "cron(10 3 * * ? *)"),
    ("0,30 * * * *", "cron(0,30 * * * ? *)"),
    ("15 2 * * 1-5", "cron(15 2 ? * MON-FRI *)"),
    ("0 0 1 * *", "cron(0 0 1 * ? *)"),
    ("0-5,50-59 * * * *", "cron(0-5,50-59 * * * ? *)"),
])
def test_window_is_the_first_free_stretch_cronsim_agrees(legacy: str, aws: str) -> None:
    """Brute force with an independent engine (cronsim): every minute of 8 days."""
    w = find_window([aws], NOW, timedelta(minutes=10))
    assert w is not None
    start = NOW.replace(second=0) + timedelta(minutes=1)
    fires = set()
    for t in CronSim(legacy, start - timedelta(minutes=1)):
        if t > start + timedelta(days=8):
            break
        fires.add(t)
    t = start
    while any(t + timedelta(minutes=k) in fires for k in range(10)):
        t += timedelta(minutes=1)
    assert w.start == t
    later = [f for f in fires if f > t]
    if later:  # else the window runs to the end of the search (7 days)
        assert w.end == min(later)
    assert next_fire([aws], NOW) == (min(fires) if fires else None)


def test_window_skips_gaps_too_short() -> None:
    # fires at :00 and :08 of every hour: the 7-minute gaps are too short for 10 minutes
    w = find_window(["cron(0,8 * * * ? *)"], NOW, timedelta(minutes=10))
    assert w is not None and w.start == datetime(2026, 12, 4, 20, 9, tzinfo=UTC)
    assert w.end == datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
    assert find_window(["cron(0/5 * * * ? *)"], NOW, timedelta(minutes=10)) is None


def test_decide_waits_refuses_or_accepts_now() -> None:
    hourly = _job("cron(5 * * * ? *)")
    t = decide([hourly], NOW, None, False, timedelta(minutes=10))
    assert not t.run and "next window: 2026-12-04T20:06Z..2026-12-04T21:05Z" in t.text
    assert decide([hourly], NOW.replace(minute=6), None, False, timedelta(minutes=10)).run
    every = _job("cron(* * * * ? *)")
    with pytest.raises(CutoverError, match=r"no window.*--now.*the run at 2026-12-04T19:59Z"):
        decide([every], NOW, None, False, timedelta(minutes=10))
    assert "may be doubled or skipped" in decide([every], NOW, None, True,
                                                 timedelta(minutes=10)).text
    given = parse_window("2026-12-04T19:00Z..2026-12-04T20:30Z")
    assert decide([hourly], NOW, given, False, timedelta(minutes=10)).run
    with pytest.raises(CutoverError, match="rate expression"):
        decide([_job("rate(5 minutes)")], NOW, None, False, timedelta(minutes=10))


def test_parse_window() -> None:
    w = parse_window("2026-12-05T03:00Z:2026-12-05T03:30Z")
    assert str(w) == "2026-12-05T03:00Z..2026-12-05T03:30Z"
    for bad in ("tomorrow", "2026-12-05T03:30Z..2026-12-05T03:00Z"):
        with pytest.raises(CutoverError):
            parse_window(bad)
