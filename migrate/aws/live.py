"""Live state: what the account has, read back into the same `RuleState` type as the desired
state. Read-only: nothing here changes the account.

* `resolve` checks what the rules will point at before anything changes: the cluster exists
  and is ACTIVE, every task definition exists and has the container whose command is
  overridden. It returns the ARNs the targets use.
* `read_live` lists every rule on the default event bus (the quota counts them all), reads
  the tags of every one of them, and the targets of those that are ours (tagged
  `migrate:managed-by=migrate` and `migrate:environment=<env>`, whatever their name: a rule
  left under an old `rule_prefix` is still ours) or are in the way of a desired rule. Tags
  and targets are read concurrently (`workers` threads).
* `read_topics` reads the alert topics that matter to the environment (the one migrate
  names `migrate-alerts-<env>`, and a topic given by ARN): attributes, tags and
  subscriptions. A topic is ours by the same two tags as a rule; its subscriptions are ours
  when it is (SNS subscriptions carry no tags).
* `read_schedules` reads the environment's schedule group (tags: ours or not) and every
  schedule in it (`GetSchedule`, concurrently), and counts the Region's schedules.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from migrate.aws.alerts import log_location
from migrate.aws.clients import AwsError, Backoff, call, error_code, friendly
from migrate.aws.config import Environment
from migrate.aws.desired import Resolved
from migrate.aws.preflight import TaskFacts
from migrate.aws.resources import Other, Resource, SubscriptionState, TopicState
from migrate.aws.schedule_state import ScheduleGroupState, ScheduleState
from migrate.aws.state import MANAGED_BY, TAG_ENVIRONMENT, TAG_MANAGED_BY, RuleState

T = TypeVar("T")
R = TypeVar("R")


class PreflightError(AwsError):
    """Something the rules would point at is missing (cluster, task definition, container)."""


@dataclass(frozen=True, slots=True)
class Live:
    owned: Mapping[str, RuleState]  # ours: managed by migrate for this environment
    foreign: Mapping[str, RuleState]  # not ours, but named like a desired rule
    total_rules: int  # every rule on the default event bus (for the quota)
    others: tuple[Other, ...] = ()  # ours, other kinds
    others_foreign: tuple[Other, ...] = ()
    total_schedules: int = 0  # every schedule in the Region (for the quota)

    def by_key(self) -> dict[tuple[str, str], Resource]:
        out: dict[tuple[str, str], Resource] = {r.key: r for r in self.owned.values()}
        out.update({r.key: r for r in self.others})
        return out

    def foreign_by_key(self) -> dict[tuple[str, str], Resource]:
        out: dict[tuple[str, str], Resource] = {r.key: r for r in self.foreign.values()}
        out.update({r.key: r for r in self.others_foreign})
        return out


def _pmap(fn: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def _family_arn(arn: str) -> str:
    """`arn:...:task-definition/family:3` -> `arn:...:task-definition/family`."""
    head, _, rev = arn.rpartition(":")
    return head if rev.isdigit() else arn


def resolve(ecs: Any, env: Environment, refs: Iterable[str], backoff: Backoff) -> Resolved:
    where = f"environment {env.name} ({env.region})"
    try:
        out = call(ecs, "describe_clusters", {"clusters": [env.cluster]}, backoff)
    except Exception as exc:
        raise friendly(exc, f"{where}: describing cluster {env.cluster}") from None
    clusters = [c for c in out.get("clusters", []) if c.get("status") == "ACTIVE"]
    if not clusters:
        raise PreflightError(f"{where}: cluster {env.cluster!r} not found or not ACTIVE")
    task_definitions: dict[str, str] = {}
    logs = ""
    facts: dict[str, TaskFacts] = {}
    for ref in refs:
        try:
            td = call(ecs, "describe_task_definition", {"taskDefinition": ref}, backoff)
        except ClientError as exc:
            if error_code(exc) in ("ClientException", "InvalidParameterException",
                                   "ResourceNotFoundException"):
                raise PreflightError(f"{where}: task definition {ref!r} not found") from None
            raise friendly(exc, f"{where}: describing task definition {ref}") from None
        except Exception as exc:
            raise friendly(exc, f"{where}: describing task definition {ref}") from None
        desc = td["taskDefinition"]
        if ref == env.task_definition:
            container: dict[str, Any] = next((c for c in desc.get("containerDefinitions", [])
                              if c.get("name") == env.container), {})
            logs = log_location(container.get("logConfiguration"), env.container, env.region)
        names = [c.get("name", "") for c in desc.get("containerDefinitions", [])]
        if env.container not in names:
            raise PreflightError(
                f"{where}: task definition {ref!r} has no container {env.container!r} "
                f"(containers: {', '.join(names) or 'none'})"
            )
        arn = str(desc["taskDefinitionArn"])
        pinned = ref.startswith("arn:") or ":" in ref
        task_definitions[ref] = arn if pinned else _family_arn(arn)
        facts[ref] = TaskFacts.of(desc)
    return Resolved(cluster_arn=str(clusters[0]["clusterArn"]), task_definitions=task_definitions,
                    logs=logs, task_facts=facts)


def _paged(client: Any, api: str, params: dict[str, Any], key: str, backoff: Backoff) -> list[
    dict[str, Any]
]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = call(client, api, {**params, **({"NextToken": token} if token else {})}, backoff)
        items += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return items


def is_owned(tags: Mapping[str, str], env_name: str) -> bool:
    return tags.get(TAG_MANAGED_BY) == MANAGED_BY and tags.get(TAG_ENVIRONMENT) == env_name


def read_live(
    events: Any,
    env: Environment,
    desired_names: Collection[str],
    backoff: Backoff,
    workers: int = 8,
) -> Live:
    where = f"environment {env.name} ({env.region})"
    try:
        rules = _paged(events, "list_rules", {"Limit": 100}, "Rules", backoff)
    except Exception as exc:
        raise friendly(exc, f"{where}: listing rules") from None
    wanted = set(desired_names)
    # Ownership is in the tags, not the name: every rule's tags are read, so rules this
    # environment owns under an old `rule_prefix` are found (as orphans) instead of firing
    # beside their renamed successors. (One ListTagsForResource per rule, `workers` at a time;
    # the Resource Groups Tagging API would need another permission and is only eventually
    # consistent.)
    candidates = rules

    def tags_of(rule: dict[str, Any]) -> dict[str, str] | None:
        try:
            out = call(events, "list_tags_for_resource", {"ResourceARN": rule["Arn"]}, backoff)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None  # deleted since it was listed
            raise friendly(exc, f"{where}: reading tags of {rule['Name']}") from None
        except Exception as exc:
            raise friendly(exc, f"{where}: reading tags of {rule['Name']}") from None
        return {t["Key"]: t.get("Value", "") for t in out.get("Tags", [])}

    tagged = [(r, t) for r, t in zip(candidates, _pmap(tags_of, candidates, workers),
                                     strict=True) if t is not None]
    relevant = [(r, t) for r, t in tagged if is_owned(t, env.name) or r["Name"] in wanted]

    def state_of(item: tuple[dict[str, Any], dict[str, str]]) -> RuleState | None:
        rule, tags = item
        try:
            targets = _paged(events, "list_targets_by_rule", {"Rule": rule["Name"]},
                             "Targets", backoff)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise friendly(exc, f"{where}: reading targets of {rule['Name']}") from None
        except Exception as exc:
            raise friendly(exc, f"{where}: reading targets of {rule['Name']}") from None
        return RuleState.build(
            rule["Name"], rule.get("ScheduleExpression", ""), rule.get("State", ""),
            rule.get("Description", ""), targets, tags, arn=rule["Arn"],
            pattern=rule.get("EventPattern", ""),
        )

    owned: dict[str, RuleState] = {}
    foreign: dict[str, RuleState] = {}
    for (_, tags), state in zip(relevant, _pmap(state_of, relevant, workers), strict=True):
        if state is None:
            continue
        if is_owned(tags, env.name):
            owned[state.name] = state
        else:
            foreign[state.name] = state
    return Live(owned=owned, foreign=foreign, total_rules=len(rules))


def read_topics(sns: Any, env: Environment, arns: Collection[str], backoff: Backoff
                ) -> tuple[list[Other], list[Other]]:
    """(ours, not ours) among the topics `arns` and their subscriptions; missing topics are
    left out."""
    where = f"environment {env.name} ({env.region})"
    owned: list[Other] = []
    foreign: list[Other] = []
    for arn in sorted(set(arns)):
        try:
            attrs = call(sns, "get_topic_attributes", {"TopicArn": arn}, backoff)["Attributes"]
            tags = call(sns, "list_tags_for_resource", {"ResourceArn": arn}, backoff)
            subs = _paged(sns, "list_subscriptions_by_topic", {"TopicArn": arn},
                          "Subscriptions", backoff)
        except ClientError as exc:
            if error_code(exc) in ("NotFound", "NotFoundException", "ResourceNotFound"):
                continue
            raise friendly(exc, f"{where}: reading SNS topic {arn}") from None
        except Exception as exc:
            raise friendly(exc, f"{where}: reading SNS topic {arn}") from None
        tag_map = {t["Key"]: t.get("Value", "") for t in tags.get("Tags", [])}
        topic = TopicState.build(arn.rsplit(":", 1)[-1], arn, attrs.get("Policy", ""), tag_map)
        side = owned if is_owned(tag_map, env.name) else foreign
        side.append(topic)
        side += [SubscriptionState(arn, s.get("Protocol", ""), s.get("Endpoint", ""),
                                   s.get("SubscriptionArn")) for s in subs]
    return owned, foreign


def read_schedules(scheduler: Any, env: Environment, group: str, backoff: Backoff,
                   workers: int = 8) -> tuple[list[Other], list[Other], int]:
    """(ours, not ours, schedules in the Region): the group `group` and its schedules."""
    where = f"environment {env.name} ({env.region})"
    try:
        total = len(_paged(scheduler, "list_schedules", {}, "Schedules", backoff))
        try:
            arn = call(scheduler, "get_schedule_group", {"Name": group}, backoff)["Arn"]
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return [], [], total
            raise
        tags = call(scheduler, "list_tags_for_resource", {"ResourceArn": arn}, backoff)
        items = _paged(scheduler, "list_schedules", {"GroupName": group}, "Schedules", backoff)
    except Exception as exc:
        raise friendly(exc, f"{where}: reading schedule group {group}") from None
    tag_map = {t["Key"]: t.get("Value", "") for t in tags.get("Tags", [])}

    def state_of(item: dict[str, Any]) -> ScheduleState | None:
        try:
            got = call(scheduler, "get_schedule", {"Name": item["Name"], "GroupName": group},
                       backoff)
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None  # deleted since it was listed
            raise friendly(exc, f"{where}: reading schedule {item['Name']}") from None
        except Exception as exc:
            raise friendly(exc, f"{where}: reading schedule {item['Name']}") from None
        return ScheduleState.from_live(got)

    found: list[Other] = [ScheduleGroupState.build(group, tag_map, arn)]
    found += [s for s in _pmap(state_of, items, workers) if s is not None]
    if is_owned(tag_map, env.name):
        return found, [], total
    return [], found, total
