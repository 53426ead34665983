"""How `migrate status` is shown: a table on the terminal, `output/status-<env>.md`."""

from __future__ import annotations

from migrate.aws.status import JobStatus, StatusReport


def _n(v: int | None) -> str:
    return "-" if v is None else str(v)


def _expected(j: JobStatus) -> str:
    if j.low == j.high == j.expected:
        return str(j.expected)
    return f"{j.expected} ({j.low}-{j.high})"


HEAD = ("job", "expected", "triggered", "invoked", "failed", "status")


def _rows(report: StatusReport) -> list[tuple[str, ...]]:
    return [(j.name, _expected(j), _n(j.triggered), _n(j.invocations), _n(j.failed),
             j.verdict) for j in report.jobs]


def render_table(report: StatusReport) -> str:
    rows = [HEAD, *_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    out = [report.headline, "", *lines]
    if report.alerts:
        out += ["", f"failure alerts in the window: {_n(report.failures)} (alert rule "
                f"TriggeredRules; per environment, the SNS messages name the jobs)"]
    out.append(f"GetMetricData calls: {report.metric_calls}")
    return "\n".join(out) + "\n"


def render_markdown(report: StatusReport) -> str:
    out = [f"# Status: {report.environment} ({report.region})", "",
           f"- {report.headline}",
           f"- Window: {report.start:%Y-%m-%dT%H:%MZ} .. {report.end:%Y-%m-%dT%H:%MZ} "
           "(expected counts allow for fires due within 5 minutes of either edge)",
           f"- Failure alerts: {_n(report.failures) if report.alerts else 'alerts are off'}",
           f"- GetMetricData calls: {report.metric_calls}", "",
           "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in _rows(report)]
    return "\n".join(out) + "\n"
