"""The alert rule's event pattern and message, judged by LocalStack's EventBridge engine (a
library here; moto has no TestEventPattern and does not look into arrays of objects).

Events in tests/data/aws/alerts/events/ are shaped like AWS's documented "ECS Task State
Change" example, with two containers per task; `*.match.json` must alert, `*.nomatch.json`
must not. The message is rendered by a documented minimal substitution, not by LocalStack: its
input-transformer functions (`localstack.services.events.target`) need Python >= 3.12 (its
events models use the `type X = ...` statement) and this project runs on 3.11. The
substitution does what EventBridge documents for InputTransformer: each InputPathsMap path
(only plain `$.a.b[0].c` paths are used) is read from the event with jsonpath-ng, a missing
value becomes "", and each `<name>` in the InputTemplate (a JSON string here) is replaced by
the scalar's text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_helpers import DATA
from jsonpath_ng import parse as jsonpath
from localstack.services.events.event_rule_engine import EventPatternCompiler, EventRuleEngine

from migrate.aws.alerts import INPUT_PATHS, event_pattern, message_template
from migrate.aws.config import load_config

EVENTS = sorted((DATA / "alerts" / "events").glob("*.json"))
CLUSTER = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging"
LOGS = "CloudWatch Logs (ap-northeast-1) group /ecs/batch-app, stream batch/app/TASK_ID"


def _env(name: str = "staging") -> Any:
    return load_config(DATA / "alerts" / "migrate.yaml").environment(name)


def _matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    compiled = EventPatternCompiler().compile_event_pattern(json.dumps(pattern))
    return bool(EventRuleEngine().evaluate_pattern_on_event(compiled, json.dumps(event)))


def _event(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.stem)
def test_alert_pattern_matches_failed_migrate_tasks_of_this_cluster_only(path: Path) -> None:
    expected = path.stem.endswith(".match")
    assert _matches(event_pattern(_env(), CLUSTER), _event(path)) is expected


def test_on_failed_only_leaves_tasks_that_failed_to_start_alone() -> None:
    pattern = event_pattern(_env("production"), CLUSTER)  # on: [failed]
    assert "$or" in pattern["detail"]
    by_name = {p.stem: _event(p) for p in EVENTS}
    assert _matches(pattern, by_name["exit-1.match"])
    assert _matches(pattern, by_name["no-exit-code.match"])
    assert not _matches(pattern, by_name["failed-to-start.match"])


def test_only_failed_to_start_is_a_plain_pattern() -> None:
    import dataclasses

    env = _env()
    env = dataclasses.replace(env, alerts=dataclasses.replace(env.alerts,
                                                              on=("failed-to-start",)))
    pattern = event_pattern(env, CLUSTER)
    assert pattern["detail"]["stopCode"] == ["TaskFailedToStart"]
    by_name = {p.stem: _event(p) for p in EVENTS}
    assert _matches(pattern, by_name["failed-to-start.match"])
    assert not _matches(pattern, by_name["exit-1.match"])


def _render(event: dict[str, Any]) -> str:
    values = {}
    for name, path in INPUT_PATHS.items():
        found = [m.value for m in jsonpath(path).find(event)]
        values[name] = "" if not found or found[0] is None else str(found[0])
    template = message_template(_env(), LOGS)
    placeholders = set(re.findall(r"<([^<>]*)>", template))
    assert placeholders == set(INPUT_PATHS)  # EventBridge refuses unknown placeholders
    for name, value in values.items():
        template = template.replace(f"<{name}>", json.dumps(value)[1:-1])
    return str(json.loads(template))


def test_message_names_job_environment_exit_codes_task_and_logs() -> None:
    text = _render(_event(DATA / "alerts" / "events" / "exit-1.match.json"))
    assert text.startswith("migrate: a job failed in environment staging (ap-northeast-1).\n")
    assert "Job (migrate:ID:NAME): migrate:j-backup:backup-db\n" in text
    assert "stop code: EssentialContainerExited; reason: Essential container in task exited" \
        in text
    assert "empty = no exit code): app=1 log-router=0 =\n" in text
    assert ("Task: arn:aws:ecs:ap-northeast-1:123456789012:task/batch-staging/"
            "b99d40b3e7a34ae2a8a1bd6e3f86eb9c\n") in text
    assert f"Logs: {LOGS}\n" in text
    assert text.endswith("Run it again: migrate run ID --env staging --wait")


def test_message_of_a_task_that_failed_to_start_gives_the_stop_reason() -> None:
    text = _render(_event(DATA / "alerts" / "events" / "failed-to-start.match.json"))
    assert ("stop code: TaskFailedToStart; reason: Timeout waiting for network interface "
            "provisioning to complete.") in text
    assert "empty = no exit code): app= log-router= =\n" in text
