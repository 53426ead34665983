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

Alert topics (SNS): create: `create_topic` with its policy and every tag (so it exists
only as ours); update: `set_topic_attributes` (Policy), `untag_resource`, `tag_resource`;
delete: `delete_topic`. Subscriptions: `subscribe` / `unsubscribe` (SNS answers `subscribe`
for an existing subscription with the same one: idempotent too).

Schedule groups: `create_schedule_group` with every tag; update: `tag_resource` first, then
`untag_resource`; delete: `delete_schedule_group` (last). Schedules: `create_schedule`,
`update_schedule` (replaces every setting), `delete_schedule`.

Run guard (aws/guard/deploy.py): one step, `run-guard`, of the DynamoDB, IAM and Step
Functions calls `guard_steps` chose (table, roles, then the state machine, in that order:
CreateStateMachine needs its role to exist); pruned (`--prune` after the guard was switched
off) in a last step, `run-guard-removal`: the machine, then its roles, then the table.

Steps run in phases (`Step.phase`): 0 topics, the schedule group and the run guard created
or updated, 1 rules, schedules and subscriptions, 2 jobs moving between rules and Scheduler,
3 topics, groups and the run guard deleted; within a phase, concurrently. So nothing points
at a topic, lands in a group or targets a state machine that does not exist yet. A moving
job is one step, `switch`: the new rule or schedule is created, then the old one deleted,
inside a switch window (apply.py, README).

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
from migrate.aws.resources import SubscriptionState, TopicState
from migrate.aws.schedule_state import ScheduleGroupState, ScheduleState
from migrate.aws.state import (
    MAX_TAG_VALUE,
    TAG_APPLIED_AT,
    TAG_CUTOVER_AT,
    TAG_SKIP_GATE,
    RuleState,
)

MUTATING_APIS = frozenset(
    {"put_rule", "put_targets", "remove_targets", "delete_rule", "tag_resource",
     "untag_resource", "create_topic", "set_topic_attributes", "delete_topic", "subscribe",
     "unsubscribe", "create_schedule_group", "delete_schedule_group", "create_schedule",
     "update_schedule", "delete_schedule",
     # the run guard's (aws/guard/deploy.py): lock table, roles, state machine
     "create_table", "update_time_to_live", "create_role", "put_role_policy",
     "update_assume_role_policy",
     "create_state_machine", "update_state_machine", "delete_state_machine",
     "delete_role_policy", "delete_role", "delete_table"}
)
# Phases: what others point at first, what nothing points at any more last.
GROUPS_AND_TOPICS, RESOURCES, SWITCHES, REMOVALS = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Call:
    api: str  # boto3 method name of the `service` client
    params: Mapping[str, Any]
    service: str = "events"

    @property
    def cli_name(self) -> str:
        return self.api.replace("_", "-")


@dataclass(frozen=True, slots=True)
class Step:
    """One resource's calls, run in order."""

    name: str
    action: str
    calls: tuple[Call, ...]
    phase: int = 1
    switch: bool = False  # a job moving between services: run in a switch window (apply.py)


def applied_at(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def _rule_params(rule: RuleState) -> dict[str, Any]:
    params: dict[str, Any] = {"Name": rule.name}
    if rule.pattern:
        params["EventPattern"] = rule.pattern
    else:
        params["ScheduleExpression"] = rule.schedule
    params.update({"State": rule.state, "Description": rule.description})
    return params


def _records(now: datetime, skip_gate_reason: str | None) -> dict[str, str]:
    records = {TAG_APPLIED_AT: applied_at(now)}
    if skip_gate_reason is not None:
        records[TAG_SKIP_GATE] = skip_gate_reason
    return records


def _sns(api: str, params: Mapping[str, Any]) -> Call:
    return Call(api, params, "sns")


def _topic_calls(change: Change, records: Mapping[str, str]) -> tuple[Call, ...]:
    desired, live = change.desired, change.live
    if change.action == "delete":
        assert isinstance(live, TopicState)
        return (_sns("delete_topic", {"TopicArn": live.arn}),)
    assert isinstance(desired, TopicState)
    all_tags = _tag_list({**dict(desired.tags), **records})
    if change.action == "create":
        return (_sns("create_topic", {"Name": desired.name,
                                      "Attributes": {"Policy": desired.policy},
                                      "Tags": all_tags}),)
    assert isinstance(live, TopicState)
    calls = []
    if "policy" in change.fields:
        calls.append(_sns("set_topic_attributes", {"TopicArn": live.arn, "AttributeName":
                                                   "Policy", "AttributeValue": desired.policy}))
    gone = sorted({k for k, _ in live.tags + live.records} - {k for k, _ in desired.tags}
                  - set(records))
    if gone:
        calls.append(_sns("untag_resource", {"ResourceArn": live.arn, "TagKeys": gone}))
    calls.append(_sns("tag_resource", {"ResourceArn": live.arn, "Tags": all_tags}))
    return tuple(calls)


def _subscription_calls(change: Change) -> tuple[Call, ...]:
    if change.action == "delete":
        assert isinstance(change.live, SubscriptionState) and change.live.arn
        return (_sns("unsubscribe", {"SubscriptionArn": change.live.arn}),)
    assert isinstance(change.desired, SubscriptionState)
    d = change.desired
    return (_sns("subscribe", {"TopicArn": d.topic_arn, "Protocol": d.protocol,
                               "Endpoint": d.endpoint, "ReturnSubscriptionArn": True}),)


def _phase(change: Change) -> int:
    if change.kind in ("topic", "schedule-group"):
        return REMOVALS if change.action == "delete" else GROUPS_AND_TOPICS
    return RESOURCES


def _sch(api: str, params: Mapping[str, Any]) -> Call:
    return Call(api, params, "scheduler")


def _group_calls(change: Change, records: Mapping[str, str]) -> tuple[Call, ...]:
    desired, live = change.desired, change.live
    if change.action == "delete":
        assert isinstance(live, ScheduleGroupState)
        return (_sch("delete_schedule_group", {"Name": live.name}),)
    assert isinstance(desired, ScheduleGroupState)
    all_tags = _tag_list({**dict(desired.tags), **records})
    if change.action == "create":
        return (_sch("create_schedule_group", {"Name": desired.name, "Tags": all_tags}),)
    assert isinstance(live, ScheduleGroupState)
    arn = live.arn or ""
    calls = [_sch("tag_resource", {"ResourceArn": arn, "Tags": all_tags})]
    gone = sorted({k for k, _ in live.tags + live.records} - {k for k, _ in desired.tags}
                  - set(records))
    if gone:
        calls.append(_sch("untag_resource", {"ResourceArn": arn, "TagKeys": gone}))
    return tuple(calls)  # tagged first: when adopting, the group is ours before any change


def _schedule_calls(change: Change) -> tuple[Call, ...]:
    if change.action == "delete":
        assert isinstance(change.live, ScheduleState)
        return (_sch("delete_schedule", {"Name": change.live.name,
                                         "GroupName": change.live.group}),)
    assert isinstance(change.desired, ScheduleState)
    api = "create_schedule" if change.action == "create" else "update_schedule"
    return (_sch(api, change.desired.params()),)


def _steps_for(change: Change, records: Mapping[str, str]) -> tuple[Call, ...]:
    if change.kind == "topic":
        return _topic_calls(change, records)
    if change.kind == "schedule-group":
        return _group_calls(change, records)
    if change.kind == "schedule":
        return _schedule_calls(change)
    if change.kind == "subscription":
        return _subscription_calls(change)
    desired, live = change.desired, change.live
    assert desired is None or isinstance(desired, RuleState)
    assert live is None or isinstance(live, RuleState)
    if change.action == "create":
        assert desired is not None
        return (
            Call("put_rule", {**_rule_params(desired), "Tags": _tag_list(
                {**dict(desired.tags), **dict(desired.records), **records})}),
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
    all_tags = _tag_list({**dict(desired.tags), **dict(desired.records), **records})
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


GUARD_STEP = "run-guard"  # the step name of the run guard's calls
GUARD_REMOVAL_STEP = "run-guard-removal"  # ... and of its pruning

# `applied-at` of the steps preflight checks (any valid time: only the bodies' shape matters)
PREFLIGHT_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def steps_problems(steps: Sequence[Step], region: str | None) -> list[str]:
    """Every request body of `steps` checked (`requests.py`), one line per problem."""
    return [f"{'rule' if c.service == 'events' else c.service} {s.name}: {c.api}: {problem}"
            for s in steps for c in s.calls
            for problem in request_problems(c.api, c.params, region, c.service)]


def change_calls(change: Change, now: datetime = PREFLIGHT_TIME) -> tuple[Call, ...]:
    """The calls of one change, in order (what the plan shows for an adoption)."""
    return _steps_for(change, _records(now, None))


def plan_steps(plan: Plan, now: datetime, skip_gate_reason: str | None = None) -> tuple[Step, ...]:
    """The calls that carry out `plan`, stamped `applied-at` = `now`."""
    if skip_gate_reason is not None and not 0 < len(skip_gate_reason) <= MAX_TAG_VALUE:
        raise ValueError(f"the skip-gate reason must be 1-{MAX_TAG_VALUE} characters "
                         "(it is recorded as a tag value)")
    records = _records(now, skip_gate_reason)
    changing = [c for c in plan.changes if c.action in ("create", "update", "delete")]
    moving = {c.job_id for c in changing if c.moved}
    steps = [
        Step(c.name, c.action + (" (adopt)" if c.adopt else ""), _steps_for(c, records),
             _phase(c))
        for c in changing
        if not (c.job_id in moving and c.kind in ("rule", "schedule"))
    ]
    for job_id in sorted(moving):
        # New home first, then the old one, in one step run inside a switch window.
        arriving = [c for c in changing if c.job_id == job_id and not c.moved
                    and c.kind in ("rule", "schedule")]
        leaving = [c for c in changing if c.job_id == job_id and c.moved]
        to = arriving[0].kind if arriving else "?"
        calls = [x for c in arriving + leaving for x in _steps_for(c, records)]
        steps.append(Step(", ".join(c.name for c in arriving + leaving),
                          f"move to {'Scheduler' if to == 'schedule' else 'rules'}",
                          tuple(calls), SWITCHES, switch=True))
    if plan.guard:  # before any rule or schedule targets the state machine
        steps.insert(0, Step(GUARD_STEP, "create/update",
                             tuple(Call(g.api, g.params, g.service) for g in plan.guard),
                             GROUPS_AND_TOPICS))
    if plan.guard_removals:  # after no rule or schedule targets it any more
        steps.append(Step(GUARD_REMOVAL_STEP, "delete",
                          tuple(Call(g.api, g.params, g.service) for g in plan.guard_removals),
                          REMOVALS))
    return tuple(sorted(steps, key=lambda s: s.phase))  # stable: plan order within a phase
