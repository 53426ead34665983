"""Apply: execute a plan's steps with boto3. The only module that calls mutating EventBridge,
SNS and (for the run guard) DynamoDB, IAM and Step Functions APIs (`calls.MUTATING_APIS`).

Steps (one per resource; the run guard's calls are one step; one per job moving between
rules and Scheduler, run inside a `SwitchWindow`) run phase by phase (`Step.phase`: topics,
schedule groups and the run guard first, see calls.py); within a phase concurrently on
`workers` threads; the calls of one step run in order. Every request body is checked first
(`requests.py`): when one would be refused, nothing is sent.
Every call goes through `clients.call` (throttling and transient errors retried with
backoff, quota errors fail fast). `put_targets` / `remove_targets` report per-entry failures
in a 200 response: those are failures too. On the first failure no further step starts,
running ones finish, and `ApplyFailed` says which rule and call failed and how far the apply
got; running apply again converges (see `calls.py`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from migrate.aws.calls import MUTATING_APIS, Step, steps_problems
from migrate.aws.clients import AwsError, Backoff, QuotaExceeded, call, friendly
from migrate.aws.requests import RequestRefused


class ApplyFailed(AwsError):
    """A call failed; the message names the rule, the call and the progress made."""


@dataclass(frozen=True, slots=True)
class SwitchWindow:
    """When a job moving between rules and Scheduler switches (`Step.switch`).

    Cron instants are whole minutes. A switch (create the new rule or schedule, then delete
    the old one) starts only `earliest`..`latest` seconds past a minute and must end before
    the next minute: no instant falls inside it, so the instant before it was fired by the
    old resource and the instant after it by the new one: never neither, never both. The
    `earliest` seconds leave the old service time to start the previous minute's task (an
    assumption: AWS documents no invocation delay; FlexibleTimeWindow is OFF)."""

    now: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep
    earliest: float = 20.0
    latest: float = 45.0

    def enter(self) -> float:
        """Wait until inside the window; return the start of the current minute."""
        second = self.now() % 60
        if second < self.earliest:
            self.sleep(self.earliest - second)
        elif second >= self.latest:
            self.sleep(60 - second + self.earliest)
        return self.now() // 60 * 60

    def left(self, minute: float) -> bool:
        """Did the switch end after the minute it started in?"""
        return self.now() >= minute + 60


@dataclass(slots=True)
class ApplyReport:
    steps_total: int
    steps_done: int = 0
    calls: Counter[str] = field(default_factory=Counter)

    @property
    def mutating_calls(self) -> int:
        return sum(n for api, n in self.calls.items() if api in MUTATING_APIS)


def _client(clients: Any, service: str) -> Any:
    """`clients` is a mapping service -> boto3 client, or the events client alone."""
    if isinstance(clients, Mapping):
        return clients[service]
    return clients


def _run_step(step: Step, events: Any, backoff: Backoff, report: ApplyReport,
              lock: threading.Lock, stop: threading.Event, window: SwitchWindow) -> bool:
    if stop.is_set():
        return False  # another step failed: start nothing new
    try:
        minute = window.enter() if step.switch else 0.0
        if stop.is_set():
            return False
        _run_calls(step, events, backoff, report, lock)
        if step.switch and window.left(minute):
            at = time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(minute + 60))
            raise AwsError(f"{step.name}: the {step.action} ended after {at}; the job's "
                           f"instant at {at}, if it has one, may have run twice or not at all "
                           "(check its tasks)")
    except BaseException:
        stop.set()
        raise
    return True


def _run_calls(step: Step, events: Any, backoff: Backoff, report: ApplyReport,
               lock: threading.Lock) -> None:
    for c in step.calls:
        if c.api not in MUTATING_APIS:
            raise ValueError(f"not an apply call: {c.api}")
        try:
            out = call(_client(events, c.service), c.api, c.params, backoff)
        except QuotaExceeded as exc:
            raise QuotaExceeded(f"{step.name}: {exc}") from None
        except Exception as exc:
            raise friendly(exc, f"{step.name}: {c.api}") from None
        with lock:
            report.calls[c.api] += 1
        failed = out.get("FailedEntries") or []
        if failed:
            first = failed[0]
            raise AwsError(f"{step.name}: {c.api}: {len(failed)} entries failed "
                           f"({first.get('ErrorCode')}: {first.get('ErrorMessage')})")
    with lock:
        report.steps_done += 1


def apply_steps(
    steps: Sequence[Step],
    events: Any,
    backoff: Backoff | None = None,
    workers: int = 8,
    progress: Callable[[int], None] | None = None,
    window: SwitchWindow | None = None,
) -> ApplyReport:
    """Run `steps` phase by phase against `events` (the events client, or a mapping of
    service name to client). Raises ApplyFailed / QuotaExceeded, or
    RequestRefused before the first call when any body breaks an AWS rule (requests.py)."""
    client = events.get("events") if isinstance(events, Mapping) else events
    region = getattr(getattr(client, "meta", None), "region_name", None)
    problems = steps_problems(steps, region)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise RequestRefused(f"nothing was sent: {len(problems)} request(s) AWS would refuse: "
                             + "; ".join(problems[:3]) + more)
    backoff = backoff or Backoff()
    report = ApplyReport(steps_total=len(steps))
    for phase in sorted({s.phase for s in steps}):
        _apply_phase([s for s in steps if s.phase == phase], events, backoff, workers,
                     progress, report, window or SwitchWindow())
    return report


def _apply_phase(steps: Sequence[Step], events: Any, backoff: Backoff, workers: int,
                 progress: Callable[[int], None] | None, report: ApplyReport,
                 window: SwitchWindow) -> None:
    lock = threading.Lock()
    stop = threading.Event()
    workers = max(1, workers)
    failure: BaseException | None = None
    pending: set[Future[bool]] = set()
    it = iter(steps)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            while True:
                while failure is None and len(pending) < 2 * workers:
                    step = next(it, None)
                    if step is None:
                        break
                    pending.add(pool.submit(_run_step, step, events, backoff, report, lock,
                                            stop, window))
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_EXCEPTION)
                pending -= done
                for f in done:
                    exc = f.exception()
                    if exc is not None and failure is None:
                        failure = exc
                    elif exc is None and f.result() and progress is not None:
                        progress(1)
                if failure is not None:
                    break
        finally:  # a failure or Ctrl-C: start nothing new, let running steps finish
            if failure is not None or pending:
                stop.set()
                for f in pending:
                    f.cancel()
    if failure is not None:
        done_text = (f"{report.steps_done} of {report.steps_total} rules done; "
                     "run apply again to converge")
        if isinstance(failure, QuotaExceeded):
            raise QuotaExceeded(f"{failure} ({done_text})")
        if isinstance(failure, AwsError):
            raise ApplyFailed(f"{failure} ({done_text})")
        raise failure
