"""Resource kinds beside rules, in the same canonical form as `RuleState` (state.py).

Every kind is one frozen value type with the same small interface, so the plan diffs them
all the same way (`key`, `differences`, `render`, `to_dict`, `tags`, `records`, `job_id`):

* `RuleState` (state.py): an EventBridge rule with its targets and tags;
* `TopicState`: an SNS topic, its resource policy (canonical JSON) and tags. Ownership is the
  same pair of tags as for rules (`migrate:managed-by`, `migrate:environment`);
* `ScheduleGroupState`, `ScheduleState` (schedule_state.py): the environment's Scheduler
  group (tagged as ours) and its schedules (ours when the group is);
* `SubscriptionState`: one subscription of a topic (protocol + endpoint). SNS subscriptions
  carry no tags, so a subscription is ours exactly when its topic is ours; on a topic given
  by ARN (not ours) migrate only adds the subscriptions it wants and never removes one.

Adding a kind (issue 10's state machine, issue 11's schedule group) means one more value
type here, one reader in live, one call builder in calls.py and a phase.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrate.aws.schedule_state import ScheduleGroupState, ScheduleState
from migrate.aws.state import RuleState, canonical_json, split_tags

PENDING = "PendingConfirmation"  # SNS's SubscriptionArn until an email is confirmed


@dataclass(frozen=True, slots=True)
class TopicState:
    name: str
    arn: str
    policy: str  # canonical JSON
    tags: tuple[tuple[str, str], ...]
    records: tuple[tuple[str, str], ...] = ()
    kind = "topic"

    @staticmethod
    def build(name: str, arn: str, policy: str, tags: Mapping[str, str]) -> TopicState:
        compared, records = split_tags(tags)
        return TopicState(name, arn, canonical_json(policy), compared, records)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @property
    def job_id(self) -> str:
        return ""

    def differences(self, other: TopicState) -> tuple[str, ...]:
        return tuple(f for f in ("policy", "tags") if getattr(self, f) != getattr(other, f))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "arn": self.arn,
                "policy": json.loads(self.policy) if self.policy else None,
                "tags": dict(self.tags), "records": dict(self.records)}

    def render(self) -> list[str]:
        lines = [f"topic {self.name}", f"  arn: {self.arn}"]
        lines += [f"  policy: {self.policy}"]
        lines += [f"  tag {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in self.tags]
        return lines


@dataclass(frozen=True, slots=True)
class SubscriptionState:
    topic_arn: str
    protocol: str
    endpoint: str
    arn: str | None = None  # live only; `PendingConfirmation` until confirmed
    kind = "subscription"
    tags: tuple[tuple[str, str], ...] = ()
    records: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return f"{self.topic_arn.rsplit(':', 1)[-1]}:{self.protocol}:{self.endpoint}"

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @property
    def job_id(self) -> str:
        return ""

    @property
    def pending(self) -> bool:
        return self.arn == PENDING

    def differences(self, other: SubscriptionState) -> tuple[str, ...]:
        return ()  # identity is the whole value: a different endpoint is another one

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "topic_arn": self.topic_arn,
                "protocol": self.protocol, "endpoint": self.endpoint, "arn": self.arn}

    def render(self) -> list[str]:
        return [f"subscription {self.protocol}:{self.endpoint}", f"  topic: {self.topic_arn}"]


Resource = RuleState | TopicState | SubscriptionState | ScheduleGroupState | ScheduleState
Other = TopicState | SubscriptionState | ScheduleGroupState | ScheduleState  # not rules
# plan order: what others point at comes first
KINDS = ("topic", "schedule-group", "rule", "schedule", "subscription")
