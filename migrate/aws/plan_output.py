"""How a plan is shown: a coloured diff on the terminal and `output/plan-<env>.md` for review.

Both come from `Change.diff()`, the unified diff of the two sides' canonical renderings
(`RuleState.render`): `+` lines are what apply will set, `-` lines what it replaces.
Unchanged rules are listed by name only.

`render_text(plan, color=True)` colours with ANSI SGR escapes (ECMA-48: 1 bold, 31 red,
32 green, 33 yellow, 35 magenta, 36 cyan, 0 reset, the same sequences `click.style`
writes); the CLI decides whether to ask for colour and strips it off a non-terminal, so
nothing here imports click.
"""

from __future__ import annotations

from migrate.aws.calls import change_calls
from migrate.aws.plan import Change, Plan

_MARK = {"create": "+", "update": "~", "delete": "-", "orphan": "?", "conflict": "!"}
_COLOUR = {"create": "green", "update": "yellow", "delete": "red", "orphan": "cyan",
           "conflict": "magenta"}


def adopt_order(c: Change) -> str:
    """The calls that take a foreign rule over, in the order apply and the script make them
    (foreign targets and tags out first: a rule holds at most 5 targets and 50 tags)."""
    words = {"remove_targets": "remove its targets", "untag_resource": "remove its tags",
             "tag_resource": "tag it as ours", "put_rule": "put the rule",
             "put_targets": "put our target"}
    parts = []
    for call in change_calls(c):
        text = words.get(call.api, call.api)
        if call.api == "remove_targets":
            text += " " + ", ".join(call.params["Ids"])
        elif call.api == "untag_resource":
            text += " " + ", ".join(call.params["TagKeys"])
        parts.append(text)
    return "; then ".join(parts)


def headline(c: Change) -> str:
    if c.action == "update" and c.adopt:
        return f"adopt and update {c.name} ({', '.join(c.fields) or 'tags'}): {adopt_order(c)}"
    if c.action == "update":
        return f"update {c.name} ({', '.join(c.fields) or 'tags'})"
    if c.action == "conflict":
        return (f"conflict {c.name}: exists and is not managed by migrate for this environment "
                "(left alone; --adopt takes it over)")
    if c.action == "delete" and c.moved:
        return f"delete {c.kind} {c.name}: its job moves to the other service in this apply"
    if c.action in ("orphan", "delete") and c.outside_prefix:
        what = "kept; --prune deletes it" if c.action == "orphan" else "deleted"
        return (f"{c.action} {c.name}: ours, named outside this environment's rule_prefix "
                f"(an old prefix?) and still firing ({what})")
    if c.action == "orphan":
        return f"orphan {c.name}: ours, no longer in the catalog (kept; --prune deletes it)"
    return f"{c.action} {c.name}"


_SGR = {"red": 31, "green": 32, "yellow": 33, "magenta": 35, "cyan": 36}


def _style(text: str, colour: str | None, color: bool, bold: bool = False) -> str:
    if not color:
        return text
    codes = ([_SGR[colour]] if colour else []) + ([1] if bold else [])
    return "".join(f"\x1b[{c}m" for c in codes) + text + "\x1b[0m"


def render_text(plan: Plan, color: bool = False) -> str:
    out = [_style(f"Plan for {plan.environment} ({plan.region}), catalog "
                  f"{plan.catalog_digest[:12]}: {plan.summary()}", None, color, bold=True)]
    out += [_style(f"warning: {w}", "yellow", color) for w in plan.warnings]
    out += [_style(f"error: {e}", "red", color, bold=True) for e in plan.errors]
    out += [f"not deployed: {s}" for s in plan.skipped]
    out += [f"run guard: {g}" for g in plan.guarded]
    fate = "deleted" if plan.guard_removals else "kept; --prune deletes it"
    out += [f"run guard: {o} is ours and no longer used ({fate})" for o in plan.guard_orphans]
    out += [f"failures of {s}" for s in plan.failures_go]
    out += [f"on EventBridge Scheduler: {s}" for s in plan.on_scheduler]
    for c in plan.changes:
        if c.action == "unchanged":
            continue
        out.append("")
        out.append(_style(f"{_MARK[c.action]} {headline(c)}", _COLOUR[c.action], color,
                          bold=True))
        if c.action == "orphan":
            continue
        for line in c.diff():
            colour = {"+": "green", "-": "red"}.get(line[:1])
            out.append(_style(line, colour, color))
    same = [c.name for c in plan.changes if c.action == "unchanged"]
    if same:
        out.append("")
        shown = ", ".join(same[:10]) + (f" and {len(same) - 10} more" if len(same) > 10 else "")
        out.append(f"= unchanged: {shown}")
    if plan.in_sync:
        out.append("")
        out.append("No changes: the account matches the catalog.")
    return "\n".join(out) + "\n"


def render_markdown(plan: Plan, endpoint: str | None = None) -> str:
    out = [f"# Plan: {plan.environment} ({plan.region})", ""]
    out.append(f"- Catalog digest: `{plan.catalog_digest}`")
    out.append(f"- Plan digest: `{plan.digest()}`")
    if endpoint:
        out.append(f"- Endpoint: `{endpoint}`")
    out.append(f"- Summary: {plan.summary()}")
    out.append(f"- Rules on the default event bus after apply: {plan.rules_after} of "
               f"{plan.rule_quota} (quota)")
    if plan.schedules_after:
        out.append(f"- EventBridge Scheduler schedules in the Region after apply: "
                   f"{plan.schedules_after} of {plan.schedule_quota} (quota)")
    out.append("")
    for title, items in (("Errors", plan.errors), ("Warnings", plan.warnings),
                         ("Not deployed", plan.skipped),
                         ("Run guard (jobs started through the state machine)", plan.guarded),
                         ("Run guard resources no longer used"
                          + (" (deleted)" if plan.guard_removals else " (kept; --prune deletes)"),
                          plan.guard_orphans),
                         ("Where failures go (jobs with MAILTO)", plan.failures_go),
                         ("Jobs on EventBridge Scheduler", plan.on_scheduler)):
        if items:
            out += [f"## {title}", ""] + [f"- {x}" for x in items] + [""]
    if plan.changes:
        out += ["| action | kind | name | job id | fields |", "|---|---|---|---|---|"]
        for c in plan.changes:
            action = c.action + (" (adopt)" if c.adopt else "") + (" (moved)" if c.moved else "")
            out.append(f"| {action} | {c.kind} | `{c.name}` | `{c.job_id}` | "
                       f"{', '.join(c.fields)} |")
        out.append("")
    shown = [c for c in plan.changes if c.action not in ("unchanged", "orphan")]
    if shown:
        out += ["## Changes", ""]
        for c in shown:
            out += [f"### {headline(c)}", "", "```diff", *c.diff(), "```", ""]
    if plan.in_sync:
        out += ["No changes: the account matches the catalog.", ""]
    return "\n".join(out)
