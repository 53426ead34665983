"""Job names: the fast tokenizer gives exactly shlex's tokens, so names never change."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.naming import NAME_SOURCE_CHARS, _shlex_tokens, _tokens, _words
from tests.corpus import CORPUS, MISSING

ROOT = Path(__file__).resolve().parent.parent
# Every character shlex treats apart (whitespace, comment, punctuation, quotes, escape),
# characters it does not (other Unicode spaces, NUL, `$`, braces) and some word characters.
_CHARS = list(" \t\r\n#();<>|&'\"\\") + list("ab-=./$`*~{}!é\x00\x0b\x0c\xa0\u2028")


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_CHARS), max_size=40).map("".join))
def test_tokens_are_shlexs_for_any_command(command: str) -> None:
    assert _tokens(command) == _shlex_tokens(command)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([c for c in _CHARS if c not in "'\"\\"]), max_size=40)
       .map("".join))
def test_tokens_are_shlexs_without_quotes(command: str) -> None:
    """The fast path alone (no quote, no backslash)."""
    assert _tokens(command) == _shlex_tokens(command)


def _lines(root: Path) -> list[str]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        out += text.splitlines() + [text[:NAME_SOURCE_CHARS]]
    return out


@pytest.mark.parametrize("where", ["tests/data", "samples", "corpus"])
def test_tokens_are_shlexs_for_every_line_of_real_files(where: str) -> None:
    root = CORPUS if where == "corpus" else ROOT / where
    if not root.is_dir():
        pytest.skip(MISSING)
    for line in _lines(root):
        assert _tokens(line) == _shlex_tokens(line[:NAME_SOURCE_CHARS]), line


@pytest.mark.parametrize(("command", "words"), [
    ("cd / && run-parts --report /etc/cron.hourly", ["run-parts", "cron-hourly"]),
    ("/usr/bin/flock -n /var/lock/x.lock /opt/bin/import-feed #nightly", ["import-feed"]),
    ("test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
     ["run-parts", "cron-daily"]),
    ("/bin/bash -l -c 'cd /srv && bundle exec rake db:backup >> log 2>&1'",
     ["rake", "db-backup"]),
])
def test_words_of_common_commands(command: str, words: list[str]) -> None:
    assert _words(command) == words
