"""`endpoint: embedded`: apply then plan in two separate processes, no AWS account at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from aws_helpers import DATA

from migrate.aws.guard.payload import render_template

ROOT = Path(__file__).resolve().parents[2]


def _migrate(args: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(ROOT), AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", **extra)
    return subprocess.run([sys.executable, "-m", "migrate", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def test_sandbox_apply_then_plan_shows_no_changes(tmp_path: Path) -> None:
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    (tmp_path / "output").mkdir()
    shutil.copy(DATA / "catalog.yaml", tmp_path / "output" / "catalog.yaml")

    applied = _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stderr
    # 7 job rules (2 calls each), the alert rule (2), its topic (1), one subscription (1),
    # the schedule group of `service: auto` (1; this catalog has no Scheduler targets)
    assert applied.stdout.endswith("Applied to sandbox: 11 resources changed with 19 calls.\n")
    state = json.loads((tmp_path / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    rules = [r for r in state["regions"]["us-east-1"] if r["Name"] != "sbx-migrate-alerts"]
    (topic,) = state["topics"]["us-east-1"]
    (group,) = state["schedule_groups"]["us-east-1"]
    assert group["Name"] == "sbx-migrate-sandbox" and group["Schedules"] == []
    assert topic["Name"] == "migrate-alerts-sandbox"
    assert topic["Subscriptions"] == [{"Protocol": "email", "Endpoint": "ops@example.com"}]
    assert sorted(r["Name"] for r in rules)[0] == "sbx-backup-db"
    assert all(r["Targets"][0]["Arn"].endswith(":cluster/batch-sandbox") for r in rules)

    planned = _migrate(["plan", "--env", "sandbox"], tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "No changes: the account matches the catalog." in planned.stdout
    assert (tmp_path / "output" / "aws" / "sandbox.sh").exists()
    assert "Traceback" not in applied.stderr + planned.stderr


def test_guarded_sandbox_apply_then_plan_shows_no_changes(tmp_path: Path) -> None:
    """The sample's sandbox guards by findings and catalog overrides: a guarded job and a
    chain (monthly-report after backup-db) deploy the machine, roles and table, and a second
    process sees the account in sync."""
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    (tmp_path / "output").mkdir()
    text = (DATA / "catalog.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: monthly-report\n",
                        "  name: monthly-report\n  overrides: {after: j-backup}\n", 1)
    (tmp_path / "output" / "catalog.yaml").write_text(text, encoding="utf-8")

    applied = _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "run guard calls" in applied.stdout
    state = json.loads((tmp_path / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    rules = {r["Name"]: r for r in state["regions"]["us-east-1"]}
    assert not any(n.startswith("sbx-monthly-report") for n in rules)  # runs in the chain
    head = rules["sbx-backup-db"]["Targets"][0]
    assert head["Arn"].endswith(":stateMachine:migrate-guard-sandbox")
    assert "j-report" in head["InputTransformer"]["InputTemplate"]
    guard = state["guard"]["us-east-1"]
    assert [t["name"] for t in guard["tables"]] == ["migrate-guard-sandbox"]
    assert [m["name"] for m in guard["machines"]] == ["migrate-guard-sandbox"]

    planned = _migrate(["plan", "--env", "sandbox"], tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "No changes: the account matches the catalog." in planned.stdout
    assert "Traceback" not in applied.stderr + planned.stderr


def test_sandbox_run_starts_the_task_and_status_says_no_data(tmp_path: Path) -> None:
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    (tmp_path / "output").mkdir()
    shutil.copy(DATA / "catalog.yaml", tmp_path / "output" / "catalog.yaml")
    assert _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path).returncode == 0

    ran = _migrate(["run", "backup-db", "--env", "sandbox", "--wait"], tmp_path)
    assert ran.returncode == 0, ran.stderr  # moto's task stops with exit code 0
    assert ran.stdout.startswith("Started backup-db (id j-backup) in sandbox: "
                                 "arn:aws:ecs:us-east-1:123456789012:task/batch-sandbox/")
    assert ran.stdout.endswith("Task stopped: app exited 0\n")

    for bad, message in (
        (["run", "no-such-job"], "output/catalog.yaml: no job with id or name 'no-such-job'"),
        (["run", "old-sync"], "job old-sync (id j-off) is inactive"),
        (["run", "on-boot"], "job on-boot (id j-reboot) is not deployed in sandbox: "
                             "no AWS expression"),
    ):
        refused = _migrate([*bad, "--env", "sandbox"], tmp_path)
        assert refused.returncode == 2
        (line,) = refused.stderr.splitlines()
        assert line.startswith(f"Error: {message}"), line

    status = _migrate(["status", "--env", "sandbox", "--since", "1d"], tmp_path)
    assert status.returncode == 1, status.stderr
    assert status.stdout.splitlines()[1].startswith(
        "sandbox: no data: CloudWatch has no AWS/Events datapoints for any of its 6 jobs")
    report = json.loads((tmp_path / "output" / "status-sandbox.json").read_text())
    assert report["healthy"] is False and report["any_data"] is False
    assert "Traceback" not in ran.stderr + status.stderr


def test_sandbox_with_the_samples_catalog_puts_dst_jobs_on_scheduler(tmp_path: Path) -> None:
    """The README's flow: the scanned samples (output/catalog.yaml) with `service: auto`."""
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    (tmp_path / "output").mkdir()
    shutil.copy(ROOT / "output" / "catalog.yaml", tmp_path / "output" / "catalog.yaml")
    applied = _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "on EventBridge Scheduler: legacy-batch-deploy-snapshot-us: Scheduler in " \
        "America/New_York (exact only there; rules are not)" in applied.stdout
    state = json.loads((tmp_path / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    (group,) = state["schedule_groups"]["us-east-1"]
    names = {s["Name"] for s in group["Schedules"]}
    assert "sbx-legacy-batch-deploy-snapshot-us" in names
    rules = {r["Name"] for r in state["regions"]["us-east-1"]}
    assert not names & rules  # each job on exactly one service
    # guard: findings: a DST job with an at-least-once finding starts the run guard from
    # its schedule, at Scheduler's scheduled time
    targets = {s["Name"]: s["Target"] for s in group["Schedules"]}
    guarded = targets["sbx-legacy-batch-deploy-mail-weekly-digest"]
    assert guarded["Arn"].endswith(":stateMachine:migrate-guard-sandbox")
    assert '"time":"<aws.scheduler.scheduled-time>"' in guarded["Input"]
    assert "EcsParameters" in targets["sbx-legacy-batch-deploy-snapshot-us"]  # no finding
    planned = _migrate(["plan", "--env", "sandbox"], tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "No changes: the account matches the catalog." in planned.stdout


def test_scanned_samples_run_through_their_guard_or_their_schedule(tmp_path: Path) -> None:
    """The README's flow from a clean checkout: scan the samples in Tokyo, apply the
    sandbox, then `migrate run` a job guarded on a rule, one guarded on a Scheduler schedule
    and a plain Scheduler job (the clock pinned, so the scheduled time is known)."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples", symlinks=True)
    scanned = _migrate(["scan", "samples", "--tz", "Asia/Tokyo"], tmp_path)
    assert scanned.returncode in (0, 1), scanned.stderr
    conf = ["--env", "sandbox", "--config", "samples/migrate.yaml"]
    applied = _migrate(["apply", *conf, "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    state = json.loads((tmp_path / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    machine = "arn:aws:states:us-east-1:123456789012:stateMachine:migrate-guard-sandbox"
    guarded_rule = next(r for r in state["regions"]["us-east-1"]
                        if r["Targets"][0]["Arn"] == machine)
    rule_job = render_template(guarded_rule["Targets"][0]["InputTransformer"], {"time": ""})
    (group,) = state["schedule_groups"]["us-east-1"]
    guarded_schedule = next(s for s in group["Schedules"] if s["Target"]["Arn"] == machine)
    schedule_job = json.loads(guarded_schedule["Target"]["Input"])["job"]
    plain = next(s for s in group["Schedules"] if "EcsParameters" in s["Target"])
    plain_job = next(v for t in plain["Target"]["EcsParameters"]["Tags"] for k, v in t.items()
                     if k == "migrate:job-id")

    pinned = {"SOURCE_DATE_EPOCH": "1796000000"}  # 2026-11-30T00:53:20Z
    for job, source in ((rule_job["job"], f"rule {guarded_rule['Name']}"),
                        (schedule_job, f"schedule {group['Name']}/{guarded_schedule['Name']}")):
        ran = _migrate(["run", job, *conf], tmp_path, **pinned)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        first, second, third = ran.stdout.splitlines()
        assert f"(id {job}) in sandbox through its run guard ({source}): " \
               f"{machine.replace('stateMachine', 'execution')}:migrate-run-20261130T0053Z-" \
            in first
        assert second.startswith("Scheduled time 2026-11-30T00:53:00Z: the guard runs the job "
                                 "once for it; a run already recorded for "
                                 "2026-11-30T00:53:00Z makes this one a duplicate")
        assert third == "The sandbox records the execution; it does not run state machines."

    waited = _migrate(["run", schedule_job, *conf, "--wait"], tmp_path)
    assert waited.returncode == 2 and waited.stdout == ""  # nothing started
    (line,) = waited.stderr.splitlines()
    assert line.startswith("Error: --wait: ") and "runs through its run guard" in line

    ran = _migrate(["run", plain_job, *conf, "--wait"], tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"(id {plain_job}) in sandbox: arn:aws:ecs:us-east-1:123456789012:task/" \
           "batch-sandbox/" in ran.stdout
    assert ran.stdout.endswith("Task stopped: app exited 0\n")
    assert "Traceback" not in applied.stderr + ran.stderr
