"""`:output` given as a lambda or proc: whenever calls it (whenever 1.0
lib/whenever/output_redirection.rb, `when Proc then @output.call`, from `Job#initialize`) and
cron runs the value. We evaluate the body statically; when we cannot, the Ruby text stays in
`command.shell` *and* `command.argv`, the job gets the error `whenever-unevaluated`, and
`migrate apply` does not deploy it.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from whenever_helpers import RUN_ENV, make_app, real_cli, require_whenever

from migrate.aws.desired import _still_unevaluated
from migrate.sources.whenever.dsl import AppFacts
from migrate.sources.whenever.emulate import emulate
from migrate.sources.whenever.reader import WheneverOptions, parse_schedule

EVERY = "every 1.day do\n  command '/opt/x'\nend\n"
# Each case: schedule.rb; real whenever and the emulation must print the same crontab.
AGREEMENT = {
    "lambda-pipe": "set :output, lambda { '2>&1 | logger -t nightly' }\n" + EVERY,
    "stabby-closure": "log = '/var/log/a.log'\nset :output, -> { \">> #{log} 2>&1\" }\n" + EVERY,
    "proc-new-nil": "set :output, Proc.new { nil }\n" + EVERY,  # nil: whenever keeps `:output`
    "proc-symbol": "set :output, proc { :quiet }\n" + EVERY,
    "proc-param-nil": "set :output, proc { |x| \"2>#{x}/dev/null\" }\n" + EVERY,
    "lambda-return": "set :output, lambda { return '> /dev/null'; 'x' }\n" + EVERY,
    "job-option": "every 1.day do\n  command '/opt/x', output: lambda { '| logger' }\nend\n",
    "lambda-hash": "set :output, lambda { {standard: '/tmp/a'} }\n" + EVERY,
    "proc-env": "set :output, proc { \">> #{ENV['HOME']}/x.log\" }\n" + EVERY,
    "conditional": "set :output, lambda { @environment == 'production' ? '| logger' : nil }\n"
                   + EVERY,
    # Real whenever raises (ArgumentError): so must we.
    "lambda-required-arg": "set :output, lambda { |x| 'a' }\n" + EVERY,
    "lambda-do-block": "set :output, lambda do\n  '| logger'\nend\n" + EVERY,
}


@pytest.mark.parametrize("name", sorted(AGREEMENT))
def test_output_lambda_agrees_with_real_whenever(name: str, tmp_path: Path) -> None:
    require_whenever()
    text = AGREEMENT[name]
    app = make_app(tmp_path / "app", text)
    real = real_cli(tmp_path / "app")
    now = datetime.now().replace(second=0, microsecond=0)
    em = emulate(text, file_label="config/schedule.rb", app=app, now=now, env=RUN_ENV)
    if not real.ok:
        assert em.whenever_output() is None, real.error
        return
    assert em.whenever_output() == real.stdout
    assert "#{" not in em.crontab.text and ".call" not in em.crontab.text


def _scan(text: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    parsed = parse_schedule(text, "/srv/app/config/schedule.rb", timezone="UTC",
                            app=AppFacts("/srv/app"), options=WheneverOptions(env=env))
    [job] = parsed.jobs
    return job


def test_evaluated_lambda_is_what_cron_runs_and_no_ruby_is_left() -> None:
    job = _scan("set :output, lambda { '2>&1 | logger -t nightly' }\n" + EVERY)
    assert job.command.shell == "/bin/bash -l -c '/opt/x 2>&1 | logger -t nightly'"
    assert job.command.argv == ("/opt/x",)  # output handling goes, as for a string :output
    assert "whenever-unevaluated" not in {f.code for f in job.findings}


def test_unevaluated_lambda_is_an_error_kept_in_shell_and_argv() -> None:
    job = _scan("set :output, proc { \">> #{ENV['LOG_DIR']}/x.log\" }\n" + EVERY)  # ENV unknown
    [f] = [f for f in job.findings if f.code == "whenever-unevaluated"]
    assert f.severity == "error"
    assert f.evidence == "#{proc { \">> #{ENV['LOG_DIR']}/x.log\" }.call}"
    assert f.evidence.replace("'", "'\\''") in job.command.shell  # inside bash -c '...'
    assert job.command.argv is not None and f.evidence in " ".join(job.command.argv)
    assert _still_unevaluated(job) == f.evidence
    shell_only = dataclasses.replace(job, command=dataclasses.replace(job.command, argv=None))
    assert _still_unevaluated(shell_only) == f.evidence
    fixed = dataclasses.replace(job, command=dataclasses.replace(
        job.command, shell="/opt/x >> /var/log/x.log", argv=("/opt/x",)))
    assert _still_unevaluated(fixed) is None  # a reviewer replaced it: deployable


def test_a_lambda_reads_the_scope_when_the_job_is_defined() -> None:
    src = ("dest = '/var/log/a.log'\nset :output, -> { \">> #{dest}\" }\n"
           "every 1.day do\n  command '/opt/x'\nend\ndest = '/var/log/b.log'\n")
    assert "a.log" in _scan(src).command.shell  # whenever calls it in Job.new
