"""Secrets: found, reported with a masked evidence, and gone from every string of a job."""

from __future__ import annotations

from dataclasses import fields

import pytest

from migrate.analysis.secrets import MASK, find_secrets, redact_job, redact_text
from migrate.model import Finding, Source
from tests.analysis.jobfixtures import DATA, make_job


def _cases() -> list[tuple[str, str]]:
    lines = (DATA / "secret" / "redaction.txt").read_text().splitlines()
    return [tuple(x.strip() for x in line.split("  =>  ")) for line in lines  # type: ignore[misc]
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(("text", "redacted"), _cases())
def test_redaction_table(text: str, redacted: str) -> None:
    assert redact_text(text) == redacted
    assert redact_text(redacted) == redacted  # idempotent: a mask is not a secret


def test_matches_are_the_values_only() -> None:
    [m] = find_secrets("mysql -u root -pS3cret db")
    assert (m.value, m.kind) == ("S3cret", "MySQL password (-p)")


def _all_strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*_all_strings(k), *_all_strings(v))]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in _all_strings(v)]
    if hasattr(obj, "__dataclass_fields__"):
        return [s for f in fields(obj) for s in _all_strings(getattr(obj, f.name))]  # type: ignore[arg-type]
    return []


def test_redact_job_leaves_no_copy_of_the_value_anywhere() -> None:
    job = make_job("mysqldump -u b -pTopSecret9 db > /dev/null; echo TopSecret9",
                   env={"API_TOKEN": "tok-12345", "PATH": "/bin"},
                   extra={"task": "backup --password=TopSecret9", "roles": ["db"]})
    job.sources.append(Source("whenever", "config/schedule.rb", 3,
                              "command 'backup --password=TopSecret9'", "h2", None))
    job.findings.append(Finding("x", "info", "saw TopSecret9", evidence="-pTopSecret9"))
    clean = redact_job(job)
    strings = _all_strings(clean)
    assert not [s for s in strings if "TopSecret9" in s or "tok-12345" in s]
    assert clean.command.env == {"API_TOKEN": MASK, "PATH": "/bin"}
    assert clean.command.shell == f"mysqldump -u b -p{MASK} db > /dev/null; echo {MASK}"
    assert clean.id == job.id and clean.schedule is job.schedule


def test_a_job_without_secrets_is_returned_as_is() -> None:
    job = make_job("/opt/app/bin/report --token-file /run/t")
    assert redact_job(job) is job
