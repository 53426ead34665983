"""`chain`: jobs on one host that run as an unwritten sequence.

Two signs, both found per host with dictionaries and sorted arrays, never by comparing every
pair of jobs:

* data flow: one job writes a file (redirection, `tee`, `-o`, `--result-file`, `of=`,
  `tar -cf`, `pg_dump -f`, the target of `cp`/`mv`/`rsync`) that another job of the same host
  names. Paths are normalised (a part built at run time, `$(date +%F)` or a glob, cuts the
  path back to its directory; `.gz`/`.bz2`/`.xz`/`.zst` are ignored) and a writer is also
  indexed under its directory, so `aws s3 sync /backup/ ...` reads what `pg_dump >
  /backup/db-$(date +%F).sql` wrote. Logs and shared roots (`/tmp`, `/var/log`, ...) are no
  evidence.
* fixed offsets: a producer (dump, backup, export, extract, generate, `tar` ...) and a
  consumer (upload, sync, rsync, scp, transfer, import, load, publish, `aws s3` ...; a job's
  role is that of its first such word, so `upload-dump` consumes) on the
  same host, each starting at most a few times a day, the consumer within `window` minutes
  after the producer on days the producer also runs (02:00 dump, 02:30 upload).

Both jobs of a pair get the finding; the times are each job's own (legacy local) times.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from migrate.analysis.codes import CHAIN
from migrate.analysis.occupancy import daily_profile
from migrate.analysis.shell import contains_any
from migrate.analysis.timing import BoolArray, Fires
from migrate.model import Finding, Job

DEFAULT_WINDOW = 120  # minutes between producer and consumer starts
MAX_PRODUCERS = 3  # earlier producers a consumer is linked to
MAX_STARTS_PER_DAY = 4

_PATH = r"(/[^\s;&|<>()'\"=,]+)"
_WRITE = re.compile(
    r"(?:(?:^|[\s;&|(])\d?>>?\|?|&>>?)\s*['\"]?" + _PATH
    + r"|\btee\s+(?:-a\s+)?['\"]?" + _PATH
    + r"|(?<![\w-])(?:-o|-O|--out|--output|--output-file|--output-document|--result-file)"
    + r"(?:=|\s+)['\"]?" + _PATH
    + r"|(?<![\w-])of=" + _PATH
    + r"|\btar\s+-?[A-Za-y]*c[A-Za-z]*f\s+['\"]?" + _PATH
    + r"|\bpg_dump\w*\b[^|;&]*?\s-f\s*['\"]?" + _PATH
    + r"|\b(?:cp|mv|rsync|install|scp)\b[^|;&]*\s['\"]?" + _PATH + r"['\"]?\s*(?:$|[;&|)])"
)
_ANY_PATH = re.compile(r"(?<![\w:@.~$/-])" + _PATH)
_DYNAMIC = re.compile(r"[$`*?\[{%]")
_COMPRESSED = re.compile(r"\.(?:gz|bz2|xz|zst|zip|tgz)$")
_SHARED_ROOTS = frozenset({
    "", "/", "/tmp", "/var/tmp", "/var", "/var/log", "/home", "/root", "/mnt", "/srv", "/opt",
    "/usr", "/etc", "/dev", "/proc", "/run", "/var/run", "/var/lib", "/media", "/data",
})
_PRODUCER = re.compile(
    r"(?i)(?<![a-z])(?:dump|mysqldump|pg_dump\w*|mongodump|backup|export|extract|generate"
    r"|snapshot|archive|compress|tar|aggregate|build|collect|prepare|render)"
    r"(?:s|es|ed|ing|er|ers)?(?![a-z])"
)
_CONSUMER = re.compile(
    r"(?i)(?<![a-z])(?:upload|sync|rsync|scp|sftp|lftp|ftp|transfer|import|load|publish|ship"
    r"|restore|send|push|s3|gsutil|rclone|azcopy|deliver|ingest|email|mail|notify)"
    r"(?:s|es|ed|ing|er|ers)?(?![a-z])"
)


_WRITE_MARKERS = (">", "tee", "-o", "-O", "--out", "--result-file", "of=", "tar ", "pg_dump",
                  "cp ", "mv ", "rsync", "install", "scp")
_ROLE_MARKERS = ("dump", "backup", "export", "extract", "generat", "snapshot", "archiv",
                 "compress", "tar", "aggregat", "build", "collect", "prepar", "render", "upload",
                 "sync", "scp", "ftp", "transfer", "import", "load", "publish", "ship", "restor",
                 "send", "push", "s3", "gsutil", "rclone", "azcopy", "deliver", "ingest", "mail",
                 "notif")


def normalise(path: str) -> str:
    """The comparable form of a path (see the module notes)."""
    cut = _DYNAMIC.search(path)
    if cut is not None:
        path = path[: cut.start()].rsplit("/", 1)[0]
    path = _COMPRESSED.sub("", path.rstrip("/"))
    return path


def _ignored(key: str) -> bool:
    return key in _SHARED_ROOTS or key.startswith(("/dev/", "/proc/", "/var/log/")) or \
        key.endswith((".log", ".pid", ".lock"))


def written_keys(text: str) -> set[str]:
    keys: set[str] = set()
    if ">" not in text and "/" not in text:
        return keys
    for m in _WRITE.finditer(text):
        raw = next(g for g in m.groups() if g)
        key = normalise(raw)
        if not _ignored(key):
            keys.add(key)
            parent = key.rsplit("/", 1)[0]
            if not _ignored(parent):
                keys.add(parent)
    return keys


def read_keys(text: str) -> set[str]:
    keys = set()
    for m in _ANY_PATH.finditer(text):
        key = normalise(m.group(1))
        if not _ignored(key):
            keys.add(key)
    return keys


@dataclass(frozen=True, slots=True)
class _Link:
    writer: int
    reader: int
    host: str
    evidence: str
    how: str  # "data" | "offset"


def _hosts(job: Job) -> list[str]:
    if len(job.sources) == 1:
        return [job.sources[0].host or ""]
    return sorted({s.host or "" for s in job.sources})


def _data_links(
    jobs: Sequence[Job], active: Sequence[int], hosts: Sequence[list[str]]
) -> list[_Link]:
    writers: dict[tuple[str, str], list[int]] = {}
    wrote: dict[int, set[str]] = {}
    for i in active:
        text = jobs[i].command.shell
        if not contains_any(text, _WRITE_MARKERS):
            continue
        keys = written_keys(text)
        if keys:
            wrote[i] = keys
            for host in hosts[i]:
                for key in keys:
                    writers.setdefault((host, key), []).append(i)
    if not writers:
        return []
    writing_hosts = {h for h, _ in writers}
    links = []
    for i in active:
        if writing_hosts.isdisjoint(hosts[i]):
            continue
        own = wrote.get(i, set())
        for key in sorted(read_keys(jobs[i].command.shell)):
            for host in hosts[i]:
                for w in writers.get((host, key), ())[:3]:
                    if w != i and key not in own:
                        links.append(_Link(w, i, host, key, "data"))
    return links


def _offset_links(
    jobs: Sequence[Job], active: Sequence[int], hosts: Sequence[list[str]], fires: Fires,
    window: int,
) -> list[_Link]:
    first, per_day = daily_profile(fires)
    order = np.argsort(fires.job, kind="stable")
    bounds = np.searchsorted(fires.job[order], np.arange(fires.n_jobs + 1))

    def days(j: int) -> BoolArray:
        rows = fires.pattern[order[bounds[j] : bounds[j + 1]]]
        result: BoolArray = np.logical_or.reduce(fires.patterns[rows], axis=0)
        return result

    producers: dict[str, list[tuple[int, int]]] = {}
    consumers: list[tuple[str, int]] = []
    for i in active:
        if first[i] < 0 or per_day[i] > MAX_STARTS_PER_DAY:
            continue
        role = _role(jobs[i].command.shell)
        for host in hosts[i]:
            if role == "producer":
                producers.setdefault(host, []).append((int(first[i]), i))
            elif role == "consumer":
                consumers.append((host, i))
    sorted_producers = {h: sorted(v) for h, v in producers.items()}
    links = []
    for host, c in consumers:
        plist = sorted_producers.get(host)
        if not plist:
            continue
        times = [t for t, _ in plist]
        k = int(np.searchsorted(times, first[c], side="left")) - 1
        # The nearest earlier producers within the window whose days cover the consumer's.
        found = 0
        while k >= 0 and 0 < first[c] - times[k] <= window and found < MAX_PRODUCERS:
            p = plist[k][1]
            if p != c and not (days(c) & ~days(p)).any():
                links.append(_Link(p, c, host, _offset_evidence(jobs, p, c, first), "offset"))
                found += 1
            k -= 1
    return links


_DIRECTORIES = re.compile(r"(?:/[^\s/'\"]+)+/(?=[^\s/])")


def _role(text: str) -> str | None:
    """The role of the first keyword: `upload-dump` consumes, `db-dump --to s3` produces.
    Directories are not read (`/opt/reports/email_report.py` is an email step)."""
    if not contains_any(text.lower(), _ROLE_MARKERS):
        return None
    text = _DIRECTORIES.sub("", text)
    p = _PRODUCER.search(text)
    c = _CONSUMER.search(text)
    if p is None and c is None:
        return None
    if c is None or (p is not None and p.start() < c.start()):
        return "producer"
    return "consumer"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _offset_evidence(jobs: Sequence[Job], p: int, c: int, first: np.ndarray) -> str:
    pw = _PRODUCER.search(_DIRECTORIES.sub("", jobs[p].command.shell))
    cw = _CONSUMER.search(_DIRECTORIES.sub("", jobs[c].command.shell))
    return (f"{_clock(int(first[p]))} {pw.group(0) if pw else ''} → "
            f"{_clock(int(first[c]))} {cw.group(0) if cw else ''}")


def check(
    jobs: Sequence[Job], fires: Fires, window: int = DEFAULT_WINDOW
) -> dict[int, list[Finding]]:
    """Chain findings per job index. `fires` are the jobs' local-time components."""
    active = [i for i, j in enumerate(jobs) if j.active]
    hosts = [_hosts(j) for j in jobs]
    links = _data_links(jobs, active, hosts)
    linked = {(lk.writer, lk.reader) for lk in links}
    links += [lk for lk in _offset_links(jobs, active, hosts, fires, window)
              if (lk.writer, lk.reader) not in linked]
    out: dict[int, list[Finding]] = {}
    for lk in links:
        w, r = jobs[lk.writer], jobs[lk.reader]
        where = f" on {lk.host}" if lk.host else ""
        if lk.how == "data":
            after = f"reads {lk.evidence}, which {w.name} writes{where}"
            before = f"writes {lk.evidence}, which {r.name} reads{where}"
        else:
            after = f"starts after {w.name}{where} at a fixed offset ({lk.evidence})"
            before = f"{r.name}{where} starts after it at a fixed offset ({lk.evidence})"
        for idx, message in ((lk.reader, after), (lk.writer, before)):
            bucket = out.setdefault(idx, [])
            if len(bucket) < 3 and all(f.message != message for f in bucket):
                bucket.append(CHAIN.finding(message, lk.evidence))
    return out
