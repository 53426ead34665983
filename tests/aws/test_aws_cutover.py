"""The AWS half of a cut-over against moto's HTTP server: only the chosen jobs' owned rules
are enabled and tagged (or disabled and untagged), from this catalog only; `apply` keeps a
cut-over rule enabled in shadow mode and keeps its tag. (Schedules:
test_aws_cutover_schedules.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from aws_helpers import FAST, MotoServer, catalog, client, config, snapshot

from migrate.aws.calls import plan_steps
from migrate.aws.config import Environment
from migrate.aws.cutover import NotDeployed, job_resources, set_cutover
from migrate.aws.workflow import Connection, Endpoints, build_plan, execute
from migrate.emit.catalog import Catalog

NOW = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)


def _apply(conn: Connection, env: Environment, digest: str, cat: Catalog) -> int:
    p = build_plan(conn, env, cat.jobs, digest, "catalog.yaml")
    execute(conn, env, plan_steps(p, NOW))
    return sum(c.action != "unchanged" for c in p.changes)


def test_enable_tag_plan_keeps_it_then_disable(account: MotoServer) -> None:
    cfg = config()
    shadow = replace(cfg.environment("staging"), state="DISABLED")
    cat, digest = catalog()
    _, other_digest = catalog("catalog-v2.yaml")
    events, sch = client(account.url), client(account.url, "scheduler")
    with Connection(cfg, Endpoints(account.url), backoff=FAST, workers=2) as conn:
        with pytest.raises(NotDeployed, match="not deployed: j-backup"):
            job_resources(events, sch, shadow, ["j-backup"], digest, FAST)
        assert _apply(conn, shadow, digest, cat) > 0
        before = snapshot(account.url)
        assert all(r["rule"]["State"] == "DISABLED" for r in before.values())
        rules = job_resources(events, sch, shadow, ["j-backup"], digest, FAST)
        names = {r.name for r in rules["j-backup"]}
        assert names and all(before[n]["tags"]["migrate:job-id"] == "j-backup" for n in names)
        assert other_digest != digest
        with pytest.raises(NotDeployed, match="another catalog"):
            job_resources(events, sch, shadow, ["j-backup"], other_digest, FAST)

        cut = set_cutover(events, sch, shadow, rules["j-backup"], True, NOW, FAST)
        assert cut == 2 * len(names)
        after = snapshot(account.url)
        for name, r in after.items():
            cut = name in names
            assert (r["rule"]["State"] == "ENABLED") == cut
            assert r["tags"].get("migrate:cutover-at") == ("2026-12-04T20:00:00Z" if cut else None)
            if not cut:
                assert r == before[name]
        again = job_resources(events, sch, shadow, ["j-backup"], digest, FAST)["j-backup"]
        assert set_cutover(events, sch, shadow, again, True, NOW, FAST) == 0  # a no-op

        assert _apply(conn, shadow, digest, cat) == 0  # apply keeps the cut-over rule as it is
        assert snapshot(account.url) == after

        back = job_resources(events, sch, shadow, ["j-backup"], digest, FAST)["j-backup"]
        assert set_cutover(events, sch, shadow, back, False, NOW, FAST) == 2 * len(names)
        restored = snapshot(account.url)
        assert restored == before
