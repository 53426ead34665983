"""The plan turned into API calls: the one sequence both `apply` (boto3) and the CLI script
(`aws events ...`) execute, so both produce the same state.

Per rule, in this order:

* create: `put_rule` (with every tag, so a rule exists only with its ownership tags), then
  `put_targets`;
* update: `put_rule` when schedule, state or description differ (PutRule replaces all
  three); `put_targets` / `remove_targets` when targets differ; `untag_resource` for tags no
  longer desired; `tag_resource` with every desired tag and the records (applied-at,
  skip-gate) last;
* adopt (`--adopt`, a rule of a desired name not ours): first `remove_targets` for the
  foreign targets and `untag_resource` for the foreign tags, because a rule holds at most 5
  targets (PutTargets) and 50 tags (TagResource) and ours come on top; then `tag_resource`
  (the rule becomes ours before it is changed), `put_rule`, `put_targets`. An interruption
  leaves either a foreign rule (still a conflict: adopt again) or one of ours to update;
* delete: `remove_targets` (a rule with targets cannot be deleted), then `delete_rule`.

Every call is an idempotent upsert or removal, so running the sequence again after an
interruption converges: a rule left without targets or with old tags is an `update` the next
time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from migrate.aws.plan import Change, Plan
from migrate.aws.requests import request_problems
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
    stale = sorted(set(live.target_ids()) - set(desired.target_ids()))
    keep = {k for k, _ in desired.tags} | set(records) | {TAG_CUTOVER_AT}  # cutover's record
    gone = sorted({k for k, _ in live.tags + live.records} - keep)
    remove_targets = Call("remove_targets", {"Rule": desired.name, "Ids": stale})
    untag = Call("untag_resource", {"ResourceARN": arn, "TagKeys": gone})
    tag = Call("tag_resource", {"ResourceARN": arn, "Tags": all_tags})
    put_rule = Call("put_rule", _rule_params(desired))
    put_targets = Call("put_targets", {"Rule": desired.name, "Targets": desired.target_dicts()})
    rule_changed = bool({"schedule", "state", "description"} & set(change.fields))
    targets_changed = "targets" in change.fields
    if change.adopt:  # make room first: at most 5 targets and 50 tags per rule
        calls = [remove_targets] if stale else []
        calls += [untag] if gone else []
        calls.append(tag)
        calls += [put_rule] if rule_changed else []
        calls += [put_targets] if targets_changed else []
        return tuple(calls)
    calls = [put_rule] if rule_changed else []
    if targets_changed:
        calls.append(put_targets)
        calls += [remove_targets] if stale else []
    calls += [untag] if gone else []
    calls.append(tag)
    return tuple(calls)


# `applied-at` of the steps preflight checks (any valid time: only the bodies' shape matters)
PREFLIGHT_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def steps_problems(steps: Sequence[Step], region: str | None) -> list[str]:
    """Every request body of `steps` checked (`requests.py`), one line per problem."""
    return [f"rule {s.name}: {c.api}: {problem}" for s in steps for c in s.calls
            for problem in request_problems(c.api, c.params, region)]


def change_calls(change: Change, now: datetime = PREFLIGHT_TIME) -> tuple[Call, ...]:
    """The calls of one change, in order (what the plan shows for an adoption)."""
    return _steps_for(change, _records(now, None))


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
