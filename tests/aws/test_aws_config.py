from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import DATA

from migrate.aws.config import (
    ConfigError,
    config_from_text,
    format_duration,
    load_config,
    parse_duration,
)

ROOT = Path(__file__).resolve().parents[2]
INVALID = sorted((DATA / "config" / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "config" / "valid").glob("*.yaml"))


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_config_names_file_line_key_and_expectation(path: Path) -> None:
    expected = path.with_suffix(".err").read_text(encoding="utf-8").strip()
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == expected.replace("{path}", str(path))


def _enc(o: Any) -> Any:
    if isinstance(o, timedelta):
        return o.total_seconds()
    raise TypeError(o)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_config_reads_as_expected(path: Path) -> None:
    cfg = load_config(path)
    got = {n: dataclasses.asdict(e) for n, e in cfg.environments.items()}
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(got, default=_enc)) == expected


def test_samples_migrate_yaml_is_valid_and_documents_a_sandbox() -> None:
    cfg = load_config(ROOT / "samples" / "migrate.yaml")
    assert {"staging", "production", "sandbox"} <= set(cfg.environments)
    assert cfg.environments["sandbox"].endpoint == "embedded"
    assert cfg.environments["production"].promote_after == timedelta(hours=24)
    assert cfg.environments["production"].gated and not cfg.environments["staging"].gated


def test_defaults_merge_under_each_environment_and_errors_point_at_defaults() -> None:
    cfg = load_config(DATA / "migrate.yaml")
    stg, prd = cfg.environments["staging"], cfg.environments["production"]
    assert stg.region == prd.region == "ap-northeast-1"
    assert stg.tags == (("cost-center", "42"), ("team", "batch"))
    assert prd.promote_from == "staging" and prd.promote_after == timedelta(hours=24)
    text = (
        "defaults:\n  state: maybe\n  region: r\n  cluster: c\n  task_definition: t\n"
        "  container: app\n  role_arn: arn:aws:iam::1:role/r\n  subnets: [s]\n"
        "environments:\n  staging: {}\n"
    )
    with pytest.raises(ConfigError) as err:
        config_from_text(text, "m.yaml")
    assert str(err.value) == "m.yaml:2: defaults.state: expected ENABLED or DISABLED, got 'maybe'"


def test_unknown_environment_is_named_with_the_known_ones() -> None:
    cfg = load_config(DATA / "migrate.yaml")
    with pytest.raises(ConfigError) as err:
        cfg.environment("prod")
    assert str(err.value).endswith("no environment 'prod' (defined: production, staging)")


def test_missing_config_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "migrate.yaml")
    assert "no such file (pass --config PATH; see samples/migrate.yaml)" in str(err.value)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", 86400), ("30m", 1800), ("7d", 604800), ("1d12h", 129600), ("2w", 1209600),
     ("90s", 90), ("0", 0)],
)
def test_parse_duration(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "24", "h", "1 day", "24H", "1h 30m", "-1h", "1.5h"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_format_duration_inverts_parse() -> None:
    for text in ("1d12h", "30m", "7d", "2h5m", "0m"):
        assert format_duration(parse_duration(text)) == text
