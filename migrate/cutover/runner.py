"""Runs `ansible-playbook`: the only process `migrate cutover` / `rollback` start.

The command is a value (`command`) so `--print` can show exactly what would run. The result
is read from the PLAY RECAP lines (`host : ok=4 changed=1 unreachable=0 failed=0 ...`): a
host with failed or unreachable tasks is a failed host; the playbook's checks make sure
nothing was changed on it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from migrate.cutover.edits import CutoverError

_RECAP = re.compile(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                    re.MULTILINE)
_FAILED_MSG = re.compile(r'"msg": "([^"]*drifted[^"]*)"')


@dataclass(frozen=True, slots=True)
class Outcome:
    returncode: int
    changed: dict[str, int]  # host -> changed tasks
    failed: tuple[str, ...]  # hosts that failed (nothing changed on them)
    messages: tuple[str, ...]  # the drift messages
    output: str


def ansible_playbook() -> str:
    """`ansible-playbook` next to this Python (the venv) or on PATH."""
    beside = Path(sys.executable).parent / "ansible-playbook"
    if beside.exists():
        return str(beside)
    found = shutil.which("ansible-playbook")
    if found is None:
        raise CutoverError("ansible-playbook not found: install ansible-core "
                           "(pip install ansible-core) in this environment")
    return found


def command(playbook: Path, inventory: Path, local: bool, limit: Sequence[str] = (),
            check: bool = False) -> list[str]:
    cmd = [ansible_playbook(), "-i", str(inventory)]
    if local:
        cmd += ["-c", "local"]
    if limit:
        cmd += ["--limit", ",".join(limit)]
    if check:
        cmd += ["--check", "--diff"]
    return cmd + [str(playbook)]


def shell_line(cmd: Sequence[str]) -> str:
    return shlex.join(cmd)


def run(cmd: Sequence[str]) -> Outcome:
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0",
           "ANSIBLE_HOST_KEY_CHECKING": os.environ.get("ANSIBLE_HOST_KEY_CHECKING", "True")}
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        raise CutoverError(f"cannot run {cmd[0]}: {exc.strerror}") from None
    out = proc.stdout + proc.stderr
    changed: dict[str, int] = {}
    failed: list[str] = []
    for host, ch, unreachable, fail in _RECAP.findall(out):
        changed[host] = int(ch)
        if int(unreachable) or int(fail):
            failed.append(host)
    if proc.returncode and not changed:
        raise CutoverError(f"ansible-playbook failed (exit {proc.returncode}):\n"
                           + out.strip()[-2000:])
    messages = tuple(dict.fromkeys(m.replace("\\t", "\t") for m in _FAILED_MSG.findall(out)))
    return Outcome(proc.returncode, changed, tuple(sorted(failed)), messages, out)
