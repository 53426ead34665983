"""The issue's "done when", through the real command line in separate processes: a copy of
the sample fleet, scanned; `apply --env sandbox` (embedded moto server, shadow mode); a
cut-over of one job with `--now`; again (a no-op); rollback. Then bad input: every error
leaves the files and the account as they were."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
JOB = "php /var/www/shop/artisan schedule:run >> /dev/null 2>&1"  # on web1, web2, web3


def _migrate(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(PYTHONPATH=str(ROOT), AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return subprocess.run([sys.executable, "-m", "migrate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _rules(cwd: Path) -> dict[str, tuple[str, dict[str, str]]]:
    state = json.loads((cwd / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    return {r["Name"]: (r["State"], {t["Key"]: t["Value"] for t in r.get("Tags", [])})
            for r in state["regions"]["us-east-1"]}


def _setup(tmp_path: Path, target: str = "fleet") -> tuple[Path, dict[str, str]]:
    shutil.copytree(ROOT / "samples" / "fleet", tmp_path / "fleet")
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    scanned = _migrate(["scan", str(tmp_path / target)], tmp_path)
    assert scanned.returncode in (0, 1), scanned.stderr
    catalog = yaml.safe_load((tmp_path / "output" / "catalog.yaml").read_text("utf-8"))
    ids = {j["command"]["shell"]: j["id"] for j in catalog["jobs"]}
    return tmp_path / "fleet", ids


def test_apply_cutover_again_rollback_on_the_sample_fleet(tmp_path: Path) -> None:
    fleet, ids = _setup(tmp_path)
    before = _files(fleet)
    applied = _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    rules = _rules(tmp_path)
    job = ids[JOB]
    mine = [n for n, (_, tags) in rules.items() if tags.get("migrate:job-id") == job]
    job_rules = {n for n, (_, tags) in rules.items() if "migrate:job-id" in tags}
    assert mine and all(rules[n][0] == "DISABLED" for n in job_rules)  # shadow mode
    # the sample's failure-alert rule (no job) watches ECS events and stays enabled throughout
    others = set(rules) - job_rules
    assert others and all(rules[n][0] == "ENABLED" for n in others)

    refused = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--yes"], tmp_path)
    assert refused.returncode == 2
    assert "no window of 10 minutes" in refused.stderr and "--now" in refused.stderr
    assert "the run at " in refused.stderr
    assert _files(fleet) == before and _rules(tmp_path) == rules

    cut = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    after = _files(fleet)
    changed = sorted(k for k in before if after[k] != before[k])
    assert changed == ["web1/etc/crontab", "web2/etc/crontab", "web3/etc/crontab"]
    for rel in changed:
        diff = [(a, b) for a, b in zip(before[rel].split(b"\n"), after[rel].split(b"\n"),
                                       strict=True) if a != b]
        assert len(diff) == 1
        old, new = diff[0]
        assert new.startswith(f"#migrated(sandbox {job}, ".encode()) and new.endswith(b": " + old)
    now = _rules(tmp_path)
    for name, (state, tags) in now.items():
        assert (state == "ENABLED") == (name in mine or name in others), name
        assert ("migrate:cutover-at" in tags) == (name in mine)
    assert {n: now[n] for n in others} == {n: rules[n] for n in others}
    out = tmp_path / "output" / "cutover" / "sandbox"
    assert {"README.md", "cutover.yml", "rollback.yml", "inventory.yml"} <= {
        p.name for p in out.iterdir()}
    assert (out / "diffs" / "web2.diff").read_text().count("\n+#migrated(") == 1

    again = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert again.returncode == 0 and "Nothing to do" in again.stdout, again.stderr
    assert _files(fleet) == after and _rules(tmp_path) == now
    planned = _migrate(["plan", "--env", "sandbox"], tmp_path)
    assert "No changes" in planned.stdout, planned.stdout  # apply keeps it cut over

    back = _migrate(["rollback", "--env", "sandbox", "--jobs", job, "--yes"], tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    assert _files(fleet) == before
    assert _rules(tmp_path) == {n: (s, {k: v for k, v in t.items() if k != "migrate:applied-at"}
                                    | {"migrate:applied-at": rules[n][1]["migrate:applied-at"]})
                                for n, (s, t) in rules.items()}


def test_bad_input_changes_nothing(tmp_path: Path) -> None:
    fleet, ids = _setup(tmp_path)
    before = _files(fleet)
    job = ids[JOB]

    def refused(args: list[str], *expected: str) -> None:
        r = _migrate(["cutover", "--env", "sandbox", "--now", "--yes", *args], tmp_path)
        assert r.returncode == 2, r.stdout + r.stderr
        for text in expected:
            assert text in r.stderr, r.stderr
        assert _files(fleet) == before

    refused(["--jobs", job], f"not deployed: {job}", "migrate apply --env sandbox")
    assert _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path).returncode == 0
    rules = _rules(tmp_path)
    refused(["--jobs", "j-000000000000"], "no job j-000000000000 in the catalog")
    refused(["--hosts", "web9"], "unknown host web9", "web1, web2, web3")
    refused(["--jobs", job, "--hosts", "web1"], "also lives on web2, web3")
    refused(["--jobs", job, "--window", "tomorrow"], "expected START..END")
    assert _rules(tmp_path) == rules

    single = _migrate(["scan", str(fleet / "web1" / "etc" / "crontab"), "-o", "single"],
                      tmp_path)
    assert single.returncode in (0, 1), single.stderr
    r = _migrate(["cutover", "--env", "sandbox", "--catalog", "single/catalog.yaml",
                  "--jobs", _first_id(tmp_path / "single"),
                  "--now", "--yes"], tmp_path)
    assert r.returncode == 2 and "scanned as a single file" in r.stderr, r.stderr
    assert "scan that directory" in r.stderr
    assert _files(fleet) == before and _rules(tmp_path) == rules


def _first_id(out: Path) -> str:
    return str(yaml.safe_load((out / "catalog.yaml").read_text("utf-8"))["jobs"][0]["id"])


def test_python_schedule_cutover_writes_the_patch_and_rollback_restores_it(
        tmp_path: Path) -> None:
    """A Python schedule has no crontab line: cut-over writes the module's patch (the
    legacy-side edit, deployed with the application) and enables the rule; once the patch
    is deployed in the scanned tree, rollback restores the module byte for byte."""
    module = tmp_path / "app" / "scripts" / "scheduler.py"
    module.parent.mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "scripts" / "scheduler.py", module)
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    original = module.read_bytes()
    assert _migrate(["scan", str(tmp_path / "app")], tmp_path).returncode in (0, 1)
    catalog = yaml.safe_load((tmp_path / "output" / "catalog.yaml").read_text("utf-8"))
    job = next(j["id"] for j in catalog["jobs"] if j["source"]["kind"] == "apscheduler")
    applied = _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    cut = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    assert module.read_bytes() == original  # migrate never changes the application
    out = tmp_path / "output" / "cutover" / "sandbox"
    assert {"1-scheduler.py.patch", "1-scheduler.py.reverse.patch", "manifest.json"} <= {
        p.name for p in (out / "patches").iterdir()}
    assert "the patch must be deployed with the application in the window" in (
        out / "README.md").read_text(encoding="utf-8")
    mine = {n: s for n, (s, t) in _rules(tmp_path).items() if t.get("migrate:job-id") == job}
    assert mine and set(mine.values()) == {"ENABLED"}
    [saved] = json.loads((out / "patches" / "manifest.json").read_text(encoding="ascii"))
    module.write_text(saved["new"], encoding="utf-8")  # the application deployed the patch
    again = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert again.returncode == 0 and "Nothing to do" in again.stdout, again.stderr
    back = _migrate(["rollback", "--env", "sandbox", "--jobs", job, "--yes"], tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    assert module.read_bytes() == original and "Restored" in back.stdout
    assert {s for n, (s, t) in _rules(tmp_path).items() if n in mine} == {"DISABLED"}
    assert "patched, restored byte for byte" in (out / "README.md").read_text(encoding="utf-8")


def _schedules(cwd: Path) -> dict[str, tuple[str, list[dict[str, str]]]]:
    """Every schedule of the sandbox: (State, the task tags of the task it starts, in
    Scheduler's `{key: value}` form)."""
    state = json.loads((cwd / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    return {s["Name"]: (s["State"], _task_tags(s["Target"]))
            for g in state["schedule_groups"]["us-east-1"] for s in g["Schedules"]}


def _task_tags(target: dict[str, Any]) -> list[dict[str, str]]:
    if "EcsParameters" in target:
        return list(target["EcsParameters"]["Tags"])
    # the sandbox guards jobs with findings: the schedule starts the run guard, whose input
    # carries the task (RunTask's {Key, Value} tags)
    task = json.loads(target["Input"])["task"]
    return [{t["Key"]: t["Value"]} for t in task["Tags"]]


def _sandbox_schedule(cwd: Path, name: str) -> dict[str, Any]:
    state = json.loads((cwd / ".migrate" / "sandbox.json").read_text(encoding="utf-8"))
    found: dict[str, Any] = next(s for g in state["schedule_groups"]["us-east-1"]
                                 for s in g["Schedules"] if s["Name"] == name)
    return found


def test_a_job_on_scheduler_is_cut_over_and_rolled_back(tmp_path: Path) -> None:
    """The sample sandbox runs jobs with daylight saving on Scheduler (service: auto): the
    morning digest (09:00 New York) is a schedule, guarded (the sample's `guard: findings`:
    it starts the run guard). Its line is commented out, its schedule enabled with the
    record among its task's tags; plan shows no change; rollback restores both. The fleet
    is scanned by a relative path (the playbook's roots are made absolute)."""
    shutil.copytree(ROOT / "samples" / "fleet", tmp_path / "fleet")
    shutil.copy(ROOT / "samples" / "migrate.yaml", tmp_path / "migrate.yaml")
    assert _migrate(["scan", "fleet"], tmp_path).returncode in (0, 1)
    catalog = yaml.safe_load((tmp_path / "output" / "catalog.yaml").read_text("utf-8"))
    job = next(j["id"] for j in catalog["jobs"]
               if j["command"]["shell"] == "/opt/reports/bin/morning-digest --market us")
    assert _migrate(["apply", "--env", "sandbox", "--yes"], tmp_path).returncode == 0
    fleet = tmp_path / "fleet"
    files, rules, schedules = _files(fleet), _rules(tmp_path), _schedules(tmp_path)
    (name,) = [n for n, (_, tags) in schedules.items() if {"migrate:job-id": job} in tags]
    # guard: findings in the sample: this job (at-least-once) starts through the run guard
    target = _sandbox_schedule(tmp_path, name)["Target"]
    assert target["Arn"].endswith(":stateMachine:migrate-guard-sandbox")
    assert {s for s, _ in schedules.values()} == {"DISABLED"}  # shadow mode
    assert not [n for n, (_, t) in rules.items() if t.get("migrate:job-id") == job]

    cut = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    assert f"rules and schedules enabled: {name})" in cut.stdout
    after = _files(fleet)
    assert [k for k in files if after[k] != files[k]] == ["ny-batch1/etc/crontab"]
    assert after["ny-batch1/etc/crontab"].count(f"\n#migrated(sandbox {job}, ".encode()) == 1
    now = _schedules(tmp_path)
    state, tags = now[name]
    assert state == "ENABLED" and tags[:-1] == schedules[name][1]
    assert list(tags[-1]) == ["migrate:cutover-at"]
    assert {n: s for n, s in now.items() if n != name} == {
        n: s for n, s in schedules.items() if n != name}
    assert _rules(tmp_path) == rules

    again = _migrate(["cutover", "--env", "sandbox", "--jobs", job, "--now", "--yes"], tmp_path)
    assert again.returncode == 0 and "Nothing to do" in again.stdout, again.stderr
    planned = _migrate(["plan", "--env", "sandbox"], tmp_path)
    assert "No changes" in planned.stdout, planned.stdout  # apply keeps it cut over

    back = _migrate(["rollback", "--env", "sandbox", "--jobs", job, "--yes"], tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    assert _files(fleet) == files and _schedules(tmp_path) == schedules
    assert "No changes" in _migrate(["plan", "--env", "sandbox"], tmp_path).stdout
