"""Every file under tests/data/python/<framework>/{valid,invalid}/ read, compared with the
`.expected.yaml` beside it. A first line `# path: X` gives the path the file is read as.

Set MIGRATE_UPDATE_EXPECTED=1 to (re)write the expected files, then review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from pyschedule_render import render

from migrate.sources.python import looks_like_python_schedule, read_python_schedules

DATA = Path(__file__).parents[2] / "data" / "python"
CASES = sorted(DATA.glob("*/*/*.py"))
ZONE = "Asia/Tokyo"


def read_case(path: Path) -> tuple[str, str]:
    text = path.read_text()
    m = re.match(r"# path: (\S+)\n", text)
    return text, m.group(1) if m else path.name


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(DATA)))
def test_case(case: Path) -> None:
    text, path = read_case(case)
    got = render(read_python_schedules(text, path, timezone=ZONE))
    expected_path = case.with_suffix(".expected.yaml")
    if os.environ.get("MIGRATE_UPDATE_EXPECTED"):
        expected_path.write_text(yaml.safe_dump(got, sort_keys=False, allow_unicode=True,
                                                width=100))
    assert got == yaml.safe_load(expected_path.read_text())


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(DATA)))
def test_valid_and_invalid(case: Path) -> None:
    """valid/: no diagnostics, no error findings. invalid/: something to report."""
    text, path = read_case(case)
    result = read_python_schedules(text, path, timezone=ZONE)
    errors = [f for j in result.jobs for f in j.findings if f.severity == "error"]
    if case.parent.name == "valid":
        assert result.diagnostics == [] and errors == []
        assert result.jobs and all(j.schedule.parsed or j.schedule.aws for j in result.jobs)
    else:
        warnings = [f for j in result.jobs for f in j.findings if f.severity == "warning"]
        assert result.diagnostics or errors or warnings


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(DATA)))
def test_recognised_by_content(case: Path) -> None:
    assert looks_like_python_schedule(read_case(case)[0])


def test_every_case_has_its_framework() -> None:
    for case in CASES:
        text, path = read_case(case)
        result = read_python_schedules(text, path, timezone=ZONE)
        framework = case.parent.parent.name
        assert not result.jobs or framework in result.kinds, case
