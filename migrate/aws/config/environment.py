"""One environment's settings -> `Environment`: where it runs (endpoint, role), how its tasks
launch (`launch.py`), how its rules are named and tagged, how failed invocations are retried,
whether it is gated behind another environment (and on what evidence: `promote_requires`),
and where failure alerts go (`alerts:`, read by `aws/alerts_config.py`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from migrate.aws.alerts_config import read_alerts
from migrate.aws.config.launch import read_launch
from migrate.aws.config.model import (
    DEFAULT_SCHEDULE_QUOTA,
    EMBEDDED,
    MAX_USER_TAGS,
    PROMOTE_REQUIRES,
    RESERVED_TAG_PREFIXES,
    RULE_NAME_CHARS,
    SERVICES,
    STATES,
    Environment,
    Retry,
    default_rule_quota,
    parse_duration,
)
from migrate.aws.config.reader import Reader
from migrate.aws.guard.settings import read_guard

KEYS = {
    "region", "endpoint", "cluster", "task_definition", "container", "launch_type",
    "capacity_provider_strategy", "platform_version", "subnets", "security_groups",
    "assign_public_ip", "role_arn", "rule_prefix", "state", "tags", "retry",
    "dead_letter_queue", "promote_after", "promote_from", "rule_quota", "alerts", "guard",
    "promote_requires", "service", "scheduler_role_arn", "schedule_quota",
}


@dataclass(frozen=True, slots=True)
class _Gate:
    promote_after: timedelta | None
    promote_from: str | None
    promote_requires: str


def _tags(d: Mapping[str, Any], r: Reader) -> tuple[tuple[str, str], ...]:
    tags_raw = d.get("tags") or {}
    if not isinstance(tags_raw, Mapping):
        raise r.error(r.key("tags"), "a mapping of tag names to values", tags_raw)
    tags: list[tuple[str, str]] = []
    for k, v in tags_raw.items():
        tk = f"{r.key('tags')}.{k}"
        # `aws:` is reserved in any case (`AWS:`, `Aws:`): EventBridge User Guide, "Tagging
        # resources" (eb-tagging.html): "The aws: prefix is prohibited for tags".
        if not isinstance(k, str) or not 0 < len(k) <= 128 or k.lower().startswith(
            RESERVED_TAG_PREFIXES
        ):
            raise r.error(tk, "a tag name of 1-128 characters not starting with 'migrate:' "
                          "or 'aws:'", k)
        if isinstance(v, bool) or not isinstance(v, str | int | float) or len(str(v)) > 256:
            raise r.error(tk, "a tag value (string of at most 256 characters)", v)
        tags.append((k, str(v)))
    if len(tags) > MAX_USER_TAGS:
        raise r.error(r.key("tags"), f"at most {MAX_USER_TAGS} tags (EventBridge allows 50 per "
                      "rule; migrate adds its own 6)", f"{len(tags)} tags")
    return tuple(sorted(tags))


def _retry(d: Mapping[str, Any], r: Reader) -> Retry | None:
    raw = d.get("retry")
    if raw is None:
        return None
    rk = r.key("retry")
    if not isinstance(raw, Mapping) or set(raw) - {
        "maximum_attempts", "maximum_event_age_seconds"
    }:
        raise r.error(rk, "a mapping with maximum_attempts and maximum_event_age_seconds", raw)
    return Retry(
        r.int_(raw.get("maximum_attempts", 185), f"{rk}.maximum_attempts", 0, 185),
        r.int_(raw.get("maximum_event_age_seconds", 86400),
               f"{rk}.maximum_event_age_seconds", 60, 86400),
    )


def _dead_letter_queue(d: Mapping[str, Any], r: Reader) -> str | None:
    dlq = r.str_(d, "dead_letter_queue")
    if dlq is not None and not dlq.startswith("arn:"):
        raise r.error(r.key("dead_letter_queue"), "an SQS queue ARN", dlq)
    return dlq


def _gate(name: str, d: Mapping[str, Any], r: Reader) -> _Gate:
    """Gated when promote_after or promote_from is set, or the environment is `production`."""
    promote_after = None
    pa = d.get("promote_after")
    if pa is not None:
        try:
            promote_after = parse_duration(str(pa))
        except ValueError:
            raise r.error(r.key("promote_after"),
                          "a duration such as 24h, 30m, 7d or 1d12h", pa) from None
    promote_from = r.str_(d, "promote_from")
    if promote_after is None and (promote_from is not None or name == "production"):
        promote_after = timedelta(0)
    if promote_after is not None and promote_from is None:
        promote_from = "staging"
    if promote_from == name:
        raise r.error(r.key("promote_from"), "another environment's name", promote_from)
    requires = d.get("promote_requires")
    if requires is not None and requires not in PROMOTE_REQUIRES:
        raise r.error(r.key("promote_requires"), "applied or healthy", requires)
    if requires is not None and promote_after is None:
        raise r.error(r.key("promote_requires"), "promote_requires only on a gated environment "
                      "(one with promote_after or promote_from)", got=False)
    if requires == "healthy" and not promote_after:
        raise r.error(r.key("promote_requires"), "healthy needs promote_after longer than 0 "
                      "(the window staging's evidence is read over)", got=False)
    if requires is None:
        requires = "healthy" if name == "production" and promote_after else "applied"
    return _Gate(promote_after, promote_from, requires)


def read_environment(name: str, d: Mapping[str, Any], r: Reader) -> Environment:
    for k in d:
        if k not in KEYS:
            raise r.error(r.key(k), "a known setting (" + ", ".join(sorted(KEYS)) + ")",
                          got=False)
    region = r.str_(d, "region", required=True)
    endpoint = r.str_(d, "endpoint")
    if endpoint is not None and endpoint != EMBEDDED and not re.match(r"https?://", endpoint):
        raise r.error(r.key("endpoint"), "'embedded' or an http(s):// URL", endpoint)
    role_arn = r.str_(d, "role_arn", required=True)
    assert role_arn is not None and region is not None
    if not role_arn.startswith("arn:"):
        raise r.error(r.key("role_arn"), "an IAM role ARN (arn:aws:iam::...:role/...)", role_arn)
    launch = read_launch(d, r)
    prefix = d.get("rule_prefix", "")
    if not isinstance(prefix, str) or not RULE_NAME_CHARS.fullmatch(prefix) or len(prefix) > 32:
        raise r.error(r.key("rule_prefix"),
                      "up to 32 characters of letters, digits, '.', '-', '_'", prefix)
    state = d.get("state", "ENABLED")
    if state not in STATES:
        raise r.error(r.key("state"), "ENABLED or DISABLED", state)
    tags = _tags(d, r)
    retry = _retry(d, r)
    dlq = _dead_letter_queue(d, r)
    gate = _gate(name, d, r)
    quota = r.int_(d.get("rule_quota", default_rule_quota(region)), r.key("rule_quota"), 1,
                   100000)
    service = d.get("service", "rules")
    if service not in SERVICES:
        raise r.error(r.key("service"), "rules, scheduler or auto", service)
    scheduler_role = r.str_(d, "scheduler_role_arn")
    if scheduler_role is not None and not scheduler_role.startswith("arn:"):
        raise r.error(r.key("scheduler_role_arn"), "an IAM role ARN", scheduler_role)
    return Environment(
        name=name,
        region=region,
        cluster=r.str_(d, "cluster", required=True) or "",
        task_definition=r.str_(d, "task_definition", required=True) or "",
        container=r.str_(d, "container", required=True) or "",
        role_arn=role_arn,
        launch_type=launch.launch_type,
        capacity_provider_strategy=launch.capacity_provider_strategy,
        platform_version=launch.platform_version,
        subnets=launch.subnets,
        security_groups=launch.security_groups,
        assign_public_ip=launch.assign_public_ip,
        rule_prefix=prefix,
        state=state,
        tags=tags,
        retry=retry,
        dead_letter_queue=dlq,
        promote_after=gate.promote_after,
        promote_from=gate.promote_from,
        rule_quota=quota,
        endpoint=endpoint,
        guard=read_guard(d.get("guard"), r.key("guard"), r.error, name, parse_duration),
        alerts=read_alerts(d.get("alerts"), r.key("alerts"), r.error, region),
        promote_requires=gate.promote_requires,
        service=service,
        scheduler_role_arn=scheduler_role,
        schedule_quota=r.int_(d.get("schedule_quota", DEFAULT_SCHEDULE_QUOTA),
                              r.key("schedule_quota"), 1, 10**12),
    )
