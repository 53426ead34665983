"""The whenever DSL as whenever 1.0.0 evaluates it: set, env, job_type, job_template,
output, mailto, roles, --set; templates, quoting and `%` escaping."""

from __future__ import annotations

from whenever_helpers import cron, lines, run

from migrate.sources.whenever.dsl import AppFacts


def test_rake_default_template() -> None:
    assert lines("every :day do\n  rake 'db:backup'\nend\n") == [
        "0 0 * * * /bin/bash -l -c 'cd /srv/app && RAILS_ENV=production rake db:backup --silent'"
    ]


def test_bundle_exec_when_gemfile_exists() -> None:
    app = AppFacts("/srv/app", gemfile=True)
    assert "bundle exec rake x" in cron("every :day do\n  rake 'x'\nend\n", app=app)


def test_runner_command_follows_bin_rails_then_script_rails() -> None:
    src = "every :day do\n  runner 'Job.run'\nend\n"
    assert "bin/rails runner -e production" in cron(src, app=AppFacts("/a", bin_rails=True))
    assert "script/rails runner" in cron(src, app=AppFacts("/a", script_rails=True))
    assert "script/runner -e production" in cron(src, app=AppFacts("/a"))


def test_runner_task_single_quotes_are_escaped_twice() -> None:
    # ':task' sits between single quotes: ' becomes '\'' ; then the job sits in ':job'.
    out = lines("every :day do\n  runner \"Report.run('daily')\"\nend\n")[0]
    assert out.endswith(
        """-e production '\\''Report.run('\\''\\'\\'''\\''daily'\\''\\'\\'''\\'')'\\'''"""
    )


def test_percent_is_escaped_for_cron() -> None:
    assert lines("every :day do\n  command 'date +%Y'\nend\n")[0].endswith("'date +\\%Y'")


def test_whitespace_in_task_is_collapsed() -> None:
    assert lines('every :day do\n  command "a   b\\n c"\nend\n')[0].endswith("'a b c'")


def test_path_is_shell_escaped() -> None:
    out = cron("every :day do\n  rake 'x'\nend\n", app=AppFacts("/srv/my app"))
    assert "cd /srv/my\\ app &&" in out


def test_set_output_string() -> None:
    src = "set :output, 'log/cron.log'\nevery :day do\n  command 'x'\nend\n"
    assert lines(src)[0].endswith("'x >> log/cron.log 2>&1'")


def test_output_nil_discards() -> None:
    src = "every :day do\n  command 'x', output: nil\nend\n"
    assert lines(src)[0].endswith("'x >> /dev/null 2>&1'")


def test_output_hash_forms() -> None:
    src = (
        "every :day do\n"
        "  command 'a', output: {standard: 'o.log', error: 'e.log'}\n"
        "  command 'b', output: {standard: nil}\n"
        "  command 'c', output: {error: nil}\n"
        "  command 'd', output: {standard: 'o.log', error: nil}\n"
        "end\n"
    )
    assert [line.split("c '", 1)[1] for line in lines(src)] == [
        "a >> o.log 2>> e.log'",
        "b > /dev/null'",
        "c 2> /dev/null'",
        "d >> o.log 2> /dev/null'",
    ]


def test_set_output_overrides_every_output() -> None:
    src = "set :output, 'set.log'\nevery :day, output: 'every.log' do\n  command 'x'\nend\n"
    assert "set.log" in cron(src) and "every.log" not in cron(src)


def test_job_output_overrides_set_output() -> None:
    src = "set :output, 'set.log'\nevery :day do\n  command 'x', output: 'job.log'\nend\n"
    assert "job.log" in cron(src) and "set.log" not in cron(src)


def test_cron_log_is_the_old_output() -> None:
    src = "every :day do\n  command 'x', cron_log: '/var/log/x.log'\nend\n"
    assert lines(src)[0].endswith("'x >> /var/log/x.log 2>&1'")


def test_job_template_and_nil_job_template() -> None:
    src = "set :job_template, \"zsh -c ':job'\"\nevery :day do\n  command 'x'\nend\n"
    assert lines(src) == ["0 0 * * * zsh -c 'x'"]
    src = "set :job_template, nil\nevery :day do\n  command 'x'\nend\n"
    assert lines(src) == ["0 0 * * * x"]


def test_custom_job_type_uses_any_set_variable() -> None:
    src = (
        "set :ruby_v, '3.1'\n"
        'job_type :versioned, "cd :path && RUBY=:ruby_v ruby :task :output :unknown"\n'
        "every :day do\n  versioned 'x.rb'\nend\n"
    )
    assert lines(src)[0].endswith("'cd /srv/app && RUBY=3.1 ruby x.rb :unknown'")


def test_env_lines_come_first_and_empty_is_quoted() -> None:
    src = (
        "env :PATH, '/usr/bin'\nenv 'EMPTY', ''\nenv :NONE, nil\n"
        "every :day do\n  command 'x'\nend\n"
    )
    assert cron(src).startswith('PATH=/usr/bin\nEMPTY=""\nNONE=""\n\n0 0 * * *')


def test_env_set_twice_keeps_its_first_position() -> None:
    src = "env :A, 1\nenv :B, 2\nenv :A, 3\n"
    assert cron(src) == "A=3\nB=2\n\n"


def test_mailto_groups_come_after_default_jobs() -> None:
    src = (
        "every :hour, mailto: 'ops@example.com' do\n  command 'a'\nend\n"
        "every :day do\n  command 'b'\nend\n"
    )
    assert cron(src) == (
        "0 0 * * * /bin/bash -l -c 'b'\n\n"
        "MAILTO=ops@example.com\n\n0 * * * * /bin/bash -l -c 'a'\n\n"
    )


def test_set_from_the_command_line_wins() -> None:
    src = "set :environment, 'qa'\nevery :day do\n  rake 'x'\nend\n"
    assert "RAILS_ENV=staging" in cron(src, set_="environment=staging")
    assert "RAILS_ENV=qa" in cron(src)


def test_environment_per_job() -> None:
    assert "RAILS_ENV=development" in cron(
        "every :day do\n  rake 'x', environment: 'development'\nend\n"
    )


def test_roles_do_not_filter_without_the_roles_option() -> None:
    src = "every :day, roles: [:db] do\n  command 'x'\nend\n"
    assert len(lines(src)) == 1
    em = run(src)
    assert em.evaluation.jobs[0].roles[0].name == "db"  # type: ignore[union-attr]


def test_job_outside_every_joins_the_last_block() -> None:
    src = "every :hour do\n  command 'a'\nend\ncommand 'b'\n"
    assert cron(src) == "0 * * * * /bin/bash -l -c 'a'\n\n0 * * * * /bin/bash -l -c 'b'\n\n"


def test_job_before_any_every_makes_whenever_fail() -> None:
    em = run("command 'b'\n")
    assert em.fails
    assert em.evaluation.fatal[0].code == "whenever-outside-every"


def test_undefined_job_type_makes_whenever_fail() -> None:
    em = run("every :day do\n  runnder 'x'\nend\n")
    assert em.fails
    assert em.evaluation.fatal[0].message == (
        "undefined method `runnder` (whenever raises NoMethodError)"
    )


def test_symbol_task_inside_quotes_makes_whenever_fail() -> None:
    em = run("every :day do\n  runner :cleanup\nend\n")
    assert em.crontab.error is not None and "gsub" in em.crontab.error


def test_puts_output_precedes_the_crontab() -> None:
    em = run("puts 'hello'\nevery :day do\n  command 'x'\nend\n")
    assert (em.whenever_output() or "").startswith("hello\n0 0 * * *")
