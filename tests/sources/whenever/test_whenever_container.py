"""The ECS container command derived from a whenever job (`Command.argv`)."""

from __future__ import annotations

import pytest
from whenever_helpers import run

from migrate.sources.whenever.container import container_command, needs_shell
from migrate.sources.whenever.dsl import AppFacts


def argv_env(src: str, app: AppFacts | None = None) -> list[tuple[tuple[str, ...], dict[str, str]]]:
    em = run(src, app=app or AppFacts("/srv/app", gemfile=True, bin_rails=True))
    out = []
    for job in em.evaluation.jobs:
        c = container_command(job)
        out.append((c.argv, c.env))
    return out


def test_rake_drops_wrapper_cd_output_and_moves_rails_env() -> None:
    src = "set :output, 'log/cron.log'\nevery :day do\n  rake 'db:backup'\nend\n"
    assert argv_env(src) == [
        (("bundle", "exec", "rake", "db:backup", "--silent"), {"RAILS_ENV": "production"})
    ]


def test_runner_keeps_its_environment_flag() -> None:
    src = "every :day do\n  runner \"Report.run('daily')\"\nend\n"
    assert argv_env(src) == [
        (("bundle", "exec", "bin/rails", "runner", "-e", "production", "Report.run('daily')"), {})
    ]


def test_percent_is_not_escaped_in_the_container() -> None:
    src = "every :day do\n  command 'printf 50%'\nend\n"
    assert argv_env(src) == [(("printf", "50%"), {})]


def test_shell_syntax_runs_under_sh() -> None:
    src = "every :day do\n  command 'cd /tmp && ls | wc -l'\nend\n"
    assert argv_env(src) == [(("sh", "-c", "cd /tmp && ls | wc -l"), {})]


def test_custom_environment_variable_moves_to_env() -> None:
    src = "set :environment_variable, 'RACK_ENV'\nevery :day do\n  rake 'x'\nend\n"
    assert argv_env(src)[0][1] == {"RACK_ENV": "production"}


def test_path_with_spaces_is_still_removed() -> None:
    src = "every :day do\n  rake 'x'\nend\n"
    assert argv_env(src, AppFacts("/srv/my app"))[0][0] == ("rake", "x", "--silent")


def test_non_shell_job_template_is_kept_with_a_note() -> None:
    src = "set :job_template, 'nice -n 10 :job'\nevery :day do\n  command 'work'\nend\n"
    job = run(src).evaluation.jobs[0]
    c = container_command(job)
    assert c.argv == ("nice", "-n", "10", "work")
    assert c.notes == ["the job template 'nice -n 10 :job' is kept in the container command"]


@pytest.mark.parametrize(
    ("template", "dropped"),
    [
        ("/bin/bash -l -c ':job'", True),
        ('bash -i -c ":job"', True),
        ("zsh -c ':job'", True),
        ("/bin/sh -c ':job'", True),
        (":job", True),
        ("flock -n /tmp/l :job", False),
    ],
)
def test_shell_wrappers_are_dropped(template: str, dropped: bool) -> None:
    src = f"set :job_template, {template!r}\nevery :day do\n  command 'work'\nend\n"
    c = container_command(run(src).evaluation.jobs[0])
    assert (c.argv == ("work",)) is dropped


@pytest.mark.parametrize(
    ("command", "shell"),
    [
        ("echo hi", False),
        ("echo 'a | b'", False),
        ('echo "$HOME"', True),
        ("a && b", True),
        ("ls *.log", True),
        ("echo 'unterminated", True),
        ("echo it\\'s", False),
    ],
)
def test_needs_shell(command: str, shell: bool) -> None:
    assert needs_shell(command) is shell
