"""The staging-first promotion gate, read from the ownership tags staging's rules carry.

`check_gate(env, source_plan, digest, now, skip_reason)` decides whether a gated environment
(one with `promote_after`; `production` always) may be applied. `source_plan` is the plan of
the same catalog against the environment it promotes from (`promote_from`, default
`staging`), read live just before. The gate passes when

1. staging has rules for this catalog and none of them is in the way (no conflicts);
2. each of them carries `migrate:catalog-digest` equal to this catalog's digest;
3. staging is exactly this catalog: nothing to create or update there (orphans, i.e. old
   rules not yet pruned, do not block);
4. the newest `migrate:applied-at` among them is at least `promote_after` before `now`:
   the whole catalog has been live in staging that long.

With `promote_requires: healthy` (production's default when promote_after > 0) the gate
also asks for evidence (`check_evidence`): `migrate status` of the source environment over
the `promote_after` window (from the newest staging apply at the earliest) must show every
job of this catalog triggered as expected, no failed invocations and no failure alerts; the
refusal lists the jobs missing runs or failing. No data at all is a refusal too.

`--skip-staging-gate "reason"` lets the apply through anyway; the reason is recorded as the
`migrate:skip-gate` tag on every production rule the apply writes, so it must be a valid tag
value: 1-256 letters, digits, spaces and `. : + = @ _ / -`. Anything else is refused before
any AWS call, never rewritten (the tag is the audit record: it says what the operator typed).

Schedules: Scheduler tags the group, not single schedules, so the group's digest and
applied-at vouch for them, and any schedule staging would still create or update (or cannot,
its group not being ours) means staging is not in sync. So does any run guard resource
(state machine, roles, lock table) staging would still create or update.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from migrate.aws.clients import AwsError
from migrate.aws.config import Environment, format_duration
from migrate.aws.plan import Change, Plan
from migrate.aws.preflight import skip_reason_problem
from migrate.aws.schedule_state import ScheduleGroupState, ScheduleState
from migrate.aws.state import MAX_TAG_VALUE, TAG_APPLIED_AT, TAG_DIGEST, TAG_SKIP_GATE, RuleState
from migrate.aws.status import StatusReport


class GateRefused(AwsError):
    """The gated environment may not be applied yet; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class GateResult:
    message: str
    skipped_reason: str | None = None


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def check_skip_reason(reason: str) -> None:
    """Raise GateRefused when `reason` cannot be the `migrate:skip-gate` tag value as typed."""
    why = skip_reason_problem(reason)
    if why is not None:
        raise GateRefused(f"--skip-staging-gate needs a reason of 1-{MAX_TAG_VALUE} characters "
                          f"that fits a tag value (it is recorded as the {TAG_SKIP_GATE} tag "
                          f"on the rules): {why}")


def check_gate(
    env: Environment,
    source_plan: Plan | None,
    digest: str,
    now: datetime,
    skip_reason: str | None = None,
) -> GateResult:
    """Raise GateRefused, or return why the apply may go ahead."""
    src = env.promote_from or "staging"
    if skip_reason is not None:
        check_skip_reason(skip_reason)
        return GateResult(f"{src} gate skipped: {skip_reason}", skip_reason)
    if not env.gated:
        return GateResult(f"environment {env.name} is not gated")
    promote_after = env.promote_after or timedelta(0)
    hint = f"apply this catalog to {src} first (migrate apply --env {src})"
    if source_plan is None:
        raise GateRefused(f"environment {env.name} promotes from {src!r}, which is not in the "
                          "config; define it or pass --skip-staging-gate REASON")
    if source_plan.errors:  # e.g. its preflight failed: it was not even read
        raise GateRefused(f"{src} cannot vouch for this catalog, its plan has errors "
                          f"({source_plan.errors[0]}): fix them and {hint}")
    rules = _vouchers(source_plan)
    waiting = [c.name for c in source_plan.changes if isinstance(c.desired, ScheduleState)
               and c.action in ("create", "update", "conflict")]
    # the run guard's machine, roles or table still to create or update there
    waiting += [f"run guard ({g.api} {g.service})" for g in source_plan.guard]
    if not rules:
        raise GateRefused(f"this catalog deploys no rules to {src}, so {src} cannot vouch for "
                          "it; pass --skip-staging-gate REASON")
    if all(c.action == "create" for c in rules):
        raise GateRefused(f"{src} has no rules for this catalog: {hint}")
    conflicts = [c.name for c in rules if c.action == "conflict"]
    if conflicts:
        raise GateRefused(f"{src} has rules not managed by migrate in the way of this catalog "
                          f"({', '.join(conflicts[:3])}): resolve them in {src} first")
    carried = sorted({c.live.tag(TAG_DIGEST) or "none" for c in rules
                      if isinstance(c.live, RuleState | ScheduleGroupState)})
    other = [d for d in carried if d != digest]
    if other:
        raise GateRefused(f"{src} rules carry catalog digest {other[0][:12]}, this catalog is "
                          f"{digest[:12]}: {hint}")
    missing = [c.name for c in rules if c.action == "create"]
    changed = [c.name for c in rules if c.action == "update"] + waiting
    if missing or changed:
        raise GateRefused(f"{src} is not in sync with this catalog ({len(missing)} rules to "
                          f"create, {len(changed)} to update): {hint}")
    times = [_parse_time(c.live.tag(TAG_APPLIED_AT)) for c in rules
             if isinstance(c.live, RuleState | ScheduleGroupState)]
    if any(t is None for t in times):
        raise GateRefused(f"{src} rules carry no readable {TAG_APPLIED_AT} tag: {hint}")
    latest = max(t for t in times if t is not None)
    ran = now - latest
    if ran < promote_after:
        ready = (latest + promote_after).strftime("%Y-%m-%dT%H:%M:%SZ")
        raise GateRefused(
            f"{src} has run this catalog for {format_duration(max(ran, timedelta(0)))} "
            f"(since {latest.strftime('%Y-%m-%dT%H:%M:%SZ')}); {env.name} needs "
            f"{format_duration(promote_after)} (promote_after): wait until {ready} or pass "
            "--skip-staging-gate REASON"
        )
    return GateResult(f"{src} has run catalog {digest[:12]} for {format_duration(ran)} "
                      f"(promote_after {format_duration(promote_after)}): gate passed")


def _vouchers(plan: Plan) -> list[Change]:
    """The catalog's job rules (not the alert rule) and its schedule group: they carry the
    digest and applied-at tags (Scheduler tags the group, not single schedules)."""
    return [c for c in plan.changes
            if (isinstance(c.desired, RuleState) and c.job_id
                and (c.live is None or isinstance(c.live, RuleState)))
            or (isinstance(c.desired, ScheduleGroupState) and any(
                isinstance(x.desired, ScheduleState) for x in plan.changes))]


def newest_apply(plan: Plan) -> datetime | None:
    """The newest `migrate:applied-at` among the plan's live job rules and schedule group."""
    times = [_parse_time(c.live.tag(TAG_APPLIED_AT)) for c in _vouchers(plan)
             if isinstance(c.live, RuleState | ScheduleGroupState)]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def check_evidence(env: Environment, report: StatusReport, job_ids: Collection[str],
                   passed: GateResult) -> GateResult:
    """Raise GateRefused unless `report` (status of the source environment over the
    promote_after window) vouches for every job in `job_ids`."""
    src = report.environment
    span = f"{report.start:%Y-%m-%dT%H:%MZ} .. {report.end:%Y-%m-%dT%H:%MZ}"
    if not report.any_data:
        raise GateRefused(f"{src} shows no evidence: CloudWatch has no AWS/Events data for its "
                          f"rules in {span} (promote_requires: healthy); check `migrate status "
                          f"--env {src}` or pass --skip-staging-gate REASON")
    seen = {j.job_id for j in report.jobs}
    bad = [f"{j.name} ({j.verdict})" for j in report.jobs if j.job_id in job_ids and not j.ok]
    bad += [f"{i} (not deployed in {src})" for i in sorted(set(job_ids) - seen)]
    problems = []
    if bad:
        problems.append(f"{len(bad)} jobs not as expected: " + ", ".join(bad[:20])
                        + (f" and {len(bad) - 20} more" if len(bad) > 20 else ""))
    if report.failures:
        problems.append(f"{report.failures} failure alerts")
    if report.undelivered:
        problems.append(f"{report.undelivered} alerts not delivered")
    if problems:
        raise GateRefused(f"{src} is not healthy over {span} (promote_requires: healthy): "
                          + "; ".join(problems) + f". See `migrate status --env {src}`; fix, "
                          "or pass --skip-staging-gate REASON")
    return GateResult(f"{passed.message}; {src} healthy over {span}: all {len(job_ids)} jobs "
                      "ran as expected, no failures")
