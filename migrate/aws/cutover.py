"""The AWS half of a cut-over: find the owned rules of the chosen jobs, enable them and tag
them `migrate:cutover-at` (cut-over), or disable them and drop the tag (rollback).

Only rules migrate owns for the environment (`live.is_owned`) and that were applied from
the same catalog (`migrate:catalog-digest`) are touched. `migrate:cutover-at` is a record
tag (`state.RECORD_TAGS`): `migrate apply` keeps it, and keeps a cut-over rule ENABLED in a
shadow-mode (`state: DISABLED`) environment (`plan.make_plan`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from migrate.aws.calls import applied_at
from migrate.aws.clients import AwsError, Backoff, call, friendly
from migrate.aws.config import Environment
from migrate.aws.live import read_live
from migrate.aws.state import TAG_CUTOVER_AT, TAG_DIGEST, RuleState


class NotDeployed(AwsError):
    """A chosen job has no owned rule in the environment, or one from another catalog."""


def job_rules(events: Any, env: Environment, job_ids: Collection[str], digest: str,
              backoff: Backoff, workers: int = 8) -> dict[str, list[RuleState]]:
    """The owned rules of each job, checked: every job has at least one, all applied from
    the catalog of `digest`. Read-only."""
    live = read_live(events, env, (), backoff, workers)
    found: dict[str, list[RuleState]] = {j: [] for j in job_ids}
    for rule in live.owned.values():
        if rule.job_id in found:
            found[rule.job_id].append(rule)
    missing = sorted(j for j, rules in found.items() if not rules)
    if missing:
        raise NotDeployed(
            f"environment {env.name}: not deployed: {', '.join(missing)} (no rule migrate "
            f"owns for it); run `migrate apply --env {env.name}` first (in shadow mode, "
            "state: DISABLED, the rules exist without firing)")
    stale = sorted({r.name for rules in found.values() for r in rules
                    if r.tag(TAG_DIGEST) != digest})
    if stale:
        raise NotDeployed(
            f"environment {env.name}: {', '.join(stale)} applied from another catalog "
            f"(migrate:catalog-digest differs); run `migrate apply --env {env.name}` with "
            "this catalog first")
    return {j: sorted(rules, key=lambda r: r.name) for j, rules in found.items()}


def cut_over(rule: RuleState) -> bool:
    return rule.state == "ENABLED" and rule.tag(TAG_CUTOVER_AT) is not None


def set_cutover(events: Any, env: Environment, rules: Sequence[RuleState], enable: bool,
                now: datetime, backoff: Backoff) -> int:
    """Enable and tag (or disable and untag) each rule not already so; returns the calls."""
    calls = 0
    for rule in rules:
        where = f"environment {env.name}: rule {rule.name}"
        try:
            if enable and not cut_over(rule):
                if rule.state != "ENABLED":
                    call(events, "enable_rule", {"Name": rule.name}, backoff)
                    calls += 1
                call(events, "tag_resource", _tags(rule, {TAG_CUTOVER_AT: applied_at(now)}),
                     backoff)
                calls += 1
            elif not enable and (rule.state != "DISABLED" or rule.tag(TAG_CUTOVER_AT)):
                if rule.state != "DISABLED":
                    call(events, "disable_rule", {"Name": rule.name}, backoff)
                    calls += 1
                if rule.tag(TAG_CUTOVER_AT) is not None:
                    call(events, "untag_resource", {"ResourceARN": rule.arn or "",
                                                    "TagKeys": [TAG_CUTOVER_AT]}, backoff)
                    calls += 1
        except Exception as exc:
            raise friendly(exc, where) from None
    return calls


def _tags(rule: RuleState, tags: Mapping[str, str]) -> dict[str, Any]:
    return {"ResourceARN": rule.arn or "",
            "Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]}
