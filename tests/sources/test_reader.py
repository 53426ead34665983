"""The I/O edge: files, directories, stdin, fleet snapshots, and the reader registry."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrate.sources.base import ParsedFile, summarize
from migrate.sources.reader import read_inputs
from migrate.sources.registry import (
    ReadRequest,
    SourceReader,
    reader_for,
    register,
    spool_user,
    unregister,
)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def read(*paths: Path | str, stdin: str | None = None, tz: str | None = "UTC"
         ) -> list[ParsedFile]:
    return read_inputs([str(p) for p in paths], fmt=None, timezone=tz, stdin_text=stdin)


def test_one_file(tmp_path: Path) -> None:
    path = write(tmp_path / "jobs", "0 1 * * * /bin/x\n")
    [parsed] = read(path)
    assert (parsed.path, parsed.kind, parsed.format) == (str(path), "crontab", "user")
    assert [j.command.shell for j in parsed.jobs] == ["/bin/x"]


def test_missing_file_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    [parsed] = read(tmp_path / "nope")
    assert [str(d) for d in parsed.diagnostics] == [
        f"{tmp_path / 'nope'}:0: cannot read: No such file or directory"
    ]
    assert parsed.records == [] and parsed.summary().endswith("1 error")


def test_stdin(tmp_path: Path) -> None:
    [parsed] = read("-", stdin="0 1 * * * /bin/x\n0 99 * * * /bin/y\n")
    assert parsed.path == "<stdin>"
    assert [str(d) for d in parsed.diagnostics] == [
        "<stdin>:2:3: bad hour: 99 is out of range 0-23"
    ]
    [missing] = read("-")
    assert [d.reason for d in missing.diagnostics] == ["no standard input given"]


def test_binary_and_non_regular_files(tmp_path: Path) -> None:
    binary = write(tmp_path / "blob", b"\x7fELF\x00\x01")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    parsed = read(binary, fifo)
    assert [d.reason for p in parsed for d in p.diagnostics] == [
        "binary file (mostly non-text bytes), not a crontab",
        "not a regular file",
    ]


def test_bytes_are_read_as_cron_reads_them(tmp_path: Path) -> None:
    path = write(
        tmp_path / "odd", b"\xef\xbb\xbf0 1 * * * /bin/crlf\r\n0 2 * * * /bin/caf\xe9\n"
    )
    [parsed] = read(path)
    assert [(j.command.shell, [f.code for f in j.findings]) for j in parsed.jobs] == [
        ("/bin/crlf", ["crlf"]),
        ("/bin/caf\ufffd", ["encoding"]),
    ]


def test_directory_walk_is_sorted_and_skips_what_cron_skips(tmp_path: Path) -> None:
    root = tmp_path / "crons"
    write(root / "b-jobs", "0 2 * * * /bin/b\n")
    write(root / "a-jobs", "0 1 * * * /bin/a\n")
    write(root / "sub" / "cron.d" / "app", "0 3 * * * www-data /bin/app\n")
    write(root / "a-jobs~", "0 9 * * * /bin/backup\n")
    write(root / "app.dpkg-old", "0 9 * * * /bin/old\n")
    write(root / ".hidden", "0 9 * * * /bin/hidden\n")
    write(root / "README.md", "# notes\n")
    write(root / ".git" / "config", "[core]\n")
    parsed = read(root)
    read_ = [(Path(p.path).relative_to(root).as_posix(), p.format) for p in parsed if not p.skipped]
    assert read_ == [("a-jobs", "user"), ("b-jobs", "user"), ("sub/cron.d/app", "system")]
    skipped = sorted((Path(p.path).name, p.skipped) for p in parsed if p.skipped)
    assert skipped == [
        (".hidden", "hidden file (cronie skips names starting with '.')"),
        ("README.md", "not a crontab (by its name)"),
        ("a-jobs~", "backup file (cronie skips names ending with '~')"),
        ("app.dpkg-old", "backup file (name ends with '.dpkg-old')"),
    ]
    assert summarize(parsed) == (
        "3 lines: 3 jobs (0 disabled), 0 env, 0 comments/blank, 0 errors; 4 files skipped; "
        "zone UTC from --tz"
    )


def test_a_file_named_explicitly_is_always_read(tmp_path: Path) -> None:
    path = write(tmp_path / "crontab.bak", "0 1 * * * /bin/x\n")
    [parsed] = read(path)
    assert parsed.skipped is None and len(parsed.jobs) == 1


def test_spool_location_names_the_user(tmp_path: Path) -> None:
    path = write(tmp_path / "var" / "spool" / "cron" / "crontabs" / "carol", "0 1 * * * /x\n")
    assert spool_user(str(path)) == "carol"
    assert spool_user("/var/spool/cron/dave") == "dave"
    assert spool_user("/etc/crontabs/root") == "root"
    assert spool_user("/etc/cron.d/app") is None
    [parsed] = read_inputs([str(path)], fmt=None, timezone="UTC")
    assert [j.source.user for j in parsed.jobs] == ["carol"]


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    dest = tmp_path / "snapshot"
    shared = "MAILTO=ops@example.com\n30 2 * * * root /usr/local/bin/backup\n"
    write(dest / "web1" / "etc" / "crontab", shared)
    write(dest / "web1" / "etc" / "cron.d" / "app", "*/5 * * * * www-data /srv/app/tick\n")
    write(dest / "web1" / "etc" / "cron.d" / "app.dpkg-dist", "* * * * * root /bad\n")
    write(dest / "web1" / "etc" / "timezone", "Asia/Kolkata\n")
    write(dest / "web1" / "var" / "spool" / "cron" / "crontabs" / "alice", "0 9 * * 1 /a\n")
    write(dest / "web2" / "etc" / "crontab", shared)
    write(dest / "web2" / "var" / "spool" / "cron" / "bob", "15 10 * * * /b\n")
    write(dest / "web3" / "etc" / "crontab", shared)
    write(dest / "web3" / "etc" / "crontabs" / "root", "0 0 * * * /c\n")
    write(dest / "web3" / "etc" / "timezone", "Mars/Base\n")
    write(dest / "inventory.ini", "[web]\nweb1\n")
    return dest


def test_fleet_snapshot(fleet: Path) -> None:
    parsed = read(fleet, tz=None)
    rows = [
        (
            Path(p.path).relative_to(fleet).as_posix(),
            p.host,
            p.format,
            p.timezone,
            [(j.source.host, j.source.user, j.schedule.timezone) for j in p.jobs],
        )
        for p in parsed
        if p.kind == "crontab" and not p.skipped
    ]
    assert rows == [
        ("web1/etc/crontab", "web1", "system", "Asia/Kolkata", [("web1", "root", "Asia/Kolkata")]),
        ("web1/etc/cron.d/app", "web1", "system", "Asia/Kolkata",
         [("web1", "www-data", "Asia/Kolkata")]),
        ("web1/var/spool/cron/crontabs/alice", "web1", "user", "Asia/Kolkata",
         [("web1", "alice", "Asia/Kolkata")]),
        ("web2/etc/crontab", "web2", "system", "UTC", [("web2", "root", "UTC")]),
        ("web2/var/spool/cron/bob", "web2", "user", "UTC", [("web2", "bob", "UTC")]),
        ("web3/etc/crontab", "web3", "system", "UTC", [("web3", "root", "UTC")]),
        ("web3/etc/crontabs/root", "web3", "user", "UTC", [("web3", "root", "UTC")]),
    ]
    problems = [str(d) for p in parsed for d in p.diagnostics]
    assert problems == [f"{fleet / 'web3' / 'etc' / 'timezone'}:1: not a known time zone: "
                        "'Mars/Base'"]
    origins = sorted({(p.host, p.timezone_from) for p in parsed if p.jobs})
    assert origins == [("web1", "host:/etc/timezone"), ("web2", "host:unknown"),
                       ("web3", "host:unknown")]
    skipped = [(Path(p.path).name, p.skipped) for p in parsed if p.skipped]
    # files beside the hosts are walked like any directory's files (first, like os.walk)
    assert skipped == [
        ("inventory.ini", "not a crontab (by its name)"),
        ("app.dpkg-dist", "backup file (name ends with '.dpkg-dist')"),
    ]


def test_the_shared_job_is_found_on_every_host(fleet: Path) -> None:
    jobs = [j for p in read(fleet) for j in p.jobs if j.command.shell == "/usr/local/bin/backup"]
    assert sorted(j.source.host or "" for j in jobs) == ["web1", "web2", "web3"]
    assert all(dict(j.command.env) == {"MAILTO": "ops@example.com"} for j in jobs)


def test_one_host_root_of_a_snapshot(fleet: Path) -> None:
    parsed = read(fleet / "web2")
    assert {j.source.host for p in parsed for j in p.jobs} == {"web2"}
    assert [Path(p.path).name for p in parsed] == ["crontab", "bob"]


@pytest.fixture
def rb_reader() -> Iterator[SourceReader]:
    def read_rb(request: ReadRequest) -> ParsedFile:
        return ParsedFile(request.path, "whenever", host=request.host)

    reader = SourceReader("whenever", lambda path: path.endswith("schedule.rb"), read_rb)
    register(reader)
    yield reader
    unregister(reader)


def test_registry_dispatches_by_path(tmp_path: Path, rb_reader: SourceReader) -> None:
    write(tmp_path / "app" / "config" / "schedule.rb", "every 1.day do\nend\n")
    write(tmp_path / "app" / "crontab", "0 1 * * * /bin/x\n")
    write(tmp_path / "app" / "other.rb", "puts 1\n")
    parsed = read(tmp_path / "app")
    assert [(Path(p.path).name, p.kind, p.skipped is not None) for p in parsed] == [
        ("crontab", "crontab", False),
        ("other.rb", "crontab", True),
        ("schedule.rb", "whenever", False),
    ]
    assert reader_for("x/schedule.rb") is rb_reader
    assert reader_for("x/crontab").kind == "crontab"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret", "0 1 * * * /x\n")
    path.chmod(0)
    try:
        [parsed] = read(path)
    finally:
        path.chmod(0o600)
    assert [d.reason for d in parsed.diagnostics] == ["cannot read: Permission denied"]


def test_format_override_and_bad_format(tmp_path: Path) -> None:
    path = write(tmp_path / "jobs", "0 1 * * * backup /usr/bin/dump\n")
    [parsed] = read_inputs([str(path)], fmt="system", timezone="UTC")
    assert [j.source.user for j in parsed.jobs] == ["backup"]
    with pytest.raises(ValueError, match="unknown crontab format 'System'"):
        read_inputs([str(path)], fmt="System", timezone="UTC")
