"""Our YAML writer: whatever plain data it writes, PyYAML reads back exactly."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.emit.yamltext import dump

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
