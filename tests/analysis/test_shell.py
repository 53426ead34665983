"""The shell lexer: what runs, with which arguments, redirections and wrappers."""

from __future__ import annotations

from migrate.analysis.shell import parse_shell, unquote


def _programs(text: str) -> list[str]:
    return [s.program for s in parse_shell(text)]


def test_separators_split_simple_commands() -> None:
    assert _programs("a; b && c || d | e & f") == ["a", "b", "c", "d", "e", "f"]


def test_wrappers_are_peeled_and_kept() -> None:
    [seg] = parse_shell("sudo -u www-data nice -n 10 timeout 5m /usr/bin/mysqldump -hdb x")
    assert seg.program == "mysqldump" and seg.command_word == "/usr/bin/mysqldump"
    assert seg.args == ("-hdb", "x")
    assert [w[0] for w in seg.wrappers] == ["sudo", "nice", "timeout"]
    assert seg.wrappers[2] == ("timeout", "5m")


def test_flock_wrapper_and_its_lock_file() -> None:
    [seg] = parse_shell("/usr/bin/flock -w 0 /tmp/x.lock /opt/job --all > /dev/null 2>&1")
    assert seg.wrappers == (("/usr/bin/flock", "-w", "0", "/tmp/x.lock"),)
    assert seg.program == "job" and seg.args == ("--all",)
    assert [(r.op, r.target) for r in seg.redirects] == [(">", "/dev/null"), ("2>&1", "")]


def test_flock_dash_c_runs_a_shell_string() -> None:
    segs = parse_shell("flock /tmp/l -c 'echo hi > /tmp/out'")
    assert segs[0].wrappers == (("flock", "/tmp/l"),) and segs[0].program == ""
    assert segs[1].program == "echo" and segs[1].nested
    assert segs[1].redirects[0].target == "/tmp/out"


def test_sh_dash_c_and_su_dash_c_are_parsed_inside() -> None:
    segs = parse_shell("/bin/bash -l -c 'cd /srv/app && RAILS_ENV=production bundle exec rake x'")
    assert [s.program for s in segs] == ["bash", "cd", "bundle"]
    assert segs[2].assignments == ("RAILS_ENV=production",) and segs[2].nested
    assert _programs('su - app -c "python3 /srv/x.py"') == ["su", "python3"]


def test_a_script_given_to_bash_is_not_a_shell_string() -> None:
    [seg] = parse_shell("bash /home/deploy/nightly.sh -c config")
    assert seg.script == "/home/deploy/nightly.sh"


def test_quotes_and_substitutions_stay_one_word() -> None:
    [seg] = parse_shell("""gzip > "/backup/db $(date +%F).gz" 'a b' x\\ y""")
    assert seg.redirects[0].target == "/backup/db $(date +%F).gz"
    assert seg.args == ("a b", "x y")


def test_reserved_words_are_not_programs() -> None:
    text = ("[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/x ]; "
            "then /usr/lib/php/sessionclean; fi")
    assert _programs(text) == ["[", "[", "sessionclean"]


def test_comment_ends_the_line() -> None:
    assert _programs("/opt/job --x # /opt/other") == ["job"]


def test_unquote() -> None:
    assert unquote("""'a'"b\\"c"\\d""") == 'ab"cd'
