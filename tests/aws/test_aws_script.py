"""The generated AWS CLI script, run by the real `aws` CLI against a fresh moto server, must
produce exactly the state `apply` produces."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import flow
import pytest
from aws_helpers import NOW, MotoServer, seed, snapshot

from migrate.aws.calls import plan_steps
from migrate.aws.plan import Plan
from migrate.aws.workflow import write_plan_files

AWS = Path(sys.executable).parent / "aws"


def _write(plan: Plan, out: Path) -> Path:
    write_plan_files(plan, plan_steps(plan, NOW), out)
    return out / "aws" / f"{plan.environment}.sh"


def _run(script: Path, url: str, via_argument: bool = False) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": f"{AWS.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "LC_ALL": "C",  # the JSON bodies must not depend on the locale
    }
    args = [str(script)]
    if via_argument:
        args += ["--endpoint-url", url]
    else:
        env["AWS_ENDPOINT_URL"] = url
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def _fresh(account: MotoServer) -> None:
    account.reset()
    seed(account.url)


@pytest.mark.skipif(not AWS.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_script_from_an_empty_account_reproduces_apply(account: MotoServer,
                                                       tmp_path: Path) -> None:
    script = _write(flow.plan(account.url), tmp_path)
    flow.apply(account.url)
    by_apply = snapshot(account.url)
    _fresh(account)
    done = _run(script, account.url)
    assert done.returncode == 0, done.stderr
    assert snapshot(account.url) == by_apply
    assert "create stg-quoting-torture: cron(0/5 * * * ? *) ENABLED" in done.stderr
    assert flow.plan(account.url).in_sync


@pytest.mark.skipif(not AWS.exists(), reason="the aws CLI (awscli) is in the test extra")
def test_script_for_updates_and_deletions_reproduces_apply(account: MotoServer,
                                                           tmp_path: Path) -> None:
    flow.apply(account.url)
    plan = flow.plan(account.url, cat="catalog-v2.yaml", prune=True)
    assert plan.of("update") and plan.of("delete") and plan.of("create")
    script = _write(plan, tmp_path)
    flow.apply(account.url, cat="catalog-v2.yaml", prune=True)
    by_apply = snapshot(account.url)
    _fresh(account)
    flow.apply(account.url)
    done = _run(script, account.url, via_argument=True)
    assert done.returncode == 0, done.stderr
    assert snapshot(account.url) == by_apply


def test_script_text_is_strict_quoted_and_its_bodies_are_ascii(account: MotoServer,
                                                               tmp_path: Path) -> None:
    script = _write(flow.plan(account.url), tmp_path)
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n") and "\nset -euo pipefail\n" in text
    assert os.access(script, os.X_OK)
    calls = [line for line in text.splitlines() if line.startswith(("aws_events ", "checked "))]
    assert len(calls) == 14
    assert calls[0] == ("aws_events put-rule --cli-input-json "
                        "file://staging/0001-stg-backup-db.put-rule.json >/dev/null")
    assert calls[1] == ("checked put-targets --cli-input-json "
                        "file://staging/0002-stg-backup-db.put-targets.json")
    bodies = sorted((tmp_path / "aws" / "staging").iterdir())
    assert len(bodies) == 14
    for body in bodies:
        body.read_bytes().decode("ascii")  # \uXXXX escapes, whatever the locale
    code = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not any(c in "\n".join(code) for c in ("日本語", "$(date", "`id"))  # JSON bodies only
    assert '#   command: ["sh", "-c", "echo \\"it\'s $(date +%s)\\" `id -u` 100% ' \
           '\\u65e5\\u672c\\u8a9e \'tab\\there\' > /dev/null"]' in text


def test_no_changes_script_does_nothing(account: MotoServer, tmp_path: Path) -> None:
    flow.apply(account.url)
    script = _write(flow.plan(account.url), tmp_path)
    text = script.read_text(encoding="utf-8")
    assert "echo 'No changes.' >&2" in text and "aws_events put" not in text
    assert not (tmp_path / "aws" / "staging").exists()


def test_replanning_replaces_stale_bodies(account: MotoServer, tmp_path: Path) -> None:
    _write(flow.plan(account.url), tmp_path)
    flow.apply(account.url)
    _write(flow.plan(account.url, cat="catalog-v2.yaml"), tmp_path)
    names = sorted(p.name for p in (tmp_path / "aws" / "staging").iterdir())
    assert names[0] == "0001-stg-hourly-ping.put-rule.json"
    assert not any("heavy-export" in n for n in names)
