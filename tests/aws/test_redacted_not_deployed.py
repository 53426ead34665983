"""A job whose catalog command still shows a redacted credential is never deployed."""

from __future__ import annotations

from migrate.aws.desired import _still_redacted
from migrate.model import Command, Finding, Job, Schedule, Source


def _job(shell: str, codes: list[str]) -> Job:
    return Job("j-1", "ping", "", True, [Source("crontab", "t", 1, shell)],
               Schedule("0 0 * * *", "UTC", aws=("cron(0 0 * * ? *)",)),
               Command(shell), [Finding(c, "warning", "m") for c in codes])


def test_redacted_command_with_secret_finding_is_held_back() -> None:
    assert _still_redacted(_job("curl -u admin:REDACTED https://x/ping", ["secret"]))


def test_fixed_command_or_no_secret_finding_deploys() -> None:
    assert not _still_redacted(_job("curl -u \"admin:$PING_PASS\" https://x/ping", ["secret"]))
    assert not _still_redacted(_job("echo REDACTED", []))
