"""`migrate run` of a guarded job: an execution of the run guard, as its rule or schedule
would start it, with the scheduled time now.

A guarded job's rule or schedule targets the environment's state machine (target.py,
wrap.py); `migrate run` starts that machine with exactly the input the target sends (the
rule's input transformer rendered for an event whose `time` is now, or the schedule's
`Input` with Scheduler's scheduled-time attribute set to now), so the guard's exactly-once
claim, overlap lease, retries of tasks that failed to start and failure alert apply to a
manual run as to a scheduled one:

* the scheduled time is now in UTC to the minute, written as EventBridge writes a
  scheduled event's `time` (`2026-12-04T02:00:00Z`; Scheduler's
  `<aws.scheduler.scheduled-time>` has the same form): a second manual run in the same
  minute, or a manual run in the minute the schedule itself fires, is recorded as a
  duplicate of the first (`run#<job>#<time>`, table.py); with `overlap: skip` a manual
  run while another run holds the job's lease is skipped (`skip#<job>#<time>`);
* a job chained after another (`after:`) has no target of its own: its step in the head's
  input (with the rest of the chain as `next`) is the input, the one `ChainNext` (asl.py)
  hands on, so it runs alone and then its own successors;
* the execution is named `migrate-run-<time>-<token>-<job>` (Step Functions names: 1-80 of
  letters, digits, `-`, `_`), so a manual run is told from a scheduled one in the history.

The guard decides asynchronously. `wait_for_execution` polls `DescribeExecution` until the
execution ended, then reads its history: what happened to each job of it (ran, duplicate,
skipped, failed) and, when the job failed, its container's exit code from the stopped task
in the `Run` state's failure (the task's JSON, the Cause asl.py's `WhyFailed` parses).
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from migrate.aws.clients import AwsError, Backoff, call, friendly
from migrate.aws.guard.payload import render_template
from migrate.aws.guard.wrap import scheduled_input

NAME_PREFIX = "migrate-run"
MAX_NAME = 80  # Step Functions: execution names 1-80 characters
_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")
# the states of asl.py in which a job's fate is decided
ENDS = {"Run": "ran", "Duplicate": "duplicate", "Skipped": "skipped"}


def is_guard_target(target: Mapping[str, Any]) -> bool:
    """A rule or schedule target starting the run guard (not an ECS target)."""
    return ("EcsParameters" not in target and ":states:" in str(target.get("Arn", ""))
            and ("InputTransformer" in target or "Input" in target))


def scheduled_time(now: datetime) -> str:
    """`now` as a scheduled time: UTC, to the minute, EventBridge's `time` form."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00Z")


def guard_input(target: Mapping[str, Any], time_: str) -> dict[str, Any]:
    """The execution input the rule (input transformer) or the schedule (`Input`) target
    sends for scheduled time `time_`."""
    if "InputTransformer" in target:
        return render_template(target["InputTransformer"], {"time": time_})
    return scheduled_input(str(target["Input"]), time_)


def chain_jobs(body: Mapping[str, Any]) -> list[str]:
    """The job ids of an execution input, head first."""
    out: list[str] = []
    step: Any = body
    while isinstance(step, Mapping):
        out.append(str(step.get("job", "")))
        step = step.get("next")
    return out


def step_input(body: Mapping[str, Any], job_id: str) -> dict[str, Any]:
    """The input from `job_id`'s step on: its job, overlap, max_runtime, task and the rest of
    its chain, at the head's scheduled time (what asl.py's `ChainNext` passes on)."""
    step: Any = body
    while isinstance(step, Mapping):
        if step.get("job") == job_id:
            out = {k: step[k] for k in ("job", "overlap", "max_runtime", "task", "next")
                   if k in step}
            return {**out, "time": body["time"]}
        step = step.get("next")
    raise KeyError(job_id)


def execution_name(job_id: str, time_: str, token: str) -> str:
    stamp = time_.replace("-", "").replace(":", "")[:13] + "Z"  # 20261204T0200Z
    slug = _UNSAFE.sub("-", job_id).strip("-") or "job"
    return f"{NAME_PREFIX}-{stamp}-{token}-{slug}"[:MAX_NAME]


def start_execution(sfn: Any, machine_arn: str, name: str, body: Mapping[str, Any],
                    backoff: Backoff) -> str:
    """StartExecution; retried under `backoff` with the same name and input, which Step
    Functions answers with the same execution while it runs (no second one)."""
    params = {"stateMachineArn": machine_arn, "name": name,
              "input": json.dumps(body, ensure_ascii=False, separators=(",", ":"))}
    try:
        return str(call(sfn, "start_execution", params, backoff)["executionArn"])
    except Exception as exc:
        raise friendly(exc, f"StartExecution {machine_arn}") from None


@dataclass(frozen=True, slots=True)
class JobEnd:
    job: str
    verdict: str  # ran | duplicate | skipped | failed
    attempts: int = 0  # tasks started for it (retries of tasks that failed to start)
    exit_code: int | None = None  # the container's, when its task stopped with one
    stop_code: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ExecutionOutcome:
    execution_arn: str
    status: str  # SUCCEEDED | FAILED | TIMED_OUT | ABORTED
    jobs: tuple[JobEnd, ...]
    error: str = ""
    cause: str = ""

    @property
    def cli_exit(self) -> int:
        """0 the job ran and succeeded; 1 nothing ran (a duplicate or a skip); the failed
        container's exit code; else 2 (failed to start, timed out, aborted, ...)."""
        head = self.jobs[0] if self.jobs else None
        if self.status == "SUCCEEDED":
            return 0 if head is not None and head.verdict == "ran" else 1
        failed = [j for j in self.jobs if j.verdict == "failed"]
        code = failed[-1].exit_code if failed else None
        return code if code is not None and 0 < code <= 255 else 2

    def lines(self) -> list[str]:
        out = [f"Execution {self.status}: {self.execution_arn}"]
        for j in self.jobs:
            text = {"ran": "ran", "duplicate": "not run: this scheduled time already ran "
                    "(recorded duplicate)", "skipped": "not run: a previous run holds the "
                    "lease (overlap: skip; recorded skip)"}.get(j.verdict, "failed")
            if j.attempts > 1:
                text += f" ({j.attempts} tasks started: retried after failing to start)"
            if j.verdict == "failed":
                text += (f": exit code {j.exit_code}" if j.exit_code is not None else
                         f": {j.stop_code or 'no exit code'}: {j.reason or 'no reason given'}")
            out.append(f"  {j.job}: {text}")
        if self.status != "SUCCEEDED" and (self.error or self.cause):
            out.append(f"  {self.error}: {self.cause}".rstrip(": "))
        return out


def _events(sfn: Any, arn: str, backoff: Backoff) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    params: dict[str, Any] = {"executionArn": arn, "maxResults": 1000}
    while True:
        page = call(sfn, "get_execution_history", params, backoff)
        out += page.get("events", [])
        if not page.get("nextToken"):
            return out
        params["nextToken"] = page["nextToken"]


def _stopped_task(cause: str, container: str) -> tuple[int | None, str, str]:
    """(exit code of `container`, stop code, reason) from a failed `Run`'s Cause."""
    try:
        task = json.loads(cause)
    except ValueError:
        return None, "", cause
    if not isinstance(task, dict):
        return None, "", cause
    mine = [c for c in task.get("Containers") or [] if c.get("Name") == container]
    code = mine[0].get("ExitCode") if mine else None
    stop = str(task.get("StopCode") or "")
    if stop == "TaskFailedToStart" or not isinstance(code, int):
        code = None
    return code, stop, str(task.get("StoppedReason") or "")


def job_ends(events: list[dict[str, Any]], container: str, ended: bool = True
             ) -> tuple[JobEnd, ...]:
    """What became of each job of an execution, read from its history in order; `ended`
    False (the execution failed, timed out or was stopped): a job left in `Run` failed."""
    ends: dict[str, JobEnd] = {}
    current = ""
    for ev in events:
        entered = ev.get("stateEnteredEventDetails")
        if entered and entered.get("name") in ENDS:
            try:
                current = str(json.loads(entered.get("input") or "{}").get("job", ""))
            except ValueError:
                continue
            prev = ends.get(current)
            verdict = ENDS[entered["name"]]
            attempts = (prev.attempts if prev else 0) + (verdict == "ran")
            ends[current] = JobEnd(current, verdict, attempts)
        failed = ev.get("taskFailedEventDetails")
        if failed and failed.get("resourceType") == "ecs" and current in ends:
            code, stop, reason = _stopped_task(str(failed.get("cause") or ""), container)
            ends[current] = JobEnd(current, "failed", ends[current].attempts, code, stop,
                                   reason)
        done = ev.get("taskSucceededEventDetails")
        if done and done.get("resourceType") == "ecs" and current in ends:
            ends[current] = JobEnd(current, "ran", ends[current].attempts)  # retried natively
    if not ended and current in ends and ends[current].verdict == "ran":
        ends[current] = JobEnd(current, "failed", ends[current].attempts)
    return tuple(ends.values())


def wait_for_execution(sfn: Any, arn: str, container: str, backoff: Backoff,
                       interval: float = 6.0, sleep: Callable[[float], None] = time.sleep
                       ) -> ExecutionOutcome:
    """Poll until the execution ended (after 1 s, 2 s, 4 s, then every `interval`); what
    it did, from its history."""
    try:
        for n in itertools.count():
            out = call(sfn, "describe_execution", {"executionArn": arn}, backoff)
            if out.get("status") != "RUNNING":
                events = _events(sfn, arn, backoff)
                break
            sleep(min(interval, 2.0 ** n))
    except AwsError:
        raise
    except Exception as exc:
        raise friendly(exc, f"DescribeExecution {arn}") from None
    status = str(out["status"])
    return ExecutionOutcome(arn, status, job_ends(events, container, status == "SUCCEEDED"),
                            str(out.get("error") or ""), str(out.get("cause") or ""))
