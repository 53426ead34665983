"""Chronic's handler patterns (gitlab-chronic 0.10.5 `handler.rb` and
`Parser#definitions`): which token-tag sequences a handler accepts, matched as Ruby does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from migrate.sources.whenever.chronic import calendar as cal
from migrate.sources.whenever.chronic import tags as tg
from migrate.sources.whenever.chronic.repeaters import (
    Repeater,
    RepeaterDayName,
    RepeaterDayPortion,
    RepeaterTime,
)
from migrate.sources.whenever.chronic.rtime import (
    MONTH_DAYS,
    MONTH_DAYS_LEAP,
    RubyRuntimeError,
    is_leap,
)
from migrate.sources.whenever.chronic.tags import Token

_TAG_CLASSES: dict[str, type[tg.Tag]] = {
    "repeater": Repeater,
    "repeater_time": RepeaterTime,
    "repeater_day_portion": RepeaterDayPortion,
    "repeater_day_name": RepeaterDayName,
    "repeater_month_name": cal.RepeaterMonthName,
    "repeater_month": cal.RepeaterMonth,
    "scalar": tg.Scalar,
    "scalar_day": tg.ScalarDay,
    "scalar_month": tg.ScalarMonth,
    "scalar_year": tg.ScalarYear,
    "ordinal": tg.Ordinal,
    "ordinal_day": tg.OrdinalDay,
    "separator": tg.Separator,
    "separator_slash": tg.SeparatorSlash,
    "separator_dash": tg.SeparatorDash,
    "separator_at": tg.SeparatorAt,
    "separator_on": tg.SeparatorOn,
    "separator_in": tg.SeparatorIn,
    "separator_and": tg.SeparatorAnd,
    "time_zone": tg.TimeZone,
    "grabber": tg.Grabber,
    "pointer": tg.Pointer,
}


@dataclass(frozen=True, slots=True)
class Sub:
    """A Ruby String element of a pattern: a sub-definition (`'time?'`, `'anchor'`)."""

    name: str


Element = str | Sub
Pattern = Sequence[Element | Sequence[Element]]


@dataclass(frozen=True, slots=True)
class Handler:
    pattern: Pattern
    method: str

    def match(self, tokens: Sequence[Token], definitions: Mapping[str, list[Handler]]) -> bool:
        index = 0
        for elements in self.pattern:
            was_optional = False
            group = [elements] if isinstance(elements, str | Sub) else list(elements)
            for i, element in enumerate(group):
                name = element.name if isinstance(element, Sub) else element
                optional = name.endswith("?")
                if optional:
                    name = name[:-1]
                if isinstance(element, str):
                    if _tags_match(name, tokens, index):
                        index += 1
                        break
                    if optional:
                        was_optional = True
                        continue
                    if i + 1 < len(group):
                        continue
                    if not was_optional:
                        return False
                else:
                    if optional and index == len(tokens):
                        return True
                    if name not in definitions:
                        raise RubyRuntimeError(f"Invalid subset {name} specified")
                    for sub in definitions[name]:
                        if sub.match(tokens[index:], definitions):
                            return True
        return index == len(tokens)


def _tags_match(name: str, tokens: Sequence[Token], index: int) -> bool:
    klass = _TAG_CLASSES[name]
    if index >= len(tokens):
        return False
    return any(isinstance(t, klass) for t in tokens[index].tags)


def _h(pattern: Pattern, method: str) -> Handler:
    return Handler(pattern, method)


_TIME = Sub("time?")
_SLASH_OR_DASH = ("separator_slash", "separator_dash")
_OPT_SLASH_OR_DASH = ("separator_slash?", "separator_dash?")

DEFINITIONS: dict[str, list[Handler]] = {
    "time": [_h(["repeater_time", "repeater_day_portion?"], "")],
    "date": [
        _h(
            [
                "repeater_day_name",
                "repeater_month_name",
                "scalar_day",
                "repeater_time",
                _OPT_SLASH_OR_DASH,
                "time_zone",
                "scalar_year",
            ],
            "handle_generic",
        ),
        _h(["repeater_day_name", "repeater_month_name", "scalar_day"], "handle_rdn_rmn_sd"),
        _h(
            ["repeater_day_name", "repeater_month_name", "scalar_day", "scalar_year"],
            "handle_rdn_rmn_sd_sy",
        ),
        _h(["repeater_day_name", "repeater_month_name", "ordinal_day"], "handle_rdn_rmn_od"),
        _h(
            ["repeater_day_name", "repeater_month_name", "ordinal_day", "scalar_year"],
            "handle_rdn_rmn_od_sy",
        ),
        _h(
            ["repeater_day_name", "repeater_month_name", "scalar_day", "separator_at?", _TIME],
            "handle_rdn_rmn_sd",
        ),
        _h(
            ["repeater_day_name", "repeater_month_name", "ordinal_day", "separator_at?", _TIME],
            "handle_rdn_rmn_od",
        ),
        _h(["repeater_day_name", "ordinal_day", "separator_at?", _TIME], "handle_rdn_od"),
        _h(
            [
                "scalar_year",
                _SLASH_OR_DASH,
                "scalar_month",
                _SLASH_OR_DASH,
                "scalar_day",
                "repeater_time",
                "time_zone",
            ],
            "handle_generic",
        ),
        _h(["ordinal_day"], "handle_generic"),
        _h(["repeater_month_name", "scalar_day", "scalar_year"], "handle_rmn_sd_sy"),
        _h(["repeater_month_name", "ordinal_day", "scalar_year"], "handle_rmn_od_sy"),
        _h(
            ["repeater_month_name", "scalar_day", "scalar_year", "separator_at?", _TIME],
            "handle_rmn_sd_sy",
        ),
        _h(
            ["repeater_month_name", "ordinal_day", "scalar_year", "separator_at?", _TIME],
            "handle_rmn_od_sy",
        ),
        _h(
            ["repeater_month_name", _OPT_SLASH_OR_DASH, "scalar_day", "separator_at?", _TIME],
            "handle_rmn_sd",
        ),
        _h(
            [
                "repeater_time",
                "repeater_day_portion?",
                "separator_on?",
                "repeater_month_name",
                "scalar_day",
            ],
            "handle_rmn_sd_on",
        ),
        _h(["repeater_month_name", "ordinal_day", "separator_at?", _TIME], "handle_rmn_od"),
        _h(
            ["ordinal_day", "repeater_month_name", "scalar_year", "separator_at?", _TIME],
            "handle_od_rmn_sy",
        ),
        _h(["ordinal_day", "repeater_month_name", "separator_at?", _TIME], "handle_od_rmn"),
        _h(["ordinal_day", "grabber?", "repeater_month", "separator_at?", _TIME], "handle_od_rm"),
        _h(["scalar_year", "repeater_month_name", "ordinal_day"], "handle_sy_rmn_od"),
        _h(
            [
                "repeater_time",
                "repeater_day_portion?",
                "separator_on?",
                "repeater_month_name",
                "ordinal_day",
            ],
            "handle_rmn_od_on",
        ),
        _h(["repeater_month_name", "scalar_year"], "handle_rmn_sy"),
        _h(
            ["scalar_day", "repeater_month_name", "scalar_year", "separator_at?", _TIME],
            "handle_sd_rmn_sy",
        ),
        _h(
            ["scalar_day", _OPT_SLASH_OR_DASH, "repeater_month_name", "separator_at?", _TIME],
            "handle_sd_rmn",
        ),
        _h(
            [
                "scalar_year",
                _SLASH_OR_DASH,
                "scalar_month",
                _SLASH_OR_DASH,
                "scalar_day",
                "separator_at?",
                _TIME,
            ],
            "handle_sy_sm_sd",
        ),
        _h(["scalar_year", _SLASH_OR_DASH, "scalar_month"], "handle_sy_sm"),
        _h(["scalar_month", _SLASH_OR_DASH, "scalar_year"], "handle_sm_sy"),
        _h(
            [
                "scalar_day",
                _SLASH_OR_DASH,
                "repeater_month_name",
                _SLASH_OR_DASH,
                "scalar_year",
                "repeater_time?",
            ],
            "handle_sm_rmn_sy",
        ),
        _h(
            ["scalar_year", _SLASH_OR_DASH, "scalar_month", _SLASH_OR_DASH, "scalar?", "time_zone"],
            "handle_generic",
        ),
    ],
    "anchor": [
        _h(
            ["separator_on?", "grabber?", "repeater", "separator_at?", "repeater?", "repeater?"],
            "handle_r",
        ),
        _h(
            ["grabber?", "repeater", "repeater", "separator?", "repeater?", "repeater?"], "handle_r"
        ),
        _h(["repeater", "grabber", "repeater"], "handle_r_g_r"),
    ],
    "arrow": [
        _h(["scalar", "repeater", "pointer"], "handle_s_r_p"),
        _h(
            [
                "scalar",
                "repeater",
                "separator_and?",
                "scalar",
                "repeater",
                "pointer",
                "separator_at?",
                Sub("anchor"),
            ],
            "handle_s_r_a_s_r_p_a",
        ),
        _h(["pointer", "scalar", "repeater"], "handle_p_s_r"),
        _h(["scalar", "repeater", "pointer", "separator_at?", Sub("anchor")], "handle_s_r_p_a"),
    ],
    "narrow": [
        _h(["ordinal", "repeater", "separator_in", "repeater"], "handle_o_r_s_r"),
        _h(["ordinal", "repeater", "grabber", "repeater"], "handle_o_r_g_r"),
    ],
}

ENDIANS = [
    _h(
        [
            "scalar_month",
            _SLASH_OR_DASH,
            "scalar_day",
            _SLASH_OR_DASH,
            "scalar_year",
            "separator_at?",
            _TIME,
        ],
        "handle_sm_sd_sy",
    ),
    _h(["scalar_month", _SLASH_OR_DASH, "scalar_day", "separator_at?", _TIME], "handle_sm_sd"),
    _h(["scalar_day", _SLASH_OR_DASH, "scalar_month", "separator_at?", _TIME], "handle_sd_sm"),
    _h(
        [
            "scalar_day",
            _SLASH_OR_DASH,
            "scalar_month",
            _SLASH_OR_DASH,
            "scalar_year",
            "separator_at?",
            _TIME,
        ],
        "handle_sd_sm_sy",
    ),
]


def month_overflow(year: int, month: int, day: int) -> bool:
    """`Handlers#month_overflow?` (RepeaterMonth::MONTH_DAYS is 0-indexed; Ruby's negative
    index wraps; a nil comparison raises ArgumentError, which is rescued as false)."""
    table = MONTH_DAYS_LEAP[1:] if is_leap(year) else MONTH_DAYS[1:]
    index = month - 1
    if -12 <= index < 12:
        value = table[index]
        assert value is not None
        return day > value
    return False
