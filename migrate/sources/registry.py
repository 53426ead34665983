"""Which source reader reads a file: a small registry the reader dispatches through.

A `SourceReader` has a `kind`, a `claims(path)` test and a pure `read(request)` that turns
the text into a `ParsedFile`. `reader_for(path)` asks the registered readers in order and
falls back to the crontab reader, so a new source kind (whenever's `schedule.rb`, Python
schedulers) is added by registering a reader, without touching the crontab logic:

    from migrate.sources.registry import SourceReader, register
    register(SourceReader("whenever", lambda path: path.endswith("schedule.rb"), read_rb))

Readers shipped with migrate are listed in `_builtin_readers`; `register` is for others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from migrate.sources.base import ParsedFile
from migrate.sources.crontab import parse_crontab
from migrate.sources.crontab_format import CrontabFormat


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """Everything a reader needs: the text and what the caller knows about it."""

    path: str  # as shown in diagnostics and catalog sources
    text: str
    fmt: CrontabFormat | None  # crontab format override (crontab reader only)
    timezone: str  # the host's zone (--tz, or the fleet host's /etc/timezone)
    host: str | None = None
    user: str | None = None  # the owner, when the location says (spool file name)
    # whenever's `--set name=value` pairs (whenever reader only), e.g. environment=staging
    settings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SourceReader:
    kind: str
    claims: Callable[[str], bool]
    read: Callable[[ReadRequest], ParsedFile]


def _read_crontab(request: ReadRequest) -> ParsedFile:
    return parse_crontab(
        request.text,
        request.path,
        fmt=request.fmt,
        timezone=request.timezone,
        host=request.host,
        user=request.user if request.user is not None else spool_user(request.path),
    )


CRONTAB = SourceReader("crontab", lambda path: True, _read_crontab)

_registered: list[SourceReader] = []


def _builtin_readers() -> tuple[SourceReader, ...]:
    """Readers shipped with migrate besides the crontab fallback: import them here (lazily,
    one line each), e.g. `from migrate.sources.whenever.reader import WHENEVER`."""
    from migrate.sources.whenever.reader import WHENEVER

    return (WHENEVER,)


def register(reader: SourceReader) -> None:
    """Add a reader; it is asked before the built-in ones and those registered earlier."""
    _registered.insert(0, reader)


def unregister(reader: SourceReader) -> None:
    _registered.remove(reader)


def readers() -> tuple[SourceReader, ...]:
    return (*_registered, *_builtin_readers(), CRONTAB)


def reader_for(path: str) -> SourceReader:
    for reader in readers():
        if reader.claims(path):
            return reader
    return CRONTAB


def claimed_by_other_kind(path: str) -> bool:
    """Whether a reader other than the crontab fallback claims `path`."""
    return reader_for(path) is not CRONTAB


def spool_user(path: str) -> str | None:
    """The owner of a user crontab, from its spool location (the file name), else None.

    `var/spool/cron/crontabs/<user>` (Debian), `var/spool/cron/<user>` (RHEL) and
    `.../crontabs/<user>` (busybox, Alpine `/etc/crontabs`).
    """
    p = PurePosixPath(path.replace("\\", "/"))
    parent, grand = p.parent.name, p.parent.parent
    if parent == "crontabs":
        return p.name
    if parent == "cron" and grand.name == "spool" and grand.parent.name == "var":
        return p.name
    return None
