"""Stable ids, readable EventBridge-safe names and plain-words descriptions for jobs.

* `job_id`: `j-` + 12 hex of sha256(kind, host, user, schedule, zone, command). It does not
  depend on the line number or the file's other lines, so re-scans keep it; two identical
  lines in one file get `-2`, `-3` in order of appearance.
* `job_name`: `[host-][user-]<what it runs>`, lower case, `[a-z0-9-]` only, at most
  `NAME_MAX` (48) characters so that an environment prefix and a `-2` suffix still fit the
  64-character rule name limit; on collision the id's first 6 hex digits are appended.
* `describe`: the schedule in words (cron-descriptor) with its zone.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import shlex
from collections.abc import Iterable
from functools import lru_cache

from cron_descriptor import ExpressionDescriptor, Options, get_description

from migrate.model import Job
from migrate.schedule.aws import render_set
from migrate.schedule.cron import MACROS, CronSchedule, is_cron
from migrate.schedule.fields import AWS_DAY_OF_WEEK, DAY_OF_MONTH, HOUR, MINUTE, MONTH

NAME_MAX = 48
_WRAPPERS = {
    "sh", "bash", "zsh", "dash", "env", "nice", "ionice", "nohup", "timeout", "flock", "sudo",
    "su", "exec", "time", "cronic", "chronic", "run-one", "lockrun", "solo", "setlock",
    "xargs", "(", "{", "!", "bundle", "then", "do", "else",
}
# wrappers followed by operands of their own before the command (`flock LOCK cmd`)
_WRAPPER_OPERANDS = {"flock": 1, "timeout": 1, "setlock": 1, "chronic": 0}
_GUARDS = {"test", "[", "[[", "cd", "true", ":", "export", "source", ".", "if", "fi", "done",
           "sleep", "set", "umask", "while", "for"}
_SEPARATORS = {"&&", "||", ";", "|", "&", ";;"}
# options whose value says nothing about the job (or is a credential): skip the value too
_CREDENTIAL_OPTIONS = {"-u", "--user", "-p", "--password", "--pass", "-P", "-H", "--header",
                       "--auth", "-a", "--token", "--secret", "-k", "--key", "-e",
                       "--environment"}
_REDIRECT = re.compile(r"^\d*[<>]")
_REDIRECT_OPERATOR = re.compile(r"\d*[<>&]+")  # fullmatch: its target is the next token
_ASSIGNMENT = re.compile(r"^\w+=")
_ADDRESS = re.compile(r"[@=]|://|:.*/")
_ADDRESS_COLONS = re.compile(r"[0-9a-fA-F:.]*:[0-9a-fA-F:.]*:.*")  # fullmatch: IPv6, MAC
_SCRIPT_SUFFIX = re.compile(r"\.(sh|py|rb|pl|php)$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DASHES = re.compile(r"-+")


def job_id(job: Job) -> str:
    src = job.source
    key = "\0".join([
        src.kind, src.host or "", src.user or "", job.schedule.cron, job.schedule.timezone,
        job.command.shell, job.command.stdin or "",
    ])
    return "j-" + hashlib.sha256(key.encode()).hexdigest()[:12]


# Names need the program and two arguments: the lexer sees the first 4 KiB only. shlex
# builds each token by string concatenation, quadratic in the token's length (one 2 MB
# command took 45 s to name).
NAME_SOURCE_CHARS = 4096


# shlex's rules (posix, `punctuation_chars=True`, `whitespace_split=True`; CPython's
# `shlex.read_token`) for a command without quotes or backslashes, where they are simple:
# " \t\r\n" separate tokens, "#" starts a comment up to the end of the line (shlex's default
# `commenters`, even inside a word), each run of `();<>|&` is a token, anything else is part
# of a word. A regex does that ~20 times faster than shlex's character loop; other commands
# go through shlex itself. tests/test_naming.py proves both give the same tokens.
_SHLEX_QUOTING = re.compile(r"""['"\\]""")
_SHLEX_COMMENT = re.compile(r"#[^\n]*")
_SHLEX_TOKEN = re.compile(r"[();<>|&]+|[^ \t\r\n();<>|&]+")


def _tokens(command: str) -> list[str]:
    command = command[:NAME_SOURCE_CHARS]
    if _SHLEX_QUOTING.search(command):
        return _shlex_tokens(command)
    if "#" in command:
        command = _SHLEX_COMMENT.sub("", command)
    return _SHLEX_TOKEN.findall(command)


def _shlex_tokens(command: str) -> list[str]:
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        return list(lexer)
    except ValueError:
        return command.split()


def _segments(tokens: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for tok in tokens:
        if tok in _SEPARATORS:
            out.append([])
        else:
            out[-1].append(tok)
    return [seg for seg in out if seg]


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _words(command: str) -> list[str]:
    """The program and up to two telling arguments of the command's main step: guards
    (`test -x ... ||`, `cd dir &&`), wrappers (`sh -c`, `nice`, `flock`), options,
    redirections, numbers and addresses are left out."""
    for seg in _segments(_tokens(command)):
        seg = [t for t in seg if not _ASSIGNMENT.match(t)]
        while seg and (seg[0] in _WRAPPERS or seg[0].rsplit("/", 1)[-1] in _WRAPPERS
                       or (seg[0].startswith("-") and seg[0] != "-c")):
            positional = _WRAPPER_OPERANDS.get(seg[0].rsplit("/", 1)[-1], 0)
            seg = seg[1:]
            while positional and seg:
                if not seg[0].startswith("-"):
                    positional -= 1
                seg = seg[1:]  # `flock -n /tmp/lock cmd`: the lock file is not the job
        if seg and seg[0] == "-c" and len(seg) > 1:
            inner = _words(seg[1])
            if inner:
                return inner
        if not seg or seg[0] in _GUARDS or seg[0].rsplit("/", 1)[-1] in _GUARDS:
            continue
        words: list[str] = []
        skip = False
        for i, tok in enumerate(seg):
            if skip:
                skip = False
                continue
            if _REDIRECT_OPERATOR.fullmatch(tok):
                skip = True  # the redirection's target follows
                continue
            if _REDIRECT.match(tok):
                continue
            if " " in tok and i > 0 and seg[i - 1] == "-c":  # `sh -c '...'`: its main step
                inner = _words(tok)
                if inner:
                    return inner
                continue
            # options (and the value of a credential option), variables, numbers, and
            # anything that may carry an address or a credential (`a@b`, URLs, `k=v`,
            # `host:/path`) never goes into a name
            if i > 0 and seg[i - 1] in _CREDENTIAL_OPTIONS:
                continue
            if tok.startswith(("-", "$", "`")) or tok[:1].isdigit():
                continue
            if _ADDRESS.search(tok) or _ADDRESS_COLONS.fullmatch(tok):
                continue
            base = _SCRIPT_SUFFIX.sub("", tok.rstrip("/").rsplit("/", 1)[-1])
            slug = _slug(base)[:20].strip("-")
            if slug and slug not in words:
                words.append(slug)
            if len(words) == 3:
                break
        if words:
            return words
    return []


def base_name(job: Job) -> str:
    parts = [p for p in (job.source.host, job.source.user) if p]
    # A name the source chose (a Celery beat entry, an APScheduler job id) says more than the
    # command's words (`celery -A proj call ...`).
    parts += [job.name] if job.name else (_words(job.command.shell) or ["job"])
    name = _DASHES.sub("-", "-".join(_NOT_SLUG.sub("-", p.lower()) for p in parts))
    return name.strip("-")[:NAME_MAX].rstrip("-") or "job"


def assign_names(jobs: Iterable[Job]) -> None:
    """Give every job a unique id and name (see module docstring)."""
    jobs = list(jobs)
    seen_ids: dict[str, int] = {}
    for job in jobs:
        jid = job_id(job)
        n = seen_ids.get(jid, 0) + 1
        seen_ids[jid] = n
        job.id = jid if n == 1 else f"{jid}-{n}"
    counts: dict[str, int] = {}
    bases = [base_name(j) for j in jobs]
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    for job, b in zip(jobs, bases, strict=True):
        if counts[b] > 1:
            suffix = "-" + job.id[2:8] + (job.id[14:] if len(job.id) > 14 else "")
            b = b[: NAME_MAX - len(suffix)].rstrip("-") + suffix
        job.name = b


def cron_text(schedule: CronSchedule) -> str:
    """Five cron fields for the schedule's sets (weekdays as names)."""
    weekdays = render_set({d + 1 for d in schedule.weekdays}, AWS_DAY_OF_WEEK)
    fields = (
        render_set(schedule.minutes, MINUTE), render_set(schedule.hours, HOUR),
        render_set(schedule.days, DAY_OF_MONTH), render_set(schedule.months, MONTH), weekdays,
    )
    return " ".join(fields)


def _share_translations() -> None:
    """cron-descriptor re-reads its gettext catalogue for every expression (~0.2 ms, most of
    a description's cost on a fleet); give it one shared, read-only catalogue per locale.
    If a future cron-descriptor moves that name, descriptions just stay slower."""
    module = importlib.import_module("cron_descriptor.ExpressionDescriptor")
    loader = getattr(module, "GetText", None)
    if loader is not None and not hasattr(loader, "cache_info"):
        module.GetText = lru_cache(maxsize=8)(loader)  # type: ignore[attr-defined]


_share_translations()
_OPTIONS = Options()
_OPTIONS.use_24hour_time_format = True
_OPTIONS.verbose = True


def describe(schedule: CronSchedule, zone: str) -> str:
    if schedule.reboot:
        return "At every boot of the server (not a time schedule)"
    return f"{_words_of(schedule)}, {zone}"


@lru_cache(maxsize=65536)
def _words_of(schedule: CronSchedule) -> str:
    """The schedule in words, without its zone (a fleet has one schedule in many zones)."""
    text = MACROS.get(schedule.text.lower(), schedule.text)
    if not is_cron(text):  # written another way (`crontab(hour=7)`): word the sets
        text = cron_text(schedule)
    rule = ""
    if schedule.day_rule == "or" and schedule.days_restricted and schedule.weekdays_restricted:
        rule = " (cron runs it when either day condition matches)"
    elif schedule.days_restricted and schedule.weekdays_restricted:
        rule = " (only when both day conditions match)"
    return f"{_cron_words(text)}{rule}"


def _cron_words(text: str) -> str:
    """cron-descriptor's full description of five cron fields, or the text itself where it
    cannot word them.

    Composed from two cached halves, because distinct schedules share them (a fleet of
    100,000 distinct schedules has far fewer distinct time or day parts): cron-descriptor's
    `get_full_description` (2.x) is the time-of-day segment (minute and hour fields only)
    followed by the day-of-month, day-of-week, month and year segments (day fields only),
    with no verbosity transform for `verbose=True` and the first letter upper-cased for the
    default sentence casing; any error there gives the fallback. Each half comes from
    cron-descriptor's own segment methods. tests/test_describe_words.py proves the
    composition equals `get_description` on generated, malformed and real cron lines."""
    fields = text.split()
    if len(fields) != 5:
        return _full_words(text)
    time, days = _time_words(fields[0], fields[1]), _day_words(fields[2], fields[3], fields[4])
    if time is None or days is None or not time + days:
        return text
    words = time + days
    return f"{words[0].upper()}{words[1:]}"


def _full_words(text: str) -> str:
    try:
        words: str = get_description(text, _OPTIONS)
    except Exception:  # cron-descriptor cannot word every valid line; fall back to it
        return text
    return words


@lru_cache(maxsize=1024)
def _time_words(minute: str, hour: str) -> str | None:
    """cron-descriptor's time-of-day segment (None: it fails). Its parser normalises each
    field on its own, except the hour, which depends on the minute: the day fields given
    here (`* * *`) change nothing."""
    try:
        words: str = ExpressionDescriptor(f"{minute} {hour} * * *", _OPTIONS
                                          ).get_time_of_day_description()
    except Exception:
        return None
    return words


@lru_cache(maxsize=8192)
def _day_words(day: str, month: str, weekday: str) -> str | None:
    """cron-descriptor's day-of-month, day-of-week, month and year segments (None: one
    fails). They read the day fields only (the time fields given here change nothing)."""
    try:
        d = ExpressionDescriptor(f"0 0 {day} {month} {weekday}", _OPTIONS)
        words: str = (d.get_day_of_month_description() + d.get_day_of_week_description()
                      + d.get_month_description() + d.get_year_description())
    except Exception:
        return None
    return words
