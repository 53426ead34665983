"""Which source reader reads a file: a small registry the reader dispatches through.

A `SourceReader` has a `kind`, a `claims(path)` test and a pure `read(request)` that turns
the text into a `ParsedFile`. `reader_for(path)` asks the registered readers in order and
falls back to the crontab reader, so a new source kind (whenever's `schedule.rb`, Python
schedulers) is added by registering a reader, without touching the crontab logic:

    from migrate.sources.base import SourceReader
    from migrate.sources.registry import register
    register(SourceReader("whenever", lambda path: path.endswith("schedule.rb"), read_rb))

Readers shipped with migrate are `BUILTIN_READERS` (imported at the top: `ReadRequest` and
`SourceReader` live in `base.py`, so no reader imports this module); `register` is for others.
"""

from __future__ import annotations

from migrate.sources.anacron import ANACRONTAB
from migrate.sources.base import ReadRequest, SourceReader
from migrate.sources.crontab.reader import CRONTAB, spool_user
from migrate.sources.python.reader import PYTHON
from migrate.sources.whenever.reader import WHENEVER

__all__ = [
    "BUILTIN_READERS",
    "CRONTAB",
    "ReadRequest",
    "SourceReader",
    "claimed_by_other_kind",
    "reader_for",
    "readers",
    "register",
    "spool_user",
    "unregister",
]


_registered: list[SourceReader] = []


# Readers shipped with migrate besides the crontab fallback, asked in this order.
BUILTIN_READERS: tuple[SourceReader, ...] = (WHENEVER, PYTHON, ANACRONTAB)


def register(reader: SourceReader) -> None:
    """Add a reader; it is asked before the built-in ones and those registered earlier."""
    _registered.insert(0, reader)


def unregister(reader: SourceReader) -> None:
    _registered.remove(reader)


def readers() -> tuple[SourceReader, ...]:
    return (*_registered, *BUILTIN_READERS, CRONTAB)


def reader_for(path: str) -> SourceReader:
    for reader in readers():
        if reader.claims(path):
            return reader
    return CRONTAB


def claimed_by_other_kind(path: str) -> bool:
    """Whether a reader other than the crontab fallback claims `path`."""
    return reader_for(path) is not CRONTAB
