"""The findings part of the reports, as values both `report.md` and `report.html` render.

`findings_by_code(jobs)` groups every finding under its code, in the order of
`analysis.rules.RULES` (then other codes alphabetically), each group with what the registry
says it is about (`Code.about`), its severity, recommendation and the jobs it concerns.
`findings_markdown(...)` renders the "## Findings" section of report.md from it: a table
of codes, then per code the recommendation once and one line per job (capped per code for
fleet-sized scans; the catalog holds them all), and for `burst` the busiest UTC minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from migrate.analysis.burst import BusyMinute
from migrate.analysis.codes import CODES
from migrate.analysis.rules import RULES, severity_rank
from migrate.emit.markdown import cell, code
from migrate.model import Finding, Job

PER_CODE_LIMIT = 100
UNKNOWN_ABOUT = "Reading or converting the schedule"  # a code this version does not declare


@dataclass(slots=True)
class CodeGroup:
    code: str
    title: str
    severity: str  # the highest severity in the group
    recommendation: str
    items: list[tuple[Job, Finding]] = field(default_factory=list)

    @property
    def jobs(self) -> int:
        return len({id(j) for j, _ in self.items})


def findings_by_code(jobs: Sequence[Job]) -> list[CodeGroup]:
    groups: dict[str, CodeGroup] = {}
    for job in jobs:
        for f in job.findings:
            g = groups.get(f.code)
            if g is None:
                # The advice is the registry's: every finding carries its code's, unless the
                # call site words it for that finding (then the first one's is shown).
                known = CODES.get(f.code)
                g = groups[f.code] = CodeGroup(
                    f.code, known.about if known else UNKNOWN_ABOUT, f.severity,
                    f.recommendation)
            if severity_rank(f.severity) > severity_rank(g.severity):
                g.severity = f.severity
            g.items.append((job, f))
    order = {r.code: i for i, r in enumerate(RULES)}
    return sorted(groups.values(), key=lambda g: (order.get(g.code, len(order)), g.code))


def busiest_markdown(busiest: Sequence[BusyMinute], threshold: int) -> list[str]:
    if not busiest:
        return []
    lines = [f"Busiest UTC minutes (threshold: more than {threshold} starts in a minute):", "",
             "| minute | most starts | on | days over the threshold |", "|---|---|---|---|"]
    for b in busiest:
        lines.append(f"| {b.label} | {b.peak} | {b.peak_date} | {b.days_over} |")
    lines.append("")
    return lines


def findings_markdown(
    jobs: Sequence[Job],
    busiest: Sequence[BusyMinute] = (),
    threshold: int | None = None,
    limit: int = PER_CODE_LIMIT,
) -> list[str]:
    """The "## Findings" section of report.md (empty when there are no findings)."""
    groups = findings_by_code(jobs)
    if not groups and not busiest:
        return []
    lines = ["## Findings", ""]
    if groups:
        lines += ["| code | severity | jobs | about |", "|---|---|---|---|"]
        for g in groups:
            lines.append(f"| [`{g.code}`](#{g.code}) | {g.severity} | {g.jobs} | "
                         f"{cell(g.title)} |")
        lines.append("")
    for g in groups:
        lines += [f"### {g.code}", "", f"{g.title} — {g.jobs} job(s), {g.severity}.", ""]
        if g.recommendation:
            lines += [f"*Recommendation:* {g.recommendation}", ""]
        if g.code == "burst" and threshold is not None:
            lines += busiest_markdown(busiest, threshold)
        for job, f in g.items[:limit]:
            evidence = f" — {code(f.evidence)}" if f.evidence else ""
            lines.append(f"- [{job.name}](#{job.name}) ({f.severity}): {cell(f.message)}"
                         f"{evidence}")
        if len(g.items) > limit:
            lines.append(f"- … and {len(g.items) - limit} more (every one is in catalog.yaml)")
        lines.append("")
    if threshold is not None and busiest and not any(g.code == "burst" for g in groups):
        lines += ["### Busiest UTC minutes", ""] + busiest_markdown(busiest, threshold)
    return lines
