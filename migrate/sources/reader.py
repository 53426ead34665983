"""The thin I/O edge of the sources: paths -> `ParsedFile`s. All parsing is in pure readers.

`read_inputs(paths, fmt=, timezone=, stdin_text=)` accepts, in any mix:

* a file: read by the reader that claims it (`registry.reader_for`; crontab by default);
* `-`: `stdin_text`, shown as `<stdin>`;
* a fleet snapshot or a host root (see `fleet`): each host's crontab locations, jobs carrying
  their host, user crontabs their user;
* any other directory: walked recursively in sorted order, hidden directories left out.

Zones (`hostzone`): `timezone` (--tz) when given; otherwise every file under `<root>/etc/` or
`<root>/var/spool/cron/` is in its host's zone (daemon `TZ=`, `/etc/localtime`,
`/etc/timezone`), and any other file in UTC with origin `host:unknown` and a
`timezone-unknown` finding on each job in the host zone. Each host is looked up once; a
zone file that misleads is reported once, as a `timezone` file with a diagnostic.

A walk (and a host's crontab directories) skips, and reports as skipped, files cron skips
(`cronie.not_a_crontab`: hidden, `#...`, `...~`, `.rpmsave/.rpmorig/.rpmnew`), package and
editor backups (`.dpkg-old/-dist/-new/-tmp/-bak`, `.ucf-*`, `.bak`, `.orig`, `.old`, `.swp`,
`.tmp`), and, unless another reader claims them, files that are plainly not crontabs
(`README`, `LICENSE`, `Makefile`, `Dockerfile`, `.md`, `.rst`, `.json`, `.yml`, `.yaml`,
`.toml`, `.ini`, `.html`, `.sh`, `.py`, `.rb`, archives, images). A file named explicitly is
always read. Files that cannot be read, are not regular files, or are plainly binary (over
10% control bytes in the first 8 KiB; a stray NUL byte is not that) give a diagnostic on
line 0, never a traceback. Text is decoded as UTF-8
(a BOM is dropped); undecodable bytes become U+FFFD and the crontab reader flags those lines.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence

from migrate.model import Diagnostic
from migrate.sources import fleet, hostfindings, hostzone, periodic
from migrate.sources.base import ParsedFile, Progress
from migrate.sources.crontab import cronie
from migrate.sources.crontab.format import CrontabFormat
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


class Reading:
    """One read of the inputs. Host zones: `option` (--tz) for every file when given, else
    each host root's zone looked up once (problems in zone files handed out once). Progress:
    `progress("read", files read so far, None)` after each file, when given."""

    def __init__(self, option: str | None, progress: Progress | None = None,
                 roles: tuple[str, ...] = ()) -> None:
        self.option = option
        self.progress = progress
        self.roles = roles  # whenever's --roles, for schedule.rb files
        self.files = 0
        self._roots: dict[str | None, hostzone.HostZone] = {}

    def counted(self, files: list[ParsedFile]) -> list[ParsedFile]:
        if self.progress is not None and files:
            self.files += len(files)
            self.progress("read", self.files, None)
        return files

    def for_root(self, root: str | None) -> tuple[hostzone.HostZone, list[ParsedFile]]:
        if self.option is not None:
            return hostzone.HostZone(self.option, hostzone.TZ_OPTION), []
        if root in self._roots:
            return self._roots[root], []
        found = hostzone.lookup(root) if root is not None else hostzone.HostZone(
            "UTC", hostzone.UNKNOWN)
        self._roots[root] = found
        problems = []
        for diagnostic in found.problems:
            problem = ParsedFile(diagnostic.path, "timezone")
            problem.diagnostics.append(diagnostic)
            problems.append(problem)
        return found, problems

    def for_file(self, path: str) -> tuple[hostzone.HostZone, list[ParsedFile]]:
        return self.for_root(None if self.option else hostzone.host_root_of(path))


def read_inputs(
    paths: Sequence[str],
    *,
    fmt: str | None,
    timezone: str | None,
    stdin_text: str | None = None,
    settings: Sequence[tuple[str, str]] = (),
    progress: Progress | None = None,
    roles: Sequence[str] = (),
) -> list[ParsedFile]:
    """Read every path (file, directory, fleet snapshot, `-`) into parsed files, in order.

    `fmt` is None (detect), "user" or "system" (anything else is a ValueError: a usage
    error); `timezone` is --tz (None: each file's host zone, see `hostzone`); `settings`
    are whenever's `--set` pairs and `roles` its `--roles`, for schedule.rb files;
    `progress` hears of each file read.
    """
    crontab_format = as_format(fmt)
    ctx = tuple(settings)
    reading = Reading(timezone, progress, tuple(roles))
    out: list[ParsedFile] = []
    for path in paths:
        if path == STDIN:
            zone, _ = reading.for_root(None)
            out += reading.counted([_read_stdin(stdin_text, crontab_format, zone, ctx,
                                                reading.roles)])
        elif os.path.isdir(path):
            out += read_directory(path, fmt=crontab_format, reading=reading, settings=ctx)
        elif periodic.in_folder(path) and not claimed_by_other_kind(path):
            out += _read_script(path, crontab_format, reading, ctx)
        else:
            zone, problems = reading.for_file(path)
            out += problems
            out += reading.counted([read_file(path, fmt=crontab_format, zone=zone, settings=ctx,
                                              roles=reading.roles)])
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
    text: str | None, fmt: CrontabFormat | None, zone: hostzone.HostZone,
    settings: tuple[tuple[str, str], ...] = (), roles: tuple[str, ...] = (),
) -> ParsedFile:
    reader = reader_for(STDIN_PATH)
    if text is None:
        return _unusable(STDIN_PATH, reader.kind, "no standard input given")
    parsed = reader.read(ReadRequest(STDIN_PATH, text, fmt, zone.zone, settings=settings,
                                     roles=roles))
    return stamp_zone(parsed, zone, None)


def read_directory(
    directory: str, *, fmt: CrontabFormat | None, reading: Reading,
    settings: tuple[tuple[str, str], ...] = (),
) -> list[ParsedFile]:
    """A host root (its name is the host), or a directory walked for files and host roots:
    a fleet snapshot is the case where every sub-directory is a host root."""
    root = fleet.host_root_of_etc(directory)  # `migrate scan /etc`: what cron reads there
    if root is not None or fleet.is_host_root(directory):
        root = root if root is not None else directory
        name = os.path.basename(os.path.abspath(root) if root == "." else os.path.normpath(root))
        host = None if name in ("", os.sep, ".") else name
        return read_host(root, host, fmt=fmt, reading=reading, settings=settings)
    return _walk(directory, fmt=fmt, reading=reading, settings=settings)


def read_host(
    root: str, host: str | None, *, fmt: CrontabFormat | None, reading: Reading,
    settings: tuple[tuple[str, str], ...] = (),
) -> list[ParsedFile]:
    """What cron reads on one host root, in the host's zone: the crontabs, `etc/anacrontab`,
    then the scripts of the periodic folders (`periodic`), run by lines of those."""
    zone, out = reading.for_root(root)
    read: list[ParsedFile] = []
    for found in fleet.host_files(root):
        reason = _skip_reason(os.path.basename(found.path))
        if reason is not None:
            out.append(_skipped(found.path, reason))
            continue
        read.append(
            read_file(found.path, fmt=fmt, zone=zone, host=host, user=found.user,
                      settings=settings, root=root, roles=reading.roles)
        )
    anacrontab = os.path.join(root, *fleet.ANACRONTAB)
    if os.path.isfile(anacrontab):
        read.append(read_file(anacrontab, fmt=fmt, zone=zone, host=host, root=root))
    scripts = periodic.read_folders(root, host, periodic.choose_runners(read))
    return out + reading.counted(read + scripts)


def _read_script(path: str, fmt: CrontabFormat | None, reading: Reading,
                 settings: tuple[tuple[str, str], ...]) -> list[ParsedFile]:
    """A periodic script named by itself: read as run-parts runs it, with the schedule of
    the line of its host that runs its folder (its host's crontabs are read for that)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.normpath(path)))) or "."
    name = os.path.basename(os.path.abspath(root))
    host = None if os.path.abspath(root) == os.sep else name
    wanted = os.path.normpath(path)
    return [p for p in read_host(root, host, fmt=fmt, reading=reading, settings=settings)
            if os.path.normpath(p.path) == wanted or p.kind == "timezone"]


def _walk(
    directory: str, *, fmt: CrontabFormat | None, reading: Reading,
    settings: tuple[tuple[str, str], ...] = (),
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
            zone, problems = reading.for_file(path)
            out += problems
            out += reading.counted([read_file(path, fmt=fmt, zone=zone, settings=settings,
                                              roles=reading.roles)])
    for path in paths:
        if not os.path.isdir(path) or os.path.basename(path).startswith("."):
            continue
        out += read_directory(path, fmt=fmt, reading=reading, settings=settings)
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
    zone: hostzone.HostZone,
    host: str | None = None,
    user: str | None = None,
    settings: tuple[tuple[str, str], ...] = (),
    root: str | None = None,
    roles: tuple[str, ...] = (),
) -> ParsedFile:
    """Read one file with the reader that claims it; problems become diagnostics. `zone`
    is its host's (`root`, when known; else found from the path for the finding)."""
    reader = reader_for(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return _unusable(path, reader.kind, "not a regular file")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        return _unusable(path, reader.kind, f"cannot read: {_why(err)}")
    if plainly_binary(data[:_BINARY_PROBE]):
        return _unusable(path, reader.kind, "binary file (mostly non-text bytes), not a crontab")
    text = data.decode("utf-8-sig", errors="replace")
    parsed = reader.read(
        ReadRequest(path, text, fmt, zone.zone, host=host, user=user, settings=settings,
                    roles=roles)
    )
    return stamp_zone(parsed, zone, root if root is not None else hostzone.host_root_of(path))


def stamp_zone(parsed: ParsedFile, zone: hostzone.HostZone, root: str | None) -> ParsedFile:
    """Readers say `timezone_from: host` for the zone they were given; say which host file
    (or --tz) it came from, and flag jobs whose host zone is unknown."""
    parsed.timezone_from = zone.origin
    for job in parsed.jobs:
        if job.schedule.timezone_from == hostzone.HOST:
            job.schedule.timezone_from = zone.origin
            if zone.origin == hostzone.UNKNOWN:
                job.findings.append(hostfindings.timezone_unknown(root))
    return parsed


# C0 controls other than tab, LF, VT, FF, CR and ESC, and DEL: what text does not hold.
_NON_TEXT = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"


def plainly_binary(probe: bytes) -> bool:
    """Whether the first bytes of a file are plainly not text: over 10% control bytes
    (an executable, an archive, UTF-16). A stray NUL in a crontab is not that: cronie has
    no binary check and reads such a file line by line (see `crontab.parse`)."""
    if not probe:
        return False
    controls = len(probe) - len(probe.translate(None, _NON_TEXT))
    return controls * 10 > len(probe)


def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


def _unusable(path: str, kind: str, reason: str) -> ParsedFile:
    parsed = ParsedFile(path, kind)
    parsed.diagnostics.append(Diagnostic(path, 0, reason))
    return parsed


def _skipped(path: str, reason: str) -> ParsedFile:
    return ParsedFile(path, "crontab", skipped=reason)
