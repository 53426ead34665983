"""Faults: throttling, server errors, a quota error, the server going away mid-apply."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import flow
import pytest
from aws_helpers import REGION, FaultProxy, MotoServer, seed, snapshot
from botocore.config import Config as BotoConfig

from migrate.aws.apply import ApplyFailed
from migrate.aws.clients import Backoff, QuotaExceeded

QUICK = Backoff(max_attempts=8, base=0.005, cap=0.02)  # real sleeps, short


@pytest.fixture
def reference(account: MotoServer) -> dict[str, Any]:
    """The state a clean apply produces (the account is reset again afterwards)."""
    flow.apply(account.url)
    state = snapshot(account.url)
    account.reset()
    seed(account.url)
    return state


@pytest.fixture
def proxies() -> Iterator[list[FaultProxy]]:
    made: list[FaultProxy] = []
    yield made
    for p in made:
        p.close()


def test_throttling_and_server_errors_are_retried_and_apply_completes(
    account: MotoServer, reference: dict[str, Any], proxies: list[FaultProxy],
) -> None:
    def fault(target: str, n: int) -> tuple[int, str] | None:
        if target == "AWSEvents.PutRule" and n <= 4:
            return 400, "ThrottlingException"
        if target == "AWSEvents.PutTargets" and n <= 3:
            return 503, "ServiceUnavailableException"
        if target == "AWSEvents.ListTagsForResource" and n <= 2:
            return 400, "TooManyRequestsException"
        return None

    proxy = FaultProxy(account.port, fault)
    proxies.append(proxy)
    _, report = flow.apply(proxy.url, backoff=QUICK, workers=2)
    assert report.steps_done == 7
    assert proxy.faults["AWSEvents.PutRule"] == 4 and proxy.faults["AWSEvents.PutTargets"] == 3
    assert snapshot(account.url) == reference
    assert flow.plan(account.url).in_sync


def test_throttling_beyond_the_attempt_limit_fails_with_a_clear_message(
    account: MotoServer, proxies: list[FaultProxy],
) -> None:
    proxy = FaultProxy(account.port, lambda t, n: (400, "ThrottlingException")
                       if t == "AWSEvents.PutRule" else None)
    proxies.append(proxy)
    with pytest.raises(ApplyFailed) as err:
        flow.apply(proxy.url, backoff=QUICK, workers=1)
    assert proxy.seen["AWSEvents.PutRule"] == 8  # max_attempts, then it gives up
    assert str(err.value) == ("stg-backup-db: put_rule: ThrottlingException: injected "
                              "ThrottlingException (0 of 7 rules done; run apply again to "
                              "converge)")


def test_botocore_retries_limit_exceeded_as_throttling_by_default(
    account: MotoServer, proxies: list[FaultProxy],
) -> None:
    """The quirk we switch off: botocore's retry rules list LimitExceededException among
    throttling errors (botocore/retries/standard.py, data/_retry.json)."""
    proxy = FaultProxy(account.port, lambda t, n: (400, "LimitExceededException"))
    proxies.append(proxy)
    plain = boto3.client("events", region_name=REGION, endpoint_url=proxy.url,
                         aws_access_key_id="t", aws_secret_access_key="t",
                         config=BotoConfig(retries={"mode": "standard", "total_max_attempts": 3}))
    with pytest.raises(plain.exceptions.LimitExceededException):
        plain.put_rule(Name="x", ScheduleExpression="rate(1 hour)")
    assert proxy.seen["AWSEvents.PutRule"] == 3


def test_quota_error_fails_fast_without_retrying(
    account: MotoServer, proxies: list[FaultProxy],
) -> None:
    proxy = FaultProxy(account.port, lambda t, n: (400, "LimitExceededException")
                       if t == "AWSEvents.PutRule" else None)
    proxies.append(proxy)
    with pytest.raises(QuotaExceeded) as err:
        flow.apply(proxy.url, backoff=QUICK, workers=1)
    assert proxy.seen["AWSEvents.PutRule"] == 1
    assert str(err.value) == (
        "stg-backup-db: put_rule was refused with LimitExceededException: injected "
        "LimitExceededException; an EventBridge quota is reached (e.g. rules per event bus): "
        "request an increase in Service Quotas and set rule_quota in migrate.yaml. Not "
        "retried. (0 of 7 rules done; run apply again to converge)")


def _stop_after(account: MotoServer, n: int) -> Any:
    """A hook that stops the moto server just before the n-th PutTargets request."""
    seen = [0]

    def before_put_targets(**kwargs: Any) -> None:
        seen[0] += 1
        if seen[0] == n:
            account.stop()

    def attach(events_client: Any) -> None:
        events_client.meta.events.register("before-call.events.PutTargets", before_put_targets)

    return attach


def test_server_gone_halfway_then_back_with_its_state_apply_converges(
    account: MotoServer, reference: dict[str, Any],
) -> None:
    with pytest.raises(ApplyFailed) as err:
        flow.apply(account.url, workers=1, hook=_stop_after(account, 4))
    assert "stg-quoting-torture: put_targets: cannot reach AWS" in str(err.value)
    assert str(err.value).endswith("(3 of 7 rules done; run apply again to converge)")
    account.start()  # same port; moto kept its state
    half = flow.plan(account.url)
    assert [c.name for c in half.of("update")] == ["stg-quoting-torture"]  # rule, no target
    assert len(half.of("create")) == 3 and len(half.of("unchanged")) == 3
    flow.apply(account.url)
    assert snapshot(account.url) == reference
    assert flow.plan(account.url).in_sync


def test_server_gone_halfway_and_recreated_empty_apply_converges(
    account: MotoServer, reference: dict[str, Any],
) -> None:
    with pytest.raises(ApplyFailed):
        flow.apply(account.url, workers=1, hook=_stop_after(account, 2))
    account.start()
    account.reset()  # a new, empty emulator on the same endpoint
    seed(account.url)
    assert len(flow.plan(account.url).of("create")) == 7
    flow.apply(account.url)
    assert snapshot(account.url) == reference
