"""`secret`: credentials written into command lines, and the redaction every emitter applies.

A secret is a *value* at a known place: the password part of `user:pass@` in a URL, the word
after `--password`, the attached value of a MySQL client's `-p`, the value of a `*_PASSWORD=`
/ `*_TOKEN=` assignment or query parameter, an `Authorization:` header, an AWS access key id,
a token with a vendor prefix. `find_secrets(text)` returns their spans; `redact_text(text)`
replaces each value with `REDACTED` (a plain word: safe unquoted in YAML, Markdown, HTML and
shell), leaving the option or key visible so a reviewer sees what to move to Secrets Manager.

References are not secrets: `$DB_PASSWORD`, `${TOKEN}`, `$(cat /run/secrets/x)` stay.

`redact_job(job)` returns a copy of a job with every string redacted (name, description,
command, stdin, env values, argv, source lines, findings, and the source-specific extras);
the analysis applies it to every job that carries a secret, so whatever an emitter renders
from jobs is clean. Emitters pass any other free text they write (summary lines,
diagnostics) through `redact_text`. (A pattern pass over whole fleet-sized documents costs
more than the rest of the analysis together, ~1 s per 10 MB, and finds nothing new.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from migrate.analysis.codes import SECRET
from migrate.analysis.shell import contains_any
from migrate.model import Command, Finding, Job, Source

MASK = "REDACTED"

# A value: quoted, or a run of characters that ends a shell word / URL part.
_V = r"""(?:'(?P<sq>[^']*)'|"(?P<dq>[^"]*)"|(?P<bare>[^\s'"&;|<>)]+))"""
_SECRET_WORD = (
    r"(?:password|passwd|passphrase|secret|token|api_?key|apikey|access_?key|private_?key"
    r"|client_?secret|credentials?|auth_?token|access_?token|refresh_?token)"
)
_SHORT_WORD = r"(?:pass|pwd|pw|key|sig|signature)"


@dataclass(frozen=True, slots=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]


def _p(kind: str, pattern: str, flags: int = 0) -> _Pattern:
    return _Pattern(kind, re.compile(pattern, flags))


# Specific kinds first: when two patterns find the same value, the first one names it.
_PATTERNS: tuple[_Pattern, ...] = (
    _p("AWS access key id", r"\b(?P<bare>(?:AKIA|ASIA)[0-9A-Z]{16})\b"),
    _p("access token", r"\b(?P<bare>(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}"
       r"|xox[abprs]-[A-Za-z0-9-]{10,}|sk_live_[0-9a-zA-Z]{16,}|glpat-[A-Za-z0-9_-]{20,}"
       r"|AIza[0-9A-Za-z_-]{35}))"),
    _p("Slack webhook", r"hooks\.slack\.com/services/(?P<bare>[A-Za-z0-9/]+)"),
    _p("password in a URL", r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/:@'\"]*:(?P<bare>[^\s@/'\"]+)@"),
    _p("authorization header", r"(?i)\b(?:authorization|proxy-authorization|x-api-key"
       r"|x-auth-token|api-key|private-token|x-access-token)\s*:\s*"
       r"(?:(?:bearer|basic|token|digest)\s+)?(?P<bare>[^\s'\"]+)"),
    _p("MySQL password (-p)", r"\b(?:mysql\w*|mariadb\w*)\b[^|;&\n]*?\s-p" + _V),
    _p("sshpass password", r"\bsshpass\b[^|;&\n]*?\s-p\s*" + _V),
    _p("Redis password (-a)", r"\bredis-cli\b[^|;&\n]*?\s-a\s*" + _V),
    _p("LDAP password (-w)", r"\bldap\w+\b[^|;&\n]*?\s-w\s*" + _V),
    _p("MongoDB password (-p)", r"\bmongo\w*\b[^|;&\n]*?\s-p\s+" + _V),
    _p("SMB password (user%pass)", r"\bsmbclient\b[^|;&\n]*?\s-U\s*['\"]?[^\s%'\"]+%" + _V),
    _p("FTP password (user,pass)", r"\blftp\b[^|;&\n]*?\s-u\s*['\"]?[^\s,'\"]+," + _V),
    _p("user:password", r"\b(?:curl|wget)\b[^|;&\n]*?\s(?:-u|--user)(?:=|\s*)['\"]?[^\s:'\"]+:"
       + _V),
    _p("archive password (-P)", r"\b(?:zip|7z|7za)\b[^|;&\n]*?\s-P\s*" + _V),
    _p("OpenSSL pass:", r"(?<![\w-])-pass(?:in|out)?\s+pass:" + _V),
    _p("aws configure set", r"\baws\s+configure\s+set\s+(?:\S+\.)?(?:aws_secret_access_key"
       r"|aws_session_token)\s+" + _V),
    _p("credential option", r"(?<![\w-])--(?:[a-z0-9]+-)*(?:password|passwd|pass|pwd|secret"
       r"|token|api-?key|apikey|access-key|secret-key|client-secret|auth-token|access-token)"
       r"(?:=|\s+)" + _V, re.I),
    _p("credential variable", r"(?<![\w.-])(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*" + _V),
    _p("credential query parameter", r"[?&]" + _SHORT_WORD + r"=(?P<bare>[^\s&'\"#]+)", re.I),
)
# Cheap test first (substrings of the lower-cased text): no pattern matches without one.
_MARKERS = ("pass", "pwd", "pw=", "secret", "token", "key", "sig", "cred", "auth", "mysql",
            "mariadb", "redis-cli", "ldap", "mongo", "smbclient", "lftp", "curl", "wget", "zip",
            "7z", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat", "xox",
            "sk_live", "glpat", "aiza", "hooks.slack")


def _maybe(text: str) -> bool:
    low = text.lower()
    return contains_any(low, _MARKERS) or ("://" in low and "@" in low)


_SECRET_ENV_KEY = re.compile(
    r"(?i)^(?:[A-Za-z0-9]*_)*[A-Za-z0-9]*" + _SECRET_WORD + r"(?:_[A-Za-z0-9]+)*$"
    r"|^(?:[A-Za-z0-9]+_)+" + _SHORT_WORD + r"(?:_[A-Za-z0-9]+)*$"
)


@dataclass(frozen=True, slots=True)
class SecretMatch:
    kind: str
    start: int  # span of the value only
    end: int
    value: str


def _is_reference(value: str) -> bool:
    """Not a literal credential: empty, a variable or command substitution, an option, a file.
    (`REDACTED` is still a secret's place: a catalog read back keeps its `secret` finding.)"""
    return (
        value == ""
        or value.startswith(("$", "`", "-", "<", "/", "~/"))
        or value in ("''", '""')
    )


@lru_cache(maxsize=1 << 16)
def find_secrets(text: str) -> tuple[SecretMatch, ...]:
    """Every secret value in `text`, by position; overlapping matches are merged."""
    if not text or not _maybe(text):
        return ()
    spans: list[SecretMatch] = []
    for pat in _PATTERNS:
        for m in pat.regex.finditer(text):
            if "key" in pat.regex.groupindex and not secret_name(m.group("key")):
                continue
            for group in ("sq", "dq", "bare"):
                if group in pat.regex.groupindex and m.group(group) is not None:
                    value = m.group(group)
                    if not _is_reference(value):
                        spans.append(SecretMatch(pat.kind, m.start(group), m.end(group), value))
                    break
    spans.sort(key=lambda s: (s.start, -s.end))
    merged: list[SecretMatch] = []
    for s in spans:
        if merged and s.start < merged[-1].end:
            last = merged[-1]
            if s.end > last.end:
                merged[-1] = SecretMatch(last.kind, last.start, s.end, text[last.start : s.end])
            continue
        merged.append(s)
    return tuple(merged)


@lru_cache(maxsize=1 << 16)
def redact_text(text: str) -> str:
    """`text` with every recognised secret value replaced by `REDACTED`."""
    matches = find_secrets(text)
    if not matches:
        return text
    out: list[str] = []
    pos = 0
    for m in matches:
        out.append(text[pos : m.start])
        out.append(MASK)
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


@lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Does a variable name say it holds a credential (`PGPASSWORD`, `DB_PASS`, `API_KEY`)?"""
    return _SECRET_ENV_KEY.match(name) is not None


def secret_env(env: Mapping[str, str]) -> list[tuple[str, str]]:
    """Environment settings whose name says they hold a credential, with a literal value."""
    return [
        (k, v) for k, v in env.items()
        if secret_name(k) and not _is_reference(v.strip("'\""))
    ]


def _mask_known(text: str, values: Iterable[str]) -> str:
    for v in values:
        if len(v) >= 4 and v != MASK and v in text:
            text = text.replace(v, MASK)
    return text


def _evidence(text: str, m: SecretMatch) -> str:
    """The option or key before the value, and the mask: `--password=REDACTED`."""
    prefix = text[max(0, m.start - 40) : m.start]
    parts = prefix.split()
    if not parts:
        return MASK
    if prefix[-1].isspace():  # `--token VALUE`, `Bearer VALUE`: the word(s) before
        keep = parts[-2:] if parts[-1].lower() in ("bearer", "basic", "token", "digest") \
            else parts[-1:]
        return " ".join(keep).lstrip("'\"") + " " + MASK
    return parts[-1].lstrip("'\"") + MASK


def check(job: Job) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[str] = set()
    for where, text in (("command", job.command.shell), ("stdin", job.command.stdin or "")):
        for m in find_secrets(text):
            evidence = _evidence(text, m)
            if evidence in seen:
                continue
            seen.add(evidence)
            findings.append(
                SECRET.finding(f"{m.kind} in the {where}", evidence)
            )
    for key, _value in secret_env(job.command.env):
        findings.append(
            SECRET.finding(f"credential in environment setting {key}", f"{key}={MASK}")
        )
    for text in _strings(job.extra):
        for m in find_secrets(text):
            evidence = _evidence(text, m)
            if evidence not in seen:
                seen.add(evidence)
                findings.append(SECRET.finding(f"{m.kind} in the catalog extras", evidence))
    # A source line that is more than the command (a schedule.rb call, a `%` line) may carry
    # a secret of its own.
    shell = job.command.shell
    for src in job.sources:
        if shell in src.text:
            continue
        for m in find_secrets(src.text):
            evidence = _evidence(src.text, m)
            if evidence not in seen:
                seen.add(evidence)
                findings.append(SECRET.finding(f"{m.kind} in the source line", evidence))
    return findings


def _strings(value: object) -> list[str]:
    """Every string inside a catalog extra (strings, lists, mappings)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _clean_value(value: object, clean: Callable[[str], str]) -> object:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {k: _clean_value(v, clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean_value(v, clean) for v in value)
    return value


def secret_values(job: Job) -> tuple[str, ...]:
    """The literal secret values a job carries (to mask wherever else they appear)."""
    values = [m.value for m in find_secrets(job.command.shell)]
    values += [m.value for m in find_secrets(job.command.stdin or "")]
    values += [v.strip("'\"") for _, v in secret_env(job.command.env)]
    for s in job.sources:
        values += [m.value for m in find_secrets(s.text)]
    for text in _strings(job.extra):
        values += [m.value for m in find_secrets(text)]
    return tuple(sorted({v for v in values if v}, key=len, reverse=True))


def redact_job(job: Job) -> Job:
    """A copy of `job` with no recognised secret in any of its strings (the same job if none)."""
    known = secret_values(job)
    if not known and not any(find_secrets(v) for v in job.command.env.values()):
        return job

    def clean(text: str) -> str:
        return _mask_known(redact_text(text), known)

    secret_keys = {k for k, _ in secret_env(job.command.env)}
    env = {k: (MASK if k in secret_keys else clean(v)) for k, v in job.command.env.items()}
    cmd = job.command
    command = Command(
        shell=clean(cmd.shell),
        stdin=None if cmd.stdin is None else clean(cmd.stdin),
        env=env,
        argv=None if cmd.argv is None else tuple(clean(a) for a in cmd.argv),
    )
    sources: list[Source] = [replace(s, text=clean(s.text)) for s in job.sources]
    findings = [
        replace(f, message=clean(f.message), evidence=clean(f.evidence)) for f in job.findings
    ]
    return replace(
        job,
        name=_mask_known(job.name, known),
        description=clean(job.description),
        sources=sources,
        command=command,
        findings=findings,
        extra={k: _clean_value(v, clean) for k, v in job.extra.items()},
    )
