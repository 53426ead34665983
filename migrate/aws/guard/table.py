"""The lock table: one DynamoDB table per environment holding the guard's items.

Items (all under the string key `pk`):

* `run#<job id>#<scheduled time>`: this scheduled time ran (or is running), by `execution`;
* `skip#<job id>#<scheduled time>`: this scheduled time was skipped, the lease `held_by`;
* `lease#<job id>`: the job is running in execution `holder` since `taken_at`.

The table is on-demand (no capacity to size). `TTL_ATTRIBUTE` is switched on as the table's
time-to-live attribute so that operators (or a later version) can expire old `run#` / `skip#`
records by setting it; the state machine does not write it, because JSONPath has no date
arithmetic to turn the scheduled time into epoch seconds (see README "Run guard").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KEY = "pk"
TTL_ATTRIBUTE = "expires"


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
