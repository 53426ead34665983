"""The rule target of a guarded job: the environment's state machine instead of the cluster.

`guarded_target(ecs_target, chain, settings)` turns the ECS target `desired.target` built
for the job (and those of its chained successors, built by the same code) into a target
whose `Arn` is the state machine, whose `RoleArn` may `states:StartExecution` on it, and
whose `InputTransformer` carries the job id, the event's scheduled `time` and each step's
RunTask parameters (payload.py). Delivery settings of the ECS target (`RetryPolicy`,
`DeadLetterConfig`) stay: they govern EventBridge starting the execution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from migrate.aws.guard.payload import GuardedStep, input_transformer, run_task_parameters
from migrate.aws.guard.policy import Account
from migrate.aws.guard.select import JobGuard
from migrate.aws.guard.settings import GuardSettings

MAX_TEMPLATE = 8192  # EventBridge: InputTemplate length


def guarded_target(
    chain: Sequence[tuple[JobGuard, Mapping[str, Any]]],
    settings: GuardSettings,
    cluster_arn: str,
) -> dict[str, Any]:
    """`chain`: (options, ECS target) of the job, then of each successor in order."""
    acct = Account.of(cluster_arn)
    steps = [GuardedStep(g.job_id, g.overlap, g.max_runtime, run_task_parameters(t))
             for g, t in chain]
    head = chain[0][1]
    out: dict[str, Any] = {
        "Id": head["Id"],
        "Arn": settings.machine_arn(acct.partition, acct.region, acct.account),
        "RoleArn": settings.events_role(acct.partition, acct.account),
        "InputTransformer": input_transformer(steps),
    }
    for k in ("RetryPolicy", "DeadLetterConfig"):
        if k in head:
            out[k] = head[k]
    return out


def template_size(target: Mapping[str, Any]) -> int:
    return len(str(target["InputTransformer"]["InputTemplate"]).encode())
