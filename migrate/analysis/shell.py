"""Just enough of a POSIX shell lexer to see what a cron command runs and touches.

`parse_shell(text)` splits a command line into simple commands (`Segment`s) at `;`, `&&`,
`||`, `|`, `&` and parentheses, keeps quoting intact while splitting (one C-level regex, no
character loop: it runs on every job of a fleet), unquotes the words, separates redirections,
peels off wrappers that run another command (`sudo`, `env`, `nice`, `timeout`, `flock`, ...)
and descends into `sh -c '...'` / `bash -c "..."` strings. It never expands anything: `$VAR`
and `$(...)` stay as written. Results are cached by text; fleets repeat commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"""
    (?P<op>&&|\|\||&>>|&>|[0-9]*>>|[0-9]*>&[0-9-]*|[0-9]*>\|?|<<<|<<-?|[0-9]*<&?[0-9-]*
          |[;&|()])
    |(?P<word>(?:[^\s;&|()<>'"`\\$]+|'[^']*'|"(?:\\.|[^"\\])*"|\\.?
          |\$\((?:[^()]|\([^()]*\))*\)|\$\{[^}]*\}|`[^`]*`|\$)+)
    """,
    re.X,
)
_QUOTED = re.compile(r"""'([^']*)'|"((?:\\.|[^"\\])*)"|\\(.)""", re.S)
_DQ_ESCAPE = re.compile(r"""\\([\\"$`])""")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# Reserved words that start a compound command; what follows is the command (`then x`).
_KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!",
                       "{", "}", "case", "esac"})
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")"})
# A redirection whose operator already names its target (`2>&1`, `<&0`) takes no word.
_FD_DUP = re.compile(r"[0-9]*[<>]&[0-9-]*$")

SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"})
INTERPRETERS = SHELLS | frozenset(
    {"python", "python2", "python3", "perl", "ruby", "php", "node", "nodejs", "Rscript", "lua"}
)
LOCK_WRAPPERS = frozenset(
    {"flock", "lockrun", "run-one", "run-this-one", "keep-one-running", "run-one-constantly",
     "run-one-until-success", "run-one-until-failure", "solo", "setlock", "lckdo"}
)
# Wrappers that run the rest of the line as a command; value = options that take an argument.
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-c"}),
    "env": frozenset({"-u", "-C", "-S"}),
    "nice": frozenset({"-n"}),
    "ionice": frozenset({"-c", "-n", "-p", "-P", "-u"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "nohup": frozenset(),
    "time": frozenset({"-f", "-o"}),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "chronic": frozenset(),
    "cronic": frozenset(),
    "setsid": frozenset(),
    "xargs": frozenset({"-n", "-I", "-P", "-d", "-L", "-s", "-E", "-a"}),
    "flock": frozenset({"-w", "--wait", "--timeout", "-E", "--conflict-exit-code"}),
    "lockrun": frozenset({"-L", "-W", "-S"}),
    "run-one": frozenset(),
    "run-this-one": frozenset(),
    "keep-one-running": frozenset(),
    "run-one-constantly": frozenset(),
    "run-one-until-success": frozenset(),
    "run-one-until-failure": frozenset(),
    "solo": frozenset(),
    "setlock": frozenset(),
    "lckdo": frozenset({"-w"}),
}
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./ -]+")
_SHELL_WORDS = (
    "! { } [[ ]] case do done elif else esac fi for function if in select then time until "
    "while . : alias bg builtin cd command declare eval exec exit export fg getopts hash jobs "
    "let local read readonly return set shift source trap type typeset ulimit umask unalias "
    "unset wait"
)
_SHELL_FIRST_WORDS = frozenset(_SHELL_WORDS.split())
# Wrappers whose first operand is not the command (timeout DURATION, flock FILE, ...).
_WRAPPER_OPERANDS: dict[str, int] = {"timeout": 1, "flock": 1, "setlock": 1, "lckdo": 1}


@dataclass(frozen=True, slots=True)
class Redirect:
    op: str  # `>`, `>>`, `2>`, `&>`, `<`, `<<<` ...
    target: str  # unquoted

    @property
    def writes(self) -> bool:
        return ">" in self.op

    @property
    def appends(self) -> bool:
        return ">>" in self.op


@dataclass(frozen=True, slots=True)
class Segment:
    """One simple command: `program` (basename, wrappers peeled) and its `args`."""

    words: tuple[str, ...]  # every word as written (unquoted), assignments and wrappers included
    program: str  # basename of the command actually run ("" when there is none)
    command_word: str  # that word as written (a path or a name)
    args: tuple[str, ...]  # the words after it
    assignments: tuple[str, ...] = ()  # leading `NAME=value` words
    wrappers: tuple[tuple[str, ...], ...] = ()  # each wrapper with its own options/operands
    redirects: tuple[Redirect, ...] = ()
    nested: bool = False  # came from inside `sh -c '...'`

    @property
    def script(self) -> str | None:
        """The script an interpreter runs (`bash /x.sh`, `python3 manage.py`), if any."""
        if self.program.rstrip("0123456789.") in INTERPRETERS:
            for arg in self.args:
                if not arg.startswith("-"):
                    return arg
        return None


def unquote(word: str) -> str:
    if "'" not in word and '"' not in word and "\\" not in word:
        return word
    return _QUOTED.sub(_unquote_match, word)


def _unquote_match(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return m.group(1)
    if m.group(2) is not None:
        return _DQ_ESCAPE.sub(r"\1", m.group(2))
    return m.group(3) or ""


def contains_any(text: str, markers: tuple[str, ...]) -> bool:
    """Cheap prefilter: does `text` contain one of the literal `markers`? (A plain loop is
    several times faster than `any()` over a generator or a regex alternation here.)"""
    for m in markers:  # noqa: SIM110 (faster than any() over a generator)
        if m in text:
            return True
    return False


def needs_shell(line: str) -> bool:
    """True unless `line` is plain words a program can take as argv without a shell (only
    letters, digits, `_@%+=:,./-` and spaces, not starting with an assignment, a shell
    keyword or builtin): such a line runs the same under any `SHELL`."""
    if not _PLAIN.fullmatch(line):
        return True
    words = line.split()
    return not words or "=" in words[0] or words[0] in _SHELL_FIRST_WORDS


def basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


@lru_cache(maxsize=1 << 16)
def parse_shell(text: str) -> tuple[Segment, ...]:
    return tuple(_parse(text, nested=False, depth=0))


def _parse(text: str, nested: bool, depth: int) -> list[Segment]:
    segments: list[Segment] = []
    words: list[str] = []
    redirects: list[Redirect] = []
    pending: str | None = None
    for op, word in _TOKEN.findall(text):
        if word:
            if pending is not None:
                redirects.append(Redirect(pending, unquote(word)))
                pending = None
            elif word[0] == "#":
                break  # a comment runs to the end of the line
            else:
                words.append(word)
        elif op in _SEPARATORS:
            segments.extend(_segment(words, redirects, nested, depth))
            words, redirects, pending = [], [], None
        elif _FD_DUP.match(op):
            redirects.append(Redirect(op, ""))
        else:
            pending = op
    segments.extend(_segment(words, redirects, nested, depth))
    return segments


def _segment(
    raw: list[str], redirects: list[Redirect], nested: bool, depth: int
) -> list[Segment]:
    if not raw and not redirects:
        return []
    words = [unquote(w) for w in raw]
    i = 0
    assignments: list[str] = []
    while i < len(words) and _ASSIGNMENT.match(raw[i]):
        assignments.append(words[i])
        i += 1
    wrappers: list[tuple[str, ...]] = []
    while i < len(words) and raw[i] in _KEYWORDS:
        i += 1
    if i == len(words) and not assignments and not redirects:
        return []  # `fi`, `done`: nothing runs
    while i < len(words):
        name = basename(words[i])
        if name not in _WRAPPERS:
            break
        end = _skip_wrapper(name, words, i + 1)
        if name == "flock" and end < len(words) and words[end] in ("-c", "--command"):
            # `flock FILE -c 'command'`: the command is a shell string.
            wrappers.append(tuple(words[i:end]))
            inner = words[end + 1] if end + 1 < len(words) else ""
            head = Segment(tuple(words), "", "", (), tuple(assignments), tuple(wrappers),
                           tuple(redirects), nested)
            return [head, *(_parse(inner, True, depth + 1) if depth < 3 else [])]
        wrappers.append(tuple(words[i:end]))
        i = end
    if i >= len(words):
        return [Segment(tuple(words), "", "", (), tuple(assignments), tuple(wrappers),
                        tuple(redirects), nested)]
    command_word = words[i]
    program = basename(command_word)
    args = tuple(words[i + 1 :])
    seg = Segment(tuple(words), program, command_word, args, tuple(assignments),
                  tuple(wrappers), tuple(redirects), nested)
    if (program in SHELLS or program == "su") and depth < 3:
        string = _shell_c_argument(args, skip_operands=program == "su")
        if string is not None:
            return [seg, *_parse(string, True, depth + 1)]
    return [seg]


def _skip_wrapper(name: str, words: list[str], i: int) -> int:
    """Index of the first word after `name`'s own options and operands."""
    takes_arg = _WRAPPERS[name]
    operands = _WRAPPER_OPERANDS.get(name, 0)
    while i < len(words):
        w = words[i]
        if w == "--":
            return i + 1 + operands if operands else i + 1
        if name == "env" and _ASSIGNMENT.match(w):
            i += 1
        elif w.startswith("-") and len(w) > 1:
            i += 2 if w in takes_arg else 1
        elif name == "nice" and w.lstrip("-").isdigit():
            i += 1
        else:
            break
    return min(i + operands, len(words))


def _shell_c_argument(args: tuple[str, ...], skip_operands: bool) -> str | None:
    """The string after `-c` (or `-lc`, `-ec` ...); `su` has operands (user, `-`) before it."""
    for k, a in enumerate(args):
        if a.startswith("-") and not a.startswith("--") and a.endswith("c") and len(a) > 1:
            return args[k + 1] if k + 1 < len(args) else None
        if not a.startswith("-") and not skip_operands:
            return None  # `bash script.sh ...`: a script, not a string
    return None
