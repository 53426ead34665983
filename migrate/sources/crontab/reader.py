"""The crontab source as a registry entry: `CRONTAB` reads any file no other reader claims."""

from __future__ import annotations

from pathlib import PurePosixPath

from migrate.sources.base import ParsedFile, ReadRequest, SourceReader
from migrate.sources.crontab.parse import parse_crontab


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
