"""The chronic port (the `at:` parser whenever uses): named cases, and a differential test
against the installed Ruby chronic on random word salads (skips without Ruby, except on CI)."""

from __future__ import annotations

import json
import random
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from whenever_helpers import require_whenever

from migrate.sources.whenever.chronic import ChronicUnsupported, RubyError, parse

NOW = datetime(2025, 6, 15, 13, 27)
PROBE = Path(__file__).with_name("chronic_probe.rb")


def at(text: str, **options: object) -> str:
    t = parse(text, NOW, options)
    return "nil" if t is None else t.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4:30 am", "2025-06-15 04:30"),  # earlier today: the span of today's am, not tomorrow
        ("12pm", "2025-06-15 12:00"),
        ("0:05", "2025-06-16 00:05"),
        ("3:15 pm", "2025-06-15 15:15"),
        ("noon", "2025-06-15 12:00"),
        ("midnight", "2025-06-16 00:00"),  # pre_normalize: midnight is 24:00
        ("January 5th 2am", "2026-01-05 02:00"),
        ("start of the month at 4am", "2025-06-01 04:00"),
        ("4:30", "2025-06-15 16:30"),  # ambiguous one-digit hour: 6am..6pm window
        ("7:00", "2025-06-15 07:00"),
        ("12:00 am", "2025-06-15 00:00"),
        ("6.00 pm", "2025-06-15 18:00"),
        ("1.15am", "2025-06-15 01:15"),
        ("00:35am", "2025-06-15 00:35"),
        ("tomorrow", "2025-06-16 12:00"),  # a day span: guess is its middle
        ("first day of month", "nil"),
        ("4am on the 1st", "nil"),
        ("1/15 3am", "2026-01-15 03:00"),
        ("dec 25", "2025-12-25 12:00"),
    ],
)
def test_named_cases(text: str, expected: str) -> None:
    assert at(text) == expected


def test_hours24_reads_4_30_as_morning_and_refuses_pm() -> None:
    assert at("4:30", hours24=True) == "2025-06-16 04:30"
    assert at("3:15 pm", hours24=True) == "nil"


def test_chronic_errors_are_ruby_errors() -> None:
    with pytest.raises(RubyError):
        parse("tomorrow dec", datetime(2025, 12, 31, 12), {})


def test_time_parse_is_reproduced_only_for_a_lone_ordinal() -> None:
    assert at("the 1st") == "2025-06-01 00:00"
    with pytest.raises(ChronicUnsupported):
        parse("2012-08-02 utc", NOW, {})


WORDS = [
    "4:30",
    "12",
    "0:05",
    "noon",
    "midnight",
    "january",
    "jan",
    "5th",
    "1st",
    "2am",
    "am",
    "pm",
    "at",
    "on",
    "the",
    "of",
    "start",
    "month",
    "next",
    "this",
    "last",
    "monday",
    "fri",
    "week",
    "day",
    "tomorrow",
    "today",
    "in",
    "2",
    "hours",
    "ago",
    "from",
    "now",
    "morning",
    "evening",
    "night",
    "afternoon",
    "quarter",
    "half",
    "past",
    "to",
    "dec",
    "25",
    "2026",
    "/",
    "-",
    ",",
    "12:00",
    "00:35am",
    "1.15am",
    "6.00",
    "24:00",
    "13",
    "7",
    "10:30pm",
    "sunday",
    "weekend",
    "weekday",
    "year",
    "fortnight",
    "summer",
    "spring",
    "third",
    "twenty",
    "one",
    "a",
    "an",
    "oclock",
    "seconds",
    "minute",
    "hour",
    "hr",
    "sat",
    "tue",
    "thursday",
    "wed",
    "23:59:59",
    "1230",
    "430",
    "may",
    "feb",
    "29",
    "30",
    "31",
    "0",
    "99",
    "71",
    "@",
    "1/15",
    "12/25",
    "and",
    "t",
    "w",
]


def test_agrees_with_ruby_chronic_on_random_strings() -> None:
    require_whenever()
    rng = random.Random(7)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5))) for _ in range(600)]
    for now in [(2025, 6, 15, 13, 27, 0), (2024, 2, 29, 23, 59, 0)]:
        for options in [{}, {"hours24": True}]:
            done = subprocess.run(
                ["ruby", str(PROBE), ",".join(map(str, now)), json.dumps(options)],
                input="\n".join(texts) + "\n",
                capture_output=True,
                text=True,
                check=True,
                env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
            )
            disagreements = []
            for text, ruby in zip(texts, done.stdout.splitlines(), strict=True):
                try:
                    t = parse(text, datetime(*now), options, real_now=datetime.now())
                except ChronicUnsupported:
                    continue
                except RubyError as err:
                    mine = f"ERR {err.kind}"
                else:
                    mine = "nil" if t is None else f"{t.year:04d}-" + t.strftime("%m-%d %H:%M:%S")
                if mine != ruby:
                    disagreements.append((text, ruby, mine))
            assert disagreements == []
