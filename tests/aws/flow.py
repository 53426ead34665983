"""plan / apply through the library against a test endpoint (the CLI is tested separately)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_helpers import FAST, NOW, catalog, config

from migrate.aws.apply import ApplyReport
from migrate.aws.calls import plan_steps
from migrate.aws.clients import Backoff
from migrate.aws.plan import Plan
from migrate.aws.workflow import Connection, Endpoints, build_plan, check_promotion, execute


def plan(url: str, env: str = "staging", cat: str = "catalog.yaml", **flags: bool) -> Plan:
    cfg = config()
    jobs, digest = catalog(cat)
    with Connection(cfg, Endpoints(url), backoff=FAST, workers=4) as conn:
        return build_plan(conn, cfg.environment(env), jobs.jobs, digest, cat, **flags)


def apply(
    url: str,
    env: str = "staging",
    cat: str = "catalog.yaml",
    now: datetime = NOW,
    skip_gate: str | None = None,
    hook: Callable[[Any], None] | None = None,
    backoff: Backoff = FAST,
    workers: int = 4,
    **flags: bool,
) -> tuple[Plan, ApplyReport]:
    """The `migrate apply --yes` sequence: plan, gate, steps, execute."""
    cfg = config()
    environment = cfg.environment(env)
    jobs, digest = catalog(cat)
    with Connection(cfg, Endpoints(url), backoff=backoff, workers=workers) as conn:
        if hook is not None:  # sees the events client before any call (counters, faults)
            hook(conn.client("events", environment))
        p = build_plan(conn, environment, jobs.jobs, digest, cat, **flags)
        gate = check_promotion(conn, environment, jobs.jobs, digest, cat, now, skip_gate)
        steps = plan_steps(p, now, gate.skipped_reason)
        return p, execute(conn, environment, steps)
