"""Time zones: IANA names or fixed offsets, and their UTC offsets over a horizon.

`offset_segments` answers "which UTC offset is in force when" as a short list of
`Segment(start, end, offset)` in UTC minutes since the epoch. Both the converter (which
offset to convert for) and the verification engine (where each offset applies) use it; it
is computed once per (zone, horizon) and cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from migrate.errors import MigrateError

DST_POLICIES = ("standard", "daylight")
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$")


class UnknownZone(MigrateError, ValueError):
    pass


@cache
def resolve_zone(name: str) -> tzinfo:
    """An IANA zone (`Asia/Tokyo`, `UTC`) or a fixed offset (`+05:30`, `-0330`, `UTC+9`)."""
    text = name.strip()
    m = _OFFSET.match(text)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59 or (hours == 14 and minutes):
            raise UnknownZone(f"unknown time zone {name!r}: offsets run from -12:00 to +14:00")
        return timezone(sign * timedelta(hours=hours, minutes=minutes), format_offset(
            sign * (hours * 60 + minutes)))
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZone(
            f"unknown time zone {name!r} (expected an IANA name such as Asia/Tokyo, "
            "or a fixed offset such as +05:30)"
        ) from exc


def format_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}"


@dataclass(frozen=True, slots=True)
class Segment:
    """UTC minutes since the epoch [start, end) during which `offset` minutes apply."""

    start: int
    end: int
    offset: int


def _epoch_minutes(d: datetime) -> int:
    return int(d.timestamp()) // 60


def _offset_at(zone: tzinfo, minute: int) -> int:
    moment = datetime.fromtimestamp(minute * 60, UTC)
    off = moment.astimezone(zone).utcoffset()
    assert off is not None
    return int(off.total_seconds()) // 60


@lru_cache(maxsize=4096)
def offset_segments(zone_name: str, start: date, end: date) -> tuple[Segment, ...]:
    """Offsets in force from `start` 00:00 UTC to `end` 00:00 UTC, with two days of margin
    either side (local dates near the horizon edges need them)."""
    zone = resolve_zone(zone_name)
    lo = _epoch_minutes(datetime.combine(start, datetime.min.time(), UTC)) - 2 * 1440
    hi = _epoch_minutes(datetime.combine(end, datetime.min.time(), UTC)) + 2 * 1440
    if not isinstance(zone, ZoneInfo):
        return (Segment(lo, hi, _offset_at(zone, lo)),)
    segments: list[Segment] = []
    seg_start = lo
    current = _offset_at(zone, lo)
    # Offsets change at most a few times a year; step six hours at a time (real transitions
    # are days apart, so none hides inside a step) and bisect to the minute.
    t = lo
    while t < hi:
        nxt = min(t + 360, hi)
        off = _offset_at(zone, nxt) if nxt < hi else current
        if off != current:
            a, b = t, nxt  # offset(a) == current, offset(b) != current
            while b - a > 1:
                mid = (a + b) // 2
                if _offset_at(zone, mid) == current:
                    a = mid
                else:
                    b = mid
            segments.append(Segment(seg_start, b, current))
            seg_start, current = b, _offset_at(zone, b)
        t = nxt
    segments.append(Segment(seg_start, hi, current))
    return tuple(segments)


@lru_cache(maxsize=1024)
def horizon_offsets(zone_name: str, horizon: tuple[date, date]) -> tuple[int, ...]:
    """The UTC offsets (minutes) `zone_name` has over `horizon` and its margins, ascending
    (cached: asked for every schedule)."""
    return tuple(sorted({s.offset for s in offset_segments(zone_name, *horizon)}))


def choose_offset(offsets: Iterable[int], dst: str) -> int:
    """The one offset a conversion uses: `standard`, the lowest (AWS never fires earlier than
    the legacy job), or `daylight`, the highest."""
    if dst not in DST_POLICIES:
        raise ValueError(f"unknown --dst policy {dst!r} (expected standard or daylight)")
    return min(offsets) if dst == "standard" else max(offsets)


def zone_offset(zone_name: str, horizon: tuple[date, date], dst: str = "standard") -> int:
    """The offset a schedule in `zone_name` is converted with over `horizon` (`to_aws`'s
    choice); raises `UnknownZone` for a name `resolve_zone` does not accept."""
    return choose_offset(horizon_offsets(zone_name, horizon), dst)
