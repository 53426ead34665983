"""A plan for an environment without `guard:` whose credentials may not read the run guard's
resources goes on and warns; with `guard:` configured the refusal stays an error. The denial
comes from botocore's own Stubber on real clients (moto does not enforce IAM by default)."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from aws_helpers import config
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from migrate.aws.clients import Backoff
from migrate.aws.desired import Desired, Resolved
from migrate.aws.guard.planning import guard_plan
from migrate.aws.guard.settings import GuardSettings

RESOLVED = Resolved(cluster_arn="arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging",
                    task_definitions={})


def _denying_clients() -> tuple[Any, list[Stubber]]:
    clients = {s: boto3.client(s, region_name="ap-northeast-1", aws_access_key_id="x",
                               aws_secret_access_key="x")
               for s in ("stepfunctions", "iam", "dynamodb")}
    stubber = Stubber(clients["stepfunctions"])
    stubber.add_client_error("describe_state_machine", "AccessDeniedException",
                             "not authorized to perform: states:DescribeStateMachine", 400)
    stubber.activate()
    return clients.__getitem__, [stubber]


def _desired() -> Desired:
    return Desired(rules=())


def test_no_guard_and_no_read_permission_is_a_warning_naming_the_permissions() -> None:
    env = dataclasses.replace(config().environments["staging"], guard=None)
    client, stubbers = _denying_clients()
    plan = guard_plan(client, Backoff(), env, RESOLVED, _desired(), [], prune=False)
    assert plan.calls == () and plan.orphans == ()
    assert plan.unchecked is not None
    assert "AccessDeniedException (DescribeStateMachine)" in plan.unchecked
    assert "states:DescribeStateMachine" in plan.unchecked
    for s in stubbers:
        s.assert_no_pending_responses()


def test_with_a_guard_configured_a_denied_read_stays_an_error() -> None:
    base = config().environments["staging"]
    guard = GuardSettings(mode="findings", lock_table="migrate-guard-staging")
    env = dataclasses.replace(base, guard=guard)
    client, _ = _denying_clients()
    with pytest.raises(ClientError, match="AccessDenied"):
        guard_plan(client, Backoff(), env, RESOLVED, _desired(), [], prune=False)
