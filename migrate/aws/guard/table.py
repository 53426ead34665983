"""The lock table: one DynamoDB table per environment holding the guard's items.

Items (all under the string key `pk`), each with the time-to-live attribute `expires`
(epoch seconds; the table's TTL is switched on for it, so DynamoDB deletes them after):

* `run#<job id>#<scheduled time>`: this scheduled time ran (or is running), by `execution`;
  expires `expiry(scheduled time)`;
* `skip#<job id>#<scheduled time>`: this scheduled time was skipped, the lease `held_by`;
  expires `expiry(scheduled time)`;
* `lease#<job id>`: the job is running in execution `holder` since `taken_at`; expires
  `expiry(taken_at)`. The lease is not *released* by its TTL (DynamoDB deletes expired
  items only eventually, "typically within a few days"): a lease passes on when its holder
  execution ended (asl.py); the TTL only clears leases of jobs that no longer run.

`expiry(t)`: 00:00 UTC on the first day of the second month after `t`'s month, so an item
lives at least `MIN_RETENTION` (28 days: a run from the month's last second to the end of a
28-day February) and at most 62 days. Why months: the state machine must compute it, and
the JSONPath query language has no date arithmetic (the intrinsic functions parse strings
to numbers and add two numbers, nothing more; JSONata has `$toMillis` but moto, which runs
these definitions in the tests, does not evaluate JSONata). So `expires_path` is a lookup:
the year and month parsed out of the ISO 8601 time string (`YYYY-MM-...`, as EventBridge's
`time`, Scheduler's `<aws.scheduler.scheduled-time>` and `$$.State.EnteredTime` are)
index a table of precomputed epoch seconds written into the definition, for the years
`FIRST_YEAR` .. `FIRST_YEAR + YEARS - 1`; a time outside them fails the execution
(`States.Runtime`, an alert) rather than writing a wrong expiry. Twice 28 days leave room for
EventBridge's and Scheduler's redelivery (at most 24 hours) and bound a guarded run
(`select.py` refuses an `overlap: skip` job whose lease could be held longer).

The table is on-demand (no capacity to size).
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

KEY = "pk"
TTL_ATTRIBUTE = "expires"
FIRST_YEAR = 2020
YEARS = 100
RETENTION_MONTHS = 2
MIN_RETENTION = timedelta(days=28)


def create_table_params(name: str, tags: Mapping[str, str]) -> dict[str, Any]:
    return {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": KEY, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": KEY, "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
        "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())],
    }


def ttl_params(name: str) -> dict[str, Any]:
    return {"TableName": name, "TimeToLiveSpecification": {"Enabled": True,
                                                          "AttributeName": TTL_ATTRIBUTE}}


def expiry(year: int, month: int) -> int:
    """Epoch seconds of the expiry of an item whose reference time is in `year`-`month`."""
    months = year * 12 + month - 1 + RETENTION_MONTHS
    return calendar.timegm((months // 12, months % 12 + 1, 1, 0, 0, 0))


def expiry_table() -> list[list[str]]:
    """[year - FIRST_YEAR][month - 1] -> expiry, as the strings DynamoDB's N type takes."""
    return [[str(expiry(y, m)) for m in range(1, 13)]
            for y in range(FIRST_YEAR, FIRST_YEAR + YEARS)]


def expires_path(time_path: str) -> str:
    """An intrinsic-function expression giving the expiry (a string) for the ISO 8601 time
    at `time_path` (a JSONPath, e.g. `$.time` or `$$.State.EnteredTime`)."""
    table = json.dumps(expiry_table(), separators=(",", ":"))
    parts = f"States.StringSplit({time_path}, '-')"
    year = f"States.MathAdd(States.StringToJson(States.ArrayGetItem({parts}, 0)), {-FIRST_YEAR})"
    # "03" is no JSON number: "103" is; minus 101 gives the month's index (2)
    month = ("States.MathAdd(States.StringToJson(States.Format('1{}', "
             f"States.ArrayGetItem({parts}, 1))), -101)")
    return (f"States.ArrayGetItem(States.ArrayGetItem(States.StringToJson('{table}'), "
            f"{year}), {month})")
