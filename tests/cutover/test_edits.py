"""The marker edit and where a line lives, as values: no Ansible here."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from migrate.cutover.edits import (
    CutoverError,
    LineEdit,
    Place,
    line_state,
    locate,
    mark,
    unmark,
)
from migrate.model import Source

DAY = date(2026, 12, 4)
PLACE = Place("web1", "/snap/web1", "/etc/crontab", "system")


def _edit(text: str, job: str = "j-1") -> LineEdit:
    return LineEdit(PLACE, 1, text, job)


@pytest.mark.parametrize(("path", "remote", "kind", "user"), [
    ("/snap/web1/etc/crontab", "/etc/crontab", "system", None),
    ("/snap/web1/etc/cron.d/stock", "/etc/cron.d/stock", "system", None),
    ("snap/web1/var/spool/cron/crontabs/www-data", "/var/spool/cron/crontabs/www-data",
     "user", "www-data"),
    ("/web1/web1/var/spool/cron/deploy", "/var/spool/cron/deploy", "user", "deploy"),
    ("/snap/web1/etc/crontabs/root", "/etc/crontabs/root", "user", "root"),
])
def test_locate_follows_the_fetch_layout(path: str, remote: str, kind: str,
                                         user: str | None) -> None:
    p = locate(Source("crontab", path, 3, "x", host="web1"), "j-1")
    assert (p.remote, p.kind, p.user, p.host) == (remote, kind, user, "web1")
    assert p.local == path if path.startswith("/") else p.local == path


def test_locate_says_what_to_do() -> None:
    with pytest.raises(CutoverError, match="single file.*scan that directory"):
        locate(Source("crontab", "/etc/crontab", 3, "x"), "j-1")
    with pytest.raises(CutoverError, match="lives in the application"):
        locate(Source("whenever", "/app/config/schedule.rb", 3, "x", host="web1"), "j-1")
    with pytest.raises(CutoverError, match="not a crontab location"):
        locate(Source("crontab", "/snap/web1/home/me/mycron", 3, "x", host="web1"), "j-1")


TEXT = ("SHELL=/bin/sh\n*/5 * * * * root run a\n0 4 * * * root run (b) [x] $HOME \\1\n"
        "0 4 * * * root run (b) [x] $HOME \\1 tail\n\r\nno newline at end")


def test_only_the_line_changes_and_rollback_restores_it() -> None:
    e = _edit("0 4 * * * root run (b) [x] $HOME \\1")
    assert line_state(TEXT, "prod", e) == "legacy"
    cut = mark(TEXT, "prod", [e], DAY)
    assert cut == TEXT.replace("\n0 4 * * * root run (b) [x] $HOME \\1\n",
                               "\n#migrated(prod j-1, 2026-12-04): 0 4 * * * root run (b) [x] "
                               "$HOME \\1\n")
    assert line_state(cut, "prod", e) == "cut-over"
    assert mark(cut, "prod", [e], date(2027, 1, 1)) == cut  # idempotent, any day
    assert line_state(cut, "staging", e) == "drifted"  # cut over by another environment
    assert unmark(cut, "prod", [e]) == TEXT
    assert unmark(cut, "prod", [_edit(e.text, "j-2")]) == cut  # another job's marker


def test_drift_is_a_missing_changed_or_repeated_line() -> None:
    e = _edit("*/5 * * * * root run a")
    assert line_state(TEXT.replace("run a", "run A"), "p", e) == "drifted"
    assert line_state(TEXT + "\n*/5 * * * * root run a\n", "p", e) == "drifted"
    assert line_state(mark(TEXT, "p", [e], DAY) + "\n*/5 * * * * root run a", "p",
                      e) == "drifted"


lines = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                max_size=30)


@given(st.lists(lines, min_size=1, max_size=8), st.data())
def test_any_file_round_trips(body: list[str], data: st.DataObject) -> None:
    text = "\n".join(body)
    i = data.draw(st.integers(0, len(body) - 1))
    e = _edit(body[i])
    state = line_state(text, "prod", e)
    cut = mark(text, "prod", [e], DAY)
    if state == "legacy":
        new = cut.split("\n")
        assert [x for x, y in zip(body, new, strict=True) if x != y] == [body[i]]
        assert unmark(cut, "prod", [e]) == text
