"""The Ansible side: `cutover.yml`, `rollback.yml` and the inventory, as text. Pure.

Both playbooks are one play over every host with the same four steps; only the substitution
differs (cut-over: original line -> marker + line; rollback: marked line -> line):

1. read: system crontabs with `ansible.builtin.slurp`; user crontabs with `crontab -l -u
   USER` (`ansible.builtin.shell`, a `.` appended so Ansible's stripping of trailing
   newlines cannot change the bytes);
2. check: every line of the host is there exactly once, as the original or as the marked
   line (`ansible.builtin.assert`); otherwise the host fails here with `host:path:line` and
   the line, before any change, and the other hosts go on;
3. edit: system crontabs in place with `ansible.builtin.replace` (Python `re`, multiline:
   the same pattern `edits.py` previews with); a user crontab is copied to a private temp
   file, edited the same way and installed with `crontab -u USER -` from it (never by writing
   the spool), only when something changed;
   (`-`: read from standard input, because busybox's crontab opens FILE as USER, who
   cannot read a private temp file of root's);
4. busybox only: its `crontab` leaves `cron.update` in the spool for crond; in a snapshot no
   crond reads it, so it is removed (`migrate_crontab_spool: true`).

Variables (inventory or `-e`): `migrate_root` (prefix of every path: the host root of a
snapshot on this machine; empty on real hosts), `migrate_crontab` (the crontab command,
default `crontab`), `migrate_crontab_spool` (pass `-c <root><spool dir>`, busybox's option
for another spool), `migrate_tmp` (where the run's private temp directory is made, default
the system's). Every text from the catalog is tagged `!unsafe`, so a crontab line containing
`{{` is never templated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import PurePosixPath
from typing import Any

import yaml

from migrate.cutover.edits import (
    ROLLBACK_REPLACEMENT,
    LineEdit,
    cutover_replacement,
    marked_pattern,
    original_pattern,
)


class Unsafe(str):
    """A string Ansible must not template (`!unsafe`)."""


class _Dumper(yaml.SafeDumper):
    pass


def _unsafe(dumper: yaml.SafeDumper, data: Unsafe) -> yaml.Node:
    return dumper.represent_scalar("!unsafe", str(data), style='"')


_Dumper.add_representer(Unsafe, _unsafe)

_HOST = "inventory_hostname"
_ROOT = "(migrate_root | default(''))"
_EDITS = f"(migrate_edits[{_HOST}] | default([]))"
_CRONTAB = ("((migrate_crontab | default('crontab')) ~ ((' -c ' ~ ("
            f"{_ROOT} ~ item.spool) | quote) if (migrate_crontab_spool | default(false)) "
            "else ''))")


def _edit_vars(env: str, edit: LineEdit, direction: str, day: date) -> dict[str, Any]:
    p = edit.place
    forward = direction == "cutover"
    path = p.remote if p.kind == "system" else f"{p.host}-{p.user}.crontab"
    return {
        "file": Unsafe(p.key),
        "kind": p.kind,
        "path": Unsafe(path),
        "where": Unsafe(f"{p.host}:{p.remote}:{edit.line}"),
        "text": Unsafe(edit.text),
        "original": Unsafe(original_pattern(edit)),
        "marked": Unsafe(marked_pattern(env, edit)),
        "sub": Unsafe(original_pattern(edit) if forward else marked_pattern(env, edit)),
        "to": Unsafe(cutover_replacement(env, edit, day) if forward else ROLLBACK_REPLACEMENT),
    }


def _users(edits: Sequence[LineEdit]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for e in edits:
        p = e.place
        if p.kind == "user" and p.key not in seen:
            seen[p.key] = {"key": Unsafe(p.key), "user": Unsafe(p.user or ""),
                           "spool": Unsafe(str(PurePosixPath(p.remote).parent)),
                           "tmp": Unsafe(f"{p.host}-{p.user}.crontab")}
    return list(seen.values())


def playbook(env: str, edits: Sequence[LineEdit], direction: str, day: date) -> str:
    """`cutover.yml` (direction "cutover") or `rollback.yml` ("rollback")."""
    hosts = sorted({e.place.host for e in edits})
    per_host = {h: [_edit_vars(env, e, direction, day) for e in edits if e.place.host == h]
                for h in hosts}
    system = {h: sorted({e.place.remote for e in edits
                         if e.place.host == h and e.place.kind == "system"}) for h in hosts}
    users = {h: _users([e for e in edits if e.place.host == h]) for h in hosts}
    # user crontabs are edited in a private directory made for this run (mode 0700, unique
    # name): a fixed name in /tmp would let two runs, or another user, touch the copy
    tmp = "migrate_tmpdir.path"
    what = "cut over" if direction == "cutover" else "roll back"
    tasks: list[dict[str, Any]] = [
        {"name": "Read the system crontabs",
         "ansible.builtin.slurp": {"src": f"{{{{ {_ROOT} ~ item }}}}"},
         "loop": f"{{{{ migrate_system[{_HOST}] | default([]) }}}}",
         "register": "migrate_read_system"},
        {"name": "Read the user crontabs (crontab -l -u USER)",
         "ansible.builtin.shell": f"{{{{ {_CRONTAB} }}}} -l -u {{{{ item.user | quote }}}}"
                                  " && printf .",
         "loop": f"{{{{ migrate_users[{_HOST}] | default([]) }}}}",
         "register": "migrate_read_users", "changed_when": False, "failed_when": False,
         "check_mode": False},
        {"name": "Collect the system crontabs",
         "ansible.builtin.set_fact": {
             "migrate_text": "{{ dict(migrate_read_system.results | map(attribute='item') | "
                             "zip(migrate_read_system.results | map(attribute='content') | "
                             "map('b64decode'))) }}"}},
        {"name": "Collect the user crontabs (none when crontab -l fails)",
         "ansible.builtin.set_fact": {
             "migrate_text": "{{ migrate_text | combine({item.item.key: item.stdout[:-1] "
                             "if item.rc == 0 and item.stdout.endswith('.') else ''}) }}"},
         "loop": "{{ migrate_read_users.results }}"},
        {"name": "Check each line is there exactly once (else this host is left unchanged)",
         "ansible.builtin.assert": {
             "that": "[o | int, m | int] in [[1, 0], [0, 1]]",
             "fail_msg": "{{ item.where }}: drifted: expected this line exactly once "
                         "(found {{ o }} times, {{ m }} times marked): {{ item.text }}",
             "quiet": True},
         "vars": {"o": "{{ migrate_text[item.file] | regex_findall(item.original, "
                       "multiline=True) | length }}",
                  "m": "{{ migrate_text[item.file] | regex_findall(item.marked, "
                       "multiline=True) | length }}"},
         "loop": f"{{{{ {_EDITS} }}}}", "loop_control": {"label": "{{ item.where }}"}},
        {"name": "Make a private temp directory for the user crontabs",
         "ansible.builtin.tempfile": {"state": "directory", "suffix": ".migrate",
                                      "path": "{{ migrate_tmp | default(omit) }}"},
         "register": "migrate_tmpdir", "check_mode": False, "changed_when": False,
         "when": f"migrate_users[{_HOST}] | default([]) | length > 0"},
        {"name": "Copy each user crontab to a private temp file",
         "ansible.builtin.copy": {"content": "{{ migrate_text[item.key] }}",
                                  "dest": f"{{{{ {tmp} }}}}/{{{{ item.tmp }}}}",
                                  "mode": "0600"},
         "loop": f"{{{{ migrate_users[{_HOST}] | default([]) }}}}", "check_mode": False,
         "changed_when": False, "loop_control": {"label": "{{ item.key }}"}},
        {"name": f"Edit the lines ({what})",
         "ansible.builtin.replace": {
             "path": f"{{{{ ({_ROOT} if item.kind == 'system' else {tmp} ~ '/') ~ item.path }}}}",
             "regexp": "{{ item.sub }}", "replace": "{{ item.to }}"},
         "loop": f"{{{{ {_EDITS} }}}}", "loop_control": {"label": "{{ item.where }}"},
         "register": "migrate_edited"},
        {"name": "Install the changed user crontabs (crontab -u USER - < FILE)",
         "ansible.builtin.shell": f"{{{{ {_CRONTAB} }}}} -u {{{{ item.user | quote }}}} - "
                                  f"< {{{{ ({tmp} ~ '/' ~ item.tmp) | quote }}}}",
         "loop": f"{{{{ migrate_users[{_HOST}] | default([]) }}}}",
         "when": "item.key in (migrate_edited.results | selectattr('changed') | "
                 "map(attribute='item.file') | list)",
         "loop_control": {"label": "{{ item.key }}"}, "register": "migrate_installed"},
        {"name": "Remove busybox's cron.update signal from the snapshot spool",
         "ansible.builtin.file": {"path": f"{{{{ {_ROOT} ~ item.item.spool }}}}/cron.update",
                                  "state": "absent"},
         "loop": "{{ migrate_installed.results | default([]) }}",
         "when": "(migrate_crontab_spool | default(false)) and item.changed | default(false)",
         "loop_control": {"label": "{{ item.item.key }}"}},
        {"name": "Remove the temp directory",
         "ansible.builtin.file": {"path": f"{{{{ {tmp} }}}}", "state": "absent"},
         "when": "migrate_tmpdir.path is defined", "check_mode": False,
         "changed_when": False},
    ]
    play = {
        "name": f"migrate {direction} ({env})",
        "hosts": "all",
        "gather_facts": False,
        "vars": {"migrate_edits": per_host, "migrate_system": system, "migrate_users": users},
        "tasks": tasks,
    }
    header = (f"# migrate {direction} for environment {env}: generated by `migrate {direction}`"
              "; see README.md next to it.\n")
    return header + yaml.dump([play], Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              width=1000)


def inventory(roots: Mapping[str, str], python: str | None = None) -> str:
    """Hosts from the snapshot. With `python` (this machine's interpreter) the snapshot
    directories on this machine are the hosts (`migrate_root`, `ansible_connection: local`,
    busybox's crontab with `-c`); without, the real hosts by name, real paths. A root is
    made absolute: a relative one (a fleet scanned as `migrate scan fleet`) would be read by
    Ansible relative to the playbook's directory, not to where migrate ran."""
    hosts: dict[str, dict[str, Any]] = {}
    for host, root in sorted(roots.items()):
        hosts[host] = ({"migrate_root": Unsafe(os.path.abspath(root)),
                        "ansible_connection": "local",
                        "ansible_python_interpreter": Unsafe(python),
                        "migrate_crontab": "busybox crontab", "migrate_crontab_spool": True}
                       if python else {})
    return yaml.dump({"all": {"hosts": hosts}}, Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=1000)
