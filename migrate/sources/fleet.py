"""Fleet snapshots: the crontabs of many hosts laid out as Ansible's `fetch` module writes them.

`fetch` (with the default `flat: no`) stores a remote file `/abs/path` of host H under
`<dest>/H/abs/path`. A snapshot therefore looks like:

    <dest>/<host>/etc/crontab                    system crontab
    <dest>/<host>/etc/cron.d/<name>              system crontabs
    <dest>/<host>/var/spool/cron/crontabs/<user> user crontabs (Debian, Ubuntu)
    <dest>/<host>/var/spool/cron/<user>          user crontabs (RHEL, Amazon Linux)
    <dest>/<host>/etc/crontabs/<user>            user crontabs (busybox, Alpine)
    <dest>/<host>/etc/localtime, etc/timezone    the host's zone (see `hostzone`)

Detection: a directory is a *host root* when it holds one of the crontab locations above
(`etc/crontab` file, `etc/cron.d/`, `etc/crontabs/` or `var/spool/cron/` directory); it is a
*fleet snapshot* when it is not a host root itself and at least one of its subdirectories is.
Only the crontab locations of a host root are read; in a snapshot, entries that are not host
roots are reported as skipped. Pure path logic plus directory listing; no file is parsed here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from migrate.sources.crontab.format import CrontabFormat

_SYSTEM_CRONTAB: tuple[str, ...] = ("etc", "crontab")
_SYSTEM_DIRS: tuple[tuple[str, ...], ...] = (("etc", "cron.d"),)
_USER_DIRS: tuple[tuple[str, ...], ...] = (
    ("var", "spool", "cron", "crontabs"),
    ("var", "spool", "cron"),
    ("etc", "crontabs"),
)


@dataclass(frozen=True, slots=True)
class HostFile:
    """One crontab location of a host root: its path, format and owner (user crontabs)."""

    path: str
    fmt: CrontabFormat
    user: str | None


def _join(root: str, parts: tuple[str, ...]) -> str:
    return os.path.join(root, *parts)


_PERIODIC_DIRS = tuple(("etc", f"cron.{p}") for p in ("hourly", "daily", "weekly", "monthly"))
ANACRONTAB: tuple[str, ...] = ("etc", "anacrontab")


def is_host_root(directory: str) -> bool:
    return any(os.path.isfile(_join(directory, p)) for p in (_SYSTEM_CRONTAB, ANACRONTAB)) or any(
        os.path.isdir(_join(directory, parts))
        for parts in (*_SYSTEM_DIRS, ("etc", "crontabs"), ("var", "spool", "cron"),
                      *_PERIODIC_DIRS)
    )


def host_root_of_etc(directory: str) -> str | None:
    """The host root when `directory` is a host's `etc` itself (`migrate scan /etc`): what
    cron reads there is read, never every file under it (even when cron reads nothing)."""
    path = os.path.normpath(directory)
    if os.path.basename(path) != "etc":
        return None
    return os.path.dirname(path) or "."


def _files(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [n for n in names if not os.path.isdir(os.path.join(directory, n))]


def host_files(root: str) -> list[HostFile]:
    """The crontab files of a host root, in a stable order (system first)."""
    found: list[HostFile] = []
    system = _join(root, _SYSTEM_CRONTAB)
    if os.path.isfile(system):
        found.append(HostFile(system, "system", None))
    for parts in _SYSTEM_DIRS:
        directory = _join(root, parts)
        found += [HostFile(os.path.join(directory, n), "system", None) for n in _files(directory)]
    for parts in _USER_DIRS:
        directory = _join(root, parts)
        found += [HostFile(os.path.join(directory, n), "user", n) for n in _files(directory)]
    return found


