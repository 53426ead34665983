"""The job catalog: `catalog.yaml`, the reviewed input of every later step.

`catalog_to_text` / `catalog_from_text` are inverse pure functions; the schema is documented
in README.md ("Catalog schema"). Reading tolerates reviewer edits (e.g. `active: false`,
`max_runtime`, `overrides`) and rejects malformed entries with file, line, key and job named
(`catalog.yaml:41: jobs[3].schedule.cron (job j-7): expected a string, got 5`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

import yaml

from migrate import yamlplace
from migrate.analysis.codes import restore
from migrate.aws.guard.notes import GuardNotes, guard_notes
from migrate.emit import yamltext
from migrate.errors import MigrateError
from migrate.model import (
    SEVERITIES,
    Command,
    Finding,
    Job,
    Schedule,
    SchedulerTarget,
    Source,
    Verification,
)

CATALOG_VERSION = 1


class CatalogError(MigrateError, ValueError):
    """The catalog file cannot be used; the message names file, line, key and job."""


@dataclass(slots=True)
class Catalog:
    jobs: list[Job]
    generated_at: str
    horizon: tuple[date, date]
    summary: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files not read, with the reason
    version: int = CATALOG_VERSION


# ---------------------------------------------------------------- to plain data


def _source_dict(s: Source) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": s.kind, "path": s.path, "line": s.line, "host": s.host,
                         "user": s.user, "text": s.text}
    if s.whenever_block is not None:
        d["whenever_block"] = s.whenever_block
    return d


@lru_cache(maxsize=16)  # one horizon per scan, on two verifications of every job
def _horizon_text(horizon: tuple[date, date]) -> str:
    return f"{horizon[0].isoformat()}:{horizon[1].isoformat()}"


def _verification_dict(v: Verification) -> dict[str, Any]:
    return {
        "horizon": _horizon_text(v.horizon),
        "source_fires": v.source_fires,
        "aws_fires": v.aws_fires,
        "missing": v.missing,
        "extra": v.extra,
        "duplicates": v.duplicates,
        "examples": list(v.examples),
    }


def _finding_dict(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {"code": f.code, "severity": f.severity, "message": f.message}
    if f.evidence:
        d["evidence"] = f.evidence
    if f.recommendation:
        d["recommendation"] = f.recommendation
    return d


def job_to_dict(job: Job) -> dict[str, Any]:
    s = job.schedule
    d: dict[str, Any] = {
        "id": job.id,
        "name": job.name,
        "description": job.description,
        "active": job.active,
        "source": _source_dict(job.sources[0]),
    }
    if len(job.sources) > 1:
        d["other_sources"] = [_source_dict(x) for x in job.sources[1:]]
    d["schedule"] = {
        "cron": s.cron,
        "timezone": s.timezone,
        "timezone_from": s.timezone_from,
        "aws": list(s.aws),
        "exact": s.exact,
        **({"verdict": "anchored"} if s.anchored else {}),
        "verification": None if s.verification is None else _verification_dict(s.verification),
    }
    if s.scheduler is not None:
        t = s.scheduler
        d["schedule"]["scheduler"] = {
            "expressions": list(t.expressions),
            "timezone": t.timezone,
            "at": list(t.at),
            "exact": t.exact,
            "verification": None if t.verification is None else _verification_dict(
                t.verification),
        }
    c = job.command
    d["command"] = {
        "shell": c.shell,
        "stdin": c.stdin,
        "env": dict(c.env),
        "argv": None if c.argv is None else list(c.argv),
    }
    d["findings"] = [_finding_dict(f) for f in job.findings]
    for key, value in job.extra.items():
        d[key] = value
    return d


def _with_guard(job: Job, notes: GuardNotes) -> dict[str, Any]:
    """The job as written to catalog.yaml: with `run_guard`, what an environment with
    `guard: findings` does for it (aws/guard/notes.py; derived, not read back)."""
    d = job_to_dict(job)
    note = notes.jobs.get(job.id)
    if note is not None:
        d["run_guard"] = note.to_dict()
    return d


def catalog_to_dict(cat: Catalog) -> dict[str, Any]:
    notes = guard_notes(cat.jobs)
    return {
        "version": cat.version,
        "generated_at": cat.generated_at,
        "horizon": _horizon_text(cat.horizon),
        "summary": cat.summary,
        "jobs": [_with_guard(j, notes) for j in cat.jobs],
        "diagnostics": list(cat.diagnostics),
        "skipped": list(cat.skipped),
    }


# Jobs per block of entries in `catalog_items` (a block's dicts are alive at once).
ENTRY_BLOCK = 500
Entries = list[dict[str, Any]]
# A piece of catalog.yaml: text as it is, or a block of job entries (plain data) to render.
Item = str | Entries


def catalog_items(cat: Catalog, notes: GuardNotes | None = None) -> Iterator[Item]:
    """catalog.yaml as pieces, in order: the text around the jobs and blocks of
    `ENTRY_BLOCK` job entries; `item_text` turns each into its text (here, or in a worker
    process: the pieces are plain data, see `emit.writer`). `notes`:
    `guard_notes(cat.jobs)`, when the caller has them (the writer shares them)."""
    head = catalog_to_dict(replace(cat, jobs=[]))
    head.pop("jobs")
    tail = {"diagnostics": head.pop("diagnostics"), "skipped": head.pop("skipped")}
    yield from yamltext.dump_chunks(head)
    if not cat.jobs:
        yield "jobs: []\n"
    else:
        yield "jobs:\n"
        found = guard_notes(cat.jobs) if notes is None else notes
        for i in range(0, len(cat.jobs), ENTRY_BLOCK):
            yield [_with_guard(job, found) for job in cat.jobs[i : i + ENTRY_BLOCK]]
    yield from yamltext.dump_chunks(tail)


def item_text(item: Item) -> str:
    """The text of one piece of `catalog_items`."""
    if isinstance(item, str):
        return item
    return "".join(yamltext.item_text(entry, "") for entry in item)


def catalog_chunks(cat: Catalog, notes: GuardNotes | None = None) -> Iterator[str]:
    """catalog.yaml as text chunks, a block of jobs at a time (a fleet's catalog is
    streamed to disk)."""
    return map(item_text, catalog_items(cat, notes))


def catalog_to_text(cat: Catalog) -> str:
    return "".join(catalog_chunks(cat))


def catalog_to_json(cat: Catalog) -> str:
    return json.dumps(catalog_to_dict(cat), indent=2, ensure_ascii=False)


def catalog_digest(jobs: Sequence[Job]) -> str:
    """sha256 of what a deployment depends on: every job's canonical form (not the timestamp)."""
    payload = json.dumps([job_to_dict(j) for j in jobs], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


# ---------------------------------------------------------------- from plain data

_KNOWN_JOB_KEYS = {
    "id", "name", "description", "active", "source", "other_sources", "schedule",
    "command", "findings",
}
_DERIVED_JOB_KEYS = {"run_guard"}  # written by every scan from the rest, never read back
_TYPE_WORDS = {str: "a string", int: "an integer", list: "a list", Mapping: "a mapping"}


class _Bad(CatalogError):
    """A malformed value at `key` (dotted path, as in `jobs[3].schedule.cron`); placed on its
    line by `catalog_from_text`, which alone has the text (without it, the key names it)."""

    def __init__(self, key: str, expected: str, value: Any = None, got: bool = True,
                 job_id: str | None = None) -> None:
        self.key, self.expected, self.value, self.got = key, expected, value, got
        self.job_id = job_id
        super().__init__(self.message("catalog", {}))

    def message(self, path: str, lines: Mapping[str, int]) -> str:
        job = f" (job {self.job_id})" if self.job_id else ""
        tail = f", got {yamlplace.describe(self.value)}" if self.got else ""
        return (f"{yamlplace.place(path, lines, self.key)}: {self.key}{job}: "
                f"expected {self.expected}{tail}")


def _req(d: Mapping[str, Any], key: str, typ: type, where: str) -> Any:
    if key not in d:
        raise _Bad(f"{where}.{key}", f"{_TYPE_WORDS[typ]} (required)", got=False)
    value = d[key]
    if not isinstance(value, typ):
        raise _Bad(f"{where}.{key}", _TYPE_WORDS[typ], value)
    return value


def _opt_str(d: Mapping[str, Any], key: str, where: str) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{where}.{key}", "a string or null", value)
    return value


def _parse_horizon(text: str, key: str) -> tuple[date, date]:
    try:
        a, b = text.split(":")
        return date.fromisoformat(a), date.fromisoformat(b)
    except ValueError:
        raise _Bad(key, "'YYYY-MM-DD:YYYY-MM-DD'", text) from None


def _source_from(d: Any, where: str) -> Source:
    if not isinstance(d, Mapping):
        raise _Bad(where, "a mapping", d)
    return Source(
        kind=_req(d, "kind", str, where),
        path=_req(d, "path", str, where),
        line=_req(d, "line", int, where),
        text=_req(d, "text", str, where),
        host=_opt_str(d, "host", where),
        user=_opt_str(d, "user", where),
        whenever_block=_opt_str(d, "whenever_block", where),
    )


def _verification_from(ver_d: Any, vw: str) -> Verification | None:
    if ver_d is None:
        return None
    if not isinstance(ver_d, Mapping):
        raise _Bad(vw, "a mapping or null", ver_d)
    return Verification(
        horizon=_parse_horizon(_req(ver_d, "horizon", str, vw), f"{vw}.horizon"),
        source_fires=_req(ver_d, "source_fires", int, vw),
        aws_fires=_req(ver_d, "aws_fires", int, vw),
        missing=_req(ver_d, "missing", int, vw),
        extra=_req(ver_d, "extra", int, vw),
        duplicates=_req(ver_d, "duplicates", int, vw),
        examples=tuple(str(x) for x in ver_d.get("examples") or ()),
    )


def _scheduler_from(sch_d: Any, sw: str) -> SchedulerTarget | None:
    if sch_d is None:
        return None
    if not isinstance(sch_d, Mapping):
        raise _Bad(sw, "a mapping or null", sch_d)
    return SchedulerTarget(
        expressions=tuple(str(x) for x in _req(sch_d, "expressions", list, sw)),
        timezone=_req(sch_d, "timezone", str, sw),
        exact=bool(sch_d.get("exact", False)),
        verification=_verification_from(sch_d.get("verification"), f"{sw}.verification"),
        at=tuple(str(x) for x in sch_d.get("at") or ()),
    )


def _command_from(cmd_d: Mapping[str, Any], where: str) -> Command:
    env = cmd_d.get("env") or {}
    if not isinstance(env, Mapping):
        raise _Bad(f"{where}.env", "a mapping", env)
    argv = cmd_d.get("argv")
    if argv is not None and not (
        isinstance(argv, list) and all(isinstance(a, str) for a in argv)
    ):
        raise _Bad(f"{where}.argv", "a list of strings or null", argv)
    return Command(
        shell=_req(cmd_d, "shell", str, where),
        stdin=_opt_str(cmd_d, "stdin", where),
        env={str(k): str(v) for k, v in env.items()},
        argv=None if argv is None else tuple(argv),
    )


def _findings_from(raw: Any, where: str) -> list[Finding]:
    findings = []
    for i, f in enumerate(raw or []):
        fw = f"{where}[{i}]"
        if not isinstance(f, Mapping):
            raise _Bad(fw, "a mapping", f)
        sev = _req(f, "severity", str, fw)
        if sev not in SEVERITIES:
            raise _Bad(f"{fw}.severity", "one of " + ", ".join(SEVERITIES), sev)
        findings.append(
            restore(
                _req(f, "code", str, fw),
                sev,
                _req(f, "message", str, fw),
                str(f.get("evidence") or ""),
                str(f.get("recommendation") or ""),
            )
        )
    return findings


def job_from_dict(d: Any, index: int) -> Job:
    """One `jobs[index]` entry. Raises `_Bad`, which `catalog_from_text` places."""
    where = f"jobs[{index}]"
    if not isinstance(d, Mapping):
        raise _Bad(where, "a mapping", d)
    jid = _req(d, "id", str, where)
    try:
        return _job(d, jid, where)
    except _Bad as exc:
        exc.job_id = jid
        raise


def _job(d: Mapping[str, Any], jid: str, where: str) -> Job:
    sched_d = _req(d, "schedule", Mapping, where)
    sw = f"{where}.schedule"
    schedule = Schedule(
        cron=_req(sched_d, "cron", str, sw),
        timezone=_req(sched_d, "timezone", str, sw),
        timezone_from=str(sched_d.get("timezone_from") or "host"),
        aws=tuple(str(x) for x in _req(sched_d, "aws", list, sw)),
        exact=bool(sched_d.get("exact", False)),
        anchored=sched_d.get("verdict") == "anchored" and not sched_d.get("exact", False),
        verification=_verification_from(sched_d.get("verification"), f"{sw}.verification"),
        scheduler=_scheduler_from(sched_d.get("scheduler"), f"{sw}.scheduler"),
    )
    command = _command_from(_req(d, "command", Mapping, where), f"{where}.command")
    findings = _findings_from(d.get("findings"), f"{where}.findings")
    sources = [_source_from(_req(d, "source", Mapping, where), f"{where}.source")]
    for i, s in enumerate(d.get("other_sources") or []):
        sources.append(_source_from(s, f"{where}.other_sources[{i}]"))
    active = d.get("active", True)
    if not isinstance(active, bool):
        raise _Bad(f"{where}.active", "true or false", active)
    return Job(
        id=jid,
        name=_req(d, "name", str, where),
        description=str(d.get("description") or ""),
        active=active,
        sources=sources,
        schedule=schedule,
        command=command,
        findings=findings,
        extra={k: v for k, v in d.items() if k not in _KNOWN_JOB_KEYS | _DERIVED_JOB_KEYS},
    )


def _catalog(data: Any) -> Catalog:
    if not isinstance(data, Mapping):
        raise _Bad("", "a mapping with 'jobs'", got=False)
    version = data.get("version")
    if version != CATALOG_VERSION:
        raise _Bad("version", str(CATALOG_VERSION), version)
    jobs_d = data.get("jobs")
    if not isinstance(jobs_d, list):
        raise _Bad("jobs", "a list", jobs_d, got="jobs" in data)
    jobs = [job_from_dict(j, i) for i, j in enumerate(jobs_d)]
    horizon_text = data.get("horizon")
    if not isinstance(horizon_text, str):
        raise _Bad("horizon", "'YYYY-MM-DD:YYYY-MM-DD'", horizon_text, got="horizon" in data)
    return Catalog(
        jobs=jobs,
        generated_at=str(data.get("generated_at") or ""),
        horizon=_parse_horizon(horizon_text, "horizon"),
        summary=dict(data.get("summary") or {}),
        diagnostics=[str(x) for x in data.get("diagnostics") or []],
        skipped=[str(x) for x in data.get("skipped") or []],
        version=CATALOG_VERSION,
    )


def catalog_from_text(text: str, path: str = "catalog.yaml") -> Catalog:
    """Read catalog.yaml. Raises CatalogError naming `path:line`, the key (`jobs[3].schedule.
    cron`), the job id and what was expected, like `migrate.yaml` errors do."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogError(f"{where}: not valid YAML: {problem}") from None
    try:
        return _catalog(data)
    except _Bad as exc:
        if not exc.key:
            raise CatalogError(f"{path}: expected {exc.expected}") from None
        # Lines only now: composing the node tree costs as much as the load itself.
        raise CatalogError(exc.message(path, yamlplace.key_lines(text))) from None
