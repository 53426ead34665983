"""`near-duplicate-job`: the same job on several hosts, in environments that differ slightly.

Fleets rarely have identical crontab headers: `/etc/crontab` on one host sets `PATH=...`,
another's does not, so `duplicate-job` (which compares the environment) keeps the copies
apart. When the normalised command, stdin, argv, schedule, zone and `active` flag are equal
and only environment variables differ, the copies stay separate catalog jobs (the difference
may be deliberate), but each gets this finding: in AWS each copy is one more run. The finding
names the other copies' hosts (or places), the variables that differ with their values, and
whether each difference can matter for this command:

* `MAILTO`, `MAILFROM`, `CONTENT_TYPE`, `CONTENT_TRANSFER_ENCODING`: only the mail cron sends
  about the run (cronie reads them in do_command.c; the command never sees a difference
  that matters to what it does).
* a variable the command line or its stdin names (`$X`, `${X}`): matters.
* `PATH`: cannot change which programs the command line starts when every one of them is
  given by absolute path or is a shell builtin that needs no lookup (read with
  `analysis.shell.parse_shell`, wrappers and `sh -c` strings included); a command
  substitution, a program named by a variable, `find -exec` or a script fed on stdin makes
  it matter. The programs themselves still inherit `PATH`, and the message says so.
* `SHELL`: cronie runs the line with `$SHELL -c` (do_command.c, child_process): it matters
  when the line uses shell syntax, not for plain words.
* `RANDOM_DELAY`: changes when cronie starts the job.
* anything else (`HOME`, `LANG`, `TZ`, ...): may matter, since every program inherits it.

Grouping is one dictionary pass keyed by the job without its environment; within a group the
differing variables are found per variable, never by comparing jobs pairwise (O(n)).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence

from migrate.analysis.codes import NEAR_DUPLICATE_JOB
from migrate.analysis.duplicates import job_key
from migrate.analysis.shell import INTERPRETERS, needs_shell, parse_shell
from migrate.model import Finding, Job, Source

MAIL_ONLY = frozenset({"MAILTO", "MAILFROM", "CONTENT_TYPE", "CONTENT_TRANSFER_ENCODING"})
# Builtins of every POSIX shell that start no program and need no PATH lookup (`.`, `eval`,
# `exec`, `command` run something and are left out on purpose).
_NO_LOOKUP = frozenset({":", "true", "false", "cd", "echo", "printf", "test", "[", "export",
                        "set", "unset", "exit", "read", "umask", "shift", "wait", "return",
                        "readonly", "trap", "times", "getopts", "pwd"})
_EXEC_OPTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_SHOWN_VALUES = 3
_SHOWN_PLACES = 5


def near_key(key: Hashable) -> Hashable:
    """A `duplicates.job_key` without the environment."""
    assert isinstance(key, tuple)
    return key[:2] + key[3:]


def check(jobs: Sequence[Job], keys: Sequence[Hashable] | None = None) -> dict[int, Finding]:
    """One finding per job that has near duplicates (index into `jobs`); `keys` are the
    jobs' `job_key`s when the caller has them (`merge_duplicates_keyed`)."""
    full = list(keys) if keys is not None else [job_key(j) for j in jobs]
    groups: dict[Hashable, list[int]] = {}
    for i, key in enumerate(full):
        groups.setdefault(near_key(key), []).append(i)
    out: dict[int, Finding] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        if len({full[i] for i in members}) < 2:
            continue  # equal but for MAILTO: duplicate-job's business
        group = _Group(jobs, members)
        for i in members:
            out[i] = group.finding(jobs[i])
    return out


class _Group:
    """What a group's findings need, counted once so that each member's finding costs
    O(its own sources + a few shown items), not O(group size)."""

    def __init__(self, jobs: Sequence[Job], members: list[int]) -> None:
        copies = [jobs[i] for i in members]
        self.sources = sorted((s for j in copies for s in j.sources),
                              key=lambda s: (s.host or "", s.path, s.line))
        self.host_count = Counter(s.host for s in self.sources if s.host)
        self.hosts = sorted(self.host_count)
        names = sorted({name for j in copies for name in j.command.env})
        # Per variable: how many copies have each value (None: unset), values sorted.
        self.values: dict[str, Counter[str | None]] = {}
        for name in names:
            counts = Counter(j.command.env.get(name) for j in copies)
            if len(counts) > 1:
                self.values[name] = counts
        self.sorted_values = {n: sorted(c, key=_value) for n, c in self.values.items()}

    def finding(self, job: Job) -> Finding:
        own = set(job.sources)
        mine = Counter(s.host for s in own if s.host)
        gone = {h for h, n in mine.items() if self.host_count[h] == n}  # only this copy's
        n_hosts = len(self.hosts) - len(gone)
        others = [_place(s) for s in self.sources[:len(own) + _SHOWN_PLACES]
                  if s not in own][:_SHOWN_PLACES]
        n_others = len(self.sources) - len(own)
        if n_hosts:
            shown = [h for h in self.hosts[:len(gone) + _SHOWN_PLACES]
                     if h not in gone][:_SHOWN_PLACES]
            where = f"on {n_hosts} other host{'s' if n_hosts > 1 else ''} " \
                    f"({_shown(shown, n_hosts)})"
        else:
            where = f"at {_shown(others, n_others)}"
        differing = list(self.values)
        parts = [self._variable(job, name) for name in differing]
        verdicts = [_effect(name, job) for name in differing]
        matters = [n for n, (can, _) in zip(differing, verdicts, strict=True) if can]
        summary = (f"the difference can matter ({', '.join(matters)})" if matters
                   else "the difference cannot change what runs")
        rest = n_others - min(len(others), 4)
        return NEAR_DUPLICATE_JOB.finding(
            f"the same command, stdin, schedule and zone {where}, in an environment that "
            f"differs in {', '.join(parts)}: kept apart; in AWS each copy would run. "
            f"{summary[0].upper()}{summary[1:]}: "
            + "; ".join(f"{n}: {why}" for n, (_, why) in zip(differing, verdicts, strict=True)),
            ", ".join(others[:4]) + (f" … (+{rest})" if rest > 0 else ""),
        )

    def _variable(self, job: Job, name: str) -> str:
        here = job.command.env.get(name)
        counts = self.values[name]
        alone = counts[here] == 1  # no other copy has this job's value
        ordered = self.sorted_values[name]
        total = len(ordered) - alone
        head = ordered[:_SHOWN_VALUES + 1]
        elsewhere = [_value(v) for v in head if not (alone and v == here)][:_SHOWN_VALUES]
        shown = ", ".join(elsewhere)
        if total > _SHOWN_VALUES:
            shown += f" (+{total - _SHOWN_VALUES})"
        return f"{name} (here {_value(here)}, elsewhere {shown})"


def _place(s: Source) -> str:
    return f"{s.host}:{s.path}:{s.line}" if s.host else f"{s.path}:{s.line}"


def _shown(items: list[str], total: int) -> str:
    """The first items (already cut to `_SHOWN_PLACES`) of `total`."""
    head = ", ".join(items[:_SHOWN_PLACES])
    return head + (f" and {total - _SHOWN_PLACES} more" if total > _SHOWN_PLACES else "")


def _value(v: str | None) -> str:
    return "unset" if v is None else f"{v!r}"


def _effect(name: str, job: Job) -> tuple[bool, str]:
    """Whether a different value of `name` can change what `job` does, and why."""
    if name in MAIL_ONLY:
        return False, "only changes the mail cron sends about the run"
    cmd = job.command
    texts = (cmd.shell, cmd.stdin or "", *(cmd.argv or ()))
    if any(_names(name, t) for t in texts):
        return True, f"the command reads ${name}"
    if name == "PATH":
        found = _path_lookup(cmd.shell, cmd.stdin)
        if found is None:
            return False, ("cannot change which programs the command line starts (all given "
                           "by absolute path); the programs themselves inherit it")
        return True, f"{found} is looked up through PATH"
    if name == "SHELL":
        if needs_shell(cmd.shell):
            return True, "cron runs the line with $SHELL -c and it uses shell syntax"
        return False, "the line is plain words: every shell runs it the same"
    if name == "RANDOM_DELAY":
        return True, "cronie delays the start by a random number of minutes up to it"
    return True, "may matter: every program the job starts inherits it"


def _names(name: str, text: str) -> bool:
    return "$" in text and re.search(r"\$\{?" + re.escape(name) + r"(?![A-Za-z0-9_])", text) \
        is not None


def _path_lookup(shell: str, stdin: str | None) -> str | None:
    """The first program the line starts through a PATH lookup (or the construct that
    hides one), None when every program is given by absolute path."""
    if "$(" in shell or "`" in shell:
        return "a command substitution"
    for seg in parse_shell(shell):
        for wrapper in seg.wrappers:
            if wrapper and not wrapper[0].startswith("/"):
                return f"`{wrapper[0]}`"
        word = seg.command_word
        if not word:
            continue
        if "$" in word:
            return f"the program named by `{word}`"
        if not word.startswith("/") and word not in _NO_LOOKUP:
            return f"`{word}`"
        if _EXEC_OPTIONS.intersection(seg.args):
            return f"the program `{seg.program}` runs"
        if stdin and seg.program.rstrip("0123456789.") in INTERPRETERS and seg.script is None:
            return f"the script `{seg.program}` reads on stdin"
    return None
