"""Chronic's season repeaters (gitlab-chronic 0.10.5 `season.rb`, `mini_date.rb`,
`repeaters/repeater_season.rb`, `repeaters/repeater_season_name.rb`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migrate.sources.whenever.chronic.calendar import SEASON_SECONDS, YEAR_SECONDS
from migrate.sources.whenever.chronic.repeaters import DAY_SECONDS, Repeater
from migrate.sources.whenever.chronic.rtime import Span, construct, plus
from migrate.sources.whenever.chronic.tags import Options


@dataclass(frozen=True, slots=True)
class MiniDate:
    month: int
    day: int

    def is_between(self, start: MiniDate, end: MiniDate) -> bool:
        if (self.month == start.month and self.month == end.month) and (
            self.day < start.day or self.day > end.day
        ):
            return False
        if (self.month == start.month and self.day >= start.day) or (
            self.month == end.month and self.day <= end.day
        ):
            return True
        i = (start.month % 12) + 1
        while i != end.month:
            if self.month == i:
                return True
            i = (i % 12) + 1
        return False


SEASONS: dict[str, tuple[MiniDate, MiniDate]] = {
    "spring": (MiniDate(3, 20), MiniDate(6, 20)),
    "summer": (MiniDate(6, 21), MiniDate(9, 22)),
    "autumn": (MiniDate(9, 23), MiniDate(12, 21)),
    "winter": (MiniDate(12, 22), MiniDate(3, 19)),
}
_ORDER = ("spring", "summer", "autumn", "winter")


def _mini(t: datetime) -> MiniDate:
    return MiniDate(t.month, t.day)


class RepeaterSeason(Repeater):
    has_offset = True

    def __init__(self, type_: Any, options: Options | None = None) -> None:
        super().__init__(type_, options)
        self.next_season_start: datetime | None = None
        self.next_season_end: datetime | None = None

    def next_span(self, pointer: str) -> Span:
        now = self._now()
        direction = 1 if pointer == "future" else -1
        current = self._current_season(_mini(now))
        following = _ORDER[(_ORDER.index(current) + direction) % 4]
        return self._next_season_span(direction, following)

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        direction = 1 if pointer == "future" else -1
        today = construct(now.year, now.month, now.day)
        this_ssn = self._current_season(_mini(now))
        if pointer == "past":
            start = plus(today, direction * self._til(SEASONS[this_ssn][0], direction))
            end = today
        elif pointer == "future":
            start = plus(today, DAY_SECONDS)
            end = plus(today, direction * self._til(SEASONS[this_ssn][1], direction))
        else:
            start = plus(today, direction * self._til(SEASONS[this_ssn][0], direction))
            end = plus(today, direction * self._til(SEASONS[this_ssn][1], direction))
        return _construct_season(start, end)

    def offset(self, span: Span, amount: int, pointer: str) -> Span:
        direction = 1 if pointer == "future" else -1
        return Span(
            plus(span.begin, amount * direction * self._unit()),
            plus(span.end, amount * direction * self._unit()),
        )

    def _unit(self) -> int:
        return SEASON_SECONDS

    def width(self) -> float:
        return SEASON_SECONDS

    def _next_season_span(self, direction: int, season: str) -> Span:
        now = self._now()
        if self.next_season_start is None and self.next_season_end is None:
            self.next_season_start = construct(now.year, now.month, now.day)
            self.next_season_end = construct(now.year, now.month, now.day)
        assert self.next_season_start is not None and self.next_season_end is not None
        self.next_season_start = plus(
            self.next_season_start, direction * self._til(SEASONS[season][0], direction)
        )
        self.next_season_end = plus(
            self.next_season_end, direction * self._til(SEASONS[season][1], direction)
        )
        return _construct_season(self.next_season_start, self.next_season_end)

    @staticmethod
    def _current_season(md: MiniDate) -> str:
        for season in _ORDER:
            if md.is_between(*SEASONS[season]):
                return season
        raise AssertionError("every date is in a season")

    def _til(self, goal: MiniDate, direction: int) -> int:
        now = self._now()
        start = construct(now.year, now.month, now.day)
        seconds = 0
        while _mini(plus(start, direction * seconds)) != goal:
            seconds += DAY_SECONDS
        return seconds


class RepeaterSeasonName(RepeaterSeason):
    def next_span(self, pointer: str) -> Span:
        direction = 1 if pointer == "future" else -1
        return self._next_season_span(direction, self.type)

    def this_span(self, pointer: str = "future") -> Span:
        now = self._now()
        direction = 1 if pointer == "future" else -1
        today = construct(now.year, now.month, now.day)
        goal_start = plus(today, direction * self._til(SEASONS[self.type][0], direction))
        goal_end = plus(today, direction * self._til(SEASONS[self.type][1], direction))
        current = self._current_season(_mini(now))
        if pointer == "past":
            start = goal_start
            end = today if current == self.type else goal_end
        elif pointer == "future":
            start = plus(today, DAY_SECONDS) if current == self.type else goal_start
            end = goal_end
        else:
            start, end = goal_start, goal_end
        return _construct_season(start, end)

    def _unit(self) -> int:
        return YEAR_SECONDS


def _construct_season(start: datetime, finish: datetime) -> Span:
    return Span(
        construct(start.year, start.month, start.day),
        construct(finish.year, finish.month, finish.day),
    )
