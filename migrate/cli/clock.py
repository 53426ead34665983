"""The one clock of the command line. The library never reads the time: every command asks
`now()` once and passes the value down (`ScanOptions.now`, `plan_steps(plan, now)`,
`check_promotion(..., now)`), so one run sees one instant.

`SOURCE_DATE_EPOCH` (reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/,
an integer count of seconds since 1970-01-01 UTC) pins it for every command: the scan date
in the catalog, the `migrate:applied-at` tag apply writes, the staging gate's waiting time.
A value that is not a non-negative integer is ignored, as the specification allows.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC, or SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
