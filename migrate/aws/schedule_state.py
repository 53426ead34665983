"""Scheduler resource kinds, in the same canonical form and interface as `RuleState`
(`key`, `job_id`, `differences`, `render`, `to_dict`, `tags`, `records`; see resources.py):

* `ScheduleGroupState`: the environment's schedule group. Scheduler tags groups (not single
  schedules), so the group carries the rules' ownership tags (`migrate:managed-by`,
  `migrate:environment`, `migrate:catalog-digest`) and the records (`migrate:applied-at`,
  `migrate:skip-gate`); a schedule is ours exactly when its group is.
* `ScheduleState`: one schedule. Its job is named by the task tags of its target
  (`EcsParameters.Tags`, Scheduler's form: a list of one-entry maps), as for rules; a
  guarded job's schedule starts the run guard's state machine, whose input names the job.

The cut-over record of a schedule (`migrate:cutover-at`, `aws/cutover.py`) is one of those
task tags. Scheduler tags no single schedule ("You can only assign tags to schedule groups",
TagResource), and one group tag per schedule would not scale (a group takes at most 200
tags, TagResource/CreateScheduleGroup; it holds thousands of schedules); a
`StartDate` cannot carry it either (Scheduler refuses one "earlier than 5 minutes ago", so
every later update would fail). A task tag lives in the schedule itself, survives every
`UpdateSchedule` that sends it back, and marks the tasks started after the cut-over (at most
50 task tags, botocore's model; migrate sets 2). It is a *record*, like a rule's record tags:
`from_live` moves it out of the compared `target` into `records`, and `params()` puts it
back, so an update by `migrate apply` keeps it. A guarded job's schedule (aws/guard/wrap.py)
has no ECS parameters: its record is a task tag of the task in its input (`task.Tags`), which
the run guard passes to RunTask the same way.

Limits from botocore's Scheduler model: names 1-64 of `[0-9a-zA-Z-_.]`, description <= 512,
expression <= 256 characters.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrate.aws.guard.payload import dump_input
from migrate.aws.state import RECORD_TAGS, TAG_JOB_ID, canonical_target, split_tags
from migrate.errors import MigrateError

SCHEDULE_NAME = re.compile(r"[0-9a-zA-Z\-_.]{1,64}")
MAX_EXPRESSION = 256
MAX_DESCRIPTION = 512
SCHEDULE_FIELDS = ("expression", "timezone", "state", "description", "target")


class ScheduleError(MigrateError, ValueError):
    """A schedule cannot be built within Scheduler's limits; the message names it."""


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def _guarded(t: Mapping[str, Any]) -> dict[str, Any] | None:
    """The execution input of a run guard target (aws/guard/wrap.py), else None."""
    if "EcsParameters" in t or ":states:" not in str(t.get("Arn", "")):
        return None
    try:
        body = json.loads(str(t.get("Input", "")))
    except ValueError:
        return None
    return body if isinstance(body, dict) and isinstance(body.get("task"), dict) else None


def _guarded_records(t: dict[str, Any], body: dict[str, Any], records: Mapping[str, str] | None
                     ) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """A run guard target's records are task tags of the job it starts (`task.Tags`, RunTask's
    `{Key, Value}` form, inside the input): split off (`records` None) or set."""
    task = body["task"]
    tags = [x for x in task.get("Tags") or [] if isinstance(x, dict)]
    found = tuple(sorted((str(x["Key"]), str(x["Value"])) for x in tags
                         if x.get("Key") in RECORD_TAGS))
    kept = [x for x in tags if x.get("Key") not in RECORD_TAGS]
    kept += [{"Key": k, "Value": v} for k, v in sorted((records or {}).items())]
    if found or records:  # else the text stays as it was written
        if kept:
            task["Tags"] = kept
        else:
            task.pop("Tags", None)
        t["Input"] = dump_input(body, body["time"])
    return t, found


def split_records(target: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                     tuple[tuple[str, str], ...]]:
    """(`target` without the record task tags, the records sorted by key)."""
    t = copy.deepcopy(dict(target))
    body = _guarded(t)
    if body is not None:
        return _guarded_records(t, body, None)
    ecs = t.get("EcsParameters")
    if not isinstance(ecs, dict) or not isinstance(ecs.get("Tags"), list):
        return t, ()
    tags: list[Any] = ecs["Tags"]
    records = {k: str(v) for e in tags if isinstance(e, dict) for k, v in e.items()
               if k in RECORD_TAGS}
    stripped = [{k: v for k, v in e.items() if k not in RECORD_TAGS}
                if isinstance(e, dict) else e for e in tags]
    kept = [e for e in stripped if e != {}]
    if kept:
        ecs["Tags"] = kept
    else:
        del ecs["Tags"]
    return t, tuple(sorted(records.items()))


def with_records(target: Mapping[str, Any], records: Mapping[str, str]) -> dict[str, Any]:
    """`target` with its record task tags replaced by `records` (appended, sorted by key)."""
    t, _ = split_records(target)
    body = _guarded(t)
    if body is not None:
        return _guarded_records(t, body, records)[0]
    if records and isinstance(t.get("EcsParameters"), dict):
        ecs = t["EcsParameters"]
        ecs["Tags"] = list(ecs.get("Tags") or []) + [{k: v} for k, v in sorted(records.items())]
    return t


@dataclass(frozen=True, slots=True)
class ScheduleGroupState:
    name: str
    tags: tuple[tuple[str, str], ...]
    records: tuple[tuple[str, str], ...] = ()
    arn: str | None = None  # live only
    kind = "schedule-group"

    @staticmethod
    def build(name: str, tags: Mapping[str, str], arn: str | None = None
              ) -> ScheduleGroupState:
        compared, records = split_tags(tags)
        return ScheduleGroupState(name, compared, records, arn)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @property
    def job_id(self) -> str:
        return ""

    def tag(self, key: str) -> str | None:
        return dict(self.tags + self.records).get(key)

    def differences(self, other: ScheduleGroupState) -> tuple[str, ...]:
        return ("tags",) if self.tags != other.tags else ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "tags": dict(self.tags),
                "records": dict(self.records)}

    def render(self) -> list[str]:
        return [f"schedule group {self.name}"] + [f"  tag {k}: {_j(v)}" for k, v in self.tags]


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """One schedule, desired or live, in canonical form (compared field by field)."""

    name: str
    group: str
    expression: str
    timezone: str
    state: str
    description: str
    target: str  # canonical JSON text
    kind = "schedule"
    tags: tuple[tuple[str, str], ...] = ()  # Scheduler tags no single schedule
    records: tuple[tuple[str, str], ...] = ()  # task tags that are records (cutover-at)

    @staticmethod
    def build(name: str, group: str, expression: str, timezone: str, state: str,
              text: str, target: Mapping[str, Any]) -> ScheduleState:
        for value, limit, what in ((expression, MAX_EXPRESSION, "expression"),
                                   (text, MAX_DESCRIPTION, "description")):
            if len(value) > limit:
                raise ScheduleError(f"schedule {name}: {what} longer than {limit} "
                                    "characters (Scheduler's limit)")
        if not SCHEDULE_NAME.fullmatch(name):
            raise ScheduleError(f"schedule name {name!r} is not 1-64 letters, digits, "
                                "'.', '-', '_' (fix the job name)")
        return ScheduleState(name, group, expression, timezone, state, text,
                             json.dumps(canonical_target(target), sort_keys=True))

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    @property
    def job_id(self) -> str:
        target = json.loads(self.target)
        tags = target.get("EcsParameters", {}).get("Tags", [])
        for entry in tags if isinstance(tags, list) else []:
            if isinstance(entry, Mapping) and TAG_JOB_ID in entry:
                return str(entry[TAG_JOB_ID])
        if ":states:" in str(target.get("Arn", "")):  # the run guard's input names the job
            try:
                body = json.loads(str(target.get("Input", "")))
            except ValueError:
                return ""
            return str(body.get("job", "")) if isinstance(body, Mapping) else ""
        return ""

    def tag(self, key: str) -> str | None:
        return dict(self.tags + self.records).get(key)

    def differences(self, other: ScheduleState) -> tuple[str, ...]:
        return tuple(f for f in SCHEDULE_FIELDS if getattr(self, f) != getattr(other, f))

    def params(self) -> dict[str, Any]:
        """`CreateSchedule` / `UpdateSchedule` parameters (UpdateSchedule replaces all), the
        records back among the target's task tags."""
        return {
            "Name": self.name,
            "GroupName": self.group,
            "ScheduleExpression": self.expression,
            "ScheduleExpressionTimezone": self.timezone,
            "State": self.state,
            "Description": self.description,
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": with_records(json.loads(self.target), dict(self.records)),
        }

    @staticmethod
    def from_live(item: Mapping[str, Any]) -> ScheduleState:
        """From a `GetSchedule` response (StartDate/EndDate are not desired state; the record
        task tags go to `records`)."""
        target, records = split_records(item["Target"])
        return ScheduleState(
            item["Name"], item.get("GroupName", "default"), item["ScheduleExpression"],
            item.get("ScheduleExpressionTimezone") or "UTC", item.get("State") or "ENABLED",
            item.get("Description") or "",
            json.dumps(canonical_target(target), sort_keys=True), records=records)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "group": self.group,
                "expression": self.expression, "timezone": self.timezone,
                "state": self.state, "description": self.description,
                "target": json.loads(self.target), "records": dict(self.records)}

    def render(self) -> list[str]:
        lines = [f"schedule {self.group}/{self.name}", f"  expression: {self.expression}",
                 f"  timezone: {self.timezone}", f"  state: {self.state}",
                 f"  description: {_j(self.description)}"]
        for k, v in sorted(json.loads(self.target).items()):
            lines.append(f"  target {k}: {_j(v)}")
        return lines
