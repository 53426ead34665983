"""`fixed-ip` and `localhost`: what the job connects to, seen from inside a container.

`fixed-ip`: every IPv4/IPv6 literal, classified (`private`, `public`, `loopback`,
`link-local`, `shared` for carrier-grade NAT, `documentation`, `unspecified`, `multicast`)
and attributed to the tool of its simple command (`ssh`, `scp`, `rsync`, `curl`,
`mysql -h`, ...). A public address usually means a partner allow-lists the batch server's
address; a private one means the job assumes the server's network position.

`localhost`: `localhost`, `127.0.0.0/8`, `::1`, `0.0.0.0`, unix sockets (`*.sock`,
`--socket`, `mysql -S`), the local Docker daemon, and database clients given no host at
all (they connect to the local socket by default).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from migrate.analysis.codes import FIXED_IP, LOCALHOST
from migrate.analysis.shell import Segment, contains_any, parse_shell
from migrate.model import Finding, Job, Severity

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Not inside a longer number or a version string (`v1.2.3.4`), but `-h10.0.0.5` counts.
IPV4 = re.compile(rf"(?:(?<=-h)|(?<![\w.])){_OCTET}(?:\.{_OCTET}){{3}}(?!\d|\.\d)")
# Candidates only; `ipaddress` decides. A digit is required so `Cafe::Bad` (Ruby) is no address.
IPV6 = re.compile(r"(?<![\w:.])(?=[0-9A-Fa-f:.]*\d)(?=[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:)"
                  r"[0-9A-Fa-f:]{2,39}(?:\d+\.\d+\.\d+\.\d+)?(?![\w:])")

_HOST_FLAG_TOOLS: Mapping[str, tuple[str, ...]] = {
    **{t: ("-h", "--host") for t in (
        "mysql", "mysqldump", "mysqladmin", "mysqlcheck", "mysqlimport", "mariadb",
        "mariadb-dump", "psql", "pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup",
        "vacuumdb", "reindexdb", "redis-cli")},
    **{t: ("--host",) for t in (
        "mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport")},
}
_HOST_ENV = ("PGHOST", "MYSQL_HOST", "REDISCLI_HOST", "MONGO_HOST", "PGSERVICE", "DATABASE_URL")

_PRIVATE4 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12",
                                                    "192.168.0.0/16"))
_SHARED4 = ipaddress.ip_network("100.64.0.0/10")
_DOC = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24",
                                               "203.0.113.0/24", "2001:db8::/32"))
_ULA = ipaddress.ip_network("fc00::/7")


def classify(address: str) -> str:
    """private | public | loopback | link-local | shared | documentation | unspecified |
    multicast | reserved. Documentation ranges (RFC 5737/3849) stand for public addresses in
    examples; Python's `is_private` counts them as private, which is not what a reader means.
    """
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if any(ip in n for n in _DOC if n.version == ip.version):
        return "documentation"
    if ip.version == 4 and any(ip in n for n in _PRIVATE4):
        return "private"
    if ip.version == 4 and ip in _SHARED4:
        return "shared"
    if ip.version == 6 and ip in _ULA:
        return "private"
    if ip.is_reserved:
        return "reserved"
    return "public"


_DOTTED = re.compile(r"\d\.\d+\.\d+\.\d")


def ip_literals(text: str) -> list[str]:
    """Distinct IPv4/IPv6 literals in `text`, in order of appearance."""
    found: dict[str, int] = {}
    if _DOTTED.search(text):
        for m in IPV4.finditer(text):
            found.setdefault(m.group(0), m.start())
    if "::" in text or text.count(":") >= 3:
        for m in IPV6.finditer(text):
            cand = m.group(0)
            try:
                ipaddress.IPv6Address(cand)
            except ValueError:
                continue
            found.setdefault(cand, m.start())
    return sorted(found, key=found.__getitem__)


def _tool_use(segments: tuple[Segment, ...], literal: str) -> tuple[str, str]:
    """(tool, evidence) for the simple command that mentions `literal`."""
    for seg in segments:
        for k, word in enumerate(seg.words):
            if literal not in word:
                continue
            tool = seg.program or (seg.wrappers[-1][0] if seg.wrappers else "")
            flags = _HOST_FLAG_TOOLS.get(seg.program, ())
            prev = seg.words[k - 1] if k else ""
            if prev in flags:
                return f"{seg.program} {prev}", f"{seg.program} {prev} {word}"
            if any(word.startswith(f) and word != f for f in flags):
                return f"{seg.program} {word[:2]}", f"{seg.program} {word}"
            if word == seg.command_word:
                return tool, word
            return tool, f"{tool} {word}".strip()
        for r in seg.redirects:
            if literal in r.target:
                return seg.program, f"{r.op} {r.target}"
    return "", literal


_SEVERITY: Mapping[str, Severity] = {"loopback": "info", "unspecified": "info"}
_WHY: Mapping[str, str] = {
    "public": "partners may allow-list the batch server's address",
    "documentation": "documentation range, standing for a public address the partner may "
    "allow-list",
    "private": "assumes the batch server's network position",
    "shared": "a carrier-grade NAT address, reachable only from the server's network",
    "link-local": "link-local: on EC2 this is the instance metadata, not a task's",
    "loopback": "the container itself (see localhost)",
    "unspecified": "the container itself (see localhost)",
}


def check_fixed_ip(job: Job) -> list[Finding]:
    text = job.command.shell
    literals = ip_literals(text)
    if not literals:
        return []
    segments = parse_shell(text)
    findings = []
    for lit in literals:
        kind = classify(lit)
        tool, evidence = _tool_use(segments, lit)
        family = "IPv6" if ":" in lit else "IPv4"
        used = f" used by {tool}" if tool else ""
        why = _WHY.get(kind, kind)
        label = "public" if kind == "documentation" else kind
        findings.append(FIXED_IP.finding(
            f"{label} {family} address {lit}{used}: {why}", evidence, severity=_SEVERITY.get(kind)))
    return findings


_LOCAL_NAME = re.compile(r"(?<![\w.-])(localhost(?:\.localdomain)?|ip6-localhost)(?![\w-])", re.I)
_LOOPBACK4 = re.compile(r"(?<![\d.])(127(?:\.\d{1,3}){3}|0\.0\.0\.0)(?![\d]|\.\d)")
_SOCKET = re.compile(
    r"(?:unix:(?://)?|--socket[= ]|(?<![\w.-])-S\s*)?(?<![\w.-])(/[\w./@-]*\.sock(?:et)?)\b"
    r"|--socket[= ](\S+)|unix://(\S+)"
)
_DB_CLIENTS = frozenset(_HOST_FLAG_TOOLS)
_LOCAL_MARKERS = ("localhost", "127.", "0.0.0.0", "::1", ".sock", "socket", "unix:", "mysql",
                  "maria", "psql", "pg_", "vacuumdb", "reindexdb", "redis-cli", "mongo", "docker",
                  "podman")


_HOST_ARGS = ("-h", "--host", "--uri", "--url", "--defaults-file", "--defaults-extra-file",
              "--login-path", "--socket", "-S")
_REDIS_HOST_ARGS = ("-h", "--host", "-u", "--url", "-s", "--socket")


def _db_without_host(seg: Segment, env: Mapping[str, str]) -> bool:
    """A database client that names no server: it uses the local socket (or localhost)."""
    if seg.program not in _DB_CLIENTS:
        return False
    assigned = {a.split("=", 1)[0] for a in seg.assignments}
    if any(k in env or k in assigned for k in _HOST_ENV):
        return False
    flags = _REDIS_HOST_ARGS if seg.program == "redis-cli" else _HOST_ARGS
    for a in seg.args:
        if a.startswith(flags) or "://" in a or "host=" in a or "service=" in a:
            return False
        if seg.program.startswith("mongo") and not a.startswith("-") and (":" in a or "/" in a):
            return False
    return True


def check_localhost(job: Job) -> list[Finding]:
    text = job.command.shell
    low = text.lower()
    if not contains_any(low, _LOCAL_MARKERS):
        return []
    findings: list[Finding] = []
    seen: set[str] = set()

    def add(evidence: str, message: str) -> None:
        if evidence not in seen:
            seen.add(evidence)
            findings.append(LOCALHOST.finding(message, evidence))

    for m in _LOCAL_NAME.finditer(text):
        add(m.group(1), f"connects to {m.group(1)}: inside a container that is the container")
    for m in _LOOPBACK4.finditer(text):
        add(m.group(1), f"connects to {m.group(1)}: inside a container that is the container")
    if "::1" in text:
        for lit in ip_literals(text):
            if ":" in lit and classify(lit) == "loopback":
                add(lit, f"connects to {lit}: inside a container that is the container")
    for m in _SOCKET.finditer(text):
        path = next(g for g in m.groups() if g)
        add(path, f"talks to a local daemon through the unix socket {path}")
    segments = parse_shell(text)
    env = job.command.env
    for seg in segments:
        if seg.program in ("docker", "podman", "docker-compose") and "prune" not in seg.args:
            add(f"{seg.program} {' '.join(seg.args[:1])}".strip(),
                f"{seg.program} talks to the host's container daemon, which a task does not have")
        elif _db_without_host(seg, env):
            add(f"{seg.program} (no host)",
                f"{seg.program} is given no host, so it connects to a server on the same host")
    return findings
