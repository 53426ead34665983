from __future__ import annotations

from collections.abc import Iterator

import pytest
from aws_helpers import MotoServer, seed
from guard_harness import enable_execution


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    """One real moto server per test module (127.0.0.1, random free port)."""
    server = MotoServer()
    yield server
    server.stop()


@pytest.fixture
def account(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """A fresh emulated account: moto reset, then the clusters and task definitions seeded.
    The process environment carries dummy credentials and no real endpoint or profile."""
    if moto.server is None:
        moto.start()
    moto.reset()
    seed(moto.url)
    for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_EVENTS",
              "AWS_ENDPOINT_URL_ECS"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-northeast-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    return moto


@pytest.fixture(scope="module")
def moto_sfn(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    """A moto server whose Step Functions interpreter runs executions (guard_harness.py):
    it calls moto's own services at localhost:$MOTO_PORT."""
    server = MotoServer()
    monkeypatch_module.setenv("MOTO_PORT", str(server.port))
    yield server
    enable_execution(server.url, on=False)
    server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()
