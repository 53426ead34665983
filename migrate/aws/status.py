"""`migrate status --env NAME [--since 7d]`: did every deployed job run as the catalog says?

For each job with rules in the environment (the live rules of the plan):

* **expected**: fires of its rules' expressions in the window (`schedule.fires`, the
  verification engine's evaluators); a DISABLED rule is expected to fire 0 times;
* **observed**: `TriggeredRules`, `Invocations`, `FailedInvocations` of each rule from
  CloudWatch (`metrics.rule_sums`, batches of 500 queries);
* with alerts on, the environment's **failures**: `TriggeredRules` of the alert rule (each
  match is one task of a migrate job that stopped failed) and its `FailedInvocations`
  (alerts that could not be delivered). CloudWatch does not say which job failed: the
  count is per environment, the messages (SNS) name the jobs.

Window and edges: the window ends `METRIC_DELAY` (15 minutes: datapoints arrive minutes
late) before now, rounded down to the minute, and starts `since` earlier. A schedule fires
within a minute or so of its time, so a fire due in the last `EDGE` (5 minutes) of the
window may be counted after it, and one due in the `EDGE` before the window may be counted
in it: `expected - due_in_last_edge <= triggered <= expected + due_in_edge_before` is
"as expected" (rate expressions: one more either way).

Verdicts, worst first: `no data` (nothing recorded for any rule of the job while runs were
due), `missed N`, `N extra`, `N failed invocations`, `not invoked` (triggered more often
than invoked), `ok`. The report is healthy when every job is `ok`, failures are 0, and
CloudWatch had any data at all: an environment where nothing is recorded (the sandbox)
is `no data`, never healthy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from migrate.aws.alerts import alert_rule_name
from migrate.aws.clients import Backoff
from migrate.aws.config import Environment, format_duration
from migrate.aws.metrics import RULE_METRICS, Sums, rule_sums
from migrate.aws.plan import Plan
from migrate.aws.state import RuleState
from migrate.schedule.fires import Fires, count_fires

METRIC_DELAY = timedelta(minutes=15)
EDGE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime

    @staticmethod
    def ending_before(now: datetime, since: timedelta) -> Window:
        end = (now - METRIC_DELAY).replace(second=0, microsecond=0)
        return Window(end - since, end)

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class JobStatus:
    job_id: str
    name: str
    rules: tuple[str, ...]
    expected: int
    low: int  # lowest triggered count that is as expected
    high: int
    triggered: int | None  # None: no datapoint at all
    invocations: int | None
    failed: int | None
    verdict: str

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


@dataclass(frozen=True, slots=True)
class StatusReport:
    environment: str
    region: str
    start: datetime
    end: datetime
    jobs: tuple[JobStatus, ...]
    alerts: bool
    failures: int | None  # alert rule matches in the window (None: no datapoint / no alerts)
    undelivered: int | None
    metric_calls: int
    any_data: bool

    @property
    def flagged(self) -> list[JobStatus]:
        return [j for j in self.jobs if not j.ok]

    @property
    def healthy(self) -> bool:
        return (self.any_data and not self.flagged and not self.failures
                and not self.undelivered)

    @property
    def exit_code(self) -> int:
        return 0 if self.healthy else 1

    @property
    def headline(self) -> str:
        span = f"{_t(self.start)} .. {_t(self.end)}"
        if not self.any_data:
            return (f"{self.environment}: no data: CloudWatch has no AWS/Events datapoints for "
                    f"any of its {len(self.jobs)} jobs in {span} (nothing ran, or nothing "
                    "is recorded here); not healthy")
        parts = [f"{len(self.jobs) - len(self.flagged)} of {len(self.jobs)} jobs as expected"]
        if self.alerts:
            parts.append(f"{self.failures or 0} failed tasks alerted")
        if self.undelivered:
            parts.append(f"{self.undelivered} alerts not delivered")
        state = "healthy" if self.healthy else "needs a look"
        return f"{self.environment}: {state}: " + ", ".join(parts) + f" ({span})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "environment": self.environment, "region": self.region,
            "start": _t(self.start), "end": _t(self.end),
            "healthy": self.healthy, "any_data": self.any_data, "alerts": self.alerts,
            "failures": self.failures, "undelivered_alerts": self.undelivered,
            "metric_calls": self.metric_calls, "headline": self.headline,
            "jobs": [{**asdict(j), "rules": list(j.rules)} for j in self.jobs],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _t(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%MZ")


def deployed_rules(plan: Plan, names: Mapping[str, str]
                   ) -> dict[str, tuple[str, list[RuleState]]]:
    """job id -> (job name, its live rules) for the jobs with rules in the account (a job
    no longer in the catalog is named by its first rule)."""
    out: dict[str, tuple[str, list[RuleState]]] = {}
    for c in plan.changes:
        if c.kind == "rule" and c.job_id and isinstance(c.live, RuleState) and \
                c.action in ("unchanged", "update", "orphan"):
            name = names.get(c.job_id, c.name)
            out.setdefault(c.job_id, (name, []))[1].append(c.live)
    return out


def _expected(rule: RuleState, window: Window) -> tuple[Fires, int, int]:
    """(fires in the window, fires due in its last EDGE, fires due in the EDGE before)."""
    if rule.state != "ENABLED" or not rule.schedule:
        return Fires(0), 0, 0
    inside = count_fires(rule.schedule, window.start, window.end)
    late = count_fires(rule.schedule, window.end - EDGE, window.end).count
    early = count_fires(rule.schedule, window.start - EDGE, window.start).count
    return inside, late, early


def _int(v: float | None) -> int | None:
    return None if v is None else int(round(v))


def _sum(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def judge(expected: int, low: int, high: int, triggered: int | None, invocations: int | None,
          failed: int | None) -> str:
    if triggered is None and invocations is None and failed is None:
        return "ok" if high == 0 else "no data"
    t = triggered or 0
    if t < low:
        return f"missed {expected - t}"
    if t > high:
        return f"{t - expected} extra"
    if failed:
        return f"{failed} failed invocations"
    if (invocations or 0) < t:
        return f"not invoked {t - (invocations or 0)}"
    return "ok"


def job_statuses(deployed: dict[str, tuple[str, list[RuleState]]], sums: Sums,
                 window: Window) -> list[JobStatus]:
    out = []
    for job_id, (name, rules) in sorted(deployed.items(), key=lambda kv: kv[1][0]):
        expected = low = high = 0
        got: dict[str, list[int | None]] = {m: [] for m in RULE_METRICS}
        for rule in rules:
            fires, late, early = _expected(rule, window)
            expected += fires.count
            low += max(fires.count - late - fires.slack, 0)
            high += fires.count + early + fires.slack
            for m in RULE_METRICS:
                got[m].append(_int(sums.get(rule.name, m)))
        t, i, f = (_sum(got[m]) for m in RULE_METRICS)
        out.append(JobStatus(job_id, name, tuple(r.name for r in rules), expected, low, high,
                             t, i, f, judge(expected, low, high, t, i, f)))
    return out


def environment_status(cloudwatch: Any, env: Environment, plan: Plan, names: Mapping[str, str],
                       window: Window, backoff: Backoff) -> StatusReport:
    """`names`: job id -> job name, from the catalog."""
    deployed = deployed_rules(plan, names)
    pairs = [(r.name, m) for _, rules in deployed.values() for r in rules for m in RULE_METRICS]
    alert_rule = alert_rule_name(env)
    alerts_on = env.alerts is not None
    if alerts_on:
        pairs += [(alert_rule, "TriggeredRules"), (alert_rule, "FailedInvocations")]
    sums = rule_sums(cloudwatch, pairs, window.start, window.end, backoff) if pairs else \
        Sums({}, 0)
    jobs = job_statuses(deployed, sums, window)
    failures = _int(sums.get(alert_rule, "TriggeredRules")) if alerts_on else None
    undelivered = _int(sums.get(alert_rule, "FailedInvocations")) if alerts_on else None
    any_data = any(v is not None for v in sums.values.values())
    return StatusReport(env.name, env.region, window.start, window.end, tuple(jobs), alerts_on,
                        failures, undelivered, sums.calls, any_data)


def describe_window(since: timedelta) -> str:
    return (f"last {format_duration(since)}, ending {int(METRIC_DELAY.total_seconds() // 60)} "
            "minutes ago (CloudWatch metric delay)")
