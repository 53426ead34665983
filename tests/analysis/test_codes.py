"""The finding-code registry: every code declared once, documented, and produced by a fixture.

Each code has a bad and a good fixture: the migration risks as job lists in
`tests/data/analysis/<code>/` (see test_fixtures.py), every other code as source files in
`tests/data/findings/<code>/{bad,good}/` (a crontab, a `schedule.rb` or a `.py` file, with an
optional `options.json`: `tz`, `format`, `dst`, `horizon`, `set` as for `migrate scan`, and
`review: inactive`, a reviewer's `active: false` carried into a re-scan). They are scanned
through the real pipeline (`scan_paths`): the bad one must produce the code, the good one (a
near miss) must not. The whenever evaluator's `error` notes reach the user as diagnostics
plus `whenever-fails`, so for `schedule.rb` fixtures the evaluator's notes count too.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from migrate.analysis import codes
from migrate.analysis.codes import CODES, declare, readme_table
from migrate.aws.desired import held_back
from migrate.model import Job
from migrate.scan import EXPLAINS_INEXACT, UNKNOWN_INSTANTS, ScanOptions, scan_paths
from migrate.sources.whenever.emulate import parse_set
from tests.sources.whenever.whenever_helpers import run as emulate_text

REPO = Path(__file__).resolve().parents[2]
FINDINGS = REPO / "tests" / "data" / "findings"
ANALYSIS = REPO / "tests" / "data" / "analysis"
NOW = datetime(2026, 3, 14, 9, 26, tzinfo=UTC)


def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "options.json")


def _options(folder: Path) -> dict[str, str]:
    path = folder / "options.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _scan(folder: Path) -> tuple[list[Job], set[str]]:
    """The jobs a scan of the folder's files makes, and the codes it produced (findings, and
    the whenever evaluator's notes)."""
    opts = _options(folder)
    horizon = None
    if "horizon" in opts:
        a, b = opts["horizon"].split(":")
        horizon = (date.fromisoformat(a), date.fromisoformat(b))
    settings = tuple(parse_set(opts.get("set", "")).items())
    options = ScanOptions(timezone=opts.get("tz", "UTC"), fmt=opts.get("format"),
                          horizon=horizon, dst=opts.get("dst", "standard"), now=NOW,
                          whenever_set=settings)
    paths = [str(p) for p in _inputs(folder)]
    result = scan_paths(paths, options)
    if opts.get("review") == "inactive":  # a reviewer set active: false, then a re-scan
        reviewed = [replace(j, active=False) for j in result.jobs]
        result = scan_paths(paths, options, previous=replace(result.catalog, jobs=reviewed))
    produced = {f.code for j in result.jobs for f in j.findings}
    for path in _inputs(folder):
        if path.suffix == ".rb":
            em = emulate_text(path.read_text(), set_=opts.get("set", ""))
            produced |= {n.code for n in em.evaluation.notes}
    return result.jobs, produced


def _fixture_codes() -> list[str]:
    return sorted(p.name for p in FINDINGS.iterdir() if p.is_dir())


def test_every_code_has_a_good_and_a_bad_fixture() -> None:
    for code in CODES:
        base = ANALYSIS if CODES[code] in codes.RISKS else FINDINGS
        for kind in ("good", "bad"):
            folder = base / code / kind
            assert folder.is_dir() and any(folder.iterdir()), f"{code}: no {kind} fixture"


def test_every_fixture_names_a_declared_code() -> None:
    for name in _fixture_codes():
        assert name in CODES and CODES[name] not in codes.RISKS, name


@pytest.mark.parametrize("code", _fixture_codes())
def test_bad_fixture_produces_its_code(code: str) -> None:
    jobs, produced = _scan(FINDINGS / code / "bad")
    assert code in produced, f"{code}: produced {sorted(produced)}"
    if CODES[code].blocks_deploy:  # `migrate apply` skips jobs without a rule or inactive
        carrying = [j for j in jobs if any(f.code == code for f in j.findings)]
        for job in carrying:  # ... or held back until a reviewer fixes the command
            assert not job.active or not job.schedule.aws or held_back(job), (
                code, job.schedule.aws)


@pytest.mark.parametrize("code", _fixture_codes())
def test_good_fixture_does_not(code: str) -> None:
    jobs, produced = _scan(FINDINGS / code / "good")
    assert jobs, f"{code}: a near miss still makes a job"
    assert code not in produced


def test_flags_drive_the_scan() -> None:
    assert {"dst-drift", "reboot", "random-delay"} <= EXPLAINS_INEXACT
    assert {"random-range", "random-delay", "anacron"} == UNKNOWN_INSTANTS
    assert UNKNOWN_INSTANTS <= EXPLAINS_INEXACT


def test_declaring_a_code_twice_raises() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        declare(codes.CRONTAB, "reboot", "error", "again", "again")
    assert CODES["reboot"] is codes.REBOOT


def test_readme_lists_exactly_the_registry() -> None:
    readme = (REPO / "README.md").read_text()
    m = re.search(r"<!-- codes -->\n(.*?)<!-- /codes -->", readme, re.S)
    assert m, "README.md has no <!-- codes --> table"
    assert m.group(1) == readme_table(), "regenerate the table with codes.readme_table()"
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", m.group(1), re.M)
    assert listed == list(CODES)


def test_findings_are_built_only_from_the_registry() -> None:
    """No `Finding(...)` outside the registry: every code goes through a declared `Code`."""
    allowed = REPO / "migrate" / "analysis" / "codes" / "base.py"
    offenders = []
    for path in sorted((REPO / "migrate").rglob("*.py")):
        if path == allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(
                    f, ast.Attribute) else ""
                if name == "Finding":
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []
