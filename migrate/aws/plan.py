"""The plan: a plain value saying, resource by resource, what `apply` will do.

`make_plan(desired, live, env, digest, ...)` compares the two sides, kind by kind (rules,
the alert topic, its subscriptions: `resources.py`; each kind one canonical value type,
keyed by `(kind, name)`), and returns a `Plan` whose changes are ordered creates, updates,
deletes, then what apply leaves alone (conflicts, orphans, unchanged). Actions:

* `create`: desired, not in the account;
* `update`: ours and different (`fields` says which), or not ours but `--adopt` given;
* `delete`: ours, no longer desired, `--prune` given;
* `orphan`: ours, no longer desired, no `--prune` (left alone, reported); ownership is read
  from the tags of every rule on the bus, so this includes rules under an old `rule_prefix`
  (`outside_prefix`), which would otherwise keep firing beside their renamed successors;
* `conflict`: a rule of that name exists and is not ours (left alone unless `--adopt`);
* `unchanged`: ours and equal.

A subscription on a topic that is not ours (`alerts.topic` given as an ARN) is created when
missing and `unchanged` when present; other subscriptions of that topic are not listed. An
email subscription still pending confirmation cannot be removed (SNS drops it after three
days unconfirmed): it stays an orphan even with `--prune`.

Schedules (`service: scheduler | auto`): the schedule group is a resource like a topic; when
it exists and is not ours, every schedule of the plan is a `conflict` too (never written into
a group migrate did not create, unless `--adopt`). A job that moved between rules and
Scheduler deletes its old rule or schedule in the same apply even without `--prune`
(`Change.moved`; not counted against `--force`).

A job that `migrate cutover` cut over keeps every rule and schedule ENABLED with its
`migrate:cutover-at` record, also in a shadow-mode environment (`cutover_record.py`).

`errors` block an apply: the rule quota exceeded (default 300 per event bus; a warning from
80 % on), or more than `MAX_DELETES_WITHOUT_FORCE` deletions without `--force`.
`Plan.in_sync` is true when the account is exactly what the catalog says: `migrate plan`
exits 0 then, 1 when anything differs (including conflicts and orphans), 2 on errors.
`Plan.digest()` names a plan: `apply --plan-digest` applies only the plan that was reviewed
(`check_reviewed`).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from migrate.aws.config import Environment
from migrate.aws.cutover_record import cut_over_jobs, keep_cut_over
from migrate.aws.desired import Desired
from migrate.aws.guard.deploy import GuardCall
from migrate.aws.live import Live
from migrate.aws.preflight import Problem
from migrate.aws.resources import Resource, SubscriptionState
from migrate.aws.state import RuleState
from migrate.errors import MigrateError

Action = Literal["create", "update", "delete", "orphan", "conflict", "unchanged"]
ACTIONS: tuple[Action, ...] = ("create", "update", "delete", "orphan", "conflict", "unchanged")
CHANGING: tuple[Action, ...] = ("create", "update", "delete")
MAX_DELETES_WITHOUT_FORCE = 5
QUOTA_WARN_FRACTION = 0.8


@dataclass(frozen=True, slots=True)
class Change:
    action: Action
    name: str
    job_id: str
    desired: Resource | None
    live: Resource | None
    fields: tuple[str, ...] = ()
    adopt: bool = False
    moved: bool = False  # a delete because the job moved to the other service
    outside_prefix: bool = False  # ours, but not named with the environment's rule_prefix

    @property
    def kind(self) -> str:
        r = self.desired if self.desired is not None else self.live
        return r.kind if r is not None else "rule"

    def diff(self) -> list[str]:
        """The rule's canonical rendering, live -> desired, as `-`/`+`/` ` lines."""
        before = self.live.render() if self.live is not None else []
        after = self.desired.render() if self.desired is not None else []
        if self.action in ("orphan", "unchanged"):
            return [f" {x}" for x in before]
        lines = list(difflib.unified_diff(before, after, lineterm="", n=10_000))
        return [x for x in lines[2:] if not x.startswith("@@")] or [f" {x}" for x in after]

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "name": self.name,
            "job_id": self.job_id,
            "fields": list(self.fields),
            "adopt": self.adopt,
            **({"moved": True} if self.moved else {}),
            **({"outside_prefix": True} if self.outside_prefix else {}),
            "desired": None if self.desired is None else self.desired.to_dict(),
            "live": None if self.live is None else self.live.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Plan:
    environment: str
    region: str
    catalog_digest: str
    changes: tuple[Change, ...]
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    rules_after: int = 0
    rule_quota: int = 0
    guarded: tuple[str, ...] = ()  # jobs started through the run guard (desired.guarded)
    failures_go: tuple[str, ...] = ()  # jobs with MAILTO: where their failures go now
    on_scheduler: tuple[str, ...] = ()  # "job: why" for jobs deployed as schedules
    schedules_after: int = 0
    schedule_quota: int = 0
    # the run guard's own resources (aws/guard/planning.py): calls creating or updating them
    # before the rules, calls deleting them (--prune) after, and the unused ones kept
    guard: tuple[GuardCall, ...] = ()
    guard_removals: tuple[GuardCall, ...] = ()
    guard_orphans: tuple[str, ...] = ()

    def of(self, action: Action) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    def counts(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ACTIONS}

    @property
    def has_changes(self) -> bool:
        """Apply would call AWS."""
        return bool(self.guard or self.guard_removals) or any(
            c.action in CHANGING for c in self.changes)

    @property
    def in_sync(self) -> bool:
        return not (self.errors or self.guard or self.guard_removals or self.guard_orphans) \
            and all(c.action == "unchanged" for c in self.changes)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 0 if self.in_sync else 1

    def summary(self) -> str:
        c = self.counts()
        text = (f"{c['create']} to create, {c['update']} to update, {c['delete']} to delete, "
                f"{c['unchanged']} unchanged")
        if c["conflict"]:
            text += f", {c['conflict']} not ours (left alone)"
        if c["orphan"]:
            text += f", {c['orphan']} no longer in the catalog (kept; --prune deletes)"
        if self.guard:
            text += f", {len(self.guard)} run guard calls (table, roles, state machine)"
        if self.guard_removals:
            text += f", {len(self.guard_orphans)} run guard resources no longer used (deleted)"
        elif self.guard_orphans:
            text += (f", {len(self.guard_orphans)} run guard resources no longer used (kept; "
                     "--prune deletes)")
        return text

    def digest(self) -> str:
        """sha256 of the plan's canonical rendering (`to_dict` without the digest, keys
        sorted): every change with both sides, the counts, warnings and errors. Two plans
        of the same catalog, flags and account have the same digest; `apply --plan-digest`
        refuses when the plan it computes has another one."""
        return hashlib.sha256(
            json.dumps(self._canonical(), sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        d = self._canonical()
        d["plan_digest"] = self.digest()
        return d

    def _canonical(self) -> dict[str, Any]:
        d = {
            "environment": self.environment,
            "region": self.region,
            "catalog_digest": self.catalog_digest,
            "summary": self.counts(),
            "rules_after": self.rules_after,
            "rule_quota": self.rule_quota,
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "skipped": list(self.skipped),
            "changes": [c.to_dict() for c in self.changes],
            **({"guarded": list(self.guarded)} if self.guarded else {}),
            **({"guard": [{"service": g.service, "api": g.api, "params": dict(g.params)}
                          for g in self.guard]} if self.guard else {}),
            **({"guard_removals": [{"service": g.service, "api": g.api,
                                    "params": dict(g.params)} for g in self.guard_removals]}
               if self.guard_removals else {}),
            **({"guard_orphans": list(self.guard_orphans)} if self.guard_orphans else {}),
        }
        if self.failures_go:
            d["failures_go"] = list(self.failures_go)
        if self.on_scheduler or self.schedules_after:
            d["on_scheduler"] = list(self.on_scheduler)
            d["schedules_after"] = self.schedules_after
            d["schedule_quota"] = self.schedule_quota
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


class PlanChanged(MigrateError):
    """`apply --plan-digest`: the plan computed now is not the plan that was reviewed."""


def check_reviewed(plan: Plan, reviewed: str) -> None:
    """Refuse (`PlanChanged`) unless `plan` is the reviewed plan of digest `reviewed`
    (octoDNS's `--checksum`): the catalog, the flags or the account changed since."""
    now = plan.digest()
    if now != reviewed.lower():
        raise PlanChanged(
            f"the plan for {plan.environment} changed since it was reviewed: reviewed plan "
            f"digest {reviewed}, plan now {now}; run `migrate plan --env {plan.environment}` "
            "again, review it, and apply with its digest")


def refused_plan(env: Environment, digest: str, problems: Sequence[Problem]) -> Plan:
    """The plan of an environment whose preflight failed: its problems, no changes (nothing
    was read from AWS)."""
    return with_problems(Plan(environment=env.name, region=env.region, catalog_digest=digest,
                              changes=(), rule_quota=env.rule_quota), problems)


def with_problems(plan: Plan, problems: Sequence[Problem], request_errors: Sequence[str] = ()
                  ) -> Plan:
    """`plan` with the preflight problems before its own errors and warnings, and the
    request bodies' problems (`requests.py`) as errors."""
    errs = [str(p) for p in problems if p.severity == "error"]
    warns = [str(p) for p in problems if p.severity == "warning"]
    return replace(plan, errors=tuple(errs) + tuple(request_errors) + plan.errors,
                   warnings=tuple(warns) + plan.warnings)


def make_plan(
    desired: Desired,
    live: Live,
    env: Environment,
    digest: str,
    *,
    prune: bool = False,
    adopt: bool = False,
    force: bool = False,
) -> Plan:
    creates: list[Change] = []
    updates: list[Change] = []
    conflicts: list[Change] = []
    unchanged: list[Change] = []
    owned = live.by_key()
    foreign = live.foreign_by_key()
    cut = cut_over_jobs(owned.values())
    for res in desired.resources:
        job_id = desired.jobs.get(res.name, res.job_id)
        mine = owned.get(res.key)
        other = foreign.get(res.key)
        res = keep_cut_over(res, mine, cut)  # shadow mode ended for a cut-over job
        if mine is not None:
            fields = mine.differences(res)  # type: ignore[arg-type]  # same kind by key
            bucket = updates if fields else unchanged
            bucket.append(Change("update" if fields else "unchanged", res.name, job_id, res,
                                 mine, fields))
        elif other is not None and isinstance(res, SubscriptionState):
            unchanged.append(Change("unchanged", res.name, job_id, res, other))
        elif other is not None:
            if adopt:
                updates.append(Change("update", res.name, job_id, res, other,
                                      other.differences(res), adopt=True))  # type: ignore[arg-type]
            else:
                conflicts.append(Change("conflict", res.name, job_id, res, other))
        else:
            creates.append(Change("create", res.name, job_id, res, None, _all_fields(res)))
    group_conflict = any(c.kind == "schedule-group" for c in conflicts)
    if group_conflict:  # a group migrate did not create is never written to (--adopt does)
        conflicts += [c for c in creates if c.kind == "schedule"]
        creates = [c for c in creates if c.kind != "schedule"]
        conflicts = [dataclasses.replace(c, action="conflict") for c in conflicts]
    wanted = {r.key for r in desired.resources}
    stale = [owned[k] for k in sorted(owned) if k not in wanted]
    # A job that moved between rules and Scheduler: its old resources go in the same apply,
    # with or without --prune (calls.py switches both at once, see README).
    new_home = {r.job_id: r.kind for r in desired.resources
                if r.kind in ("rule", "schedule") and r.job_id}
    landing = {c.job_id for c in creates + updates + unchanged
               if c.kind in ("rule", "schedule")}
    removals = []
    for r in stale:
        pending = isinstance(r, SubscriptionState) and r.pending
        moved = (r.kind in ("rule", "schedule") and bool(r.job_id)
                 and new_home.get(r.job_id, r.kind) != r.kind and r.job_id in landing)
        act: Action = "delete" if (prune or moved) and not pending else "orphan"
        removals.append(Change(act, r.name, r.job_id, None, r, moved=moved,
                               outside_prefix=isinstance(r, RuleState)
                               and not r.name.startswith(env.rule_prefix)))

    warnings: list[str] = []
    errors: list[str] = []
    deletes = sum(1 for c in removals if c.action == "delete" and not c.moved)
    rule_deletes = sum(1 for c in removals if c.action == "delete" and c.kind == "rule"
                       and not c.moved)
    moved_rules = sum(1 for c in removals if c.moved and c.kind == "rule")
    after = (live.total_rules + sum(1 for c in creates if c.kind == "rule") - rule_deletes
             - moved_rules)
    schedules_after = (live.total_schedules + sum(1 for c in creates if c.kind == "schedule")
                       - sum(1 for c in removals if c.action == "delete"
                             and c.kind == "schedule"))
    where = f"environment {env.name} ({env.region})"
    if after > env.rule_quota:
        errors.append(
            f"{where}: {after} rules on the default event bus after this apply, over the quota "
            f"of {env.rule_quota}; request an increase (Service Quotas: EventBridge rules per "
            "event bus) and set rule_quota in migrate.yaml"
        )
    elif after >= QUOTA_WARN_FRACTION * env.rule_quota:
        warnings.append(
            f"{where}: {after} of {env.rule_quota} rules on the default event bus after this "
            f"apply ({100 * after // env.rule_quota}% of the quota)"
        )
    if schedules_after > env.schedule_quota:
        errors.append(
            f"{where}: {schedules_after} EventBridge Scheduler schedules in the Region after "
            f"this apply, over the quota of {env.schedule_quota}; request an increase "
            "(Service Quotas: EventBridge Scheduler, Number of schedules) and set "
            "schedule_quota in migrate.yaml")
    if deletes > MAX_DELETES_WITHOUT_FORCE and not force:
        what = "rules" if deletes == rule_deletes else "resources"
        errors.append(f"{where}: {deletes} {what} would be deleted; more than "
                      f"{MAX_DELETES_WITHOUT_FORCE} deletions need --force")
    if conflicts:
        warnings.append(
            f"{where}: {len(conflicts)} rule(s) exist with a desired name but are not managed "
            f"by migrate for this environment and are left alone (--adopt takes them over): "
            + ", ".join(c.name for c in conflicts)
        )
    order: Sequence[Change] = creates + updates + [c for c in removals if c.action == "delete"]
    rest = conflicts + [c for c in removals if c.action == "orphan"] + unchanged
    return Plan(
        environment=env.name,
        region=env.region,
        catalog_digest=digest,
        changes=tuple(order) + tuple(rest),
        warnings=tuple(warnings),
        errors=tuple(errors),
        skipped=desired.skipped,
        guarded=desired.guarded,
        rules_after=after,
        rule_quota=env.rule_quota,
        failures_go=desired.failures_go,
        on_scheduler=desired.on_scheduler,
        schedules_after=schedules_after if desired.group is not None or live.others else 0,
        schedule_quota=env.schedule_quota,
    )


def _all_fields(res: Resource) -> tuple[str, ...]:
    if res.kind == "rule":
        return ("schedule", "state", "description", "targets", "tags")
    if res.kind == "topic":
        return ("policy", "tags")
    if res.kind == "schedule-group":
        return ("tags",)
    if res.kind == "schedule":
        return ("expression", "timezone", "state", "description", "target")
    return ()
