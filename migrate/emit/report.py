"""`report.md`: the diff report a reviewer reads in a pull request.

Summary first (jobs, exact, not exact, findings by code), then the lines we could not use,
then one section per job: the legacy line before (source, zone, when it fires in words) and
the EventBridge expressions after (UTC), the verification verdict, both deploy targets
(rules in UTC, Scheduler in the job's zone) side by side with their verdicts, the findings
and what the run guard does for the job. A "Run guard" section lists the jobs an environment
with `guard: findings` wraps and the findings that resolves (aws/guard/notes.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from migrate.analysis.runner import Analysis
from migrate.aws.guard.notes import GuardNotes, guard_notes
from migrate.emit.catalog import Catalog
from migrate.emit.findings import findings_markdown
from migrate.emit.markdown import cell, code
from migrate.model import Finding, Job, Verification, origin_kind

_ICON = {"error": "🛑", "warning": "⚠️", "info": "ℹ️"}


def _where(job: Job) -> str:
    parts = []
    for s in job.sources:
        who = ", ".join(x for x in (f"host {s.host}" if s.host else "",
                                    f"user {s.user}" if s.user else "") if x)
        parts.append(f"{s.path}:{s.line}" + (f" ({who})" if who else ""))
    return "; ".join(parts)


def _verdict(job: Job) -> str:
    s, v = job.schedule, job.schedule.verification
    status = "" if job.active else "disabled in the source: not deployed"
    if v is None:
        verdict = "❗ **not schedulable** — no EventBridge rule can reproduce it"
    elif s.exact:
        verdict = (f"✅ **exact** — {v.source_fires} fires over {v.horizon[0]}..{v.horizon[1]}, "
                   "identical in UTC")
    elif s.anchored:
        verdict = (f"⚓ **anchored** — the AWS rules match the schedule anchored by the scan "
                   f"({v.source_fires} fires over {v.horizon[0]}..{v.horizon[1]}), but the "
                   "legacy instants depend on when the scheduler started")
    else:
        verdict = (f"❗ **not exact** — over {v.horizon[0]}..{v.horizon[1]}: "
                   f"{v.source_fires} legacy fires, {v.aws_fires} AWS fires; "
                   f"{v.missing} missing, {v.extra} extra, {v.duplicates} duplicate")
        if v.exact:
            verdict = (f"❗ **not exact** — the AWS rules match the schedule as read "
                       f"({v.source_fires} fires), but the legacy fire times are random")
    return verdict + (f"; {status}" if status else "")


def _target_verdict(exact: bool, v: Verification | None, anchored: bool) -> str:
    if v is None:
        return "❗ not schedulable"
    if exact:
        return f"✅ exact ({v.source_fires} fires)"
    if v.exact:  # the expressions match the schedule as read, but its instants are not known
        return "⚓ anchored by the scan" if anchored else "❗ not exact (legacy instants unknown)"
    return f"❗ not exact ({v.missing} missing, {v.extra} extra, {v.duplicates} duplicate)"


def _targets(job: Job) -> list[str]:
    """Both deploy targets side by side, and which one is exact."""
    s, t = job.schedule, job.schedule.scheduler
    if t is None:
        return []
    at = f" + {len(t.at)} one-time `at()`" if t.at else ""
    exact_as = [name for name, ok in (("rules", s.exact), ("Scheduler", t.exact)) if ok]
    return [
        "",
        "| target | expressions | evaluated in | verdict |",
        "|---|---|---|---|",
        f"| EventBridge rules | {cell(', '.join(s.aws) or '(none)')} | UTC | "
        f"{_target_verdict(s.exact, s.verification, s.anchored)} |",
        f"| EventBridge Scheduler | {cell(', '.join(t.expressions) or '(none)')}{at} | "
        f"{t.timezone} | {_target_verdict(t.exact, t.verification, s.anchored)} |",
        "",
        "Exact as: " + (" and ".join(exact_as) if exact_as else "neither target"),
    ]


def _finding_lines(findings: Iterable[Finding]) -> list[str]:
    out = []
    for f in findings:
        line = f"- {_ICON[f.severity]} **{f.severity}** `{f.code}`: {f.message}"
        if f.evidence:
            line += f" ({code(f.evidence)})"
        if f.recommendation:
            line += f" — *{f.recommendation}*"
        out.append(line)
    return out


GUARD_INTRO = ("With `guard: findings` in migrate.yaml an environment starts these jobs through "
               "the run guard, a Step Functions state machine (README \"Run guard\"): once per "
               "scheduled time, skipped while the last run still runs (`overlap: skip`), "
               "retried when the task failed to start, chained (`after:`); with "
               "`guard: stepfunctions` every deployed job. `migrate plan` says what one "
               "environment does.")


def guard_section(jobs: Sequence[Job], notes: GuardNotes) -> list[str]:
    """The report's "Run guard" section: the jobs it wraps and the findings that resolves."""
    if notes.problem:
        return ["## Run guard", "", f"🛑 The catalog's run guard options cannot be deployed: "
                f"{cell(notes.problem)}", ""]
    if not notes.jobs:
        return []
    names = {j.id: j.name for j in jobs}
    out = ["## Run guard", "", GUARD_INTRO, "",
           "| job | overlap | max runtime | resolves | chain |", "|---|---|---|---|---|"]
    for job_id, n in notes.jobs.items():
        chain = n.chain(names)
        out.append(f"| [{cell(names[job_id])}](#{names[job_id]}) | {n.overlap} | "
                   f"{n.max_runtime}s | {', '.join(f'`{c}`' for c in n.resolves) or '—'} | "
                   f"{cell(chain) or '—'} |")
    return out + [""]


_ORIGIN = {"host": "the server's zone", "CRON_TZ": "CRON_TZ", "file": "the file"}


def _job_section(job: Job, guard: str | None = None) -> list[str]:
    s = job.schedule
    lines = [f"### {job.name}", "", f"- source: {_where(job)}", f"- when: {job.description}",
             f"- id: `{job.id}`", "", "```diff"]
    # a periodic script's source text is its first lines: each gets the "-" mark
    lines += ["- " + text for src in job.sources[:1] for text in src.text.split("\n")]
    origin = _ORIGIN.get(origin_kind(s.timezone_from), s.timezone_from)
    if s.timezone_from.startswith("host:"):
        origin += f", {s.timezone_from.split(':', 1)[1]}"
    lines.append(f"-   # local time {s.timezone} ({origin})")
    if s.aws:
        lines += [f"+ {expr}    # UTC" for expr in s.aws]
    else:
        lines.append("+ (no rule)")
    lines += ["```", "", f"Verdict: {_verdict(job)}"]
    lines += _targets(job)
    if s.verification is not None and s.verification.examples and not s.exact:
        lines += ["", "First differences (rules):"]
        lines += [f"- {e}" for e in s.verification.examples]
    if job.findings:
        lines.append("")
        lines += _finding_lines(job.findings)
    if guard is not None:
        lines += ["", f"Run guard (with `guard: findings`): {guard}"]
    lines.append("")
    return lines


def render_report(
    catalog: Catalog, summary_line: str = "", analysis: Analysis | None = None
) -> str:
    return "".join(report_chunks(catalog, summary_line, analysis))


def report_chunks(
    catalog: Catalog, summary_line: str = "", analysis: Analysis | None = None,
    notes: GuardNotes | None = None,
) -> Iterator[str]:
    """report.md as text chunks: the head, then one chunk per job (streamed for fleets).
    `notes`: `guard_notes(catalog.jobs)`, when the caller has them."""
    jobs = catalog.jobs
    s = catalog.summary
    lines = ["# Migration report", ""]
    lines.append(f"Generated {catalog.generated_at} · verification horizon "
                 f"{catalog.horizon[0]}..{catalog.horizon[1]} (UTC dates)")
    lines.append("")
    if summary_line:
        lines.append(f"Input: {summary_line}")
        lines.append("")
    lines += ["## Summary", "", "| | |", "|---|---|"]
    lines.append(f"| jobs | {s.get('jobs', len(jobs))} ({s.get('active', 0)} active, "
                 f"{s.get('disabled', 0)} disabled in the source) |")
    lines.append(f"| exact | {s.get('exact', 0)} |")
    lines.append(f"| anchored (start unknown) | {s.get('anchored', 0)} |")
    lines.append(f"| not exact | {s.get('not_exact', 0)} |")
    lines.append(f"| exact as EventBridge Scheduler | {s.get('scheduler_exact', 0)} |")
    lines.append(f"| EventBridge rules (active jobs) | {s.get('rules', 0)} |")
    lines.append(f"| lines we could not use | {len(catalog.diagnostics)} |")
    lines.append("")
    findings = s.get("findings") or {}
    if isinstance(findings, dict) and findings:
        severity = {f.code: f.severity for j in jobs for f in j.findings}
        lines += ["| finding | severity | jobs |", "|---|---|---|"]
        for code, count in findings.items():
            lines.append(f"| `{code}` | {severity.get(code, '')} | {count} |")
        lines.append("")
    review = [j for j in jobs if j.active and not j.schedule.exact]
    if review:
        lines += ["### Needs review", ""]
        lines += [f"- [{j.name}](#{j.name}) — {', '.join(sorted({f.code for f in j.findings}))}"
                  for j in review]
        lines.append("")
    if catalog.diagnostics:
        lines += ["## Lines we could not use", ""]
        lines += [f"- {cell(d)}" for d in catalog.diagnostics]
        lines.append("")
    if catalog.skipped:
        lines += ["## Files not read", ""]
        lines += [f"- {cell(d)}" for d in catalog.skipped]
        lines.append("")
    if analysis is not None:
        lines += findings_markdown(jobs, analysis.busiest, analysis.options.burst_threshold)
    else:
        lines += findings_markdown(jobs)
    notes = guard_notes(jobs) if notes is None else notes
    names = {j.id: j.name for j in jobs} if notes.jobs else {}
    lines += guard_section(jobs, notes)
    lines += ["## Jobs", ""]
    if not jobs:
        yield "\n".join(lines).rstrip() + "\n"
        return
    yield "\n".join(lines) + "\n"
    for i, job in enumerate(jobs):
        note = notes.jobs.get(job.id)
        section = "\n".join(_job_section(job, note.text(names) if note else None))
        yield section.rstrip() + "\n" if i == len(jobs) - 1 else section + "\n"
