"""whenever's `Whenever::Job` (job.rb) and `Whenever::Output::Redirection`
(output_redirection.rb): option defaults, `:placeholder` templates, quoting, `%` escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migrate.errors import MigrateError
from migrate.sources.whenever.values import (
    RHash,
    RProc,
    Sym,
    Unknown,
    Value,
    has_unknown,
    to_s,
    truthy,
)


class WheneverError(MigrateError):
    """Real whenever raises here; the message names the Ruby error."""


DEFAULT_MAILTO = Sym("default_mailto")
DEFAULT_JOB_TEMPLATE = "/bin/bash -l -c ':job'"


def shellescape(value: Value) -> str:
    """Ruby 3.1 `Shellwords.shellescape`."""
    text = to_s(value)
    if text == "":
        return "''"
    escaped = re.sub(r"([^A-Za-z0-9_\-.,:+/@\n])", r"\\\1", text)
    return escaped.replace("\n", "'\n'")


def ruby_array(value: Value) -> list[Value]:
    """Ruby `Kernel#Array`."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    if isinstance(value, RHash):
        return [[k, v] for k, v in value]
    return [value]


def redirection(output: Value) -> Value:
    """`Whenever::Output::Redirection#to_s`."""
    if isinstance(output, str):
        return f">> {output} 2>&1"
    if output is None:
        return ">> /dev/null 2>&1"
    if isinstance(output, RProc):
        # whenever 1.0 output_redirection.rb: `when Proc then @output.call`, at Job.new (so
        # in the scope as it is when the job is defined); the value is used as is.
        shown = "#{" + output.text + ".call}"
        if output.call is None:
            return Unknown(shown, "whenever calls this output lambda when it runs, and it "
                           "cannot be called without arguments here", output.line)
        value = output.call()
        if isinstance(value, Unknown) or has_unknown(value):
            why = value.reason if isinstance(value, Unknown) else "part of it is not known"
            return Unknown(shown, f"the value of this output lambda is not known when "
                           f"scanning ({why})", output.line)
        return value
    if isinstance(output, Unknown):
        return Unknown(f">> {output.display} 2>&1", output.reason, output.line)
    if not isinstance(output, RHash):
        return ""
    stdout: Value = None
    stderr: Value = None
    has_out = output.sym_has("standard")
    has_err = output.sym_has("error")
    if has_out:
        v = output.sym_get("standard")
        stdout = "/dev/null" if v is None else v
    if has_err:
        v = output.sym_get("error")
        stderr = "/dev/null" if v is None else v
    out_null = has_out and stdout == "/dev/null"
    err_null = has_err and stderr == "/dev/null"
    if out_null and err_null:
        return "> /dev/null 2>&1"
    if has_out and truthy(stdout) and err_null:
        return f">> {to_s(stdout)} 2> /dev/null"
    if has_out and truthy(stdout) and has_err and truthy(stderr):
        return f">> {to_s(stdout)} 2>> {to_s(stderr)}"
    if err_null:
        return "2> /dev/null"
    if has_err and truthy(stderr):
        return f"2>> {to_s(stderr)}"
    if out_null:
        return "> /dev/null"
    if has_out and truthy(stdout):
        return f">> {to_s(stdout)}"
    return ""


@dataclass
class Job:
    """A `Whenever::Job` as built by a job method call inside an `every` block."""

    type_name: str
    line: int
    text: str  # the job call as written
    every_line: int
    time: Value  # the `every` frequency (whenever's @current_time_scope)
    options: RHash  # after Job#initialize: :output rendered, :path escaped, defaults set
    at: Value
    template: Value
    job_template: Value
    mailto: Value
    roles: list[Value]
    conditions: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def task(self) -> Value:
        return self.options.sym_get("task")

    def output(self) -> str:
        """`Job#output`: the command whenever writes, `%` escaped for cron."""
        return self.render().replace("%", "\\%")

    def render(self, overrides: RHash | None = None) -> str:
        options = self.options if overrides is None else self.options.merged(overrides)
        job = process_template(self.template, options)
        with_job = options.merged(RHash([(Sym("job"), job)]))
        return process_template(self.job_template, with_job)


def build_job(
    type_name: str,
    merged: RHash,
    *,
    line: int,
    text: str,
    every_line: int,
    time: Value,
    app_root: str,
    conditions: tuple[str, ...],
) -> Job:
    """`Whenever::Job.new(options)`."""
    options = merged.copy()
    at = options.delete(Sym("at"))
    template = options.delete(Sym("template"))
    mailto = (
        options.sym_get("mailto", DEFAULT_MAILTO) if options.sym_has("mailto") else DEFAULT_MAILTO
    )
    job_template = options.delete(Sym("job_template"))
    if not truthy(job_template):
        job_template = ":job"
    roles = ruby_array(options.delete(Sym("roles")))
    if options.sym_has("output"):
        options.set(Sym("output"), redirection(options.sym_get("output")))
    else:
        options.set(Sym("output"), "")
    if not truthy(options.sym_get("environment_variable")):
        options.set(Sym("environment_variable"), "RAILS_ENV")
    if not truthy(options.sym_get("environment")):
        options.set(Sym("environment"), Sym("production"))
    path = options.sym_get("path")
    if isinstance(path, Unknown):
        options.set(Sym("path"), Unknown(path.display, path.reason, path.line))
    else:
        options.set(Sym("path"), shellescape(path if truthy(path) else app_root))
    return Job(
        type_name,
        line,
        text,
        every_line,
        time,
        options,
        at,
        template,
        job_template,
        mailto,
        roles,
        conditions,
    )


def process_template(template: Value, options: RHash) -> str:
    """`Job#process_template`: replace `:name` by the option, quoting inside '' or ""."""
    if isinstance(template, Unknown):
        template = template.display
    if not isinstance(template, str):
        raise WheneverError(f"undefined method `gsub' for {to_s(template)!r} (a job template)")

    def replace(m: re.Match[str]) -> str:
        key = m.group(0)
        before = template[m.start() - 1] if m.start() > 0 else None
        after = template[m.end()] if m.end() < len(template) else ""
        option = options.sym_get(key[1:])
        if not truthy(option):
            option = key
        if before == "'" and after == "'":
            return _text_for_gsub(option, key).replace("'", "'\\''")
        if before == '"' and after == '"':
            return _text_for_gsub(option, key).replace('"', '\\"')
        return to_s(option)

    out = re.sub(r":\w+", replace, template, flags=re.A)
    out = re.sub(r"\s+", " ", out, flags=re.A)
    return out.strip(" \t\n\v\f\r\0")


def _text_for_gsub(option: Value, key: str) -> str:
    if isinstance(option, str):
        return option
    if isinstance(option, Unknown):
        return option.display
    raise WheneverError(f"undefined method `gsub' for {to_s(option)!r} (the value of {key})")
