"""Which jobs a cut-over or rollback is about, their edits, and what the snapshot says now.

`choose(jobs, ids, hosts)`: `--jobs` names jobs (unknown ids are an error); `--hosts` keeps
the jobs living on those hosts (a host no job lives on is an error). A duplicated job (the
same line on several hosts, `other_sources`) is cut over on every host at once, so `--hosts`
refuses a job that also lives on a host not named. Without `--jobs`, jobs whose sources are
not crontab lines of a fleet snapshot are left out and listed; named, they are an error.
Pure apart from `read_texts`, which reads the snapshot files (never writes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from migrate.cutover.edits import (
    APP_KINDS,
    CutoverError,
    LineEdit,
    Place,
    State,
    by_place,
    job_edits,
    line_state,
    mark,
    unmark,
)
from migrate.cutover.patches import AppLine
from migrate.model import Job


@dataclass(frozen=True, slots=True)
class Selection:
    jobs: tuple[Job, ...]
    edits: tuple[LineEdit, ...]
    left_out: tuple[str, ...]  # "<job id>: why" for jobs not chosen implicitly
    app_lines: tuple[AppLine, ...] = ()  # schedule.rb calls to patch in the application

    @property
    def roots(self) -> dict[str, str]:
        return {e.place.host: e.place.root for e in self.edits}

    @property
    def job_ids(self) -> list[str]:
        return [j.id for j in self.jobs]


def _split(values: Sequence[str] | None) -> list[str]:
    return [v.strip() for x in values or () for v in x.split(",") if v.strip()]


def choose(jobs: Sequence[Job], ids: Sequence[str] | None,
           hosts: Sequence[str] | None) -> Selection:
    wanted, host_names = _split(ids), _split(hosts)
    by_id = {j.id: j for j in jobs}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise CutoverError(f"no job {', '.join(unknown)} in the catalog")
    known_hosts = {s.host for j in jobs for s in j.sources if s.host}
    bad_hosts = [h for h in host_names if h not in known_hosts]
    if bad_hosts:
        raise CutoverError(
            f"unknown host {', '.join(bad_hosts)}: no job of the catalog lives there "
            f"(hosts: {', '.join(sorted(known_hosts)) or 'none; scan a fleet snapshot'})")
    candidates = [by_id[i] for i in dict.fromkeys(wanted)] if wanted else [
        j for j in jobs if j.active]
    if host_names:
        candidates = [j for j in candidates if {s.host for s in j.sources} & set(host_names)]
        for j in candidates:
            others = sorted({s.host or "?" for s in j.sources if s.kind not in APP_KINDS}
                            - set(host_names))
            if others:
                raise CutoverError(
                    f"{j.id} also lives on {', '.join(others)}: a duplicated job is cut over on "
                    "all its hosts at once; add them to --hosts")
    chosen: list[Job] = []
    edits: list[LineEdit] = []
    left_out: list[str] = []
    for j in candidates:
        try:
            found = job_edits(j)
        except CutoverError as exc:
            if wanted:
                raise
            left_out.append(str(exc))
            continue
        chosen.append(j)
        edits += found
    if not chosen:
        raise CutoverError("no job to cut over" + (": " + "; ".join(left_out)
                                                   if left_out else ""))
    app = tuple(AppLine(s.path, s.line, j.id, s.kind) for j in chosen for s in j.sources
                if s.kind in APP_KINDS)
    _check_shared_calls(jobs, chosen, app)
    return Selection(tuple(chosen), tuple(edits), tuple(left_out), app)


def _check_shared_calls(jobs: Sequence[Job], chosen: Sequence[Job],
                        app: Sequence[AppLine]) -> None:
    """A schedule.rb call or Python entry that makes several jobs (a loop) is patched out
    for all of them:
    they are cut over together or not at all."""
    wanted = {(a.path, a.line) for a in app}
    ids = {j.id for j in chosen}
    for j in jobs:
        for s in j.sources:
            if s.kind in APP_KINDS and (s.path, s.line) in wanted and j.id not in ids:
                mine = sorted(a.job_id for a in app if (a.path, a.line) == (s.path, s.line))
                raise CutoverError(
                    f"{s.path}:{s.line}: this call also makes {j.id} (a loop or a shared "
                    f"call), so patching it out for {', '.join(mine)} would stop {j.id} too; "
                    f"cut them over together (--jobs {','.join([*mine, j.id])})")


def read_texts(places: Sequence[Place]) -> dict[Place, str]:
    """The snapshot's text of each file (surrogate escapes keep any byte)."""
    out: dict[Place, str] = {}
    for p in places:
        try:
            with open(p.local, encoding="utf-8", errors="surrogateescape", newline="") as f:
                out[p] = f.read()
        except OSError as exc:
            raise CutoverError(f"{p.host}:{p.remote}: cannot read {p.local}: "
                               f"{exc.strerror}") from None
    return out


def states(sel: Selection, env: str, texts: Mapping[Place, str]) -> dict[LineEdit, State]:
    return {e: line_state(texts[e.place], env, e) for e in sel.edits}


def previews(sel: Selection, env: str, texts: Mapping[Place, str], direction: str,
             day: date) -> dict[Place, tuple[str, str]]:
    """(old, new) text of every file the run would change."""
    out: dict[Place, tuple[str, str]] = {}
    for place, edits in by_place(list(sel.edits)).items():
        old = texts[place]
        new = mark(old, env, edits, day) if direction == "cutover" else unmark(old, env, edits)
        if new != old:
            out[place] = (old, new)
    return out
