"""The run guard's state machine, as Amazon States Language built from Python values.

`definition(spec)` -> dict (JSONPath query language). One machine serves every guarded job of
an environment; what differs per job travels in the execution input (`execution_input`),
which the rule's input transformer builds from the scheduled event:

    {"job": <job id>, "time": <the event's scheduled time>, "overlap": "skip" | "allow",
     "max_runtime": <seconds>, "task": {<RunTask parameters, as the ECS target has them>},
     "next": null | {"job", "overlap", "max_runtime", "task", "next"}}

States, in order (README "Run guard" draws them):

1. `Claim`: DynamoDB PutItem of `run#<job>#<time>` with `attribute_not_exists(pk)`. When the
   item exists the delivery is a duplicate (EventBridge delivers at least once): the
   execution ends in `Duplicate` (Succeed); the item records the execution that ran it.
   Every item carries its TTL, `expires` (table.py): `Expiry`, right after `Init`, computes
   the records' from the scheduled time, `LeaseExpiry` the lease's from when it is taken.
2. `Overlap?` -> `LeaseExpiry` -> `TakeLease` for `overlap: skip`: PutItem of `lease#<job>`
   holding this execution's ARN, `attribute_not_exists(pk)`. When held, `ReadLease` +
   `HolderState` ask Step Functions whether the holder still runs: a running holder means
   skip (`RecordSkip` writes `skip#<job>#<time>`, then `Skipped`); a holder that ended
   without releasing (stopped by hand) loses the lease to `StealLease`, conditional on that
   very holder. A run attempt never lasts longer than `max_runtime`: `Run` has
   `TimeoutSecondsPath`, so a lease is held for a bounded time (`select.lease_hold`) with no
   clock arithmetic (JSONPath has none); select.py keeps that under the lease's TTL.
3. `Run`: `arn:aws:states:::ecs:runTask.sync`. ECS API errors (capacity, throttling:
   `ECS.AmazonECSException` and friends) are retried natively with the configured backoff.
   A task that stopped fails the state with `States.TaskFailed` whatever the reason; the
   reason is only in the Cause (the task's JSON: `StopCode`, `Containers[].ExitCode`), which
   `Retry` cannot see. So `Catch` -> `WhyFailed` parses the Cause and `FailedToStart?`
   retries only `StopCode: TaskFailedToStart` (ENI / storage provisioning timeouts) or an
   API-level `Failures` list, waiting `waits[attempt]` seconds (`Backoff`, `BackoffWait`).
   A container that exited non-zero is never retried.
4. On success: `ReleaseLease` (conditional on holding it), then `Next?`: a chained successor
   (`after:`) becomes the current job (`ChainNext`) and starts at `Claim`, so it runs only
   when its predecessor succeeded. On failure: `ReleaseLeaseAfterFailure`, `Alert` (SNS
   Publish to the environment's alert topic, when configured), then `JobFailed` (Fail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.aws.guard.settings import backoff_waits
from migrate.aws.guard.table import TTL_ATTRIBUTE, expires_path

RUN_TASK_SYNC = "arn:aws:states:::ecs:runTask.sync"
PUT_ITEM = "arn:aws:states:::dynamodb:putItem"
GET_ITEM = "arn:aws:states:::dynamodb:getItem"
DELETE_ITEM = "arn:aws:states:::dynamodb:deleteItem"
SNS_PUBLISH = "arn:aws:states:::sns:publish"
DESCRIBE_EXECUTION = "arn:aws:states:::aws-sdk:sfn:describeExecution"
CONDITION_FAILED = "DynamoDB.ConditionalCheckFailedException"
# RunTask refusing to place the task (capacity, ENI limits, throttling) surfaces as ECS.*
# errors of the API call; see notes/operations.md "Step Functions".
ECS_API_ERRORS = ("ECS.AmazonECSException", "ECS.ServerException", "ECS.ThrottlingException",
                  "ECS.LimitExceededException")
FAILED_TO_START = "TaskFailedToStart"
JOB_FAILED = "migrate.JobFailed"
PK = "pk"


@dataclass(frozen=True, slots=True)
class MachineSpec:
    """What one environment's machine needs; everything per job is in the input."""

    table: str  # DynamoDB table name
    task_keys: Sequence[str]  # RunTask parameter names the environment's target sets
    retry_attempts: int = 3  # failed-to-start retries after the first attempt
    retry_interval: int = 30  # seconds before the first retry
    backoff_rate: float = 2.0
    topic_arn: str | None = None  # alert topic; None: no alert state

    def waits(self) -> list[int]:
        return backoff_waits(self.retry_attempts, self.retry_interval, self.backoff_rate)


def _s(path: str) -> dict[str, str]:
    return {"S.$": path}


def _put(spec: MachineSpec, key: str, extra: Mapping[str, Any], condition: str,
         values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TableName": spec.table,
        "Item": {PK: {"S.$": key}, **extra},
        "ConditionExpression": condition,
    }
    if values:
        params["ExpressionAttributeValues"] = dict(values)
    return {"Type": "Task", "Resource": PUT_ITEM, "Parameters": params, "ResultPath": None}


def _catch(errors: Sequence[str], target: str, result: str | None = None) -> dict[str, Any]:
    return {"ErrorEquals": list(errors), "Next": target, "ResultPath": result}


LEASE_KEY = "States.Format('lease#{}', $.job)"
# TTL values (table.py): run/skip records from the scheduled time, a lease from when taken
# computed once per execution (`Expiry`) and per lease taken (`LeaseExpiry`), into $.expires
RECORD_EXPIRES = {TTL_ATTRIBUTE: {"N.$": "$.expires.record"}}
LEASE_EXPIRES = {TTL_ATTRIBUTE: {"N.$": "$.expires.lease"}}
ME = {":me": {"S.$": "$$.Execution.Id"}}


def _release(spec: MachineSpec, then: str) -> dict[str, Any]:
    return {
        "Type": "Task", "Resource": DELETE_ITEM,
        "Parameters": {"TableName": spec.table, "Key": {PK: {"S.$": LEASE_KEY}},
                       "ConditionExpression": "holder = :me",
                       "ExpressionAttributeValues": ME},
        "ResultPath": None, "Next": then,
        "Catch": [_catch([CONDITION_FAILED], then)],  # not ours (any more): nothing to release
    }


def _if_skip(then: str, otherwise: str) -> dict[str, Any]:
    return {"Type": "Choice", "Default": otherwise,
            "Choices": [{"Variable": "$.overlap", "StringEquals": "skip", "Next": then}]}


def definition(spec: MachineSpec) -> dict[str, Any]:
    run_params = {f"{k}.$": f"$.task.{k}" for k in spec.task_keys}
    states: dict[str, Any] = {
        "Init": {"Type": "Pass", "Result": {"attempt": 0, "waits": spec.waits()},
                 "ResultPath": "$.retry", "Next": "Expiry"},
        "Expiry": {"Type": "Pass", "Parameters": {"record.$": expires_path("$.time")},
                   "ResultPath": "$.expires", "Next": "Claim"},
        "Claim": {
            **_put(spec, "States.Format('run#{}#{}', $.job, $.time)",
                   {"job": _s("$.job"), "scheduled_time": _s("$.time"),
                    "execution": _s("$$.Execution.Id"), "kind": {"S": "run"},
                    **RECORD_EXPIRES},
                   "attribute_not_exists(pk)"),
            "Next": "Overlap?",
            "Catch": [_catch([CONDITION_FAILED], "Duplicate")],
        },
        "Duplicate": {"Type": "Succeed", "Comment": "this scheduled time already ran"},
        "Overlap?": _if_skip("LeaseExpiry", "Run"),
        "LeaseExpiry": {"Type": "Pass", "Parameters": {
            "record.$": "$.expires.record",
            "lease.$": expires_path("$$.State.EnteredTime")}, "ResultPath": "$.expires",
            "Next": "TakeLease"},
        "TakeLease": {
            **_put(spec, LEASE_KEY, {"holder": _s("$$.Execution.Id"),
                                     "taken_at": _s("$$.State.EnteredTime"), **LEASE_EXPIRES},
                   "attribute_not_exists(pk)"),
            "Next": "Run",
            "Catch": [_catch([CONDITION_FAILED], "ReadLease")],
        },
        "ReadLease": {
            "Type": "Task", "Resource": GET_ITEM,
            "Parameters": {"TableName": spec.table, "Key": {PK: {"S.$": LEASE_KEY}},
                           "ConsistentRead": True},
            "ResultPath": "$.lease", "Next": "LeaseStillThere?",
        },
        "LeaseStillThere?": {"Type": "Choice", "Default": "TakeLease", "Choices": [
            {"Variable": "$.lease.Item.holder.S", "IsPresent": True, "Next": "HolderState"}]},
        "HolderState": {
            "Type": "Task", "Resource": DESCRIBE_EXECUTION,
            "Parameters": {"ExecutionArn.$": "$.lease.Item.holder.S"},
            "ResultSelector": {"status.$": "$.Status"},
            "ResultPath": "$.holder", "Next": "HolderRunning?",
        },
        "HolderRunning?": {"Type": "Choice", "Default": "StealLease", "Choices": [
            {"Variable": "$.holder.status", "StringEquals": "RUNNING", "Next": "RecordSkip"}]},
        "StealLease": {
            **_put(spec, LEASE_KEY, {"holder": _s("$$.Execution.Id"),
                                     "taken_at": _s("$$.State.EnteredTime"), **LEASE_EXPIRES},
                   "holder = :old", {":old": {"S.$": "$.lease.Item.holder.S"}}),
            "Next": "Run",
            "Catch": [_catch([CONDITION_FAILED], "RecordSkip")],
        },
        "RecordSkip": {
            **_put(spec, "States.Format('skip#{}#{}', $.job, $.time)",
                   {"job": _s("$.job"), "scheduled_time": _s("$.time"),
                    "execution": _s("$$.Execution.Id"), "kind": {"S": "skip"},
                    "held_by": _s("$.lease.Item.holder.S"), **RECORD_EXPIRES},
                   "attribute_not_exists(pk)"),
            "Next": "Skipped",
            "Catch": [_catch([CONDITION_FAILED], "Skipped")],
        },
        "Skipped": {"Type": "Succeed", "Comment": "the previous run still holds the lease"},
        "Run": {
            "Type": "Task", "Resource": RUN_TASK_SYNC,
            "Parameters": run_params,
            "TimeoutSecondsPath": "$.max_runtime",
            "ResultPath": None,
            "Retry": [{"ErrorEquals": list(ECS_API_ERRORS),
                       "IntervalSeconds": max(1, spec.retry_interval),
                       "MaxAttempts": spec.retry_attempts,
                       "BackoffRate": max(1.0, spec.backoff_rate)}],
            "Catch": [_catch(["States.TaskFailed"], "WhyFailed", "$.error"),
                      _catch(["States.ALL"], "ReleaseLeaseAfterFailure", "$.error")],
            "Next": "ReleaseLease?",
        },
        "WhyFailed": {"Type": "Pass",
                      "Parameters": {"task.$": "States.StringToJson($.error.Cause)"},
                      "ResultPath": "$.stopped", "Next": "FailedToStart?"},
        "FailedToStart?": {"Type": "Choice", "Default": "ReleaseLeaseAfterFailure", "Choices": [
            {"And": [
                {"Or": [
                    {"And": [{"Variable": "$.stopped.task.StopCode", "IsPresent": True},
                             {"Variable": "$.stopped.task.StopCode",
                              "StringEquals": FAILED_TO_START}]},
                    {"Variable": "$.stopped.task.Failures[0]", "IsPresent": True},
                ]},
                {"Variable": "$.retry.attempt", "NumericLessThan": spec.retry_attempts},
            ], "Next": "Backoff"},
        ]},
        "Backoff": {"Type": "Pass", "Parameters": {
            "attempt.$": "States.MathAdd($.retry.attempt, 1)",
            "waits.$": "$.retry.waits",
            "wait.$": "States.ArrayGetItem($.retry.waits, $.retry.attempt)",
        }, "ResultPath": "$.retry", "Next": "BackoffWait"},
        "BackoffWait": {"Type": "Wait", "SecondsPath": "$.retry.wait", "Next": "Run"},
        "ReleaseLease?": _if_skip("ReleaseLease", "Next?"),
        "ReleaseLease": _release(spec, "Next?"),
        "Next?": {"Type": "Choice", "Default": "Done", "Choices": [
            {"And": [{"Variable": "$.next", "IsPresent": True},
                     {"Variable": "$.next", "IsNull": False}], "Next": "ChainNext"}]},
        "ChainNext": {"Type": "Pass", "Parameters": {
            "job.$": "$.next.job", "time.$": "$.time", "overlap.$": "$.next.overlap",
            "max_runtime.$": "$.next.max_runtime", "task.$": "$.next.task",
            "next.$": "$.next.next", "retry": {"attempt": 0, "waits": spec.waits()},
            "expires.$": "$.expires",
        }, "Next": "Claim"},
        "Done": {"Type": "Succeed"},
        "ReleaseLeaseAfterFailure": {"Type": "Choice", "Default": _after_failure(spec),
                                     "Choices": [{"Variable": "$.overlap",
                                                  "StringEquals": "skip",
                                                  "Next": "ReleaseFailedLease"}]},
        "ReleaseFailedLease": _release(spec, _after_failure(spec)),
        "JobFailed": {"Type": "Fail", "Error": JOB_FAILED,
                      "Cause": "the job's task failed; see the execution's history"},
    }
    if spec.topic_arn is not None:
        states["Alert"] = {
            "Type": "Task", "Resource": SNS_PUBLISH,
            "Parameters": {
                "TopicArn": spec.topic_arn,
                "Subject": "migrate: a guarded job failed",
                "Message.$": "States.Format('job {} scheduled at {} failed: {} (execution {})',"
                             " $.job, $.time, $.error.Error, $$.Execution.Id)",
            },
            "ResultPath": None, "Next": "JobFailed",
            "Catch": [_catch(["States.ALL"], "JobFailed")],
        }
    return {
        "Comment": "migrate run guard: exactly once per scheduled time, no overlap, retry of "
                   "tasks that failed to start, alert on failure, job chains",
        "StartAt": "Init",
        "States": states,
    }


def _after_failure(spec: MachineSpec) -> str:
    return "Alert" if spec.topic_arn is not None else "JobFailed"
