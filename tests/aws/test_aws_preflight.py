"""Preflight: each `migrate.yaml` variant in tests/data/aws/preflight/ must produce exactly the
problems in its `.expect` file (severity, file:line, key, the AWS rule), before any AWS call.
A `.td.json` beside it stands for the task definitions `DescribeTaskDefinition` returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_helpers import DATA

from migrate.aws.config import ConfigError, load_config
from migrate.aws.config.model import default_rule_quota
from migrate.aws.preflight import (
    TaskFacts,
    check_environment,
    check_task_definitions,
    skip_reason_problem,
)

CASES = sorted((DATA / "preflight").glob("*.yaml"))


def problems_of(path: Path) -> list[str]:
    try:
        config = load_config(path)
    except ConfigError as exc:
        return [f"error: {exc}".replace(str(path), "{path}")]
    td = path.with_suffix(".td.json")
    facts = {ref: TaskFacts.of(d) for ref, d in json.loads(td.read_text()).items()} \
        if td.exists() else {}
    out = []
    for name, env in config.environments.items():
        places = config.places[name]
        found = check_environment(env, places) + check_task_definitions(env, facts, places)
        out += [f"{p.severity}: {p}" for p in found]
    return [line.replace(str(path), "{path}") for line in out]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_variant_gives_its_exact_problems(path: Path) -> None:
    expect = path.with_suffix(".expect").read_text(encoding="utf-8").splitlines()
    assert problems_of(path) == [x for x in expect if x and not x.startswith("#")]


def test_every_variant_has_an_expectation() -> None:
    assert CASES and all(p.with_suffix(".expect").exists() for p in CASES)


@pytest.mark.parametrize(("region", "quota"), [("af-south-1", 100), ("eu-south-1", 100),
                                               ("us-east-1", 300), ("ap-northeast-1", 300)])
def test_the_rule_quota_defaults_by_region_and_rule_quota_overrides_it(
    region: str, quota: int, tmp_path: Path,
) -> None:
    assert default_rule_quota(region) == quota
    text = (f"environments:\n  staging:\n    region: {region}\n    cluster: c\n"
            "    task_definition: t\n    container: app\n"
            "    role_arn: arn:aws:iam::1:role/r\n    subnets: [s]\n")
    (tmp_path / "m.yaml").write_text(text)
    assert load_config(tmp_path / "m.yaml").environments["staging"].rule_quota == quota
    (tmp_path / "m.yaml").write_text(text + "    rule_quota: 1000\n")
    assert load_config(tmp_path / "m.yaml").environments["staging"].rule_quota == 1000


@pytest.mark.parametrize(("reason", "ok"), [
    ("CHG-1234 approved by ops@example.com", True),
    ("Notfall: Änderung 42 / Freigabe = ja", True),  # letters of any script are allowed
    ("hotfix #123", False),
    ("ok, approved", False),
    ("x" * 257, False),
    ("   ", False),
])
def test_skip_reasons_that_do_not_fit_a_tag_value_are_refused(reason: str, ok: bool) -> None:
    assert (skip_reason_problem(reason) is None) == ok
