from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from aws_helpers import catalog, config

from migrate.aws.config import Environment
from migrate.aws.desired import (
    MAX_INPUT_BYTES,
    DesiredStateError,
    Resolved,
    container_command,
    description,
    desired_state,
    needs_shell,
    rule_names,
    task_definition_refs,
)
from migrate.aws.state import TAG_DIGEST, TAG_ENVIRONMENT, TAG_JOB_ID, TAG_MANAGED_BY
from migrate.model import Command, Finding, Job

RESOLVED = Resolved(
    cluster_arn="arn:aws:ecs:ap-northeast-1:123456789012:cluster/batch-staging",
    task_definitions={
        "batch-app": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch-app",
        "batch-heavy": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/batch-heavy",
    },
)


def _env() -> Environment:
    return config().environment("staging")


def _job(base: str = "backup-db", **changes: Any) -> Job:
    cat, _ = catalog()
    job = next(j for j in cat.jobs if j.name == base)
    return dataclasses.replace(job, **changes)


def _input(rule_targets: tuple[str, ...]) -> dict[str, Any]:
    target = json.loads(rule_targets[0])
    result: dict[str, Any] = json.loads(target["Input"])
    return result


def test_each_active_job_gets_one_rule_per_expression_and_inactive_ones_none() -> None:
    cat, digest = catalog()
    d = desired_state(cat.jobs, _env(), RESOLVED, digest)
    assert [r.name for r in d.rules] == [
        "stg-backup-db", "stg-monthly-report", "stg-monthly-report-2", "stg-quoting-torture",
        "stg-mail-digest", "stg-rails-cleanup", "stg-heavy-export",
    ]
    assert [r.schedule for r in d.rules[1:3]] == ["cron(30 21 L * ? *)", "cron(30 21 ? * 1 *)"]
    assert d.skipped == ("old-sync: inactive (active: false)",
                         "on-boot: no AWS expression (see the job's findings)")
    assert d.jobs["stg-monthly-report-2"] == "j-report"


def test_ownership_tags_and_environment_tags() -> None:
    cat, digest = catalog()
    rule = desired_state(cat.jobs, _env(), RESOLVED, digest).rules[0]
    assert dict(rule.tags) == {
        TAG_MANAGED_BY: "migrate", TAG_ENVIRONMENT: "staging", TAG_JOB_ID: "j-backup",
        TAG_DIGEST: digest, "team": "batch", "cost-center": "42",
    }
    assert rule.records == ()


def test_target_carries_cluster_role_ecs_parameters_retry_and_dead_letter_queue() -> None:
    cat, digest = catalog()
    rule = desired_state(cat.jobs, _env(), RESOLVED, digest).rules[0]
    (target,) = rule.target_dicts()
    assert target["Arn"] == RESOLVED.cluster_arn
    assert target["RoleArn"] == "arn:aws:iam::123456789012:role/ecsEventsRole"
    assert target["EcsParameters"] == {
        "TaskDefinitionArn": RESOLVED.task_definitions["batch-app"],
        "TaskCount": 1,
        "LaunchType": "FARGATE",
        "PlatformVersion": "LATEST",
        "PropagateTags": "TASK_DEFINITION",
        "EnableECSManagedTags": False,
        "EnableExecuteCommand": False,
        "NetworkConfiguration": {"awsvpcConfiguration": {
            "Subnets": ["subnet-0a1b", "subnet-0c2d"], "SecurityGroups": ["sg-0e3f"],
            "AssignPublicIp": "DISABLED"}},
        "Group": "migrate:j-backup:backup-db",  # alerts name the job from its task group
        "Tags": [{"Key": "migrate:environment", "Value": "staging"},
                 {"Key": "migrate:job-id", "Value": "j-backup"}],
    }
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 3600}
    assert target["DeadLetterConfig"] == {
        "Arn": "arn:aws:sqs:ap-northeast-1:123456789012:batch-dlq"}


def test_plain_command_runs_as_argv_and_cron_daemon_variables_are_dropped() -> None:
    cat, digest = catalog()
    rule = desired_state(cat.jobs, _env(), RESOLVED, digest).rules[0]
    assert _input(rule.targets) == {"containerOverrides": [{
        "name": "app",
        "command": ["/usr/local/bin/backup", "--full"],
        "environment": [{"name": "PATH", "value": "/usr/local/bin:/usr/bin:/bin"}],
    }]}


def test_shell_syntax_runs_under_sh_c_byte_for_byte() -> None:
    cat, digest = catalog()
    rules = {r.name: r for r in desired_state(cat.jobs, _env(), RESOLVED, digest).rules}
    job = _job("quoting-torture")
    got = _input(rules["stg-quoting-torture"].targets)["containerOverrides"][0]
    assert got["command"] == ["sh", "-c", job.command.shell]
    assert got["environment"] == [{"name": "GREETING", "value": job.command.env["GREETING"]}]
    raw = json.loads(rules["stg-quoting-torture"].targets[0])["Input"]
    assert "日本語" in raw  # UTF-8 in the Input text, not \u escapes


def test_argv_from_the_catalog_is_used_as_is() -> None:
    job = _job("rails-cleanup")
    assert container_command(job.command) == (list(job.command.argv or ()), {})


def test_cron_stdin_is_piped_in_through_a_variable_under_the_jobs_shell() -> None:
    job = _job("mail-digest")
    argv, env = container_command(job.command)
    assert argv == ["/bin/bash", "-c",
                    "printf '%s' \"$MIGRATE_CRON_STDIN\" | { unset MIGRATE_CRON_STDIN; "
                    "mail -s digest ops\n}"]
    assert env == {"MIGRATE_CRON_STDIN": "line one\nline ½ two"}


@pytest.mark.parametrize(
    ("line", "shell"),
    [
        ("/usr/bin/backup --full", False),
        ("php artisan schedule:run --env=prod", False),
        ("python3 -m app.jobs 100%", False),
        ("echo $HOME", True),
        ("a | b", True),
        ("a > /dev/null", True),
        ("a && b", True),
        ("a; b", True),
        ("FOO=1 cmd", True),
        ("cd /srv && make", True),
        ("cd /srv", True),
        ("echo 'quoted'", True),
        ('echo "quoted"', True),
        ("echo `id`", True),
        ("ls ~/x", True),
        ("ls *.log", True),
        ("rm -f /tmp/a?", True),
        ("echo a\nb", True),
        ("echo a\tb", True),
        ("echo 日本語", True),
        ("export A", True),
        ("exec app", True),
        ("", True),
    ],
)
def test_needs_shell(line: str, shell: bool) -> None:
    assert needs_shell(line) is shell


def test_overrides_win_over_the_environment() -> None:
    cat, digest = catalog()
    rule = desired_state(cat.jobs, _env(), RESOLVED, digest).rules[-1]
    assert rule.name == "stg-heavy-export"
    (target,) = rule.target_dicts()
    assert target["EcsParameters"]["TaskDefinitionArn"] == RESOLVED.task_definitions["batch-heavy"]
    assert json.loads(target["Input"]) == {
        "containerOverrides": [{"name": "app", "command": ["/opt/export/run.sh"],
                                "environment": [{"name": "EXPORT_MODE", "value": "full"}]}],
        "cpu": "2048", "memory": "4096",
    }
    assert task_definition_refs(cat.jobs, _env(), "c.yaml") == ["batch-app", "batch-heavy"]


def test_unknown_override_key_is_an_error_naming_the_job() -> None:
    job = _job(extra={"overrides": {"image": "x"}})
    with pytest.raises(DesiredStateError) as err:
        desired_state([job], _env(), RESOLVED, "d", "cat.yaml")
    assert str(err.value) == ("cat.yaml: job backup-db (id j-backup): overrides.image: unknown "
                              "key (expected task_definition, cpu, memory, environment, guard, "
                              "overlap, after)")


def test_input_over_8192_bytes_is_refused() -> None:
    big = Command(shell="echo " + "é" * 4200)  # 8400 bytes of UTF-8
    job = _job(command=big)
    with pytest.raises(DesiredStateError) as err:
        desired_state([job], _env(), RESOLVED, "d", "cat.yaml")
    size = len(json.dumps({"containerOverrides": [{"name": "app", "command": [
        "sh", "-c", big.shell], "environment": []}]}, ensure_ascii=False,
        separators=(",", ":")).encode())
    assert size > MAX_INPUT_BYTES
    assert str(err.value) == (f"cat.yaml: job backup-db (id j-backup): target Input is {size} "
                              f"bytes, more than EventBridge's 8192 (shorten the command or "
                              "its environment)")


def test_rule_names_suffix_and_shorten_within_64_characters() -> None:
    three = dataclasses.replace(_job().schedule, aws=("cron(0 1 * * ? *)",) * 3)
    assert rule_names("stg-", _job(schedule=three)) == [
        "stg-backup-db", "stg-backup-db-2", "stg-backup-db-3"]
    long = _job(name="n" * 64, schedule=three)
    names = rule_names("stg-", long)
    assert all(len(n) == 64 for n in names[1:]) and len(names[0]) == 64
    assert names[0].startswith("stg-nnn") and names[2].endswith("-3")
    assert len(set(names)) == 3


def test_duplicate_rule_names_are_refused() -> None:
    a = _job()
    b = _job(id="j-other", name="backup-db")
    with pytest.raises(DesiredStateError) as err:
        desired_state([a, b], _env(), RESOLVED, "d", "cat.yaml")
    assert str(err.value) == ("cat.yaml: job backup-db (id j-other): rule name stg-backup-db is "
                              "also used by job backup-db (id j-backup); names must be unique")


def test_schedule_that_is_not_an_eventbridge_expression_is_refused() -> None:
    bad = dataclasses.replace(_job().schedule, aws=("0 17 * * *",))
    with pytest.raises(DesiredStateError) as err:
        desired_state([_job(schedule=bad)], _env(), RESOLVED, "d", "cat.yaml")
    assert str(err.value) == ("cat.yaml: job backup-db (id j-backup): schedule.aws: '0 17 * * *': "
                              "expected cron(...) or rate(...)")
    bad = dataclasses.replace(_job().schedule, aws=("cron(0 17 * * * *)",))
    with pytest.raises(DesiredStateError) as err:
        desired_state([_job(schedule=bad)], _env(), RESOLVED, "d", "cat.yaml")
    assert str(err.value) == ("cat.yaml: job backup-db (id j-backup): schedule.aws: "
                              "cron(0 17 * * * *): exactly one of day-of-month and day-of-week "
                              "must be '?'")


def test_description_names_source_and_original_schedule_within_512() -> None:
    job = _job()
    assert description(job, 1, 1) == ("0 2 * * * (Asia/Tokyo) from crontab /etc/cron.d/batch:3 "
                                      "on batch1 as root; At 02:00 every day (Asia/Tokyo)")
    long = _job(description="x" * 600)
    text = description(long, 2, 3)
    assert len(text) == 512 and text.endswith("...") and "; expression 2 of 3; " in text


def test_job_whose_command_still_holds_ruby_is_not_deployed() -> None:
    ruby = "#{lambda { log_target }.call}"
    job = _job(command=Command(shell=f"/opt/x {ruby}", argv=("sh", "-c", f"/opt/x {ruby}")),
               findings=[Finding("whenever-unevaluated", "error", "m", evidence=ruby)])
    d = desired_state([job], _env(), RESOLVED, "d")
    assert d.rules == ()
    assert d.skipped == (f"backup-db: its command still contains Ruby that whenever evaluates "
                         f"when it runs ({ruby}); replace it with its value in the catalog's "
                         "command",)


def test_base_0_is_never_sent_and_reads_back_equal() -> None:
    from migrate.aws.config import CapacityProvider
    from migrate.aws.state import target_text

    env = dataclasses.replace(_env(), launch_type=None, capacity_provider_strategy=(
        CapacityProvider("FARGATE", 1, 0), CapacityProvider("FARGATE_SPOT", 3, 2)))
    cat, digest = catalog()
    rule = desired_state(cat.jobs, env, RESOLVED, digest).rules[0]
    (sent,) = rule.target_dicts()
    strategy = sent["EcsParameters"]["CapacityProviderStrategy"]
    assert strategy == [{"capacityProvider": "FARGATE", "weight": 1},
                        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 2}]
    echoed = json.loads(json.dumps(sent))  # as AWS may report it: base 0 written out
    echoed["EcsParameters"]["CapacityProviderStrategy"][0]["base"] = 0
    assert target_text(echoed) == rule.targets[0]
