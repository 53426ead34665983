"""The plan turned into API calls: the one sequence both `apply` (boto3) and the CLI script
(`aws events ...`) execute, so both produce the same state.

Per rule, in this order:

* create: `put_rule` (with every tag, so a rule exists only with its ownership tags), then
  `put_targets`;
* update: when adopting, `tag_resource` first (the rule becomes ours before it is changed);
  `put_rule` when schedule, state or description differ (PutRule replaces all three);
  `put_targets` / `remove_targets` when targets differ; `untag_resource` for tags no longer
  desired; `tag_resource` with every desired tag and the records (applied-at, skip-gate) last;
* delete: `remove_targets` (a rule with targets cannot be deleted), then `delete_rule`.

Every call is an idempotent upsert or removal, so running the sequence again after an
interruption converges: a rule left without targets or with old tags is an `update` the next
time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from migrate.aws.plan import Change, Plan
from migrate.aws.state import (
    MAX_TAG_VALUE,
    TAG_APPLIED_AT,
    TAG_CUTOVER_AT,
    TAG_SKIP_GATE,
    RuleState,
)

MUTATING_APIS = frozenset(
    {"put_rule", "put_targets", "remove_targets", "delete_rule", "tag_resource",
     "untag_resource"}
)


@dataclass(frozen=True, slots=True)
class Call:
    api: str  # boto3 method name of the events client
    params: Mapping[str, Any]

    @property
    def cli_name(self) -> str:
        return self.api.replace("_", "-")


@dataclass(frozen=True, slots=True)
class Step:
    """One rule's calls, run in order."""

    name: str
    action: str
    calls: tuple[Call, ...]


def applied_at(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def _rule_params(rule: RuleState) -> dict[str, Any]:
    return {
        "Name": rule.name,
        "ScheduleExpression": rule.schedule,
        "State": rule.state,
        "Description": rule.description,
    }


def _records(now: datetime, skip_gate_reason: str | None) -> dict[str, str]:
    records = {TAG_APPLIED_AT: applied_at(now)}
    if skip_gate_reason is not None:
        records[TAG_SKIP_GATE] = skip_gate_reason
    return records


def _steps_for(change: Change, records: Mapping[str, str]) -> tuple[Call, ...]:
    desired, live = change.desired, change.live
    if change.action == "create":
        assert desired is not None
        return (
            Call("put_rule", {**_rule_params(desired),
                              "Tags": _tag_list({**dict(desired.tags), **records})}),
            Call("put_targets", {"Rule": desired.name, "Targets": desired.target_dicts()}),
        )
    if change.action == "delete":
        assert live is not None
        calls = []
        if live.targets:
            calls.append(Call("remove_targets", {"Rule": live.name, "Ids": live.target_ids()}))
        calls.append(Call("delete_rule", {"Name": live.name}))
        return tuple(calls)
    assert change.action == "update" and desired is not None and live is not None
    arn = live.arn or ""
    all_tags = _tag_list({**dict(desired.tags), **records})
    calls = []
    if change.adopt:
        calls.append(Call("tag_resource", {"ResourceARN": arn, "Tags": all_tags}))
    if {"schedule", "state", "description"} & set(change.fields):
        calls.append(Call("put_rule", _rule_params(desired)))
    if "targets" in change.fields:
        calls.append(Call("put_targets", {"Rule": desired.name,
                                          "Targets": desired.target_dicts()}))
        stale = sorted(set(live.target_ids()) - set(desired.target_ids()))
        if stale:
            calls.append(Call("remove_targets", {"Rule": desired.name, "Ids": stale}))
    keep = {k for k, _ in desired.tags} | set(records) | {TAG_CUTOVER_AT}  # cutover's record
    gone = sorted({k for k, _ in live.tags + live.records} - keep)
    if gone:
        calls.append(Call("untag_resource", {"ResourceARN": arn, "TagKeys": gone}))
    if not change.adopt:
        calls.append(Call("tag_resource", {"ResourceARN": arn, "Tags": all_tags}))
    return tuple(calls)


def plan_steps(plan: Plan, now: datetime, skip_gate_reason: str | None = None) -> tuple[Step, ...]:
    """The calls that carry out `plan`, stamped `applied-at` = `now`."""
    if skip_gate_reason is not None and not 0 < len(skip_gate_reason) <= MAX_TAG_VALUE:
        raise ValueError(f"the skip-gate reason must be 1-{MAX_TAG_VALUE} characters "
                         "(it is recorded as a tag value)")
    records = _records(now, skip_gate_reason)
    return tuple(
        Step(c.name, c.action + (" (adopt)" if c.adopt else ""), _steps_for(c, records))
        for c in plan.changes
        if c.action in ("create", "update", "delete")
    )
