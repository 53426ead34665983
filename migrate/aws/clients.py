"""boto3 clients and the one retry policy every AWS call goes through.

Retry policy (README "Deploying to AWS"): botocore's own retries are switched off
(`total_max_attempts: 1`) because botocore counts `LimitExceededException` as throttling and
would retry a quota error for tens of seconds. `call()` retries instead:

* throttling codes (`ThrottlingException`, `Throttling`, `TooManyRequestsException`,
  `RequestLimitExceeded`, `SlowDown` ...), server errors (HTTP 5xx, `InternalException`,
  `ServiceUnavailable` ...) and connection errors (refused, reset, timed out);
* with exponential backoff and full jitter: before attempt n+1 it sleeps a random time in
  [0, min(cap, base * 2**n)] (base 0.2 s, cap 10 s), at most 8 attempts in all;
* `LimitExceededException` is never retried: it raises `QuotaExceeded` at once;
* anything else (validation, access denied, not found) raises at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ReadTimeoutError,
)

from migrate.errors import MigrateError

THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    "PriorRequestNotComplete", "BandwidthLimitExceeded",
})
TRANSIENT_CODES = frozenset({
    "InternalException", "InternalFailure", "InternalError", "InternalServerError",
    "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout",
    "RequestTimeoutException",
})
QUOTA_CODE = "LimitExceededException"
_CONNECTION_ERRORS = (EndpointConnectionError, ConnectionClosedError, ConnectTimeoutError,
                      ReadTimeoutError)


class AwsError(MigrateError):
    """An expected failure talking to AWS; the CLI prints it as one `Error: ...` line."""


class QuotaExceeded(AwsError):
    """EventBridge answered LimitExceededException: a quota is reached. Never retried."""


@dataclass(frozen=True, slots=True)
class Backoff:
    max_attempts: int = 8
    base: float = 0.2
    cap: float = 10.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    rand: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, attempt: int) -> float:
        """Full jitter: a random time in [0, min(cap, base * 2**attempt)]."""
        return self.rand() * min(self.cap, self.base * 2.0**attempt)


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_retryable(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        code = error_code(exc)
        if code == QUOTA_CODE:
            return False
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        return code in THROTTLING_CODES or code in TRANSIENT_CODES or status >= 500
    return isinstance(exc, _CONNECTION_ERRORS)


def describe_error(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        msg = exc.response.get("Error", {}).get("Message", "")
        return f"{error_code(exc)}: {msg}" if msg else error_code(exc)
    return str(exc)


def call(client: Any, api: str, params: Mapping[str, Any], backoff: Backoff) -> dict[str, Any]:
    """`client.<api>(**params)` under the retry policy above."""
    attempt = 0
    while True:
        try:
            result: dict[str, Any] = getattr(client, api)(**params)
            return result
        except ClientError as exc:
            if error_code(exc) == QUOTA_CODE:
                raise QuotaExceeded(
                    f"{api} was refused with {describe_error(exc)}; an EventBridge quota is "
                    "reached (e.g. rules per event bus): request an increase in Service "
                    "Quotas and set rule_quota in migrate.yaml. Not retried."
                ) from None
            if not is_retryable(exc) or attempt + 1 >= backoff.max_attempts:
                raise
        except _CONNECTION_ERRORS:
            if attempt + 1 >= backoff.max_attempts:
                raise
        backoff.sleep(backoff.delay(attempt))
        attempt += 1


def boto_config(pool: int) -> BotoConfig:
    return BotoConfig(
        retries={"total_max_attempts": 1, "mode": "standard"},
        max_pool_connections=pool,
        connect_timeout=5,
        read_timeout=30,
        user_agent_extra="migrate",
    )


_SHARED: list[Any] = []
_SHARED_LOCK = threading.Lock()


def _session() -> Any:
    """One boto3 session per process, so service models are loaded once (a client costs
    ~0.15 s of JSON parsing otherwise). Region and credentials go to each client."""
    with _SHARED_LOCK:
        if not _SHARED:
            _SHARED.append(boto3.session.Session(botocore_session=botocore.session.Session()))
        return _SHARED[0]


@dataclass(frozen=True, slots=True)
class Credentials:
    access_key: str
    secret_key: str


def make_client(
    service: str,
    region: str,
    endpoint_url: str | None,
    pool: int = 16,
    credentials: Credentials | None = None,
) -> Any:
    """A boto3 client with retries off (see `call`). `endpoint_url` None: boto3's own lookup,
    which honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>."""
    kwargs: dict[str, Any] = {}
    if credentials is not None:
        kwargs = {"aws_access_key_id": credentials.access_key,
                  "aws_secret_access_key": credentials.secret_key}
    try:
        return _session().client(service, region_name=region, endpoint_url=endpoint_url,
                                 config=boto_config(pool), **kwargs)
    except (NoRegionError, BotoCoreError, ValueError) as exc:
        raise AwsError(f"cannot create the {service} client: {exc}") from None


@contextmanager
def aws_errors(what: str = "AWS") -> Iterator[None]:
    """Turn any botocore error raised inside into a one-line `AwsError` about `what`, so no
    botocore exception leaves `aws/` (the CLI maps `MigrateError`s only)."""
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise friendly(exc, what) from None


def friendly(exc: Exception, what: str) -> AwsError:
    """Wrap an exception from boto3 into a one-line AwsError about `what`."""
    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, NoCredentialsError):
        return AwsError(f"{what}: no AWS credentials found (set AWS_PROFILE or "
                        "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
    if isinstance(exc, _CONNECTION_ERRORS):
        return AwsError(f"{what}: cannot reach AWS: {exc}")
    return AwsError(f"{what}: {describe_error(exc)}")
