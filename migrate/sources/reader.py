"""The thin I/O edge of the sources: paths -> `ParsedFile`s. All parsing is in pure readers.

`read_inputs(paths, fmt=, timezone=, stdin_text=)` accepts, in any mix:

* a file: read by the reader that claims it (`registry.reader_for`; crontab by default);
* `-`: `stdin_text`, shown as `<stdin>`;
* a fleet snapshot or a host root (see `fleet`): each host's crontab locations, jobs carrying
  their host, user crontabs their user, zones from `<host>/etc/timezone` (else `timezone`);
* any other directory: walked recursively in sorted order, hidden directories left out.

A walk (and a host's crontab directories) skips, and reports as skipped, files cron skips
(`cronie.not_a_crontab`: hidden, `#...`, `...~`, `.rpmsave/.rpmorig/.rpmnew`), package and
editor backups (`.dpkg-old/-dist/-new/-tmp/-bak`, `.ucf-*`, `.bak`, `.orig`, `.old`, `.swp`,
`.tmp`), and, unless another reader claims them, files that are plainly not crontabs
(`README`, `LICENSE`, `Makefile`, `Dockerfile`, `.md`, `.rst`, `.json`, `.yml`, `.yaml`,
`.toml`, `.ini`, `.html`, `.sh`, `.py`, `.rb`, archives, images). A file named explicitly is
always read. Files that cannot be read, are not regular files, or are binary (a NUL byte in
the first 8 KiB) give a diagnostic on line 0, never a traceback. Text is decoded as UTF-8
(a BOM is dropped); undecodable bytes become U+FFFD and the crontab reader flags those lines.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence

from migrate.model import Diagnostic
from migrate.sources import fleet
from migrate.sources.base import ParsedFile
from migrate.sources.crontab import cronie
from migrate.sources.crontab.format import CrontabFormat
from migrate.sources.crontab.parse import known_zone
from migrate.sources.registry import ReadRequest, claimed_by_other_kind, reader_for

STDIN = "-"
STDIN_PATH = "<stdin>"
_BINARY_PROBE = 8192
_BACKUP_SUFFIXES = (
    ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp", ".dpkg-bak", ".ucf-old",
    ".ucf-dist", ".ucf-new", ".bak", ".orig", ".old", ".swp", ".tmp",
)
_NOT_CRONTAB_NAMES = frozenset({"README", "LICENSE", "COPYING", "Makefile", "Dockerfile"})
_NOT_CRONTAB_SUFFIXES = (
    ".md", ".rst", ".json", ".yml", ".yaml", ".toml", ".ini", ".html", ".sh", ".py", ".rb",
    ".gz", ".tgz", ".bz2", ".xz", ".zip", ".tar", ".png", ".jpg", ".gif", ".pdf",
)


def read_inputs(
    paths: Sequence[str],
    *,
    fmt: str | None,
    timezone: str,
    stdin_text: str | None = None,
    settings: Sequence[tuple[str, str]] = (),
    roles: Sequence[str] = (),
) -> list[ParsedFile]:
    """Read every path (file, directory, fleet snapshot, `-`) into parsed files, in order.

    `fmt` is None (detect), "user" or "system" (anything else is a ValueError: a usage
    error); `timezone` is the host zone (--tz) for files whose host has no /etc/timezone;
    `settings` are whenever's `--set` pairs and `roles` its `--roles`, for schedule.rb files.
    """
    crontab_format = as_format(fmt)
    ctx = tuple(settings)
    rs = tuple(roles)
    out: list[ParsedFile] = []
    for path in paths:
        if path == STDIN:
            out.append(_read_stdin(stdin_text, crontab_format, timezone, ctx, rs))
        elif os.path.isdir(path):
            out += read_directory(path, fmt=crontab_format, timezone=timezone, settings=ctx,
                                  roles=rs)
        else:
            out.append(read_file(path, fmt=crontab_format, timezone=timezone, settings=ctx,
                                 roles=rs))
    return out


def as_format(fmt: str | None) -> CrontabFormat | None:
    if fmt is None:
        return None
    if fmt == "user":
        return "user"
    if fmt == "system":
        return "system"
    raise ValueError(f"unknown crontab format {fmt!r} (expected user or system)")


def _read_stdin(
    text: str | None, fmt: CrontabFormat | None, timezone: str,
    settings: tuple[tuple[str, str], ...] = (), roles: tuple[str, ...] = (),
) -> ParsedFile:
    reader = reader_for(STDIN_PATH)
    if text is None:
        return _unusable(STDIN_PATH, reader.kind, "no standard input given")
    return reader.read(ReadRequest(STDIN_PATH, text, fmt, timezone, settings=settings,
                                   roles=roles))


def read_directory(
    directory: str, *, fmt: CrontabFormat | None, timezone: str,
    settings: tuple[tuple[str, str], ...] = (), roles: tuple[str, ...] = (),
) -> list[ParsedFile]:
    """A host root (its name is the host), or a directory walked for files and host roots:
    a fleet snapshot is the case where every sub-directory is a host root."""
    if fleet.is_host_root(directory):
        name = os.path.basename(os.path.normpath(directory))
        host = None if name in ("", os.sep, ".") else name
        return read_host(directory, host, fmt=fmt, timezone=timezone, settings=settings,
                         roles=roles)
    return _walk(directory, fmt=fmt, timezone=timezone, settings=settings, roles=roles)


def read_host(
    root: str, host: str | None, *, fmt: CrontabFormat | None, timezone: str,
    settings: tuple[tuple[str, str], ...] = (), roles: tuple[str, ...] = (),
) -> list[ParsedFile]:
    """The crontabs of one host root, in the host's zone."""
    zone, problem = _host_zone(root, timezone)
    out = [problem] if problem is not None else []
    for found in fleet.host_files(root):
        reason = _skip_reason(os.path.basename(found.path))
        if reason is not None:
            out.append(_skipped(found.path, reason))
            continue
        out.append(
            read_file(found.path, fmt=fmt, timezone=zone, host=host, user=found.user,
                      settings=settings, roles=roles)
        )
    return out


def _host_zone(root: str, default: str) -> tuple[str, ParsedFile | None]:
    path = fleet.host_timezone_file(root)
    if not os.path.isfile(path):
        return default, None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(4096)
    except OSError as err:
        return default, _unusable(path, "timezone", f"cannot read: {_why(err)}")
    zone = fleet.zone_from_timezone_file(text)
    if zone is None or not known_zone(zone):
        problem = ParsedFile(path, "timezone")
        problem.diagnostics.append(
            Diagnostic(path, 1, f"not a known time zone: {zone!r}; using {default}")
        )
        return default, problem
    return zone, None


def _walk(
    directory: str, *, fmt: CrontabFormat | None, timezone: str,
    settings: tuple[tuple[str, str], ...] = (), roles: tuple[str, ...] = (),
) -> list[ParsedFile]:
    """A plain directory, in sorted order; a host root or a fleet snapshot met on the way is
    read as one (so `samples/` can hold a server's tree and a fleet side by side)."""
    out: list[ParsedFile] = []
    try:
        names = sorted(os.listdir(directory))
    except OSError as err:
        return [_unusable(directory, "crontab", f"cannot read directory: {_why(err)}")]
    paths = [os.path.join(directory, name) for name in names]
    for path in paths:  # files first, then sub-directories, like os.walk
        if os.path.isdir(path):
            continue
        reason = _skip_reason(os.path.basename(path))
        if reason is not None and not claimed_by_other_kind(path):
            out.append(_skipped(path, reason))
        else:
            out.append(read_file(path, fmt=fmt, timezone=timezone, settings=settings,
                                 roles=roles))
    for path in paths:
        if not os.path.isdir(path) or os.path.basename(path).startswith("."):
            continue
        out += read_directory(path, fmt=fmt, timezone=timezone, settings=settings, roles=roles)
    return out


def _skip_reason(name: str) -> str | None:
    """Why a walk skips a file of this name, or None (an explicit path is always read)."""
    reason = cronie.not_a_crontab(name)
    if reason is not None:
        return reason
    for suffix in _BACKUP_SUFFIXES:
        if name.endswith(suffix):
            return f"backup file (name ends with {suffix!r})"
    if name in _NOT_CRONTAB_NAMES or name.lower().endswith(_NOT_CRONTAB_SUFFIXES):
        return "not a crontab (by its name)"
    return None


def read_file(
    path: str,
    *,
    fmt: CrontabFormat | None,
    timezone: str,
    host: str | None = None,
    user: str | None = None,
    settings: tuple[tuple[str, str], ...] = (),
    roles: tuple[str, ...] = (),
) -> ParsedFile:
    """Read one file with the reader that claims it; problems become diagnostics."""
    reader = reader_for(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return _unusable(path, reader.kind, "not a regular file")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        return _unusable(path, reader.kind, f"cannot read: {_why(err)}")
    if b"\x00" in data[:_BINARY_PROBE]:
        return _unusable(path, reader.kind, "binary file (NUL bytes), not a crontab")
    text = data.decode("utf-8-sig", errors="replace")
    return reader.read(
        ReadRequest(path, text, fmt, timezone, host=host, user=user, settings=settings,
                    roles=roles)
    )


def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


def _unusable(path: str, kind: str, reason: str) -> ParsedFile:
    parsed = ParsedFile(path, kind)
    parsed.diagnostics.append(Diagnostic(path, 0, reason))
    return parsed


def _skipped(path: str, reason: str) -> ParsedFile:
    return ParsedFile(path, "crontab", skipped=reason)
