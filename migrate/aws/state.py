"""One type for both sides: a rule with its targets and tags, in canonical form.

The desired state (from the catalog) and the live state (read back from EventBridge) are both
`RuleState` values; `plan.py` compares them field by field, so "no differences" means no
calls. Canonical form: targets as JSON text with sorted keys, AWS defaults filled in
(`TaskCount` 1, `EnableECSManagedTags`/`EnableExecuteCommand` false, `AssignPublicIp`
DISABLED, the default `RetryPolicy` of 185 attempts / 24 h), lists of subnets and security
groups sorted, a capacity provider's `base: 0` dropped (0 is the default, i.e. no base),
targets sorted by `Id`, tags sorted by key.

Ownership tags (every rule `migrate` writes carries them):

- `migrate:managed-by` = `migrate` and `migrate:environment` = the environment's name: a rule
  is ours only when both match; nothing else is ever changed or deleted;
- `migrate:job-id` = the catalog job id;
- `migrate:catalog-digest` = `catalog_digest()` of the catalog applied (the staging gate
  compares it);
- `migrate:applied-at` = UTC time of the apply that last wrote the rule (`2026-11-01T09:00:00Z`);
- `migrate:skip-gate` = the reason given to `--skip-staging-gate`, on production rules;
- `migrate:cutover-at` = UTC time `migrate cutover` enabled the rule (removed by rollback).

The last three are *records* of how an apply ran, not desired state: they are kept apart in
`RuleState.records` and never compared.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TAG_MANAGED_BY = "migrate:managed-by"
MANAGED_BY = "migrate"
TAG_ENVIRONMENT = "migrate:environment"
TAG_JOB_ID = "migrate:job-id"
TAG_DIGEST = "migrate:catalog-digest"
TAG_APPLIED_AT = "migrate:applied-at"
TAG_SKIP_GATE = "migrate:skip-gate"
TAG_CUTOVER_AT = "migrate:cutover-at"
RECORD_TAGS = (TAG_APPLIED_AT, TAG_SKIP_GATE, TAG_CUTOVER_AT)
TARGET_ID = "migrate"
MAX_TAG_VALUE = 256  # EventBridge tag values
DEFAULT_RETRY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}

COMPARED_FIELDS = ("schedule", "pattern", "state", "description", "targets", "tags")


def canonical_target(target: Mapping[str, Any]) -> dict[str, Any]:
    """A target as AWS would report it back: empty values dropped, defaults filled in."""
    t: dict[str, Any] = _drop_empty(copy.deepcopy(dict(target)))
    ecs = t.get("EcsParameters")
    if isinstance(ecs, dict):
        ecs.setdefault("TaskCount", 1)
        ecs.setdefault("EnableECSManagedTags", False)
        ecs.setdefault("EnableExecuteCommand", False)
        vpc = ecs.get("NetworkConfiguration", {}).get("awsvpcConfiguration")
        if isinstance(vpc, dict):
            vpc.setdefault("AssignPublicIp", "DISABLED")
            for key in ("Subnets", "SecurityGroups"):
                if isinstance(vpc.get(key), list):
                    vpc[key] = sorted(vpc[key])
        for item in ecs.get("CapacityProviderStrategy") or []:
            # ECS: "If no value is specified, the default value of 0 is used": `base: 0` is
            # no base, and never sent (preflight.py: only one provider may have a base).
            if isinstance(item, dict) and item.get("base") == 0:
                del item["base"]
        t.setdefault("RetryPolicy", dict(DEFAULT_RETRY))
    return t


def _drop_empty(v: Any) -> Any:
    if isinstance(v, dict):
        out = {k: _drop_empty(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x is not None and x != {} and x != []}
    if isinstance(v, list):
        return [_drop_empty(x) for x in v]
    return v


def target_text(target: Mapping[str, Any]) -> str:
    return json.dumps(canonical_target(target), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def canonical_json(text: str) -> str:
    """JSON text with sorted keys and no spaces ("" stays ""): event patterns, policies."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class RuleState:
    name: str
    schedule: str  # "" for a rule on an event pattern
    state: str
    description: str
    targets: tuple[str, ...]  # canonical JSON text of each target, sorted by Id
    tags: tuple[tuple[str, str], ...]  # compared tags, sorted by key
    records: tuple[tuple[str, str], ...] = ()  # applied-at, skip-gate (live rules only)
    arn: str | None = None  # live rules only
    pattern: str = ""  # canonical event pattern JSON ("" for a scheduled rule)
    kind = "rule"

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @staticmethod
    def build(
        name: str,
        schedule: str,
        state: str,
        description: str,
        targets: Sequence[Mapping[str, Any]],
        tags: Mapping[str, str],
        arn: str | None = None,
        pattern: str = "",
    ) -> RuleState:
        texts = sorted((str(t.get("Id", "")), target_text(t)) for t in targets)
        compared, records = split_tags(tags)
        return RuleState(name, schedule, state, description, tuple(x for _, x in texts),
                         compared, records, arn, canonical_json(pattern))

    def tag(self, key: str) -> str | None:
        for k, v in self.tags + self.records:
            if k == key:
                return v
        return None

    @property
    def job_id(self) -> str:
        return self.tag(TAG_JOB_ID) or ""

    def target_dicts(self) -> list[dict[str, Any]]:
        return [json.loads(t) for t in self.targets]

    def target_ids(self) -> list[str]:
        return [str(t["Id"]) for t in self.target_dicts()]

    def differences(self, other: RuleState) -> tuple[str, ...]:
        """Names of the compared fields where `other` differs from this rule."""
        return tuple(f for f in COMPARED_FIELDS if getattr(self, f) != getattr(other, f))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "schedule": self.schedule,
            **({"pattern": json.loads(self.pattern)} if self.pattern else {}),
            "state": self.state,
            "description": self.description,
            "targets": self.target_dicts(),
            "tags": dict(self.tags),
            "records": dict(self.records),
        }

    def render(self) -> list[str]:
        """Canonical text, one setting per line (the input of the plan's diff)."""
        lines = [f"rule {self.name}"]
        if self.pattern:
            flat_pattern: list[tuple[str, Any]] = []
            _flatten(json.loads(self.pattern), "pattern", flat_pattern)
            lines += [f"  {k}: {_j(v)}" for k, v in flat_pattern]
        else:
            lines.append(f"  schedule: {self.schedule}")
        lines += [
            f"  state: {self.state}",
            f"  description: {_j(self.description)}",
        ]
        lines += [f"  tag {k}: {_j(v)}" for k, v in self.tags]
        for t in self.target_dicts():
            lines.append(f"  target {t.get('Id')}:")
            flat: list[tuple[str, Any]] = []
            for k, v in sorted(t.items()):
                if k == "Id":
                    continue
                if k == "Input" and isinstance(v, str):
                    try:
                        _flatten(json.loads(v), "Input", flat)
                        continue
                    except ValueError:
                        pass
                _flatten(v, k, flat)
            lines += [f"    {k}: {_j(v)}" for k, v in flat]
        return lines


def split_tags(tags: Mapping[str, str]) -> tuple[tuple[tuple[str, str], ...],
                                                 tuple[tuple[str, str], ...]]:
    """(compared tags, records), each sorted by key."""
    compared = sorted((k, v) for k, v in tags.items() if k not in RECORD_TAGS)
    records = sorted((k, v) for k, v in tags.items() if k in RECORD_TAGS)
    return tuple(compared), tuple(records)


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _flatten(v: Any, path: str, out: list[tuple[str, Any]]) -> None:
    if isinstance(v, dict) and v:
        for k in v:  # keep the order the value was written in (Input is shown as sent)
            _flatten(v[k], f"{path}.{k}", out)
    elif isinstance(v, list) and v and not all(isinstance(x, str) for x in v):
        for i, x in enumerate(v):
            _flatten(x, f"{path}[{i}]", out)
    else:
        out.append((path, v))
