"""Good and bad fixture files per finding family (see conftest.py for the format)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.analysis.rules import RULES_BY_CODE
from migrate.analysis.runner import analyse
from migrate.model import Job
from tests.analysis.jobfixtures import DATA, fixture_files, load_fixture


def _by_source(jobs: list[Job]) -> dict[tuple[str | None, str, int], Job]:
    return {(s.host, s.path, s.line): j for j in jobs for s in j.sources}


def _id(path: Path) -> str:
    return str(path.relative_to(DATA))


def test_every_code_has_good_and_bad_fixtures() -> None:
    for code in RULES_BY_CODE:
        assert list((DATA / code / "good").glob("*.yaml")), f"{code}: no good fixture"
        assert list((DATA / code / "bad").glob("*.yaml")), f"{code}: no bad fixture"


@pytest.mark.parametrize("path", fixture_files("bad"), ids=_id)
def test_bad_fixture_finds_each_planted_risk(path: Path) -> None:
    code = path.parent.parent.name
    assert code in RULES_BY_CODE
    jobs, expects, options = load_fixture(path)
    assert any(expects), "a bad fixture must expect something"
    result = _by_source(analyse(jobs, options).jobs)
    for job, expected in zip(jobs, expects, strict=True):
        out = result[(job.source.host, job.source.path, job.source.line)]
        if not expected:
            assert [f for f in out.findings if f.code == code] == [], job.command.shell
        for e in expected:
            hits = [
                f for f in out.findings
                if f.code == e["code"]
                and str(e.get("evidence", "")) in f.evidence
                and str(e.get("message", "")) in f.message
                and e.get("severity", f.severity) == f.severity
            ]
            assert hits, f"{job.command.shell!r}: expected {e}, got {out.findings}"


@pytest.mark.parametrize("path", fixture_files("good"), ids=_id)
def test_good_fixture_has_no_finding_of_its_code(path: Path) -> None:
    code = path.parent.parent.name
    jobs, _, options = load_fixture(path)
    for job in analyse(jobs, options).jobs:
        assert [f for f in job.findings if f.code == code] == [], job.command.shell
