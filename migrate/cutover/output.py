"""`output/cutover/<env>/`: everything a cut-over or rollback will do, written before it runs.

    README.md        the report: jobs, hosts, lines, window, the steps in order, the command
    cutover.yml      the playbooks (the same edits both ways)
    rollback.yml
    inventory.yml    the hosts from the snapshot
    new/<host>/...   each changed file as it will be after this run (fetch layout)
    diffs/<host>.diff  unified diff of every changed file of the host
    patches/<n>-<file>.patch  (and .reverse.patch) for the application: schedule.rb, Python
                     schedule modules; manifest.json keeps both texts for the rollback

The directory is rewritten by every run (cutover or rollback) for the jobs chosen.
"""

from __future__ import annotations

import difflib
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from migrate.cutover.appfiles import AppState, Saved, save
from migrate.cutover.edits import PYTHON_KINDS, LineEdit, Place, State
from migrate.cutover.patches import AppLine, Patch, patch
from migrate.cutover.playbook import inventory, playbook
from migrate.cutover.pypatch import python_patch
from migrate.cutover.select import Selection


@dataclass(frozen=True, slots=True)
class Written:
    directory: Path
    playbook: Path  # the one this run executes
    inventory: Path


def diff_text(place: Place, old: str, new: str) -> str:
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        f"a/{place.host}{place.remote}", f"b/{place.host}{place.remote}"))


def app_patches(sel: Selection, env: str, day: date,
                done: Mapping[str, Patch] | None = None) -> list[Patch]:
    """One patch per schedule.rb of the chosen whenever jobs and per Python schedule module
    (`pypatch.py`) of the chosen Celery beat / django-crontab / APScheduler jobs. `done`:
    the saved patch of a file that already holds it (cut-over again after the application
    deployed it: the entry is gone, so it cannot be found again)."""
    done = done or {}
    by_path: dict[str, list[AppLine]] = {}
    for a in sel.app_lines:
        by_path.setdefault(a.path, []).append(a)
    return [done[path] if path in done else
            (python_patch if lines[0].kind in PYTHON_KINDS else patch)(path, lines, env, day)
            for path, lines in sorted(by_path.items())]


def patch_names(patches: Sequence[Patch]) -> list[str]:
    return [f"{i}-{Path(p.path).name}.patch" for i, p in enumerate(patches, 1)]


def write(out_dir: Path, env: str, sel: Selection, direction: str, day: date,
          changes: Mapping[Place, tuple[str, str]], report: str, local: bool,
          patches: Sequence[Patch] = ()) -> Written:
    d = out_dir / "cutover" / env
    if patches and (d / "patches").exists():
        shutil.rmtree(d / "patches")
    for name, p in zip(patch_names(patches), patches, strict=True):
        (d / "patches").mkdir(parents=True, exist_ok=True)
        (d / "patches" / name).write_text(p.diff(), encoding="utf-8", errors="surrogateescape")
        (d / "patches" / name.replace(".patch", ".reverse.patch")).write_text(
            p.reverse().diff(), encoding="utf-8", errors="surrogateescape")
    if patches:
        save(d / "patches", patch_names(patches), patches, sel.app_lines)
    for sub in ("new", "diffs"):
        if (d / sub).exists():
            shutil.rmtree(d / sub)
    d.mkdir(parents=True, exist_ok=True)
    edits = list(sel.edits)
    (d / "cutover.yml").write_text(playbook(env, edits, "cutover", day), encoding="utf-8")
    (d / "rollback.yml").write_text(playbook(env, edits, "rollback", day), encoding="utf-8")
    inv = d / "inventory.yml"
    inv.write_text(inventory(sel.roots, sys.executable if local else None), encoding="utf-8")
    diffs: dict[str, list[str]] = {}
    for place, (old, new) in sorted(changes.items(), key=lambda x: (x[0].host, x[0].remote)):
        target = d / "new" / place.host / place.remote.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
            f.write(new)
        diffs.setdefault(place.host, []).append(diff_text(place, old, new))
    for host, texts in diffs.items():
        (d / "diffs").mkdir(exist_ok=True)
        with open(d / "diffs" / f"{host}.diff", "w", encoding="utf-8",
                  errors="surrogateescape", newline="") as f:
            f.write("".join(texts))
    (d / "README.md").write_text(report, encoding="utf-8")
    return Written(d, d / f"{direction}.yml", inv)


def render_report(env: str, sel: Selection, direction: str, state: Mapping[LineEdit, State],
                  window: str, steps: Sequence[str], command: str,
                  rules: Mapping[str, Sequence[str]], patches: Sequence[Patch] = (),
                  saved: Mapping[str, tuple[Saved, AppState]] | None = None) -> str:
    """README.md of the output directory: what runs, where, in which order, and why."""
    lines = [f"# migrate {direction}: environment {env}", ""]
    lines += [f"Window: {window}", "", "## Steps, in this order", ""]
    lines += [f"{i}. {s}" for i, s in enumerate(steps, 1)]
    lines += ["", "Playbook command:", "", "    " + command, "", "## Jobs", ""]
    lines += ["| job | rules / schedules | host | file:line | now | line |",
              "|---|---|---|---|---|---|"]
    for job in sel.jobs:
        for e in (x for x in sel.edits if x.job_id == job.id):
            text = e.text.replace("|", "\\|").replace("\t", " ")
            lines.append(f"| {job.id} | {', '.join(rules.get(job.id, ())) or '-'} | "
                         f"{e.place.host} | {e.place.remote}:{e.line} | {state[e]} | "
                         f"`{text}` |")
    lines += ["", "## Application patches", ""]
    if sel.app_lines and direction == "cutover":
        lines += _app_cutover(sel, patches)
    elif sel.app_lines:
        lines += _app_rollback(saved or {})
    else:
        lines.append("None: every chosen job is a plain crontab line (system crontab, "
                     "cron.d or a user crontab), so the crontab edit is the whole legacy "
                     "change.")
    if sel.left_out:
        lines += ["", "## Left out", ""] + [f"- {x}" for x in sel.left_out]
    lines += ["", "Files: `new/<host>/...` (each changed file after this run), "
              "`diffs/<host>.diff`, `cutover.yml`, `rollback.yml`, `inventory.yml`.", ""]
    return "\n".join(lines)


_WHENEVER = ("Must ship with the application (commit, deploy) before the crontab edit "
             "sticks (schedule.rb patches): the next `whenever --update-crontab` rewrites "
             "its block from schedule.rb and would restore the line.")
_PYTHON = ("Python schedule patches (Celery beat, django-crontab, APScheduler) ARE the "
           "legacy-side edit: there is no crontab line on a host, the scheduler process reads "
           "the module. `migrate cutover` enables the AWS rule; the patch must be deployed with "
           "the application in the window (commit, deploy, restart the scheduler), or each run "
           "starts twice (legacy and AWS) until it is. The job's entry is removed, not "
           "commented out, so the module stays valid Python.")


def _app_cutover(sel: Selection, patches: Sequence[Patch]) -> list[str]:
    kinds = {a.path: a.kind for a in sel.app_lines}
    out = [t for t, k in ((_WHENEVER, False), (_PYTHON, True))
           if any((kinds[p.path] in PYTHON_KINDS) == k for p in patches)]
    out += ["", "`git apply` them in the application's repository; a rollback applies the "
            "`.reverse.patch`:"]
    out += [f"- `patches/{n}` ({kinds[p.path]}): {p.path}; jobs "
            + ", ".join(sorted({a.job_id for a in sel.app_lines if a.path == p.path}))
            for n, p in zip(patch_names(patches), patches, strict=True)]
    return out


_STATE = {"patched": "restored byte for byte by a local run (sandbox: the scanned tree)",
          "unpatched": "never applied here (nothing to restore)",
          "drifted": "changed since the cut-over: left alone, apply the reverse patch by hand",
          "missing": "not on this machine"}


def _app_rollback(saved: Mapping[str, tuple[Saved, AppState]]) -> list[str]:
    out = ["Reverse the application patches written by the cut-over: `git apply "
           "patches/<n>-<file>.reverse.patch` in the application's repository (or revert the "
           "commit) and deploy; for schedule.rb before whenever runs again, for a Python "
           "schedule with the rule disabled (the scheduler then starts the job again)."]
    if not saved:
        return [*out, "", "No saved patch (patches/manifest.json) for these jobs: run "
                "`migrate cutover --print` for them to regenerate the patches."]
    out += [f"- `patches/{s.name.replace('.patch', '.reverse.patch')}`: {s.patch.path}: "
            f"{st}, {_STATE[st]}" for s, st in saved.values()]
    return out
