"""Fleet snapshots: the crontabs of many hosts laid out as Ansible's `fetch` module writes them.

`fetch` (with the default `flat: no`) stores a remote file `/abs/path` of host H under
`<dest>/H/abs/path`. A snapshot therefore looks like:

    <dest>/<host>/etc/crontab                    system crontab
    <dest>/<host>/etc/cron.d/<name>              system crontabs
    <dest>/<host>/var/spool/cron/crontabs/<user> user crontabs (Debian, Ubuntu)
    <dest>/<host>/var/spool/cron/<user>          user crontabs (RHEL, Amazon Linux)
    <dest>/<host>/etc/crontabs/<user>            user crontabs (busybox, Alpine)
    <dest>/<host>/etc/timezone                   the host's zone (first line), optional

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


def is_host_root(directory: str) -> bool:
    return os.path.isfile(_join(directory, _SYSTEM_CRONTAB)) or any(
        os.path.isdir(_join(directory, parts))
        for parts in (*_SYSTEM_DIRS, ("etc", "crontabs"), ("var", "spool", "cron"))
    )


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


def host_timezone_file(root: str) -> str:
    return os.path.join(root, "etc", "timezone")


def zone_from_timezone_file(text: str) -> str | None:
    """The zone named by an /etc/timezone text: its first non-blank, non-comment line."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return None
