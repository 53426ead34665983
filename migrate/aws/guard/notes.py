"""What the run guard would do for each job of a catalog, for the catalog and the report.

The catalog belongs to no environment, so these notes say what an environment with
`guard: findings` in migrate.yaml does (an environment with `guard: stepfunctions` guards
every deployed job; `migrate plan` says what one environment does): computed by the very
`select_guarded` the deployment uses, from the jobs' findings and `overrides`.

`guard_notes(jobs, catalog_path)` -> `GuardNotes`: one `JobNote` per job that such an
environment starts through the state machine, and `problem`, the `GuardError` text when the
catalog's guard options cannot be deployed (a bad `after:`, ...: the scan reports it, the
plan refuses it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from migrate.aws.guard.select import GuardError, select_guarded
from migrate.aws.guard.settings import GuardSettings
from migrate.model import Job

FINDINGS_MODE = GuardSettings(mode="findings", lock_table="migrate-guard")


@dataclass(frozen=True, slots=True)
class JobNote:
    overlap: str  # skip | allow
    max_runtime: int  # seconds a run may take (the job's max_runtime, or the default)
    resolves: tuple[str, ...]  # finding codes of the job the guard answers
    after: str | None = None  # the job it runs after (chains)
    then: tuple[str, ...] = ()  # the jobs that run after it, in order (chain head only)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"with": "guard: findings or stepfunctions",
                             "overlap": self.overlap, "max_runtime": self.max_runtime,
                             "resolves": list(self.resolves)}
        if self.after:
            d["after"] = self.after
        if self.then:
            d["then"] = list(self.then)
        return d

    def chain(self, names: Mapping[str, str]) -> str:
        """"runs after X", "then Y, Z" (job names from `names`), or ""."""
        return "; ".join(x for x in (
            f"runs after {names.get(self.after, self.after)}" if self.after else "",
            "then " + ", ".join(names.get(j, j) for j in self.then) if self.then else "") if x)

    def text(self, names: Mapping[str, str]) -> str:
        out = (f"overlap {self.overlap}, max_runtime {self.max_runtime}s; resolves "
               f"{', '.join(self.resolves) or 'no finding of the job'}")
        chain = self.chain(names)
        return f"{out}; {chain}" if chain else out


@dataclass(frozen=True, slots=True)
class GuardNotes:
    jobs: Mapping[str, JobNote] = field(default_factory=dict)  # job id -> note
    problem: str | None = None


def guard_notes(jobs: Sequence[Job], catalog_path: str = "catalog.yaml") -> GuardNotes:
    try:
        sel = select_guarded(jobs, FINDINGS_MODE, catalog_path)
    except GuardError as exc:
        return GuardNotes(problem=str(exc))
    return GuardNotes({
        job_id: JobNote(g.overlap, g.max_runtime, g.resolves, g.after,
                        sel.chains.get(job_id, ()))
        for job_id, g in sel.guarded.items()})
