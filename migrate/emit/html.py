"""`report.html`: one self-contained page a reviewer opens in a browser.

No network: styles and the small sort script are inline, the heatmaps are SVG rendered here,
and a Content-Security-Policy forbids every fetch. Sections: summary, when jobs start (two
7 × 24 heatmaps, legacy local time beside EventBridge UTC, one colour scale), busiest UTC
minutes, findings by code, the jobs the run guard wraps with `guard: findings` (and the
findings that resolves), and a sortable, filterable job table. Every text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from migrate.analysis.rules import severity_rank
from migrate.analysis.runner import Analysis
from migrate.aws.guard.notes import GuardNotes, guard_notes
from migrate.emit.catalog import Catalog
from migrate.emit.findings import findings_by_code
from migrate.emit.heatmap import Scale, heatmap_svg, legend_svg
from migrate.emit.report import GUARD_INTRO
from migrate.model import Job

DETAIL_LIMIT = 500  # findings listed per code; the catalog holds them all

_CSS = """
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d8dee4;--bg:#fff;--accent:#0b5cad}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg);margin:0 auto;max-width:1400px;padding:1.5rem}
h1{margin:0 0 .25rem}h2{margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
.muted{color:var(--muted)}.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}.maps{display:flex;flex-wrap:wrap;gap:2rem}
.axis{font-size:10px;fill:var(--muted)}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;
vertical-align:top}th{background:#f6f8fa;position:sticky;top:0}
table.sortable th{cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;
border-radius:3px;word-break:break-all}.sev-error{color:#b42318;font-weight:600}
.sev-warning{color:#9a6700;font-weight:600}.sev-info{color:var(--muted)}
td.code code{word-break:normal;white-space:nowrap}
details{margin:.4rem 0}summary{cursor:pointer}#filter{padding:.35rem;width:20rem;
max-width:100%;margin:.25rem 0}.ok{color:#1a7f37}.no{color:#b42318}
"""

_JS = """
(function(){
  function key(cell, numeric){
    var v = cell.getAttribute('data-sort');
    if (v === null) v = cell.textContent.trim();
    return numeric ? parseFloat(v) || 0 : v.toLowerCase();
  }
  document.querySelectorAll('table.sortable').forEach(function(table){
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function(th, col){
      th.tabIndex = 0;
      function sort(){
        var numeric = th.getAttribute('data-type') === 'number';
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function(h){ h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function(r, i){
          return [key(r.cells[col], numeric), i, r];
        });
        rows.sort(function(a, b){
          if (a[0] < b[0]) return asc ? -1 : 1;
          if (a[0] > b[0]) return asc ? 1 : -1;
          return a[1] - b[1];
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function(x){ frag.appendChild(x[2]); });
        body.appendChild(frag);
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function(e){ if (e.key === 'Enter') sort(); });
    });
  });
  var filter = document.getElementById('filter');
  if (filter) filter.addEventListener('input', function(){
    var q = filter.value.toLowerCase();
    var rows = document.getElementById('job-table').tBodies[0].rows;
    for (var i = 0; i < rows.length; i++)
      rows[i].style.display = rows[i].textContent.toLowerCase().indexOf(q) < 0 ? 'none' : '';
  });
})();
"""
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:")


_ESCAPED = re.compile(r"[&<>\"']")  # what html.escape(quote=True) replaces


def _e(text: object) -> str:
    s = text if type(text) is str else str(text)
    # most texts (names, zones, expressions) have nothing to escape: one scan, not five
    return escape(s, quote=True) if _ESCAPED.search(s) else s


def _card(value: object, label: str) -> str:
    return f'<div class="card"><b>{_e(value)}</b>{_e(label)}</div>'


def _hosts(job: Job) -> str:
    hosts = sorted({s.host for s in job.sources if s.host})
    if not hosts:
        return job.source.path
    return hosts[0] if len(hosts) == 1 else f"{hosts[0]} +{len(hosts) - 1}"


def _yes(exact: bool) -> str:
    return '<span class="ok">yes</span>' if exact else '<span class="no">no</span>'


_EXACT_CELL = {"exact": '<span class="ok">yes</span>',
               "anchored": '<span class="no">anchored</span>',
               "not exact": '<span class="no">no</span>'}
_SEVERITY = ("", "info", "warning", "error")  # by severity_rank + 1 (-1: no finding)


def _job_row(job: Job) -> str:
    s = job.schedule
    findings = job.findings
    worst = max((severity_rank(f.severity) for f in findings), default=-1) if findings else -1
    severity = _SEVERITY[worst + 1]
    codes = sorted({f.code for f in findings}) if findings else ()
    t = s.scheduler
    sched = "-" if t is None else (
        "<br>".join(f"<code>{_e(x)}</code>" for x in t.expressions + t.at) + f" {_e(t.timezone)}")
    t_exact = t is not None and t.exact
    return (
        f'<tr id="job-{_e(job.id)}"><td><code>{_e(job.name)}</code></td>'
        f"<td>{_e(_hosts(job))}</td>"
        f"<td><code>{_e(s.cron)}</code> {_e(s.timezone)}</td>"
        f"<td>{'<br>'.join(f'<code>{_e(x)}</code>' for x in s.aws) or '-'}</td>"
        f'<td data-sort="{int(s.exact)}">{_EXACT_CELL[s.verdict]}</td>'
        f"<td>{sched}</td>"
        f'<td data-sort="{int(t_exact)}">{_yes(t_exact)}</td>'
        f'<td data-sort="{len(findings)}">{len(findings)}</td>'
        f'<td data-sort="{worst}" class="sev-{severity}">{severity}</td>'
        f"<td>{_e(' '.join(codes))}</td>"
        f"<td><code>{_e(job.command.shell)}</code></td></tr>"
    )


def _summary(catalog: Catalog, analysis: Analysis | None, summary_line: str) -> list[str]:
    s = catalog.summary
    jobs = catalog.jobs
    by_sev = {k: 0 for k in ("error", "warning", "info")}
    for j in jobs:
        for f in j.findings:
            by_sev[f.severity] += 1
    out = ['<section id="summary"><h2>Summary</h2>']
    if summary_line:
        out.append(f'<p class="muted">Input: {_e(summary_line)}</p>')
    out.append('<div class="cards">')
    out.append(_card(len(jobs), "catalog jobs"))
    for key, verdict in (("exact", "exact"), ("anchored", "anchored"),
                         ("not_exact", "not exact")):
        count = s.get(key, sum(1 for j in jobs if j.schedule.verdict == verdict))
        out.append(_card(count, verdict))
    out.append(_card(s.get("scheduler_exact", 0), "exact as Scheduler"))
    out.append(_card(s.get("rules", sum(len(j.schedule.aws) for j in jobs if j.active)),
                     "EventBridge rules"))
    for sev, n in by_sev.items():
        out.append(_card(n, f"{sev} findings"))
    if analysis is not None:
        out.append(_card(analysis.options.burst_threshold, "burst threshold / minute"))
    out.append("</div></section>")
    return out


def _heatmaps(analysis: Analysis | None) -> list[str]:
    if analysis is None:
        return []
    scale = Scale.of(analysis.heatmap_local, analysis.heatmap_utc)
    out = ['<section id="heatmap"><h2>When jobs start</h2>',
           '<p class="muted">Average job starts per hour of the week over the horizon. Left: '
           "legacy local time (each job in its own zone); right: the EventBridge rules in "
           "UTC. Hover a cell for its value.</p>", '<div class="maps">']
    for grid, title, label, ident in (
        (analysis.heatmap_local, "Legacy local time", "local time", "heatmap-local"),
        (analysis.heatmap_utc, "EventBridge (UTC)", "UTC", "heatmap-utc"),
    ):
        out.append(f"<figure><figcaption><b>{_e(title)}</b></figcaption>"
                   f"{heatmap_svg(grid, label, scale, ident)}</figure>")
    out.append(f"</div>{legend_svg(scale)}</section>")
    if analysis.busiest:
        out += ['<section id="busiest"><h2>Busiest UTC minutes</h2>',
                f'<p class="muted">A burst is more than {analysis.options.burst_threshold} '
                "starts in one minute.</p>",
                '<table class="sortable" id="busiest-table"><thead><tr><th>minute</th>'
                '<th data-type="number">most starts</th><th>on</th>'
                '<th data-type="number">days over the threshold</th></tr></thead><tbody>']
        for b in analysis.busiest:
            out.append(f"<tr><td>{_e(b.label)}</td><td>{b.peak}</td><td>{b.peak_date}</td>"
                       f"<td>{b.days_over}</td></tr>")
        out.append("</tbody></table></section>")
    return out


def _findings(jobs: Sequence[Job]) -> list[str]:
    groups = findings_by_code(jobs)
    out = ['<section id="findings"><h2>Findings</h2>']
    if not groups:
        return out + ["<p>No findings.</p></section>"]
    out.append('<table class="sortable" id="findings-table"><thead><tr><th>code</th>'
               '<th>severity</th><th data-type="number">jobs</th><th>about</th>'
               "<th>recommendation</th></tr></thead><tbody>")
    for g in groups:
        out.append(f'<tr><td class="code"><a href="#code-{_e(g.code)}">'
                   f"<code>{_e(g.code)}</code></a></td>"
                   f'<td class="sev-{_e(g.severity)}">{_e(g.severity)}</td><td>{g.jobs}</td>'
                   f"<td>{_e(g.title)}</td><td>{_e(g.recommendation)}</td></tr>")
    out.append("</tbody></table>")
    for g in groups:
        out.append(f'<details id="code-{_e(g.code)}"><summary><code>{_e(g.code)}</code> '
                   f"{_e(g.title)} ({g.jobs} jobs)</summary><ul>")
        for job, f in g.items[:DETAIL_LIMIT]:
            ev = f" <code>{_e(f.evidence)}</code>" if f.evidence else ""
            out.append(f'<li><a href="#job-{_e(job.id)}">{_e(job.name)}</a> '
                       f'<span class="sev-{_e(f.severity)}">{_e(f.severity)}</span>: '
                       f"{_e(f.message)}{ev}</li>")
        if len(g.items) > DETAIL_LIMIT:
            out.append(f"<li>… and {len(g.items) - DETAIL_LIMIT} more (all in catalog.yaml)"
                       "</li>")
        out.append("</ul></details>")
    out.append("</section>")
    return out


def _guard(jobs: Sequence[Job], notes: GuardNotes) -> list[str]:
    """The jobs an environment with `guard: findings` runs through the run guard."""
    if notes.problem:
        return ['<section id="run-guard"><h2>Run guard</h2><p class="sev-error">The '
                f"catalog's run guard options cannot be deployed: {_e(notes.problem)}</p>"
                "</section>"]
    if not notes.jobs:
        return []
    names = {j.id: j.name for j in jobs}
    out = ['<section id="run-guard"><h2>Run guard</h2>', f"<p>{_e(GUARD_INTRO)}</p>",
           '<table class="sortable" id="guard-table"><thead><tr><th>job</th><th>overlap</th>'
           '<th data-type="number">max runtime (s)</th><th>resolves</th><th>chain</th></tr>'
           "</thead><tbody>"]
    for job_id, n in notes.jobs.items():
        chain = n.chain(names)
        out.append(f'<tr><td><a href="#job-{_e(job_id)}">{_e(names[job_id])}</a></td>'
                   f"<td>{_e(n.overlap)}</td><td>{n.max_runtime}</td>"
                   f"<td>{_e(', '.join(n.resolves))}</td><td>{_e(chain)}</td></tr>")
    return out + ["</tbody></table></section>"]


def render_html(catalog: Catalog, summary_line: str = "",
                analysis: Analysis | None = None, notes: GuardNotes | None = None) -> str:
    """report.html; `notes`: `guard_notes(catalog.jobs)`, when the caller has them."""
    jobs = catalog.jobs
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Migration report</title>", f"<style>{_CSS}</style></head><body>",
        "<header><h1>Migration report</h1>",
        f'<p class="muted">Generated {_e(catalog.generated_at)} · verification horizon '
        f"{catalog.horizon[0]}..{catalog.horizon[1]} (UTC dates)</p></header>",
    ]
    parts += _summary(catalog, analysis, summary_line)
    parts += _heatmaps(analysis)
    parts += _findings(jobs)
    parts += _guard(jobs, guard_notes(jobs) if notes is None else notes)
    parts += ['<section id="jobs"><h2>Jobs</h2>',
              '<input id="filter" type="search" placeholder="Filter jobs…" '
              'aria-label="Filter jobs">',
              '<table class="sortable" id="job-table"><thead><tr><th>name</th><th>host</th>'
              "<th>legacy schedule</th><th>EventBridge rules (UTC)</th>"
              '<th data-type="number">exact as rules</th><th>Scheduler (local zone)</th>'
              '<th data-type="number">exact as Scheduler</th>'
              '<th data-type="number">findings</th>'
              '<th data-type="number">severity</th><th>codes</th><th>command</th></tr>'
              "</thead><tbody>"]
    parts.extend(_job_row(j) for j in jobs)
    parts += ["</tbody></table></section>", f"<script>{_JS}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"
