"""Running the generated run guard in moto: state-machine execution on, ECS outcomes scripted.

moto 5 executes ASL (its `stepfunctions.execute_state_machine` config, switched on here via
the server's `/moto-api/config` endpoint) against its own DynamoDB, ECS and SNS. Two gaps
are filled, each the smallest change that makes moto behave as AWS documents:

* moto's tasks never stop by themselves, and its `runTask.sync` succeeds on any STOPPED
  task. AWS fails the state with `States.TaskFailed` and the task's JSON as Cause when the
  task failed to start (`StopCode: TaskFailedToStart`) or an essential container exited
  non-zero (notes/operations.md "Step Functions"). `EcsScript` replaces moto's sync
  resolver with one that stops each task with the next scripted outcome and fails exactly
  then, the way AWS does; the state machine itself runs unchanged in moto's interpreter.
* moto 5.2's ECS and aws-sdk integrations pass the state's parameters to boto3 as written
  (`Cluster`, `ExecutionArn`: the names Step Functions documents) without mapping them to
  the API's member names (`cluster`, `executionArn`) as AWS does, and read the answer back
  unmapped (`status` for `Status`); `scripted_ecs` maps both ways with botocore's model.
* moto 5.2 (from LocalStack's older list) passes only some RunTask parameters through
  (`_SUPPORTED_API_PARAM_BINDINGS`: no `Tags`, `CapacityProviderStrategy`,
  `EnableECSManagedTags`); AWS's page for the optimized ECS integration ("Run Amazon ECS or
  Fargate tasks with Step Functions") lists RunTask without a subset. `scripted_ecs` lets
  every member of RunTask's input through (the job's task tags reach the task).
* moto's interpreter calls its own services at `localhost:$MOTO_PORT`; the fixture sets it.
* moto's StopExecution takes effect asynchronously (`stop_execution` waits for it, as AWS's
  returns only once the execution is ABORTED).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.session
from moto.stepfunctions.parser.api import HistoryEventType, TaskFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_aws_sdk as sdk_service,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
    state_task_service_ecs as ecs_service,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails


def enable_execution(url: str, on: bool = True) -> None:
    """moto's config is process-wide (the server runs in this process): switch it back off
    when done so other test modules see moto's defaults."""
    body = json.dumps({"stepfunctions": {"execute_state_machine": on}}).encode()
    req = urllib.request.Request(url + "/moto-api/config", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a started task ends: `exit` code of its container, or failing to start."""

    exit: int | None = 0
    stop_code: str = "EssentialContainerExited"
    hold: float = 0.0  # seconds the task keeps running before it stops

    @staticmethod
    def failed_to_start() -> Outcome:
        return Outcome(exit=None, stop_code="TaskFailedToStart")


@dataclass
class EcsScript:
    """Outcomes handed to tasks in the order they start (default: exit 0)."""

    outcomes: list[Outcome] = field(default_factory=list)
    started: list[dict[str, Any]] = field(default_factory=list)  # task JSON as AWS reports
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_outcome(self) -> Outcome:
        with self.lock:
            return self.outcomes.pop(0) if self.outcomes else Outcome()


_SESSION = botocore.session.get_session()


def _sfn_cased(value: Any) -> Any:
    """ECS API answer -> the PascalCase JSON Step Functions reports (taskArn -> TaskArn)."""
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: _sfn_cased(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sfn_cased(v) for v in value]
    return value


@contextmanager
def scripted_ecs(script: EcsScript) -> Iterator[EcsScript]:
    original = ecs_service.StateTaskServiceEcs._build_sync_resolver
    original_norm = ecs_service.StateTaskServiceEcs._normalise_parameters
    original_resp = ecs_service.StateTaskServiceEcs._normalise_response
    original_supported = ecs_service.StateTaskServiceEcs._get_supported_parameters

    def supported(self: Any) -> set[str] | None:
        op = _SESSION.get_service_model("ecs").operation_model("RunTask")
        return {k[:1].upper() + k[1:] for k in op.input_shape.members}

    def normalise(self: Any, parameters: dict[str, Any], *args: Any, **kw: Any) -> None:
        action = self.resource.api_action
        model = _SESSION.get_service_model(self._get_boto_service_name())
        op = model.operation_model(action[:1].upper() + action[1:])
        self._to_boto_request(parameters, op.input_shape)

    def normalise_response(self: Any, response: Any, *args: Any, **kw: Any) -> None:
        if isinstance(response, dict):
            cased = _sfn_cased(response)
            response.clear()
            response.update(cased)

    def build(self: Any, env: Any, resource_runtime_part: Any, normalised_parameters: dict[
        str, Any
    ], state_credentials: Any) -> Callable[[], Any] | None:
        submission: dict[str, Any] = _sfn_cased(env.stack.pop())
        task = dict(submission["Tasks"][0])
        outcome = script.next_outcome()
        started = time.monotonic()
        with script.lock:
            script.started.append({"params": normalised_parameters, "task": task})

        def resolve() -> dict[str, Any] | None:
            if time.monotonic() - started < outcome.hold:
                return None
            stopped = {**task, "LastStatus": "STOPPED", "StopCode": outcome.stop_code,
                       "Containers": [{"Name": c.get("Name", "app"), "ExitCode": outcome.exit}
                                      if outcome.exit is not None else {"Name": c.get("Name")}
                                      for c in task.get("Containers", [{}])]}
            if outcome.stop_code != "EssentialContainerExited" or outcome.exit != 0:
                raise FailureEventException(FailureEvent(
                    env=env, error_name=StatesErrorName(typ=StatesErrorNameType.StatesTaskFailed),
                    event_type=HistoryEventType.TaskFailed,
                    event_details=EventDetails(taskFailedEventDetails=TaskFailedEventDetails(
                        resourceType="ecs", resource="runTask.sync",
                        error="States.TaskFailed", cause=json.dumps(stopped)))))
            return stopped

        return resolve

    cls = ecs_service.StateTaskServiceEcs
    sdk = sdk_service.StateTaskServiceAwsSdk
    sdk_norm, sdk_resp = sdk._normalise_parameters, sdk._normalise_response
    cls._build_sync_resolver = build  # type: ignore[method-assign]
    cls._get_supported_parameters = supported  # type: ignore[method-assign]
    for c in (cls, sdk):
        c._normalise_parameters = normalise  # type: ignore[method-assign]
        c._normalise_response = normalise_response  # type: ignore[method-assign]
    try:
        yield script
    finally:
        cls._build_sync_resolver = original  # type: ignore[method-assign]
        cls._get_supported_parameters = original_supported  # type: ignore[method-assign]
        cls._normalise_parameters = original_norm  # type: ignore[method-assign]
        cls._normalise_response = original_resp  # type: ignore[method-assign]
        sdk._normalise_parameters = sdk_norm  # type: ignore[method-assign]
        sdk._normalise_response = sdk_resp  # type: ignore[method-assign]


def stop_execution(sfn: Any, arn: str) -> dict[str, Any]:
    """StopExecution as AWS answers it: when the call returns, DescribeExecution says
    ABORTED. moto only flags the interpreter to stop; the status turns ABORTED when its
    `.sync` poll loop next looks (every 0.5 s, `_DELAY_SECONDS_SYNC_CONDITION_CHECK` in
    moto's state_task_service_callback.py), so an execution started in between still sees
    the stopped one RUNNING. Wait for moto to get there (the stopped execution's events)."""
    sfn.stop_execution(executionArn=arn)
    return wait_for(sfn, arn)


def wait_for(sfn: Any, arn: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        out: dict[str, Any] = sfn.describe_execution(executionArn=arn)
        if out["status"] != "RUNNING":
            out["events"] = sfn.get_execution_history(executionArn=arn)["events"]
            return out
        if time.monotonic() > deadline:
            raise AssertionError(f"execution {arn} still running after {timeout}s")
        time.sleep(0.05)

