"""The Python schedule patch, checked by re-scanning the patched module with the real
reader: the cut-over entry is gone and every other job (id, schedule, command) is unchanged;
the patched module is valid Python; the reverse patch restores the bytes. Every entry of the
samples' and tests/data/python's modules, one at a time (jobs made by one entry, a loop,
together: `select` refuses to cut one over alone)."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from migrate.cutover.appfiles import load, restore, save, state
from migrate.cutover.edits import PYTHON_KINDS, CutoverError
from migrate.cutover.patches import AppLine
from migrate.cutover.pypatch import python_patch, removed
from migrate.model import Job
from migrate.scan import ScanOptions, scan_paths

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted([*ROOT.glob("tests/data/python/*/valid/*.py"), *ROOT.glob("samples/**/*.py")])


def _jobs(path: Path) -> list[Job]:
    """The catalog's jobs of one module, scanned as `migrate scan` does (ids, AWS
    expressions); the module's command names (`celery -A valid.x`) come from its folders."""
    return [j for j in scan_paths((str(path),), ScanOptions(timezone="UTC")).catalog.jobs
            if j.source.kind in PYTHON_KINDS]


def _key(j: Job) -> tuple[str, str, tuple[str, ...], str]:
    # unique_names suffixes a repeated name/id with -2, -3 in file order: removing the first
    # of two same-named jobs renames the second, which is the same job
    return (re.sub(r"-\d+$", "", j.id), j.schedule.cron, j.schedule.aws, j.command.shell)


def _entries() -> list[tuple[Path, int]]:
    out = []
    for path in MODULES:
        lines = {j.source.line for j in _jobs(path)}
        out += [(path, line) for line in sorted(lines)]
    return out


ENTRIES = _entries()


def test_every_module_has_entries() -> None:
    assert {p for p, _ in ENTRIES} >= {p for p in MODULES if "scheduler" in p.name}
    assert len(ENTRIES) >= 50


@pytest.mark.parametrize(("path", "line"), ENTRIES,
                         ids=[f"{p.relative_to(ROOT)}:{n}" for p, n in ENTRIES])
def test_entry_patched_out_alone(path: Path, line: int, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    jobs = _jobs(path)
    gone = [j for j in jobs if j.source.line == line]
    p = python_patch(str(path), [AppLine(str(path), line, j.id, j.source.kind) for j in gone],
                     "production", date(2026, 12, 4))
    assert p.old == text and p.new != text
    compile(p.new, str(path), "exec")  # still valid Python
    copy = tmp_path / "tree" / path.relative_to(ROOT)  # same folders: same commands
    copy.parent.mkdir(parents=True)
    copy.write_text(p.new, encoding="utf-8")
    after = Counter(_key(j) for j in _jobs(copy))
    expected = Counter(_key(j) for j in jobs) - Counter(_key(j) for j in gone)
    assert after == expected
    # the patch applies to the application's file, and its reverse restores the bytes
    app = tmp_path / "app"
    app.mkdir()
    (app / "m.py").write_text(text, encoding="utf-8")
    name = p.path.lstrip("/")
    for diff in (p.diff(), p.reverse().diff()):
        (app / "x.patch").write_text(diff.replace(f"a/{name}", "a/m.py")
                                     .replace(f"b/{name}", "b/m.py"), encoding="utf-8")
        subprocess.run(["patch", "-p1", "-s", "-i", "x.patch"], cwd=app, check=True)
        assert (app / "m.py").read_text(encoding="utf-8") == (
            p.new if diff == p.diff() else text)


def test_a_block_left_empty_gets_pass() -> None:
    text = ("from celery import Celery\napp = Celery()\n\n"
            "@app.on_after_configure.connect\ndef setup(sender, **kwargs):\n"
            "    sender.add_periodic_task(10.0, ping.s())  # every 10 s\n\nx = 1\n")
    new = removed("m.py", text, [AppLine("m.py", 6, "j-1", "celery")])
    compile(new, "m.py", "exec")
    assert "add_periodic_task" not in new and "    pass\n" in new and new.endswith("x = 1\n")


def test_a_line_without_an_entry_names_the_place() -> None:
    with pytest.raises(CutoverError, match=r"m\.py:1: no schedule entry"):
        removed("m.py", "x = 1\n", [AppLine("m.py", 1, "j-1", "celery")])


def test_rollback_restores_the_patched_file_byte_for_byte(tmp_path: Path) -> None:
    path = ROOT / "samples" / "scripts" / "scheduler.py"
    module = tmp_path / "scheduler.py"
    module.write_bytes(path.read_bytes())
    job = _jobs(module)[0]
    line = AppLine(str(module), job.source.line, job.id, job.source.kind)
    p = python_patch(str(module), [line], "sandbox", date(2026, 12, 4))
    save(tmp_path, ["1-scheduler.py.patch"], [p], [line])
    [saved] = load(tmp_path, [job.id])
    assert load(tmp_path, ["j-other"]) == [] and state(saved) == "unpatched"
    module.write_text(p.new, encoding="utf-8")  # the application deployed the patch
    assert state(saved) == "patched"
    assert restore([saved], {saved.name: "patched"}) == [str(module)]
    assert module.read_bytes() == path.read_bytes()
    module.write_text(p.new + "# edited\n", encoding="utf-8")
    assert state(saved) == "drifted"
    assert restore([saved], {saved.name: state(saved)}) == []


def test_select_patches_a_python_job_without_crontab_edits() -> None:
    from migrate.cutover.select import choose
    data = ROOT / "tests" / "data" / "python" / "apscheduler" / "valid"
    alone = next(j for j in _jobs(data / "blocking.py"))
    sel = choose([alone], [alone.id], None)
    assert sel.edits == () and [(a.job_id, a.kind) for a in sel.app_lines] == [
        (alone.id, "apscheduler")]
    loop = _jobs(data / "loops.py")  # one add_job call in a loop makes two jobs
    first = loop[0]
    shared = [j for j in loop if j.source.line == first.source.line and j is not first]
    assert shared
    with pytest.raises(CutoverError, match="cut them over together"):
        choose(loop, [first.id], None)
    assert len(choose(loop, [first.id, *(j.id for j in shared)], None).app_lines) == 2
