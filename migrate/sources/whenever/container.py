"""The container command for a whenever job (`Command.argv`), derived from the job itself.

What cron needs and a container does not is taken away: whenever's `job_template` shell
wrapper (`/bin/bash -l -c ':job'`), the `cd :path &&` prefix (the image's working directory),
the `:output` redirection (logs go to CloudWatch; an output lambda whose value is unknown
stays, so the job is visibly not deployable), `VAR=value` assignments in front of the
command (they move to the job's environment, e.g. `RAILS_ENV=production`), and cron's `\\%`
escaping (the job is rendered before whenever escapes `%`). A command with shell syntax
left (pipes, `&&`, `$VAR`, globs, redirections written in the task) runs as
`["sh", "-c", command]`; a plain one as its words.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from migrate.sources.whenever.job import Job, process_template
from migrate.sources.whenever.values import RHash, Sym, Unknown, to_s

# `/bin/bash -l -c ':job'`, `bash -i -c ":job"`, `zsh -c ':job'`, `sh -c ':job'`.
_SHELL_WRAPPER = re.compile(
    r"^\s*(?:\S*/)?(?:ba|z|k|da|fi)?sh(?:\s+-[A-Za-z]+)*\s+-[A-Za-z]*c\s+(['\"]?):job\1\s*$"
)
_ASSIGNMENT = re.compile(
    r"^([A-Za-z_][A-Za-z0-9_]*)=((?:'[^']*'|\"[^\"\\$`]*\"|[^\s'\"\\$`;&|<>()])*)(?:\s+|$)"
)
_SHELL_CHARS = set("|&;<>()$`*?[]{}~!#\n")


@dataclass
class ContainerCommand:
    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def needs_shell(command: str) -> bool:
    """Whether `command` uses shell syntax outside single quotes (quotes and backslash
    escapes themselves are fine: `shlex` removes them as the shell would)."""
    quote = ""
    escaped = False
    for ch in command:
        if escaped:
            escaped = False
            continue
        if quote == "'":
            if ch == "'":
                quote = ""
            continue
        if ch == "\\":
            escaped = True
            continue
        if quote == '"':
            if ch == '"':
                quote = ""
            elif ch in "$`!":
                return True
            continue
        if ch in "'\"":
            quote = ch
        elif ch in _SHELL_CHARS:
            return True
    return quote != "" or escaped


def container_command(job: Job) -> ContainerCommand:
    # The redirection goes (logs go to CloudWatch), but Ruby whenever would evaluate when it
    # runs (an output lambda we could not call) stays, so no check misses it.
    output = job.options.sym_get("output")
    overrides = RHash([] if isinstance(output, Unknown) else [(Sym("output"), "")])
    options = job.options.merged(overrides)
    inner = process_template(job.template, options)
    notes: list[str] = []
    template = job.job_template
    if (
        isinstance(template, str)
        and template.strip() != ":job"
        and not _SHELL_WRAPPER.match(template)
    ):
        inner = process_template(template, options.merged(RHash([(Sym("job"), inner)])))
        notes.append(f"the job template {template!r} is kept in the container command")
    command = inner
    path = options.sym_get("path")
    if not isinstance(path, Unknown):
        prefix = f"cd {to_s(path)} && "
        if command.startswith(prefix):
            command = command[len(prefix) :]
    env: dict[str, str] = {}
    while (m := _ASSIGNMENT.match(command)) is not None and m.end() < len(command):
        words = shlex.split(m.group(2)) if m.group(2) else [""]
        env[m.group(1)] = words[0] if words else ""
        command = command[m.end() :]
    command = command.strip()
    if needs_shell(command):
        return ContainerCommand(("sh", "-c", command), env, notes)
    try:
        return ContainerCommand(tuple(shlex.split(command)), env, notes)
    except ValueError:
        return ContainerCommand(("sh", "-c", command), env, notes)
