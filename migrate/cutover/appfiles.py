"""The application patches of a cut-over, kept for its rollback.

A cut-over writes `patches/manifest.json` beside the patches: for each patched file (a
schedule.rb or a Python schedule module) its path as scanned, the jobs, and its text before
and after the patch. A rollback reads it back: it re-emits each `.reverse.patch` and, for a
file on this machine (the sandbox: the scanned tree is the application), reports its state
and restores a file that still holds exactly the patched text to the original, byte for
byte. A file the patch was never applied to is left alone; one that changed since is
`drifted` and left alone with a message (apply the `.reverse.patch` by hand).
The `patch` of a removed Python entry cannot be recomputed from the patched file (the entry
is gone), hence the saved texts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from migrate.cutover.edits import CutoverError
from migrate.cutover.patches import AppLine, Patch

MANIFEST = "manifest.json"
AppState = Literal["patched", "unpatched", "drifted", "missing"]


@dataclass(frozen=True, slots=True)
class Saved:
    name: str  # patches/<name> (and <name without .patch>.reverse.patch)
    patch: Patch  # old: before the cut-over, new: after
    jobs: tuple[str, ...]


def save(patches_dir: Path, names: Sequence[str], patches: Sequence[Patch],
         app_lines: Sequence[AppLine]) -> None:
    rows = [{"name": n, "path": p.path, "old": p.old, "new": p.new,
             "jobs": sorted({a.job_id for a in app_lines if a.path == p.path})}
            for n, p in zip(names, patches, strict=True)]
    # ensure_ascii keeps surrogate escapes (any byte of the file) as \udcXX
    (patches_dir / MANIFEST).write_text(json.dumps(rows, indent=1), encoding="ascii")


def load(patches_dir: Path, job_ids: Sequence[str]) -> list[Saved]:
    """The saved patches touching any of `job_ids` (none when no cut-over was written)."""
    try:
        rows = json.loads((patches_dir / MANIFEST).read_text(encoding="ascii"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise CutoverError(f"{patches_dir / MANIFEST}: cannot read: {exc}") from None
    return [Saved(r["name"], Patch(r["path"], r["old"], r["new"]), tuple(r["jobs"]))
            for r in rows if set(r["jobs"]) & set(job_ids)]


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
            return f.read()
    except OSError:
        return None


def state(saved: Saved) -> AppState:
    text = _read(saved.patch.path)
    if text is None:
        return "missing"
    return ("patched" if text == saved.patch.new else
            "unpatched" if text == saved.patch.old else "drifted")


def restore(saved: Sequence[Saved], states: Mapping[str, AppState]) -> list[str]:
    """Write back the original text of every file still exactly as patched; the paths."""
    done = []
    for s in saved:
        if states[s.name] == "patched":
            with open(s.patch.path, "w", encoding="utf-8", errors="surrogateescape",
                      newline="") as f:
                f.write(s.patch.old)
            done.append(s.patch.path)
    return done


def write_reverse(patches_dir: Path, saved: Sequence[Saved]) -> None:
    """(Re)write each `.reverse.patch` the rollback applies."""
    patches_dir.mkdir(parents=True, exist_ok=True)
    for s in saved:
        (patches_dir / s.name.replace(".patch", ".reverse.patch")).write_text(
            s.patch.reverse().diff(), encoding="utf-8", errors="surrogateescape")
