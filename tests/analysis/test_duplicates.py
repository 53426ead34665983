"""duplicate-job: grouped by a key (no pairwise comparison), merged or annotated."""

from __future__ import annotations

from migrate.analysis.duplicates import job_key, merge_duplicates
from migrate.model import Finding
from tests.analysis.jobfixtures import make_job


def test_key_normalises_blanks_macros_and_ignores_mailto() -> None:
    a = make_job("/opt/x   --all", cron="0 0 * * *", env={"MAILTO": "a@example.com"})
    b = make_job("/opt/x --all", cron="@daily", host="other", env={"MAILTO": "b@example.com"})
    assert job_key(a) == job_key(b)
    assert job_key(a) != job_key(make_job("/opt/x --all", cron="0 0 * * *", tz="+09:00"))
    assert job_key(a) != job_key(make_job("/opt/x --all", cron="0 0 * * *", active=False))
    assert job_key(a) != job_key(make_job("/opt/x --all", cron="0 0 * * *", env={"X": "1"}))


def test_merge_keeps_input_order_and_lists_every_source_sorted() -> None:
    first = make_job("/opt/a", host="web2", line=1)
    other = make_job("/opt/b", host="web1", line=2)
    copy = make_job("/opt/a", host="web1", line=3)
    copy.findings.append(Finding("percent-stdin", "warning", "m"))
    merged = merge_duplicates([first, other, copy])
    assert [j.command.shell for j in merged] == ["/opt/a", "/opt/b"]
    job = merged[0]
    assert [s.host for s in job.sources] == ["web1", "web2"]
    assert job.id == copy.id  # the copy whose source sorts first gives the id and name
    assert [f.code for f in job.findings] == ["percent-stdin", "duplicate-job"]
    assert "the same job on 2 hosts (web1, web2)" in job.findings[-1].message


def test_no_merge_keeps_copies_and_names_the_others() -> None:
    jobs = [make_job("/opt/a", host=f"web{i}", line=i) for i in range(3)]
    out = merge_duplicates(jobs, merge=False)
    assert len(out) == 3
    for i, job in enumerate(out):
        [f] = job.findings
        assert f.code == "duplicate-job" and "kept apart by --no-merge" in f.message
        assert f"web{i}:" not in f.evidence and all(
            f"web{k}:" in f.evidence for k in range(3) if k != i)


def test_twice_in_one_file() -> None:
    jobs = [make_job("/opt/a", host="h", line=1), make_job("/opt/a", host="h", line=7)]
    [job] = merge_duplicates(jobs)
    assert "more than once in /etc/cron.d/app" in job.findings[-1].message
    assert [s.line for s in job.sources] == [1, 7]
