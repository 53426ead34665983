"""CloudWatch `AWS/Events` metrics per rule, read in batches with `GetMetricData`.

One query per (rule, metric): `MetricStat` on namespace `AWS/Events`, dimension `RuleName`,
statistic `Sum`, with `Period` equal to the whole window, so each query answers with at most
one datapoint. `GetMetricData` takes at most 500 queries per call (`MAX_QUERIES`); pages
(`NextToken`) are followed. A query without datapoints means CloudWatch recorded nothing for
that rule and metric in the window: `None`, which the caller must not read as zero runs
of a healthy job (EventBridge publishes no datapoint for a rule that did not trigger).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migrate.aws.clients import AwsError, Backoff, call, friendly

NAMESPACE = "AWS/Events"
RULE_METRICS = ("TriggeredRules", "Invocations", "FailedInvocations")
MAX_QUERIES = 500  # GetMetricData: queries per call


@dataclass(frozen=True, slots=True)
class Sums:
    values: dict[tuple[str, str], float | None]  # (rule name, metric) -> sum or None
    calls: int  # GetMetricData requests made

    def get(self, rule: str, metric: str) -> float | None:
        return self.values.get((rule, metric))


def _query(i: int, rule: str, metric: str, period: int) -> dict[str, Any]:
    return {
        "Id": f"q{i}",
        "MetricStat": {
            "Metric": {"Namespace": NAMESPACE, "MetricName": metric,
                       "Dimensions": [{"Name": "RuleName", "Value": rule}]},
            "Period": period,
            "Stat": "Sum",
        },
        "ReturnData": True,
    }


def rule_sums(cloudwatch: Any, pairs: Sequence[tuple[str, str]], start: datetime,
              end: datetime, backoff: Backoff) -> Sums:
    """Sum of each (rule, metric) over [start, end)."""
    period = int((end - start).total_seconds())
    if period < 60 or period % 60:
        raise ValueError("the window must be a whole number of minutes, at least one")
    values: dict[tuple[str, str], float | None] = {p: None for p in pairs}
    calls = 0
    for lo in range(0, len(pairs), MAX_QUERIES):
        batch = pairs[lo:lo + MAX_QUERIES]
        queries = [_query(lo + i, r, m, period) for i, (r, m) in enumerate(batch)]
        token: str | None = None
        while True:
            params: dict[str, Any] = {"MetricDataQueries": queries, "StartTime": start,
                                      "EndTime": end}
            if token:
                params["NextToken"] = token
            try:
                out = call(cloudwatch, "get_metric_data", params, backoff)
            except AwsError:
                raise
            except Exception as exc:
                raise friendly(exc, "CloudWatch GetMetricData") from None
            calls += 1
            for result in out.get("MetricDataResults", []):
                idx = int(str(result["Id"])[1:])
                key = pairs[idx]
                vals = result.get("Values") or []
                if vals:
                    values[key] = (values[key] or 0.0) + float(sum(vals))
            token = out.get("NextToken")
            if not token:
                break
    return Sums(values, calls)
