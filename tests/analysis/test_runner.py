"""analyse(): the families together, re-analysis, the --fail-on decision."""

from __future__ import annotations

from datetime import date

from migrate.analysis.rules import reaches
from migrate.analysis.runner import AnalysisOptions, analyse
from migrate.emit.catalog import Catalog, catalog_from_text, catalog_to_text
from migrate.model import Finding
from tests.analysis.jobfixtures import HORIZON, make_job

OPTIONS = AnalysisOptions(horizon=HORIZON)


def test_reaches_is_the_fail_on_threshold() -> None:
    info, warning = Finding("a", "info", "m"), Finding("b", "warning", "m")
    error = Finding("c", "error", "m")
    assert not reaches([info, warning], "error") and reaches([info, error], "error")
    assert reaches([warning], "warning") and reaches([error], "warning")
    assert not reaches([info], "warning") and not reaches([error], None)


def test_analysis_is_stable_when_run_again_on_its_own_output() -> None:
    jobs = [make_job("rsync -a /srv/x/ feed@203.0.113.5:/in/", host=f"h{i}") for i in range(3)]
    jobs.append(make_job("mysql -u a -pS3cretPw db -e 'x'", env={"MAILTO": "ops@example.com"}))
    first = analyse(jobs, OPTIONS)
    again = analyse(first.jobs, OPTIONS)
    assert [j.findings for j in again.jobs] == [j.findings for j in first.jobs]
    assert len(first.jobs) == 2


def test_a_catalog_read_back_gets_the_same_findings() -> None:
    jobs = [make_job("curl -fsS http://localhost:8080/cron", cron="*/5 * * * *",
                     extra={"max_runtime": "20m"})]
    first = analyse(jobs, OPTIONS)
    text = catalog_to_text(Catalog(first.jobs, "now", HORIZON))
    back = catalog_from_text(text).jobs
    assert back[0].schedule.parsed is None  # the analysis re-reads the cron text
    assert [f.code for f in analyse(back, OPTIONS).jobs[0].findings] == \
        [f.code for f in first.jobs[0].findings] == ["self-overlap", "localhost"]


def test_findings_of_other_stages_are_kept_in_front() -> None:
    job = make_job("/opt/x --send-invoices")
    job.findings.append(Finding("dst-drift", "warning", "m"))
    [out] = analyse([job], OPTIONS).jobs
    assert [f.code for f in out.findings] == ["dst-drift", "at-least-once"]


def test_inactive_jobs_do_not_start_and_are_still_read() -> None:
    jobs = [make_job(f"/opt/n{i}", cron="0 0 * * *", host=f"h{i}", active=i > 0)
            for i in range(22)]
    jobs.append(make_job("mysql -pS3cretPw db", active=False))
    result = analyse(jobs, OPTIONS)
    assert [f.code for f in result.jobs[0].findings] == []  # disabled: no burst
    assert all("burst" in {f.code for f in j.findings} for j in result.jobs[1:22])
    assert [f.code for f in result.jobs[22].findings] == ["localhost", "secret"]
    assert result.busiest[0].label == "00:00 UTC" and result.busiest[0].peak == 21


def test_burst_counts_what_eventbridge_fires_when_expressions_exist() -> None:
    # Legacy 09:00 in Tokyo is 00:00 UTC; the job's AWS expression says so, and the
    # analysis counts the expression, not the zone guess (here deliberately an unknown zone).
    jobs = []
    for i in range(21):
        job = make_job(f"/opt/n{i}", cron="0 9 * * *", host=f"h{i}")
        job.schedule.timezone = "Mars/Olympus"
        job.schedule.aws = ("cron(0 0 * * ? *)",)
        jobs.append(job)
    result = analyse(jobs, OPTIONS)
    assert all([f.evidence for f in j.findings] == ["00:00 UTC"] for j in result.jobs)


def test_heatmaps_are_local_beside_utc() -> None:
    job = make_job("/opt/x", cron="0 9 * * 1", tz="Asia/Tokyo")
    result = analyse([job], AnalysisOptions(horizon=(date(2027, 1, 4), date(2027, 1, 11))))
    assert result.heatmap_local[0, 9] == 1 and result.heatmap_local.sum() == 1
    assert result.heatmap_utc[0, 0] == 1 and result.heatmap_utc.sum() == 1
