"""Zone names and the one offset a conversion takes for them."""

from __future__ import annotations

from datetime import date

import pytest

from migrate.schedule.zones import UnknownZone, zone_offset

YEAR = (date(2027, 1, 1), date(2028, 1, 1))


def test_zone_offsets() -> None:
    assert zone_offset("UTC", YEAR) == 0
    assert zone_offset("+05:45", YEAR) == 345
    assert zone_offset("-03:30", YEAR) == -210
    assert zone_offset("Asia/Tokyo", YEAR) == 540
    assert zone_offset("America/New_York", YEAR) == -300
    assert zone_offset("America/New_York", YEAR, "daylight") == -240
    with pytest.raises(UnknownZone):
        zone_offset("Mars/Olympus", YEAR)
