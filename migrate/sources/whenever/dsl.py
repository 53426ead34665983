"""whenever's DSL (`Whenever::JobList` and `setup.rb`): `set`, `env`, `every`, `job_type`
and the job methods, evaluated over the Ruby subset in `ruby.py`.

Reproduced as whenever 1.0.0 does it: `--set` values win over `set` in the file; `set` also
sets the instance variable (`@environment`); job options are `every` options, then every
`set` variable, then the call's own options; `set :output` (or `:cron_log`) overrides the
`every` block's `output:`; a job call outside any `every` block joins the last one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tree_sitter import Node

from migrate.analysis import codes
from migrate.sources.whenever import calls as _calls  # noqa: F401 - registers handlers
from migrate.sources.whenever import control as _control  # noqa: F401
from migrate.sources.whenever import expressions as _expressions  # noqa: F401
from migrate.sources.whenever import literals as lit
from migrate.sources.whenever.job import DEFAULT_JOB_TEMPLATE, DEFAULT_MAILTO, Job, build_job
from migrate.sources.whenever.ruby import (
    NOT_HANDLED,
    Block,
    EvalContext,
    Interpreter,
    Note,
    NotHandled,
)
from migrate.sources.whenever.values import RHash, Sym, Unknown, Value, to_s, truthy

BUILTIN_JOB_TYPES: dict[str, str] = {
    "command": ":task :output",
    "rake": (
        "cd :path && :environment_variable=:environment :bundle_command rake :task --silent :output"
    ),
    "script": "cd :path && :environment_variable=:environment :bundle_command script/:task :output",
    "runner": "cd :path && :bundle_command :runner_command -e :environment ':task' :output",
}


@dataclass(frozen=True, slots=True)
class AppFacts:
    """What whenever learns from the directory it runs in (the application root)."""

    root: str
    gemfile: bool = False  # Gemfile exists: :bundle_command is "bundle exec"
    bin_rails: bool = False  # bin/rails: :runner_command is "bin/rails runner"
    script_rails: bool = False  # script/rails: "script/rails runner"; else "script/runner"


@dataclass
class Evaluation:
    jobs: list[Job]
    env: list[tuple[str, Value]]
    chronic_options: Value
    notes: list[Note]
    fatal: list[Note]
    every_spans: list[tuple[int, int]] = field(default_factory=list)  # lines of every blocks
    env_settings: list[tuple[int, str, Value]] = field(default_factory=list)  # env calls
    stdout: list[str | None] = field(default_factory=list)


class _Missing:
    pass


_UNSET = _Missing()


class JobList:
    """The whenever DSL host the interpreter calls back into."""

    def __init__(self, app: AppFacts, pre_set: Mapping[str, str]) -> None:
        self.app = app
        self.set_variables: dict[str, Value] = {}
        self.pre_set: dict[str, str] = {}
        self.ivars: dict[str, Value] = {}
        self.env: list[tuple[str, Value]] = []
        self.job_types: dict[str, Value] = {}
        self.time_scope: Value | _Missing = _UNSET
        self.every_options: Value | _Missing = _UNSET
        self.every_line = 0
        self.jobs: list[Job] = []
        self.every_spans: list[tuple[int, int]] = []
        self.env_settings: list[tuple[int, str, Value]] = []
        self.interp: Interpreter | None = None
        for name, value in pre_set.items():
            self._set(name, value)
            self.pre_set[name] = value
        self._setup()

    def _setup(self) -> None:
        """whenever's setup.rb."""
        self._set("environment_variable", "RAILS_ENV")
        self._set("environment", "production")
        self._set("path", self.app.root)
        self._set("chronic_options", RHash())
        self._set("job_template", DEFAULT_JOB_TEMPLATE)
        if self.app.bin_rails:
            runner = "bin/rails runner"
        elif self.app.script_rails:
            runner = "script/rails runner"
        else:
            runner = "script/runner"
        self._set("runner_command", runner)
        self._set("bundle_command", "bundle exec" if self.app.gemfile else "")
        self.job_types.update(BUILTIN_JOB_TYPES)

    # ------------------------------------------------------------ host API
    def get_ivar(self, name: str) -> Value | NotHandled:
        return self.ivars.get(name, NOT_HANDLED)

    def set_ivar(self, name: str, value: Value) -> None:
        self.ivars[name] = value

    def method_missing(self, name: str) -> Value | NotHandled:
        return self.set_variables.get(name, NOT_HANDLED)

    def dsl_call(
        self, name: str, args: list[Value], block: Block | None, node: Node
    ) -> Value | NotHandled:
        it = self.interp
        assert it is not None
        if name in self.job_types:
            return self._job(name, args, node)
        if name == "set":
            if len(args) != 2:
                it.stop(node, codes.WHENEVER_ARGUMENTS,
                    f"`set` takes 2 arguments, {len(args)} given")
                return None
            return self._set_checked(args[0], args[1], node)
        if name == "env":
            if len(args) != 2:
                it.stop(node, codes.WHENEVER_ARGUMENTS,
                    f"`env` takes 2 arguments, {len(args)} given")
                return None
            key = to_s(args[0])
            for i, (k, _) in enumerate(self.env):
                if k == key:
                    self.env[i] = (k, args[1])
                    break
            else:
                self.env.append((key, args[1]))
            self.env_settings.append((lit.line_of(node), key, args[1]))
            return args[1]
        if name == "every":
            return self._every(args, block, node)
        if name == "job_type":
            if len(args) != 2 or not isinstance(args[0], Sym | str):
                it.stop(node, codes.WHENEVER_ARGUMENTS, "`job_type` takes a name and a template")
                return None
            self.job_types[to_s(args[0])] = args[1]
            return Sym(to_s(args[0]))
        if name == "roles" and not args:
            return []
        return NOT_HANDLED

    # ------------------------------------------------------------ DSL
    def _set(self, name: str, value: Value) -> Value:
        if name in self.pre_set:
            return None
        self.ivars[name] = value
        self.set_variables[name] = value
        return value

    def _set_checked(self, variable: Value, value: Value, node: Node) -> Value:
        it = self.interp
        assert it is not None
        if isinstance(variable, Unknown):
            it.note(
                node,
                codes.WHENEVER_UNRESOLVED,
                "warning",
                f"`set` of an unknown name: {variable.display}",
            )
            return None
        if not isinstance(variable, Sym | str):
            it.stop(node, codes.RUBY_ERROR,
                f"`set` name {to_s(variable)!r} is not a symbol or string")
            return None
        name = to_s(variable)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            it.stop(node, codes.RUBY_ERROR,
                f"'@{name}' is not allowed as an instance variable name")
            return None
        return self._set(name, value)

    def _every(self, args: list[Value], block: Block | None, node: Node) -> Value:
        it = self.interp
        assert it is not None
        if not 1 <= len(args) <= 2:
            it.stop(
                node, codes.WHENEVER_ARGUMENTS, f"`every` takes 1 or 2 arguments, {len(args)} given"
            )
            return None
        if block is None:
            it.stop(node, codes.WHENEVER_ARGUMENTS,
                "`every` without a block (no block given (yield))")
            return None
        self.time_scope = args[0]
        self.every_options = args[1] if len(args) == 2 else RHash()
        self.every_line = lit.line_of(node)
        self.every_spans.append((lit.line_of(node), node.end_point.row + 1))
        return block.call()

    def _job(self, type_name: str, args: list[Value], node: Node) -> Value:
        it = self.interp
        assert it is not None
        if not args:
            it.stop(
                node,
                codes.WHENEVER_ARGUMENTS,
                f"`{type_name}` needs a task (wrong number of arguments)",
            )
            return None
        options = RHash([(Sym("task"), args[0]), (Sym("template"), self.job_types[type_name])])
        if len(args) > 1 and isinstance(args[1], RHash):
            for k, v in args[1]:
                options.set(k, v)
        every_options = self.every_options
        if isinstance(every_options, _Missing) or not isinstance(every_options, RHash):
            it.stop(node, codes.WHENEVER_OUTSIDE_EVERY, f"`{type_name}` outside an `every` block")
            return None
        if not truthy(options.sym_get("mailto")):
            options.set(
                Sym("mailto"),
                every_options.sym_get("mailto", DEFAULT_MAILTO)
                if every_options.sym_has("mailto")
                else DEFAULT_MAILTO,
            )
        if "cron_log" in self.ivars or options.sym_has("cron_log"):
            cron_log = options.sym_get("cron_log")
            options.set(Sym("output"), cron_log if truthy(cron_log) else self.ivars.get("cron_log"))
        if "output" in self.ivars and not options.sym_has("output"):
            options.set(Sym("output"), self.ivars["output"])
        set_vars = RHash([(Sym(k), v) for k, v in self.set_variables.items()])
        merged = every_options.merged(set_vars).merged(options)
        assert not isinstance(self.time_scope, _Missing)
        job = build_job(
            type_name,
            merged,
            line=lit.line_of(node),
            text=lit.node_text(node),
            every_line=self.every_line,
            time=self.time_scope,
            app_root=self.app.root,
            conditions=tuple(it.conditions),
        )
        self.jobs.append(job)
        return None


def evaluate(
    source: str,
    *,
    file_label: str,
    app: AppFacts,
    pre_set: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    rails_env: str | None = None,
) -> Evaluation:
    """Evaluate a schedule.rb text (pure: the application facts are passed in)."""
    host = JobList(app, pre_set or {})
    context = EvalContext(file_label, app.root, dict(env) if env is not None else None, rails_env)
    interp = Interpreter(source, context, host)
    host.interp = interp
    try:
        interp.run()
    except RecursionError:
        interp.stop(0, codes.RUBY_UNSUPPORTED, "the schedule nests too deeply to evaluate")
    except Exception as exc:  # a Signal escaping to the top (`return` at top level ends it)
        from migrate.sources.whenever.ruby import Signal

        if not isinstance(exc, Signal):
            raise
    return Evaluation(
        host.jobs,
        host.env,
        host.ivars.get("chronic_options"),
        interp.notes,
        interp.fatal,
        every_spans=host.every_spans,
        env_settings=host.env_settings,
        stdout=interp.stdout,
    )
