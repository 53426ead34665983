"""`host-path`: files on the batch server's own disks that the job reads or writes.

A task's file system is new on every run. Flagged: logs kept on the host (`/var/log/...`,
`*.log`), home directories (`/home/...`, `~`, `$HOME`), mounts (`/mnt`, `/media`, `/nfs`,
`/net`, `/export`, `mount` itself), data and backup directories (`/data`, `/backup`,
`/var/backups`, `/var/lib`, `/var/spool`, `/var/cache`), and `/tmp` used as *state*: a file
appended to, named like state (`.lock`, `.pid`, `last_run`, `.stamp` ...), read without
being written earlier in the same command, or written and left for someone else.

Not flagged: the program and the script an interpreter runs (code, which the image carries),
`cd` targets (the image's working directory), lock files given to `flock`-like wrappers
(`self-overlap` covers them), `/dev`, `/proc`, `/etc`, `/usr`, `/opt`, `/srv`, `/var/www`.
"""

from __future__ import annotations

import re

from migrate.analysis.codes import HOST_PATH
from migrate.analysis.shell import LOCK_WRAPPERS, Segment, basename, contains_any, parse_shell
from migrate.model import Finding, Job

_MARKERS = ("/var/log", "/home", "/root", "/mnt", "/media", "/nfs", "/net/", "/export", "/data",
            "/backup", "/var/lib", "/var/spool", "/var/cache", "/tmp", "~", "$HOME", "${HOME}",
            ".log", "mount")
_PATH_IN_WORD = re.compile(r"(?:^|(?<==))(~/[^\s,;]*|~|\$\{?HOME\}?[^\s,;]*|/[^\s,;:]*)")
_MOUNTS = ("/mnt/", "/media/", "/nfs/", "/net/", "/export/")
_DATA = ("/data/", "/backup/", "/backups/", "/var/backups/", "/var/lib/", "/var/spool/",
         "/var/cache/")
_HOME = ("/home/", "/root/", "~/", "$HOME/", "${HOME}/")
_TMP = ("/tmp/", "/var/tmp/")
_STATE_NAME = re.compile(
    r"(?i)\.(?:lock|pid|stamp|state|marker|flag|last|seen|offset|cursor|checkpoint)\b"
    r"|(?:last[_-]?(?:run|ok|success|sync|id|seen)|state|stamp|marker|checkpoint|cursor)"
)
_OUTPUT_OPTS = frozenset({"-o", "--output", "--output-file", "--log-file", "--logfile", "of"})


def _kind(path: str) -> str | None:
    p = path if path.endswith("/") else path + "/"
    if p.startswith(("/dev/", "/proc/", "/sys/")):
        return None
    if p.startswith("/var/log/"):
        return "log"
    if p.startswith(_HOME) or path in ("~", "$HOME", "${HOME}"):
        return "log" if path.endswith(".log") else "home"
    if p.startswith(_MOUNTS):
        return "mount"
    if p.startswith(_DATA) or path in ("/data", "/backup", "/backups"):
        return "data"
    if p.startswith(_TMP):
        return "tmp"
    if path.endswith(".log") and path.startswith(("/", "~", "$")):
        return "log"
    return None


def _skipped_words(seg: Segment) -> set[int]:
    """Indexes into seg.words that are code, working directory or lock files."""
    skip: set[int] = set()
    words = seg.words
    pos = 0
    for wrapper in seg.wrappers:
        name = basename(wrapper[0])
        if name in LOCK_WRAPPERS:
            for k in range(len(wrapper)):
                skip.add(pos + k)
        pos += len(wrapper)
    if seg.command_word:
        idx = len(seg.assignments) + sum(len(w) for w in seg.wrappers)
        skip.add(idx)
        if seg.program == "cd":
            skip.update(range(idx, len(words)))
        script = seg.script
        if script is not None:
            for k in range(idx + 1, len(words)):
                if words[k] == script:
                    skip.add(k)
                    break
    return skip


def _uses(segments: tuple[Segment, ...]) -> list[tuple[str, str]]:
    """[(path, how)] in command order; how: write | append | read | mount."""
    uses: list[tuple[str, str]] = []
    for seg in segments:
        skip = _skipped_words(seg)
        after_output = False
        for k, word in enumerate(seg.words):
            if k in skip or k < len(seg.assignments):
                after_output = word in _OUTPUT_OPTS
                continue
            how = "write" if after_output else ("mount" if seg.program == "mount" else "read")
            if word.startswith(("of=", "--output=", "--log-file=", "--logfile=")):
                how = "write"
            for m in _PATH_IN_WORD.finditer(word):
                uses.append((m.group(1), how))
            after_output = word in _OUTPUT_OPTS
        if seg.program == "tee":
            uses.extend((a, "append" if "-a" in seg.args else "write")
                        for a in seg.args if not a.startswith("-"))
        for r in seg.redirects:
            if r.target:
                uses.append((r.target, "append" if r.appends else "write" if r.writes else "read"))
    return uses


def _tmp_is_state(path: str, how: str, index: int, uses: list[tuple[str, str]]) -> bool:
    if how == "append" or _STATE_NAME.search(basename(path)):
        return True
    earlier = {p for p, h in uses[:index] if h in ("write", "append")}
    later_reads = {p for p, h in uses[index + 1 :] if h == "read"}
    if how == "read":
        return path not in earlier
    return path not in later_reads  # written and left behind for a later run or job


_MESSAGES = {
    "log": "keeps its log in {path} on the host",
    "home": "{verb} {path} in a home directory on the host",
    "mount": "{verb} {path} on a mount of the host (NFS or a disk)",
    "data": "{verb} {path} on the host's disk",
    "tmp": "keeps state in {path} between runs",
}
_VERBS = {"write": "writes", "append": "appends to", "read": "reads", "mount": "mounts"}


def check(job: Job) -> list[Finding]:
    text = job.command.shell
    if not contains_any(text, _MARKERS):
        return []
    segments = parse_shell(text)
    uses = _uses(segments)
    findings: list[Finding] = []
    seen: set[str] = set()
    for i, (path, how) in enumerate(uses):
        kind = _kind(path)
        if kind is None or path in seen:
            continue
        if kind == "tmp" and not _tmp_is_state(path, how, i, uses):
            continue
        seen.add(path)
        if how == "mount":
            message = f"mounts a file system at {path} on the host"
        else:
            message = _MESSAGES[kind].format(path=path, verb=_VERBS[how])
        findings.append(
            HOST_PATH.finding(message, path, severity="info" if kind == "log" else None))
        if len(findings) >= 5:
            break
    for seg in segments:
        if seg.program in ("mount", "mount.nfs", "mount.cifs") and not seen & set(seg.args):
            findings.append(HOST_PATH.finding(
                "mounts a file system on the host", " ".join(seg.words)[:80]))
            break
    return findings
