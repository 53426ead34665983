"""End to end on generated crontabs (user and system format, env lines, comments, disabled
jobs) in fixed-offset zones: every job line is in the catalog, and every `exact` claim holds
for independent evaluators (cronsim for the legacy line, a plain date loop for AWS)."""

from __future__ import annotations

from datetime import date

from cronsim import CronSimError
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.scan import ScanOptions, scan_files
from migrate.schedule.zones import resolve_zone
from migrate.sources.crontab.parse import parse_crontab
from tests.schedule import naive
from tests.schedule.strategies import FIXED_ZONES, cron_lines, macro_free

HORIZON = (date(2027, 1, 1), date(2027, 4, 1))


@st.composite
def crontabs(draw):  # type: ignore[no-untyped-def]
    system = draw(st.booleans())
    lines: list[str] = []
    jobs: list[str] = []
    for i in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["job", "job", "job", "disabled", "env", "comment", "blank"]))
        if kind in ("job", "disabled"):
            when = draw(cron_lines(dense=False))
            user = " root" if system else ""
            line = f"{when}{user} /usr/local/bin/task-{i} --run"
            jobs.append(when)
            lines.append(line if kind == "job" else "# " + line)
        elif kind == "env":
            lines.append(draw(st.sampled_from(["MAILTO=ops@example.com", "PATH=/usr/bin:/bin",
                                               'SHELL="/bin/bash"', "X = y"])))
        elif kind == "comment":
            lines.append("# nightly jobs, do not edit")
        else:
            lines.append("")
    return system, "\n".join(lines) + "\n", jobs


@settings(max_examples=60, deadline=None)
@given(tab=crontabs(), zone=st.sampled_from(FIXED_ZONES))
def test_generated_crontabs_scan_completely_and_exact_claims_hold(
    tab: tuple[bool, str, list[str]], zone: str
) -> None:
    system, text, job_lines = tab
    parsed = parse_crontab(text, "gen", fmt="system" if system else "user", timezone=zone)
    result = scan_files([parsed], ScanOptions(timezone=zone, horizon=HORIZON))
    assert [j.schedule.cron for j in result.jobs] == job_lines
    assert not result.catalog.diagnostics
    for job in result.jobs:
        if not job.schedule.exact:
            assert job.findings, job.schedule
            continue
        try:
            src = naive.cron_fires(macro_free(job.schedule.cron), resolve_zone(zone), *HORIZON)
        except CronSimError:
            continue
        assert src == naive.aws_fires(list(job.schedule.aws), *HORIZON), job.schedule
