"""The Ruby subset the evaluator understands, and what it does with the rest."""

from __future__ import annotations

from whenever_helpers import RUN_ENV, cron, lines, run

from migrate.sources.whenever.values import Unknown


def codes(src: str, **kwargs: object) -> list[str]:
    return [n.code for n in run(src, **kwargs).evaluation.notes]  # type: ignore[arg-type]


def test_interpolation_locals_and_constants() -> None:
    src = (
        "LOG = 'log/cron.log'\napp = \"/srv/#{'shop'}\"\n"
        'every :day do\n  command "cd #{app} && run >> #{LOG} #{1 + 2}"\nend\n'
    )
    assert lines(src)[0].endswith("'cd /srv/shop && run >> log/cron.log 3'")


def test_set_variables_are_methods_and_instance_variables() -> None:
    src = "set :tag, 'blue'\nevery :day do\n  command \"#{tag} #{@tag} #{@environment}\"\nend\n"
    assert lines(src)[0].endswith("'blue blue production'")


def test_each_with_index_over_a_literal_array() -> None:
    src = (
        "%w(a b).each_with_index do |task, i|\n"
        '  every :day, at: "#{8 + i}:00" do\n    rake task\n  end\nend\n'
    )
    assert [line.split()[:2] for line in lines(src)] == [["0", "8"], ["0", "9"]]


def test_each_pair_over_a_hash() -> None:
    src = (
        "{ 'a' => 5, 'b' => 30 }.each_pair do |name, m|\n"
        "  every m.minutes do\n    command name\n  end\nend\n"
    )
    assert [line.split()[0] for line in lines(src)] == ["0,5,10,15,20,25,30,35,40,45,50,55", "0,30"]


def test_def_helpers_are_evaluated() -> None:
    src = (
        "def at_hour(h)\n  \"#{h}:15 am\"\nend\nevery :day, at: at_hour(3) do\n  command 'x'\nend\n"
    )
    assert lines(src)[0].startswith("15 3 * * *")


def test_heredoc_and_word_arrays() -> None:
    src = "cmd = <<~EOS\n  echo hi\nEOS\nevery %i[monday friday] do\n  command cmd.strip\nend\n"
    assert lines(src) == ["0 0 * * 1,5 /bin/bash -l -c 'echo hi'"]


def test_file_expand_path_and_dir() -> None:
    src = (
        "root = File.expand_path('..', __dir__)\n"
        'every :day do\n  command "#{root} #{__FILE__}"\nend\n'
    )
    assert lines(src)[0].endswith("'/srv/app config/schedule.rb'")


def test_known_environment_condition_takes_one_branch() -> None:
    src = (
        "if @environment == 'production'\n  every :day do\n    command 'prod'\n  end\n"
        "else\n  every :day do\n    command 'other'\n  end\nend\n"
    )
    assert [line.split("'")[1] for line in lines(src)] == ["prod"]
    assert [line.split("'")[1] for line in lines(src, set_="environment=staging")] == ["other"]


def test_case_on_environment() -> None:
    src = (
        "case @environment\nwhen 'staging', 'qa'\n  every :hour do\n    command 'a'\n  end\n"
        "else\n  every :day do\n    command 'b'\n  end\nend\n"
    )
    assert "'a'" in cron(src, set_="environment=qa") and "'b'" not in cron(
        src, set_="environment=qa"
    )
    assert "'b'" in cron(src)


def test_unknown_condition_keeps_both_branches_with_their_conditions() -> None:
    src = (
        "if ENV['CRON_ROLE'] == 'primary'\n  every :day do\n    command 'a'\n  end\n"
        "else\n  every :day do\n    command 'b'\n  end\nend\n"
    )
    jobs = run(src).evaluation.jobs
    assert [j.conditions for j in jobs] == [
        ("`ENV['CRON_ROLE'] == 'primary'`",),
        ("not `ENV['CRON_ROLE'] == 'primary'`",),
    ]


def test_rails_without_the_application_makes_whenever_fail() -> None:
    em = run('every :day do\n  command "cd #{Rails.root} && x"\nend\n')
    assert em.fails and em.evaluation.fatal[0].code == "whenever-rails"
    assert em.crontab.lines[0].text.endswith("'cd /srv/app && x'")


def test_rails_env_is_known_only_from_set() -> None:
    src = (
        "require File.expand_path('../environment', __FILE__)\n"
        "if Rails.env.production?\n  every :day do\n    command 'a'\n  end\nend\n"
    )
    assert run(src).evaluation.jobs[0].conditions
    assert run(src, set_="environment=production").evaluation.jobs[0].conditions == ()


def test_env_known_exactly_when_given() -> None:
    src = "every :day do\n  command \"#{ENV['HOME']}/x #{ENV['NOPE']}\"\nend\n"
    assert lines(src, env=RUN_ENV)[0].endswith("'/tmp/x'")


def test_env_fetch_default_is_assumed_with_a_note() -> None:
    src = "every :day do\n  command ENV.fetch('APP_CMD', 'run')\nend\n"
    em = run(src)
    assert lines(src)[0].endswith("'run'")
    assert em.evaluation.notes[0].code == "env-default"


def test_unknown_value_is_shown_with_its_expression() -> None:
    em = run("every :day do\n  command \"cd #{ENV['APP']} && run\"\nend\n")
    task = em.evaluation.jobs[0].task
    assert isinstance(task, Unknown) and task.display == "cd #{ENV['APP']} && run"


def test_require_is_an_info_note_and_never_followed() -> None:
    notes = run("require 'json'\nrequire_relative 'jobs'\n").evaluation.notes
    assert [(n.line, n.code, n.severity) for n in notes] == [
        (1, "whenever-require", "info"),
        (2, "whenever-require", "info"),
    ]


def test_loop_over_unknown_collection_reads_the_block_once() -> None:
    em = run("Jobs::ALL.each do |t|\n  every :day do\n    rake t\n  end\nend\n")
    assert len(em.evaluation.jobs) == 1
    assert em.evaluation.jobs[0].conditions == (
        "`Jobs::ALL.each do |t| every :day do rake t end end` runs its block",
    )


def test_unknown_frequency_is_unresolved_not_dropped() -> None:
    em = run("every Settings.interval do\n  command 'x'\nend\n")
    assert len(em.evaluation.jobs) == 1
    assert em.crontab.unresolved and "Settings.interval" in em.crontab.unresolved[0][1]


def test_syntax_error_is_fatal_with_its_line() -> None:
    em = run("every :day do\n  command 'x'\n")
    assert em.fails
    assert em.evaluation.fatal[0].code == "ruby-syntax"


def test_erb_template_does_not_crash() -> None:
    em = run("every 1.hours do\n  command \"backup.sh '<%= @config[:name] %>'\"\nend\n")
    assert "<\\%= @config[:name] \\%>" in em.crontab.text


def test_raise_stops_whenever_only_on_its_branch() -> None:
    assert run("raise 'no'\n").fails
    em = run("begin\n  x = 1\nrescue => e\n  raise e\nend\n")
    assert not em.fails and em.evaluation.notes[-1].code == "whenever-raise"


def test_puts_of_unknown_value_makes_output_unknown() -> None:
    em = run("puts ENV['X']\n")
    assert em.whenever_output() is None and not em.fails


def test_nothing_unknown_in_plain_files() -> None:
    assert codes("every :day do\n  command 'x'\nend\n") == []


def test_an_invalid_integer_literal_is_a_diagnostic_not_a_crash() -> None:
    """`08` parses as an integer node but Ruby refuses it (invalid octal digit), so whenever
    would fail on the file: the block becomes a diagnostic naming the literal; the scan goes
    on with the next block (found by the mangled-corpus property test)."""
    from migrate.sources.whenever.dsl import AppFacts
    from migrate.sources.whenever.reader import parse_schedule

    text = ('every 08.minutes do\n  command "echo hi"\nend\n'
            'every 1.day, at: "4:30 am" do\n  command "ok"\nend\n')
    parsed = parse_schedule(text, "config/schedule.rb", timezone="UTC", app=AppFacts("/srv"))
    assert [j.schedule.cron for j in parsed.jobs] == ["30 4 * * *"]
    [diagnostic] = parsed.diagnostics
    assert diagnostic.line == 2 and "not a valid Ruby integer literal" in diagnostic.reason
