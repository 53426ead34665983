"""The job catalog: `catalog.yaml`, the reviewed input of every later step.

`catalog_to_text` / `catalog_from_text` are inverse pure functions; the schema is documented
in README.md ("Catalog schema"). Reading tolerates reviewer edits (e.g. `active: false`,
`max_runtime`, `overrides`) and rejects malformed entries with the job and key named.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import yaml

from migrate.analysis.codes import restore
from migrate.emit import yamltext
from migrate.errors import MigrateError
from migrate.model import (
    SEVERITIES,
    Command,
    Finding,
    Job,
    Schedule,
    Source,
    Verification,
)

CATALOG_VERSION = 1


class CatalogError(MigrateError, ValueError):
    """The catalog file cannot be used; the message names the job and key."""


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
    d: dict[str, Any] = {"kind": s.kind, "path": s.path, "line": s.line}
    d["host"] = s.host
    d["user"] = s.user
    d["text"] = s.text
    if s.whenever_block is not None:
        d["whenever_block"] = s.whenever_block
    return d


def _verification_dict(v: Verification) -> dict[str, Any]:
    return {
        "horizon": f"{v.horizon[0].isoformat()}:{v.horizon[1].isoformat()}",
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


def catalog_to_dict(cat: Catalog) -> dict[str, Any]:
    return {
        "version": cat.version,
        "generated_at": cat.generated_at,
        "horizon": f"{cat.horizon[0].isoformat()}:{cat.horizon[1].isoformat()}",
        "summary": cat.summary,
        "jobs": [job_to_dict(j) for j in cat.jobs],
        "diagnostics": list(cat.diagnostics),
        "skipped": list(cat.skipped),
    }


def catalog_chunks(cat: Catalog) -> Iterator[str]:
    """catalog.yaml as text chunks, job by job (a fleet's catalog is streamed to disk)."""
    head = catalog_to_dict(replace(cat, jobs=[]))
    head.pop("jobs")
    tail = {"diagnostics": head.pop("diagnostics"), "skipped": head.pop("skipped")}
    yield from yamltext.dump_chunks(head)
    if not cat.jobs:
        yield "jobs: []\n"
    else:
        yield "jobs:\n"
        for job in cat.jobs:
            yield from yamltext.item_chunks(job_to_dict(job), "")
    yield from yamltext.dump_chunks(tail)


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


def _req(d: Mapping[str, Any], key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if key not in d:
        raise CatalogError(f"{where}: missing key '{key}'")
    value = d[key]
    if not isinstance(value, typ):
        names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
        raise CatalogError(f"{where}: '{key}' must be {names}, got {type(value).__name__}")
    return value


def _opt_str(d: Mapping[str, Any], key: str, where: str) -> str | None:
    value = d.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogError(f"{where}: '{key}' must be a string or null")
    return value


def _parse_horizon(text: str, where: str) -> tuple[date, date]:
    try:
        a, b = text.split(":")
        return date.fromisoformat(a), date.fromisoformat(b)
    except ValueError as exc:
        raise CatalogError(f"{where}: horizon must be 'YYYY-MM-DD:YYYY-MM-DD'") from exc


def _source_from(d: Any, where: str) -> Source:
    if not isinstance(d, Mapping):
        raise CatalogError(f"{where}: must be a mapping")
    return Source(
        kind=_req(d, "kind", str, where),
        path=_req(d, "path", str, where),
        line=_req(d, "line", int, where),
        text=_req(d, "text", str, where),
        host=_opt_str(d, "host", where),
        user=_opt_str(d, "user", where),
        whenever_block=_opt_str(d, "whenever_block", where),
    )


def job_from_dict(d: Any, index: int) -> Job:
    where = f"jobs[{index}]"
    if not isinstance(d, Mapping):
        raise CatalogError(f"{where}: must be a mapping")
    jid = _req(d, "id", str, where)
    where = f"jobs[{index}] (id {jid})"
    sched_d = _req(d, "schedule", Mapping, where)
    ver_d = sched_d.get("verification")
    verification = None
    if ver_d is not None:
        vw = f"{where}.schedule.verification"
        verification = Verification(
            horizon=_parse_horizon(_req(ver_d, "horizon", str, vw), vw),
            source_fires=_req(ver_d, "source_fires", int, vw),
            aws_fires=_req(ver_d, "aws_fires", int, vw),
            missing=_req(ver_d, "missing", int, vw),
            extra=_req(ver_d, "extra", int, vw),
            duplicates=_req(ver_d, "duplicates", int, vw),
            examples=tuple(str(x) for x in ver_d.get("examples") or ()),
        )
    aws = _req(sched_d, "aws", list, f"{where}.schedule")
    schedule = Schedule(
        cron=_req(sched_d, "cron", str, f"{where}.schedule"),
        timezone=_req(sched_d, "timezone", str, f"{where}.schedule"),
        timezone_from=str(sched_d.get("timezone_from") or "host"),
        aws=tuple(str(x) for x in aws),
        exact=bool(sched_d.get("exact", False)),
        anchored=sched_d.get("verdict") == "anchored" and not sched_d.get("exact", False),
        verification=verification,
    )
    cmd_d = _req(d, "command", Mapping, where)
    env = cmd_d.get("env") or {}
    if not isinstance(env, Mapping):
        raise CatalogError(f"{where}.command: 'env' must be a mapping")
    argv = cmd_d.get("argv")
    if argv is not None and not (
        isinstance(argv, list) and all(isinstance(a, str) for a in argv)
    ):
        raise CatalogError(f"{where}.command: 'argv' must be a list of strings or null")
    command = Command(
        shell=_req(cmd_d, "shell", str, f"{where}.command"),
        stdin=_opt_str(cmd_d, "stdin", f"{where}.command"),
        env={str(k): str(v) for k, v in env.items()},
        argv=None if argv is None else tuple(argv),
    )
    findings = []
    for i, f in enumerate(d.get("findings") or []):
        fw = f"{where}.findings[{i}]"
        sev = _req(f, "severity", str, fw)
        if sev not in SEVERITIES:
            raise CatalogError(f"{fw}: severity must be one of {', '.join(SEVERITIES)}")
        findings.append(
            restore(
                _req(f, "code", str, fw),
                sev,
                _req(f, "message", str, fw),
                str(f.get("evidence") or ""),
                str(f.get("recommendation") or ""),
            )
        )
    sources = [_source_from(_req(d, "source", Mapping, where), f"{where}.source")]
    for i, s in enumerate(d.get("other_sources") or []):
        sources.append(_source_from(s, f"{where}.other_sources[{i}]"))
    active = d.get("active", True)
    if not isinstance(active, bool):
        raise CatalogError(f"{where}: 'active' must be true or false")
    return Job(
        id=jid,
        name=_req(d, "name", str, where),
        description=str(d.get("description") or ""),
        active=active,
        sources=sources,
        schedule=schedule,
        command=command,
        findings=findings,
        extra={k: v for k, v in d.items() if k not in _KNOWN_JOB_KEYS},
    )


def catalog_from_text(text: str, path: str = "catalog.yaml") -> Catalog:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise CatalogError(f"{path}: expected a mapping with 'jobs'")
    version = data.get("version")
    if version != CATALOG_VERSION:
        raise CatalogError(f"{path}: 'version' must be {CATALOG_VERSION}, got {version!r}")
    jobs_d = data.get("jobs")
    if not isinstance(jobs_d, list):
        raise CatalogError(f"{path}: 'jobs' must be a list")
    try:
        jobs = [job_from_dict(j, i) for i, j in enumerate(jobs_d)]
    except CatalogError as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    horizon_text = data.get("horizon")
    if not isinstance(horizon_text, str):
        raise CatalogError(f"{path}: 'horizon' must be 'YYYY-MM-DD:YYYY-MM-DD'")
    return Catalog(
        jobs=jobs,
        generated_at=str(data.get("generated_at") or ""),
        horizon=_parse_horizon(horizon_text, path),
        summary=dict(data.get("summary") or {}),
        diagnostics=[str(x) for x in data.get("diagnostics") or []],
        skipped=[str(x) for x in data.get("skipped") or []],
        version=CATALOG_VERSION,
    )
