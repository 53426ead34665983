"""The plan as a value: computed from two RuleState sides without any AWS call."""

from __future__ import annotations

import dataclasses
import json

import pytest
from aws_helpers import NOW, catalog, config
from test_aws_desired import RESOLVED

from migrate.aws.calls import plan_steps
from migrate.aws.desired import Desired, desired_state
from migrate.aws.live import Live
from migrate.aws.plan import Plan, make_plan
from migrate.aws.plan_output import render_markdown, render_text
from migrate.aws.state import TAG_APPLIED_AT, TAG_MANAGED_BY, TAG_SKIP_GATE, RuleState

ENV = config().environment("staging")


def _desired() -> tuple[Desired, str]:
    cat, digest = catalog()
    return desired_state(cat.jobs, ENV, RESOLVED, digest), digest


def _as_live(rule: RuleState, applied: str = "2026-11-01T00:00:00Z") -> RuleState:
    return dataclasses.replace(rule, records=((TAG_APPLIED_AT, applied),),
                               arn=f"arn:aws:events:ap-northeast-1:123456789012:rule/{rule.name}")


def _live(rules: list[RuleState], foreign: tuple[RuleState, ...] = (),
          total: int | None = None) -> Live:
    return Live(owned={r.name: r for r in rules}, foreign={r.name: r for r in foreign},
                total_rules=len(rules) + len(foreign) if total is None else total)


def test_nothing_live_means_every_rule_is_a_create() -> None:
    desired, digest = _desired()
    plan = make_plan(desired, _live([]), ENV, digest)
    assert [c.action for c in plan.changes] == ["create"] * 7
    assert plan.has_changes and not plan.in_sync and plan.exit_code == 1
    assert plan.summary() == "7 to create, 0 to update, 0 to delete, 0 unchanged"


def test_equal_sides_are_unchanged_and_records_are_not_compared() -> None:
    desired, digest = _desired()
    live = [_as_live(r) for r in desired.rules]
    live[0] = dataclasses.replace(live[0], records=((TAG_APPLIED_AT, "x"), (TAG_SKIP_GATE, "y")))
    plan = make_plan(desired, _live(live), ENV, digest)
    assert {c.action for c in plan.changes} == {"unchanged"}
    assert plan.in_sync and plan.exit_code == 0 and plan_steps(plan, NOW) == ()


def test_each_field_difference_is_an_update_naming_the_field() -> None:
    desired, digest = _desired()
    live = [_as_live(r) for r in desired.rules]
    live[0] = dataclasses.replace(live[0], schedule="cron(0 18 * * ? *)")
    target = live[1].target_dicts()[0]
    target["Input"] = target["Input"].replace("gzip", "bzip2")
    live[1] = RuleState.build(live[1].name, live[1].schedule, live[1].state,
                              live[1].description, [target],
                              dict(live[1].tags + live[1].records), live[1].arn)
    live[2] = dataclasses.replace(live[2], tags=live[2].tags + (("extra", "1"),))
    plan = make_plan(desired, _live(live), ENV, digest)
    updates = {c.name: c.fields for c in plan.of("update")}
    assert updates == {"stg-backup-db": ("schedule",), "stg-monthly-report": ("targets",),
                       "stg-monthly-report-2": ("tags",)}
    diff = plan.of("update")[0].diff()
    assert "-  schedule: cron(0 18 * * ? *)" in diff and "+  schedule: cron(0 17 * * ? *)" in diff


def test_rules_no_longer_desired_are_orphans_unless_pruned_and_many_need_force() -> None:
    desired, digest = _desired()
    live = [_as_live(r) for r in desired.rules]
    old = [_as_live(dataclasses.replace(desired.rules[0], name=f"stg-old-{i}")) for i in range(6)]
    plan = make_plan(desired, _live(live + old), ENV, digest)
    assert [c.name for c in plan.of("orphan")] == [f"stg-old-{i}" for i in range(6)]
    assert not plan.has_changes and plan.exit_code == 1 and not plan.errors
    pruned = make_plan(desired, _live(live + old), ENV, digest, prune=True)
    assert len(pruned.of("delete")) == 6
    assert pruned.errors == ("environment staging (ap-northeast-1): 6 rules would be deleted; "
                             "more than 5 deletions need --force",)
    assert pruned.exit_code == 2
    forced = make_plan(desired, _live(live + old), ENV, digest, prune=True, force=True)
    assert not forced.errors and forced.has_changes
    steps = plan_steps(forced, NOW)
    assert [c.api for c in steps[0].calls] == ["remove_targets", "delete_rule"]
    assert steps[0].calls[0].params == {"Rule": "stg-old-0", "Ids": ["migrate"]}


def test_a_rule_we_do_not_own_is_a_conflict_unless_adopted() -> None:
    desired, digest = _desired()
    theirs = dataclasses.replace(desired.rules[0], tags=(("owner", "someone"),), records=(),
                                 arn="arn:aws:events:ap-northeast-1:123456789012:rule/x")
    plan = make_plan(desired, _live([], (theirs,)), ENV, digest)
    assert plan.of("conflict")[0].name == "stg-backup-db"
    assert "left alone" in plan.warnings[0]
    assert all(s.name != "stg-backup-db" for s in plan_steps(plan, NOW))
    adopted = make_plan(desired, _live([], (theirs,)), ENV, digest, adopt=True)
    change = adopted.of("update")[0]
    assert change.adopt and change.fields == ("tags",)
    (step,) = [s for s in plan_steps(adopted, NOW) if s.name == "stg-backup-db"]
    # the foreign tag removed first (a rule holds at most 50 tags), then ownership
    assert [c.api for c in step.calls] == ["untag_resource", "tag_resource"]
    assert step.calls[0].params["TagKeys"] == ["owner"]
    assert {t["Key"] for t in step.calls[1].params["Tags"]} >= {TAG_MANAGED_BY, TAG_APPLIED_AT}


def test_quota_warns_from_80_percent_and_refuses_past_it() -> None:
    desired, digest = _desired()
    near = make_plan(desired, _live([], total=233), ENV, digest)  # 233 + 7 = 240 = 80%
    assert near.warnings == ("environment staging (ap-northeast-1): 240 of 300 rules on the "
                             "default event bus after this apply (80% of the quota)",)
    assert not near.errors
    over = make_plan(desired, _live([], total=294), ENV, digest)
    assert over.errors[0].startswith("environment staging (ap-northeast-1): 301 rules on the "
                                     "default event bus after this apply, over the quota of 300")


def test_create_puts_the_rule_with_every_tag_then_its_target() -> None:
    desired, digest = _desired()
    plan = make_plan(desired, _live([]), ENV, digest)
    step = plan_steps(plan, NOW)[0]
    put_rule, put_targets = step.calls
    assert put_rule.api == "put_rule" and put_targets.api == "put_targets"
    tags = {t["Key"]: t["Value"] for t in put_rule.params["Tags"]}
    assert tags[TAG_APPLIED_AT] == "2026-11-02T09:00:00Z" and TAG_SKIP_GATE not in tags
    assert put_targets.params["Targets"] == desired.rules[0].target_dicts()


def test_update_stamps_applied_at_and_records_or_clears_the_skip_gate_reason() -> None:
    desired, digest = _desired()
    live = [_as_live(r) for r in desired.rules]
    live[0] = dataclasses.replace(live[0], state="DISABLED",
                                  records=((TAG_SKIP_GATE, "hotfix"),))
    plan = make_plan(desired, _live(live), ENV, digest)
    (step,) = plan_steps(plan, NOW)
    assert [c.api for c in step.calls] == ["put_rule", "untag_resource", "tag_resource"]
    assert step.calls[1].params["TagKeys"] == [TAG_SKIP_GATE]
    (skipping,) = plan_steps(plan, NOW, skip_gate_reason="incident 42")
    assert [c.api for c in skipping.calls] == ["put_rule", "tag_resource"]
    tags = {t["Key"]: t["Value"] for t in skipping.calls[-1].params["Tags"]}
    assert tags[TAG_SKIP_GATE] == "incident 42"
    with pytest.raises(ValueError):
        plan_steps(plan, NOW, skip_gate_reason="x" * 257)


def test_plan_json_is_stable_and_carries_its_digest() -> None:
    desired, digest = _desired()
    a = make_plan(desired, _live([]), ENV, digest).to_dict()
    b = make_plan(desired, _live([]), ENV, digest).to_dict()
    assert a == b and len(a["plan_digest"]) == 64
    assert a["summary"]["create"] == 7
    assert json.loads(Plan.to_json(make_plan(desired, _live([]), ENV, digest))) == a


def test_text_and_markdown_renderings() -> None:
    desired, digest = _desired()
    live = [_as_live(r) for r in desired.rules[1:]]
    plan = make_plan(desired, _live(live), ENV, digest)
    text = render_text(plan)
    assert text.startswith(f"Plan for staging (ap-northeast-1), catalog {digest[:12]}: "
                           "1 to create, 0 to update, 0 to delete, 6 unchanged\n")
    assert "\n+ create stg-backup-db\n+rule stg-backup-db\n" in text
    assert "\x1b[" not in text and "\x1b[" in render_text(plan, color=True)
    md = render_markdown(plan, "http://127.0.0.1:1")
    assert "| create | rule | `stg-backup-db` | `j-backup` |" in md and "```diff" in md
    synced = make_plan(desired, _live([_as_live(r) for r in desired.rules]), ENV, digest)
    assert render_text(synced).endswith("No changes: the account matches the catalog.\n")
