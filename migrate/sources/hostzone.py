"""The zone of the host a scanned file belongs to, found the way that host's cron finds it.

A file under `<root>/etc/` (`/etc/crontab`, `/etc/cron.d/*`, `/etc/crontabs/*`, the periodic
folders, `/etc/anacrontab`) or under `<root>/var/spool/cron/` belongs to the host `<root>`
(`/` for the live system, a host directory of a fleet snapshot). crond asks glibc for local
time, and glibc (`tzset`) reads, in order:

1. `TZ` in the daemon's environment: systemd starts crond with `EnvironmentFile=` of
   `/etc/default/cron` (Debian, Ubuntu) or `/etc/sysconfig/crond` (Red Hat, Amazon Linux);
   a `TZ=` there overrides `/etc/localtime` for cron (and for every job it starts);
2. `/etc/localtime`: a symlink to `.../zoneinfo/<Area/City>` (the name is read from the
   link; the target need not exist in the snapshot), or a TZif file copied in place (as
   Ansible's `fetch` stores a symlink): named by the zone whose TZif bytes it equals, from
   an index of the tzdata package's and the system's zoneinfo files built once;
3. `/etc/timezone` (Debian's textual copy of the zone name), when `/etc/localtime` is
   missing or cannot be named.

`--tz` overrides all of these. Without `--tz`, a file with no host root or a host with none
of these files is read in UTC with the origin `host:unknown` (the scan gives each of its jobs
a `timezone-unknown` warning). The origin becomes the catalog's `timezone_from`: `host:` and
the host path of the file that decided (`host:/etc/localtime`), `host:--tz` or
`host:unknown`; everything before the colon keeps the meaning `host` has for the DST model.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from migrate.model import Diagnostic
from migrate.sources.crontab.parse import known_zone

HOST = "host"
TZ_OPTION = "host:--tz"
UNKNOWN = "host:unknown"
LOCALTIME = ("etc", "localtime")
TIMEZONE = ("etc", "timezone")
DAEMON_ENV_FILES = (("etc", "default", "cron"), ("etc", "sysconfig", "crond"))
_ENV_TZ = re.compile(r"^\s*(?:export\s+)?TZ\s*=\s*(.*?)\s*$")
_ZONEINFO_DIRS = ("/usr/share/zoneinfo",)


@dataclass(frozen=True, slots=True)
class HostZone:
    """A host's zone, where it came from (`timezone_from`), and any file that misled."""

    zone: str
    origin: str
    problems: tuple[Diagnostic, ...] = ()


def host_root_of(path: str) -> str | None:
    """The host root of a file under `<root>/etc/` or `<root>/var/spool/cron/`, else None
    (`etc/crontab` -> `.`, `/etc/cron.d/php` -> `/`, `snap/web1/etc/crontab` -> `snap/web1`;
    a bare `crontab` is placed by its absolute path)."""
    for candidate in (os.path.normpath(path), os.path.abspath(path)):
        parts = Path(candidate).parts
        for i in range(len(parts) - 2, -1, -1):
            if parts[i] == "etc" or (
                parts[i : i + 3] == ("var", "spool", "cron") and i + 3 < len(parts)
            ):
                return str(Path(*parts[:i])) if i else "."
    return None


def _host_path(parts: tuple[str, ...]) -> str:
    return "/" + "/".join(parts)


def lookup(root: str) -> HostZone:
    """The zone of host `root` (reads its files; never raises)."""
    problems: list[Diagnostic] = []
    for parts in DAEMON_ENV_FILES:
        found = _daemon_tz(root, parts, problems)
        if found is not None:
            return HostZone(found, f"{HOST}:{_host_path(parts)}", tuple(problems))
    found = _localtime(root, problems)
    if found is not None:
        return HostZone(found, f"{HOST}:{_host_path(LOCALTIME)}", tuple(problems))
    found = _timezone_file(root, problems)
    if found is not None:
        return HostZone(found, f"{HOST}:{_host_path(TIMEZONE)}", tuple(problems))
    return HostZone("UTC", UNKNOWN, tuple(problems))


def _read(path: str, problems: list[Diagnostic], limit: int = 1 << 20) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError as err:
        problems.append(Diagnostic(path, 0, f"cannot read: {err.strerror or err}"))
        return None


def zone_name(text: str) -> str | None:
    """A zone as TZ, a symlink or /etc/timezone names it: `Asia/Tokyo`, `:Asia/Tokyo` (glibc),
    `/usr/share/zoneinfo/Asia/Tokyo`, `../usr/share/zoneinfo/posix/Asia/Tokyo`; None if it
    names no zone tzdata knows."""
    name = text.strip().removeprefix(":")
    if "zoneinfo/" in name:
        name = name.rsplit("zoneinfo/", 1)[1]
        for prefix in ("posix/", "right/"):
            name = name.removeprefix(prefix)
    if name in ("UTC", "Etc/UTC", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"):
        return "UTC"
    return name if name and known_zone(name) else None


def _daemon_tz(root: str, parts: tuple[str, ...], problems: list[Diagnostic]) -> str | None:
    path = os.path.join(root, *parts)
    if not os.path.isfile(path):
        return None
    data = _read(path, problems)
    if data is None:
        return None
    value, line = None, 0
    for number, text in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        match = _ENV_TZ.match(text)
        if match:  # the last assignment wins, as in a shell or systemd EnvironmentFile
            value, line = match.group(1).strip("\"'"), number
    if value is None or value == "":
        return None
    zone = zone_name(value)
    if zone is None:
        problems.append(Diagnostic(path, line, f"TZ={value!r} is not a zone we can read; "
                                               "looking at /etc/localtime"))
    return zone


def _localtime(root: str, problems: list[Diagnostic]) -> str | None:
    path = os.path.join(root, *LOCALTIME)
    if os.path.islink(path):
        target = os.readlink(path)
        zone = zone_name(target)
        if zone is not None:
            return zone
        # A link to somewhere else in the host (/etc/alternatives ...): read what it names.
        inside = os.path.join(root, target.lstrip("/")) if os.path.isabs(target) else target
        path = os.path.join(os.path.dirname(path), inside)
    if not os.path.isfile(path):
        return None
    data = _read(path, problems)
    if data is None:
        return None
    if not data.startswith(b"TZif"):
        problems.append(Diagnostic(path, 0, "not a TZif zone file; looking at /etc/timezone"))
        return None
    zone = zone_of_tzif(data)
    if zone is None:
        problems.append(Diagnostic(path, 0, "TZif data that matches no zone of the tzdata "
                                            "package or the system; looking at /etc/timezone"))
    return zone


def _timezone_file(root: str, problems: list[Diagnostic]) -> str | None:
    path = os.path.join(root, *TIMEZONE)
    if not os.path.isfile(path):
        return None
    data = _read(path, problems, 4096)
    if data is None:
        return None
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            zone = zone_name(stripped)
            if zone is None:
                problems.append(Diagnostic(path, number,
                                           f"not a known time zone: {stripped!r}"))
            return zone
    return None


def zone_of_tzif(data: bytes) -> str | None:
    """The zone whose TZif file has exactly these bytes (the preferred name among links);
    else, for a file from another tzdata release or build (`fat` or `slim`), the preferred
    zone with the same rule for the future (the TZif footer, e.g. `CET-1CEST,M3.5.0,...`)
    whose UTC offset agrees with the file's from 1970 to 2040."""
    by_hash, by_footer = _tzif_index()
    found = by_hash.get(hashlib.sha256(data).digest())
    if found is not None:
        return found
    candidates = by_footer.get(_footer(data), [])
    try:
        given = ZoneInfo.from_file(io.BytesIO(data))
    except (ValueError, OSError):
        return None
    for name in sorted(candidates, key=_preference):
        if _same_offsets(given, ZoneInfo(name)):
            return name
    return None


def _footer(data: bytes) -> bytes:
    """The POSIX TZ string a version 2+ TZif file ends with (its rule after the last
    transition), or b"" for version 1."""
    if data[4:5] in (b"", b"\0") or not data.endswith(b"\n"):
        return b""
    return data[:-1].rsplit(b"\n", 1)[-1]


# Every third day, 1970-2040: zones sharing today's rule differ in their history (Berlin
# and Paris, New York and Detroit, in the 1970s), and a mismatch ends the comparison early.
_SAMPLES = tuple(datetime(1970, 1, 1, 12, tzinfo=UTC) + timedelta(days=d)
                 for d in range(0, 70 * 366, 3))


def _same_offsets(a: tzinfo, b: tzinfo) -> bool:
    return all(t.astimezone(a).utcoffset() == t.astimezone(b).utcoffset() for t in _SAMPLES)


@functools.cache
def _tzif_index() -> tuple[dict[bytes, str], dict[bytes, list[str]]]:
    """Every TZif file of the tzdata package and the system: sha256 -> its zone name, and
    footer -> zone names."""
    names: dict[bytes, list[str]] = {}
    footers: dict[bytes, set[str]] = {}
    for base in _zoneinfo_dirs():
        for directory, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if d not in ("posix", "right")]
            for file in files:
                path = os.path.join(directory, file)
                name = os.path.relpath(path, base).replace(os.sep, "/")
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    continue
                if data.startswith(b"TZif") and known_zone(name):
                    names.setdefault(hashlib.sha256(data).digest(), []).append(name)
                    footers.setdefault(_footer(data), set()).add(name)
    return ({digest: min(found, key=_preference) for digest, found in names.items()},
            {footer: sorted(found) for footer, found in footers.items()})


def _zoneinfo_dirs() -> list[str]:
    """The tzdata package's zoneinfo (what `zoneinfo` falls back on), then the system's."""
    dirs = []
    spec = importlib.util.find_spec("tzdata")
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs.append(os.path.join(location, "zoneinfo"))
    return dirs + [d for d in _ZONEINFO_DIRS if os.path.isdir(d)]


@functools.cache
def _tabled(table: str) -> frozenset[str]:
    """Zone names a zone table lists: the main name of a group of linked zones."""
    names: set[str] = set()
    for base in _zoneinfo_dirs():
        try:
            text = Path(base, table).read_text(encoding="utf-8")
        except OSError:
            continue
        for line in text.splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and not line.startswith("#"):
                names.add(fields[2])
    return frozenset(names)


def _preference(name: str) -> tuple[int, str]:
    """Asia/Tokyo before Japan, Europe/Berlin before Arctic/Longyearbyen (zone1970.tab
    first, then zone.tab); UTC before Etc/UTC, Universal and Zulu."""
    if name == "UTC":
        return 0, name
    if name in _tabled("zone1970.tab"):
        return 1, name
    if name in _tabled("zone.tab"):
        return 2, name
    return (3 if "/" in name and not name.startswith("Etc/") else 4), name
