"""Our YAML writer: whatever plain data it writes, PyYAML reads back exactly."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.emit.yamltext import _NOT_STR, _PLAIN, _plain_ascii, dump, item_text

texts = st.one_of(
    st.text(),
    st.sampled_from(["", "null", "yes", "No", "~", "1.5", "0x1F", "2027-01-01", ".inf", "-",
                     "a: b", "a #b", "#x", "key:", " lead", "trail ", "line\nline\n",
                     "x\n\n", "\n", "  indented\nmore", "tab\tin", "é ü 日本", "* * * * *",
                     "cron(0 1 ? * MON *)", "%s", "@reboot", "!tag", "&a", "*a", "|", ">",
                     "[a]", "{a}", "'q'", '"q"', "a,b", "=", "<<", "\r\n", "\x85", "\u2028"]),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), texts,
                    st.floats(allow_nan=False, allow_infinity=True))
values: Any = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(texts, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(data=st.dictionaries(texts, values, max_size=6))
def test_safe_load_reads_back_what_was_written(data: dict[str, Any]) -> None:
    assert yaml.safe_load(dump(data) or "{}") == data


def test_catalog_style_is_readable() -> None:
    text = dump({"aws": ["cron(30 17 * * ? *)"], "stdin": "Hello,\nbye\n", "env": {}})
    assert text == "aws:\n- cron(30 17 * * ? *)\nstdin: |\n  Hello,\n  bye\nenv: {}\n"


def _odd(value: Any) -> Any:
    """The same data in other containers: tuples and read-only mappings."""
    if isinstance(value, dict):
        return MappingProxyType({k: _odd(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_odd(v) for v in value)
    return value


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(texts, values, max_size=6))
def test_any_mapping_and_sequence_is_written_as_a_dict_and_a_list(data: dict[str, Any]) -> None:
    assert dump(_odd(data)) == dump(data)
    assert item_text(_odd(data), "  ") == item_text(data, "  ")


# Printable ASCII built from what decides plainness: indicators, number and word letters.
_tricky = st.text(alphabet=st.sampled_from("aeEnNyYoOfFlLsStTuUrRx01259._,:+-#'\"`~<=/( "),
                  max_size=8)


@settings(max_examples=3000, deadline=None)
@given(text=st.one_of(_tricky, st.text(alphabet=st.characters(min_codepoint=32,
                                                              max_codepoint=126))))
def test_plain_ascii_tests_agree_with_the_plain_scalar_regexes(text: str) -> None:
    assert _plain_ascii(text) == bool(_PLAIN.fullmatch(text) and not _NOT_STR.fullmatch(text))
