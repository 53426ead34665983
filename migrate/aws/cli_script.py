"""The AWS CLI sequence: the same calls `apply` makes, as a bash script a reviewer can read and
an operator can run (`output/aws/<env>.sh`, request bodies in `output/aws/<env>/`).

* `set -euo pipefail`; every value in the script is shell-quoted (`shlex.quote`);
* each request body is a JSON file passed with `--cli-input-json file://...`, so commands
  with quotes, `$()`, backticks, `%`, newlines or non-ASCII text never meet the shell. The
  files are ASCII (`\\uXXXX` escapes): the AWS CLI reads `file://` in the locale's encoding,
  and the escapes decode to the very same string under any locale;
* `put-targets` / `remove-targets` answer 200 with `FailedEntryCount` > 0 when an entry
  fails: the script checks it and stops;
* extra arguments go to every `aws` call (`./staging.sh --endpoint-url http://127.0.0.1:5000`);
  the AWS CLI itself honours `AWS_ENDPOINT_URL`, `AWS_PROFILE` and the other usual settings.

A plan with errors (preflight, quota) gives a script that prints them and exits 1 before
any call, and no request bodies.

`script_files(steps, plan, env_name)` is pure: it returns {relative path: text}.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from migrate.aws.calls import Call, Step
from migrate.aws.plan import Plan

_HEADER = """\
#!/usr/bin/env bash
# EventBridge (rules, Scheduler, SNS alert, run guard) changes for environment {env}
# ({region}), written by `migrate plan`. Topics, the schedule group and the run guard's
# table, roles and state machine are created first; they are deleted last.
# Catalog digest: {digest}
# Plan: {summary}.
#
# Run: ./{script}                     (the AWS CLI's usual credentials and AWS_ENDPOINT_URL)
#      ./{script} --endpoint-url URL  (extra arguments are passed to every aws call)
# Each request body is the JSON file named on its line (in {dir}/), read via file://.
# The calls are idempotent upserts: after an interruption, run `migrate plan` again and run
# the new script (or `migrate apply`) to converge.
set -euo pipefail
cd "$(dirname "$0")"
EXTRA=("$@")
REGION={region_q}

aws_events() {{
  aws ${{EXTRA[@]+"${{EXTRA[@]}}"}} --region "$REGION" events "$@"
}}

aws_svc() {{
  local service=$1
  shift
  aws ${{EXTRA[@]+"${{EXTRA[@]}}"}} --region "$REGION" "$service" "$@"
}}

aws_sns() {{
  aws ${{EXTRA[@]+"${{EXTRA[@]}}"}} --region "$REGION" sns "$@"
}}

aws_scheduler() {{
  aws ${{EXTRA[@]+"${{EXTRA[@]}}"}} --region "$REGION" scheduler "$@"
}}

# A job moving between rules and Scheduler switches 20-45 s past a minute and must finish
# before the next one: no cron instant falls inside (see README, "Moving a job").
switch_begin() {{
  local now
  printf -v now '%(%s)T' -1
  local s=$(( now % 60 ))
  if (( s < 20 )); then sleep $(( 20 - s )); elif (( s >= 45 )); then sleep $(( 80 - s )); fi
  printf -v now '%(%s)T' -1
  SWITCH_MINUTE=$(( now / 60 ))
}}

switch_end() {{
  local now
  printf -v now '%(%s)T' -1
  if (( now / 60 != SWITCH_MINUTE )); then
    echo "error: $1 ended in the next minute; that instant may have run twice or not at all" >&2
    exit 1
  fi
}}

# put-targets / remove-targets succeed with FailedEntryCount > 0 when an entry fails.
checked() {{
  local failed
  failed=$(aws_events "$@" --query FailedEntryCount --output text)
  if [[ "$failed" != "0" ]]; then
    echo "error: aws events $1 reported $failed failed entries" >&2
    exit 1
  fi
}}
"""


def _describe(step: Step, c: Call) -> str:
    if c.api == "put_rule":
        what = c.params.get("ScheduleExpression") or "event pattern"
        return f"{step.action} {step.name}: {what} {c.params['State']}"
    return f"{step.action} {step.name}: {c.cli_name}"


def _command(target: Mapping[str, Any]) -> str:
    """The container command, for the reader (one line, ASCII; a comment, never executed)."""
    try:
        overrides = json.loads(target.get("Input", ""))["containerOverrides"][0]
        return json.dumps(overrides["command"], ensure_ascii=True)
    except (ValueError, KeyError, IndexError, TypeError):
        return "(see the JSON body)"


def script_files(steps: Sequence[Step], plan: Plan, env_name: str) -> dict[str, str]:
    script = f"{env_name}.sh"
    lines = [_HEADER.format(
        env=env_name, region=plan.region, region_q=shlex.quote(plan.region),
        digest=plan.catalog_digest, summary=plan.summary(), script=script, dir=env_name,
    )]
    files: dict[str, str] = {}
    if plan.errors:  # preflight failed: the script refuses, as apply does, before any call
        lines.append("# The plan has errors; fix them and run `migrate plan` again.")
        lines += [f"echo {shlex.quote('error: ' + e)} >&2" for e in plan.errors]
        lines.append("exit 1")
        files[script] = "\n".join(lines) + "\n"
        return files
    n = 0
    for step in steps:
        lines.append(f"# --- {step.action} {step.name}")
        if step.switch:
            lines.append("switch_begin")
        for c in step.calls:
            n += 1
            rel = f"{env_name}/{n:04d}-{step.name}.{c.cli_name}.json"
            files[rel] = json.dumps(dict(c.params), indent=2, sort_keys=True,
                                    ensure_ascii=True) + "\n"
            ref = shlex.quote(f"file://{rel}")
            lines.append(f"echo {shlex.quote(_describe(step, c))} >&2")
            if c.api == "put_targets":
                lines += [f"#   command: {_command(t)}" for t in c.params["Targets"]]
            if c.api in ("put_targets", "remove_targets"):
                lines.append(f"checked {c.cli_name} --cli-input-json {ref}")
            elif c.service in ("sns", "scheduler"):
                lines.append(f"aws_{c.service} {c.cli_name} --cli-input-json {ref} >/dev/null")
            elif c.service != "events":  # the run guard's dynamodb, iam, stepfunctions
                lines.append(f"aws_svc {c.service} {c.cli_name} --cli-input-json {ref} "
                             ">/dev/null")
            else:
                lines.append(f"aws_events {c.cli_name} --cli-input-json {ref} >/dev/null")
        if step.switch:
            lines.append(f"switch_end {shlex.quote(step.name)}")
        lines.append("")
    if not steps:
        lines.append("echo 'No changes.' >&2")
    else:
        lines.append(f"echo {shlex.quote(f'Done: {len(steps)} resources changed.')} >&2")
    files[script] = "\n".join(lines) + "\n"
    return files
