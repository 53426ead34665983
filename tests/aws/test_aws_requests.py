"""Every request body migrate sends passes botocore's own validation against its service's
model (EventBridge; SNS for the alert topic and subscriptions; DynamoDB, IAM and Step
Functions for the run guard) and our stricter checks
(requests.py); and when preflight fails, nothing reaches AWS: a counting proxy in front of
moto sees no request at all (or, for problems found in the request bodies after the account
was read, no changing request)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from aws_helpers import DATA, NOW, FaultProxy, MotoServer, client
from botocore.validate import ParamValidator
from click.testing import CliRunner

from migrate.aws import workflow
from migrate.aws.calls import plan_steps
from migrate.aws.clients import Backoff
from migrate.aws.config import load_config
from migrate.aws.desired import deployable, rule_names
from migrate.aws.requests import request_problems
from migrate.aws.workflow import Connection, Endpoints, build_plan, write_plan_files
from migrate.cli import cli
from migrate.emit.catalog import catalog_digest, catalog_from_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_CONFIG = ROOT / "samples" / "migrate.yaml"
SAMPLES_CATALOG = ROOT / "output" / "catalog.yaml"
MUTATING = ("PutRule", "PutTargets", "RemoveTargets", "DeleteRule", "TagResource",
            "UntagResource")
SERVICES = ("events", "sns", "dynamodb", "iam", "stepfunctions")
MODELS = {s: botocore.session.Session().get_service_model(s) for s in SERVICES}


def _operation(body: Path) -> str:
    """`0003-stg-x.put-targets.json` -> `PutTargets`."""
    cli_name = body.name.rsplit(".", 2)[-2]
    return "".join(w.capitalize() for w in cli_name.split("-"))


def _script_bodies(url: str, env: str, out: Path, adopt: bool = False,
                   skip: str | None = None, config_path: Path = SAMPLES_CONFIG) -> list[Path]:
    config = load_config(config_path)
    cat = catalog_from_text(SAMPLES_CATALOG.read_text(encoding="utf-8"), str(SAMPLES_CATALOG))
    with Connection(config, Endpoints(url), backoff=Backoff(max_attempts=2)) as conn:
        plan = build_plan(conn, config.environment(env), cat.jobs, catalog_digest(cat.jobs),
                          str(SAMPLES_CATALOG), adopt=adopt)
    assert not plan.errors, plan.errors
    write_plan_files(plan, plan_steps(plan, NOW, skip), out)
    return sorted((out / "aws" / env).glob("*.json"))


def _service(body: Path) -> str:
    """The service the generated script sends `body` to (`aws_sns ... file://<env>/<body>`,
    `aws_svc <service> ...` for the run guard's, otherwise `aws_events` / `checked`)."""
    script = (body.parent.parent / f"{body.parent.name}.sh").read_text(encoding="utf-8")
    ref = f"file://{body.parent.name}/{body.name}"
    line = next(x for x in script.splitlines() if ref in x)
    if line.startswith("aws_svc "):
        return line.split()[1]
    return "sns" if line.startswith("aws_sns ") else "events"


def _validate(body: Path) -> list[str]:
    params = json.loads(body.read_text(encoding="utf-8"))
    service = _service(body)
    shape = MODELS[service].operation_model(_operation(body)).input_shape
    report = ParamValidator().validate(params, shape)
    botocore_says = [report.generate_report()] if report.has_errors() else []
    api = "_".join(w.lower() for w in body.name.rsplit(".", 2)[-2].split("-"))
    return botocore_says + request_problems(api, params, "ap-northeast-1", service)


def test_every_body_of_the_samples_scripts_is_valid(account: MotoServer, tmp_path: Path) -> None:
    events = client(account.url)
    # a foreign rule in the way, with targets and tags: --adopt adds remove/untag bodies
    cat = catalog_from_text(SAMPLES_CATALOG.read_text(encoding="utf-8"))
    name = rule_names("stg-", deployable(cat.jobs)[0])[0]
    events.put_rule(Name=name, ScheduleExpression="rate(1 hour)",
                    Tags=[{"Key": "owner", "Value": "someone"}])
    events.put_targets(Rule=name,
                       Targets=[{"Id": f"t{i}", "Arn": f"arn:aws:sqs:ap-northeast-1:1:q{i}"}
                                for i in range(5)])
    bodies = (_script_bodies(account.url, "staging", tmp_path / "s", adopt=True)
              + _script_bodies(account.url, "production", tmp_path / "p",
                               skip="CHG-1234 approved by ops"))
    kinds = {_operation(b) for b in bodies}
    assert {"PutRule", "PutTargets", "RemoveTargets", "UntagResource", "TagResource",
            "CreateTopic", "Subscribe"} <= kinds  # staging's alerts: topic and subscription
    # the alert rule's target carries an InputTransformer; SNS bodies checked on SNS's model
    assert any("InputTransformer" in b.read_text(encoding="utf-8") for b in bodies)
    assert any(_service(b) == "sns" for b in bodies)
    assert len(bodies) > 100
    problems = {b.name: _validate(b) for b in bodies}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_body_of_a_guarded_environments_script_is_valid(account: MotoServer,
                                                              tmp_path: Path) -> None:
    """staging guarded (every job through the state machine) with its alert topic: the run
    guard's DynamoDB, IAM and Step Functions bodies come first in the script, pass their
    services' models, and the machine publishes failed runs to the alert topic."""
    text = SAMPLES_CONFIG.read_text(encoding="utf-8").replace(
        "    alerts: {topic: create}  ",
        "    guard: {mode: stepfunctions, lock_table: migrate-guard-staging}\n"
        "    alerts: {topic: create}  ", 1)
    assert "guard: {mode: stepfunctions" in text
    config = tmp_path / "migrate.yaml"
    config.write_text(text, encoding="utf-8")
    bodies = _script_bodies(account.url, "staging", tmp_path / "g", config_path=config)
    services = [_service(b) for b in bodies]
    assert {"dynamodb", "iam", "stepfunctions", "sns", "events"} <= set(services)
    first_rule = services.index("events")
    assert "stepfunctions" in services[:first_rule]  # the machine before any rule targets it
    machine = next(b for b in bodies if _operation(b) == "CreateStateMachine")
    topic = "arn:aws:sns:ap-northeast-1:123456789012:migrate-alerts-staging"
    assert topic in json.loads(machine.read_text(encoding="utf-8"))["definition"]
    problems = {b.name: _validate(b) for b in bodies}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize(("api", "params", "expected"), [
    ("put_rule", {"Name": "x" * 65, "ScheduleExpression": "rate(1 hour)"},
     "Name: 65 characters, at most 64 allowed"),
    ("put_rule", {"Name": "a b", "ScheduleExpression": "rate(1 hour)"}, "does not match"),
    ("put_rule", {"Name": "r", "State": "ON"}, "State: 'ON' is not one of"),
    ("tag_resource", {"ResourceARN": "arn:x", "Tags": [{"Key": "Aws:x", "Value": "v"}]},
     "the aws: prefix is reserved"),
    ("tag_resource", {"ResourceARN": "arn:x", "Tags": [{"Key": f"k{i}", "Value": "v"}
                                                       for i in range(51)]},
     "51 tags, at most 50 per rule"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t", "Arn": "arn:c", "EcsParameters": {
        "TaskDefinitionArn": "arn:td", "LaunchType": "EC2", "NetworkConfiguration": {
            "awsvpcConfiguration": {"Subnets": ["s"], "AssignPublicIp": "ENABLED"}}}}]},
     "AssignPublicIp ENABLED only with LaunchType FARGATE"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t", "Arn": "arn:c", "DeadLetterConfig": {
        "Arn": "arn:aws:sqs:ap-northeast-1:123456789012:q.fifo"}}]}, "a FIFO queue"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t", "Arn": "arn:c", "EcsParameters": {
        "TaskDefinitionArn": "arn:td", "CapacityProviderStrategy": [
            {"capacityProvider": "FARGATE", "base": 1}, {"capacityProvider": "X", "base": 2},
            {"capacityProvider": "a"}, {"capacityProvider": "b"}, {"capacityProvider": "c"},
            {"capacityProvider": "d"}, {"capacityProvider": "e"}]}}]},
     "CapacityProviderStrategy: 7 items, at most 6 allowed"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t", "Arn": "arn:c",
                                               "Input": "x" * 8193}]}, "Input: 8193"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t", "Arn": "arn:c", "RetryPolicy": {
        "MaximumRetryAttempts": 186}}]}, "186 is above the maximum 185"),
    ("put_targets", {"Rule": "r", "Targets": [{"Id": "t"}]}, "Missing required parameter"),
])
def test_bodies_aws_would_refuse_are_caught(api: str, params: dict[str, Any],
                                            expected: str) -> None:
    problems = request_problems(api, params, "ap-northeast-1")
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(("api", "params", "expected"), [
    ("create_topic", {"Attributes": {}}, "Missing required parameter"),
    ("subscribe", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Protocol": 5},
     "Invalid type for parameter Protocol"),
    ("tag_resource", {"ResourceArn": "arn:x", "Tags": [{"Key": "k"}]},
     "Missing required parameter"),
])
def test_sns_bodies_are_checked_on_the_sns_model(api: str, params: dict[str, Any],
                                                 expected: str) -> None:
    problems = request_problems(api, params, "us-east-1", "sns")
    assert any(expected in p for p in problems), problems


@pytest.fixture
def counted(account: MotoServer) -> Iterator[FaultProxy]:
    proxy = FaultProxy(account.port, lambda target, n: None)  # forwards and counts
    yield proxy
    proxy.close()


def _apply(tmp_path: Path, config_text: str, url: str, *extra: str,
           catalog: Path = DATA / "catalog.yaml") -> Any:
    path = tmp_path / "migrate.yaml"
    path.write_text(config_text)
    return CliRunner().invoke(cli, ["apply", "--yes", "--config", str(path), "--catalog",
                                    str(catalog), "--endpoint-url", url, *extra])


def test_apply_makes_no_aws_call_when_preflight_fails(counted: FaultProxy,
                                                      tmp_path: Path) -> None:
    text = (DATA / "migrate.yaml").read_text().replace(
        "batch-dlq\n", "batch-dlq.fifo\n")
    result = _apply(tmp_path, text, counted.url, "--env", "staging")
    assert result.exit_code == 2
    assert (f"Error: {tmp_path / 'migrate.yaml'}:19: environments.staging.dead_letter_queue: "
            "'arn:aws:sqs:ap-northeast-1:123456789012:batch-dlq.fifo' is a FIFO queue"
            in result.stderr), result.output
    assert sum(counted.seen.values()) == 0  # not even a read
    plan = CliRunner().invoke(cli, ["plan", "--env", "staging", "--config",
                                    str(tmp_path / "migrate.yaml"), "--catalog",
                                    str(DATA / "catalog.yaml"), "--endpoint-url", counted.url,
                                    "-o", str(tmp_path / "out")])
    assert plan.exit_code == 2 and sum(counted.seen.values()) == 0
    script = (tmp_path / "out" / "aws" / "staging.sh").read_text()
    assert "is a FIFO queue" in script and "\nexit 1\n" in script
    assert "aws_events put-rule" not in script and not (tmp_path / "out" / "aws" / "staging"
                                                        ).exists()


def test_a_skip_reason_that_cannot_be_a_tag_is_refused_before_any_call(
    counted: FaultProxy, tmp_path: Path,
) -> None:
    result = _apply(tmp_path, (DATA / "migrate.yaml").read_text(), counted.url, "--env",
                    "production", "--skip-staging-gate", "hotfix #123, approved")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --skip-staging-gate needs a reason of 1-256 "
                                    "characters that fits a tag value")
    assert "'#'" in result.stderr and sum(counted.seen.values()) == 0


def test_bodies_found_invalid_after_reading_the_account_change_nothing(
    counted: FaultProxy, tmp_path: Path,
) -> None:
    # a job id that cannot be the migrate:job-id tag value: known only from the catalog
    bad = tmp_path / "catalog.yaml"
    bad.write_text((DATA / "catalog.yaml").read_text().replace("id: j-backup", "id: j#backup"))
    result = _apply(tmp_path, (DATA / "migrate.yaml").read_text(), counted.url, "--env",
                    "staging", catalog=bad)
    assert result.exit_code == 2
    assert "rule stg-backup-db: put_rule: Tags: 'migrate:job-id': the tag value has '#'" \
        in result.stderr, result.output
    changing = [t for t in counted.seen if t.rsplit(".", 1)[-1] in MUTATING]
    assert counted.seen and changing == []


def test_owned_rules_under_an_old_prefix_are_orphans_and_prune_removes_them(
    account: MotoServer, tmp_path: Path,
) -> None:
    config = tmp_path / "migrate.yaml"
    config.write_text((DATA / "migrate.yaml").read_text())
    args = ["--env", "staging", "--config", str(config), "--catalog",
            str(DATA / "catalog.yaml"), "--endpoint-url", account.url]
    assert CliRunner().invoke(cli, ["apply", "--yes", *args]).exit_code == 0
    config.write_text(config.read_text().replace("rule_prefix: stg-", "rule_prefix: staging-"))
    plan = CliRunner().invoke(cli, ["plan", *args, "-o", str(tmp_path / "out")])
    assert plan.exit_code == 1
    assert ("orphan stg-backup-db: ours, named outside this environment's rule_prefix (an old "
            "prefix?) and still firing (kept; --prune deletes it)") in plan.stdout
    assert "7 to create" in plan.stdout and "7 no longer in the catalog" in plan.stdout
    pruned = CliRunner().invoke(cli, ["apply", "--yes", "--prune", "--force", *args])
    assert pruned.exit_code == 0, pruned.output
    names = {r["Name"] for r in client(account.url).list_rules()["Rules"]}
    assert names and all(n.startswith("staging-") for n in names)



def test_the_gate_names_the_source_environments_preflight_error(counted: FaultProxy,
                                                                 tmp_path: Path) -> None:
    text = (DATA / "migrate.yaml").read_text().replace("batch-dlq\n", "batch-dlq.fifo\n")
    result = _apply(tmp_path, text, counted.url, "--env", "production")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: staging cannot vouch for this catalog, its plan has "
                                    f"errors ({tmp_path / 'migrate.yaml'}:19: "
                                    "environments.staging.dead_letter_queue: "), result.stderr
    changing = [t for t in counted.seen if t.rsplit(".", 1)[-1] in MUTATING]
    assert changing == []


def test_adopting_a_full_rule_makes_room_before_adding_ours(
    account: MotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = client(account.url)
    # 5 targets (the most a rule holds) and 48 tags (ours would pass 50): only the order
    # remove-then-add fits within EventBridge's limits (moto does not enforce them, so the
    # order is asserted on the calls as sent)
    events.put_rule(Name="stg-backup-db", ScheduleExpression="rate(1 hour)",
                    Tags=[{"Key": f"team{i}", "Value": "x"} for i in range(48)])
    events.put_targets(Rule="stg-backup-db",
                       Targets=[{"Id": f"t{i}", "Arn": f"arn:aws:sqs:ap-northeast-1:1:q{i}"}
                                for i in range(5)])
    sent: list[str] = []

    def record(**kwargs: Any) -> None:
        params = kwargs.get("params") or {}
        if "stg-backup-db" in json.dumps(params, default=str):
            sent.append(kwargs["model"].name)

    config = tmp_path / "migrate.yaml"
    config.write_text((DATA / "migrate.yaml").read_text())
    args = ["--env", "staging", "--config", str(config), "--catalog",
            str(DATA / "catalog.yaml"), "--endpoint-url", account.url]
    plan = CliRunner().invoke(cli, ["plan", "--adopt", *args, "-o", str(tmp_path / "out")])
    assert ("adopt and update stg-backup-db (schedule, description, targets, tags): remove its "
            "targets t0, t1, t2, t3, t4; then remove its tags team0, team1") in plan.stdout
    real = workflow.make_client

    def hooked(*a: Any, **k: Any) -> Any:
        c = real(*a, **k)
        c.meta.events.register("before-parameter-build.events.*", record)
        return c

    monkeypatch.setattr(workflow, "make_client", hooked)
    done = CliRunner().invoke(cli, ["apply", "--yes", "--adopt", *args])
    assert done.exit_code == 0, done.output
    mutating = [n for n in sent if n in MUTATING]
    assert mutating == ["RemoveTargets", "UntagResource", "TagResource", "PutRule",
                        "PutTargets"]
    tags = {t["Key"] for t in events.list_tags_for_resource(
        ResourceARN=events.describe_rule(Name="stg-backup-db")["Arn"])["Tags"]}
    assert not any(k.startswith("team") and k != "team" for k in tags)
    assert "migrate:managed-by" in tags
    assert [t["Id"] for t in events.list_targets_by_rule(Rule="stg-backup-db")["Targets"]] \
        == ["migrate"]
