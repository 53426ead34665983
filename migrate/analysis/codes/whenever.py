"""Reading a whenever `schedule.rb` (`migrate/sources/whenever/`): what the static evaluation
could not know, and what real whenever does that the author may not expect.

The evaluator's notes carry these codes too: a note of severity `error` (whenever itself
would stop there) reaches the user as a diagnostic (`path:line: reason`) and the job's
`whenever-fails`; the other notes become findings of their code.
"""

from __future__ import annotations

from migrate.analysis.codes.base import Family, declare

WHENEVER = Family("whenever", "reading schedule.rb", "Reading or converting the schedule")
EVALUATOR = Family("whenever-evaluator", "evaluating schedule.rb",
                   "Reading or converting the schedule")

CONDITIONAL = declare(
    WHENEVER, "conditional", "warning",
    "the job exists only under a condition not known when scanning",
    "a rule is created whether or not the condition holds in the environment",
    "Scan with --set environment=<env> (as `whenever --set`) to resolve environment "
    "conditions, or confirm the condition and mark the job inactive if it does not hold.",
)
WHENEVER_UNRESOLVED = declare(
    WHENEVER, "whenever-unresolved", "warning",
    "the command holds a value not known when scanning",
    "the task's command holds `#{...}` where whenever would have put a value",
    "Replace it with its value in the catalog (or pass it to the scan).",
)
WHENEVER_UNEVALUATED = declare(
    WHENEVER, "whenever-unevaluated", "error",
    "the command still holds Ruby whenever evaluates when it runs (e.g. an output lambda)",
    "cron ran the value, which the scan cannot know: the job is not deployed until a reviewer "
    "replaces the text",
    "Replace it in catalog.yaml (command.shell and command.argv) with the value `whenever` "
    "prints on the server, or pass it to the scan (--set); the job is not deployed while the "
    "command holds it.",
    blocks_deploy=True,
)
WHENEVER_ROLES = declare(
    WHENEVER, "whenever-roles", "warning",
    "the job is installed only on servers with these roles (`whenever --roles`)",
    "one rule runs it once; each server of those roles ran it (scan with --roles for one)",
    "Scan with --roles (as `whenever --roles` on one server) to keep that server's jobs, or "
    "keep one catalog job per role and deploy it once.",
)
AT_UNPARSED = declare(
    WHENEVER, "at-unparsed", "warning",
    "an `at:` chronic cannot read: whenever runs the job at minute 0 / midnight",
    "the rule reproduces whenever's silent midnight, not the time the author wrote",
    "Write the time the job should run (e.g. '4:30 am') in schedule.rb.",
)
AT_IGNORED = declare(
    WHENEVER, "at-ignored", "info",
    "whenever ignores `at:` for this frequency",
    "none: the rule follows what whenever installed",
)
AT_CLOCK = declare(
    WHENEVER, "at-clock", "warning",
    "the `at:` depends on the day whenever runs (chronic reads it relative to now)",
    "the rule follows one day's reading; another install would have differed",
    "Write an absolute time in schedule.rb.",
)
WHENEVER_FAILS = declare(
    WHENEVER, "whenever-fails", "error",
    "real whenever stops on this schedule, so it never installs the crontab",
    "a rule would run a job the legacy host may never have run",
    "Check whether the job really runs today before migrating it.",
)
WHENEVER_JOB_TEMPLATE = declare(
    WHENEVER, "whenever-job-template", "info",
    "whenever's `job_template` is kept in the container command",
    "the task runs the template's wrapper (e.g. `nice`) around the command",
)
WHENEVER_INSTALLED = declare(
    WHENEVER, "whenever-installed", "info",
    "a scanned crontab line is this schedule.rb job, installed by whenever",
    "none: one rule for both sources",
)

# The evaluator's notes (`Interpreter.note`, `.stop`, `.unknown`).
ENV_DEFAULT = declare(
    EVALUATOR, "env-default", "warning",
    "`ENV.fetch('X', default)`: the default is assumed",
    "the task's command uses the default; the host may have set the variable",
)
RUBY_ERROR = declare(
    EVALUATOR, "ruby-error", "error",
    "Ruby would raise here (KeyError, ZeroDivisionError, a bad conversion ...)",
    "whenever stops: a diagnostic, and `whenever-fails` on the jobs",
)
RUBY_IGNORED = declare(
    EVALUATOR, "ruby-ignored", "info",
    "a statement without effect on the schedule (output, load path, alias ...)",
    "none",
)
RUBY_LOOP = declare(
    EVALUATOR, "ruby-loop", "warning",
    "a loop is not run; its body is read once",
    "the rules hold one pass of the loop; real whenever may make more or fewer jobs",
)
RUBY_RETURN = declare(
    EVALUATOR, "ruby-return", "warning",
    "`return` at the top of the schedule stops it",
    "jobs after the `return` are not migrated, as whenever does not install them",
)
RUBY_SYNTAX = declare(
    EVALUATOR, "ruby-syntax", "error",
    "Ruby syntax error",
    "whenever stops: a diagnostic, and `whenever-fails` on the jobs",
)
RUBY_UNSUPPORTED = declare(
    EVALUATOR, "ruby-unsupported", "warning",
    "a Ruby construct the static evaluator does not evaluate",
    "values from it are unknown in the task's command or schedule",
)
WHENEVER_ARGUMENTS = declare(
    EVALUATOR, "whenever-arguments", "error",
    "a whenever DSL call with the wrong arguments",
    "whenever stops: a diagnostic, and `whenever-fails` on the jobs",
)
WHENEVER_ENV = declare(
    EVALUATOR, "whenever-env", "warning",
    "an environment variable (info: `RAILS_ENV` answered by --set)",
    "the value is unknown unless --set gives it",
)
WHENEVER_OUTSIDE_EVERY = declare(
    EVALUATOR, "whenever-outside-every", "error",
    "a job type (`runner`, `rake` ...) called outside an `every` block",
    "whenever stops: a diagnostic, and `whenever-fails` on the jobs",
)
WHENEVER_RAILS = declare(
    EVALUATOR, "whenever-rails", "info",
    "`Rails.root` taken as the app root (error: `Rails` without loading the app)",
    "none for `Rails.root`; whenever stops when the app is not loaded",
)
WHENEVER_RAISE = declare(
    EVALUATOR, "whenever-raise", "error",
    "the schedule calls `raise`",
    "whenever stops there: a diagnostic (and `whenever-fails` unless under a condition)",
)
WHENEVER_REQUIRE = declare(
    EVALUATOR, "whenever-require", "info",
    "`require` is not followed (code is never run)",
    "jobs or settings from the required file are not migrated",
)
WHENEVER_RUNTIME = declare(
    EVALUATOR, "whenever-runtime", "warning",
    "a value only known when whenever runs (the clock, a subshell)",
    "the value is unknown in the task's command",
)
WHENEVER_UNDEFINED_METHOD = declare(
    EVALUATOR, "whenever-undefined-method", "error",
    "a method the schedule does not define (NoMethodError)",
    "whenever stops: a diagnostic, and `whenever-fails` on the jobs",
)
