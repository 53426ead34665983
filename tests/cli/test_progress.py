"""Progress on a terminal (issue 13, item 9): the library calls back, the CLI draws."""

from __future__ import annotations

import io
import os
from pathlib import Path

from click.testing import CliRunner

from migrate.cli import cli
from migrate.cli.progress import TerminalProgress, terminal_progress
from migrate.scan import ScanOptions, scan_paths


def fleet(tmp_path: Path, hosts: int = 3) -> Path:
    for i in range(hosts):
        etc = tmp_path / "fleet" / f"web{i}" / "etc"
        (etc / "cron.d").mkdir(parents=True)
        (etc / "crontab").write_text(f"{i} 1 * * * root /bin/a\n{i} 2 * * * root /bin/b\n")
        (etc / "cron.d" / "app").write_text(f"*/5 * * * * www /srv/tick {i}\n")
    return tmp_path / "fleet"


def test_the_library_reports_files_read_and_jobs_converted(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []
    result = scan_paths([str(fleet(tmp_path))], ScanOptions(timezone="UTC"),
                        progress=lambda stage, done, total: calls.append((stage, done, total)))
    reads = [done for stage, done, _ in calls if stage == "read"]
    assert reads == sorted(reads) and reads[-1] == len(result.files) == 6
    converts = [(done, total) for stage, done, total in calls if stage == "convert"]
    assert converts == [(n, 9) for n in range(1, 10)]
    assert calls[-1] == ("analyse", 9, None)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_terminal_progress_rewrites_one_line_throttled_and_clears_it() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = TerminalProgress(stream, interval=1.0, clock=clock)
    progress("read", 1, None)
    progress("read", 2, None)  # within the interval: not drawn
    clock.now = 1.5
    progress("read", 1234, None)
    progress("convert", 10, 10)  # the last job is always drawn
    assert stream.getvalue().split("\r")[1:] == [
        "migrate: read 1 files",
        "migrate: read 1,234 files",
        "migrate: converted 10 of 10 jobs",
    ]
    progress.finish()
    assert stream.getvalue().endswith("\r" + " " * len("migrate: converted 10 of 10 jobs") + "\r")


def test_progress_only_on_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
    leader, follower = os.openpty()
    try:
        with os.fdopen(follower, "w", closefd=False) as tty:
            assert isinstance(terminal_progress(tty), TerminalProgress)
    finally:
        os.close(leader)
        os.close(follower)


def test_no_progress_text_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["scan", str(fleet(tmp_path)), "--tz", "UTC",
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "migrate:" not in result.output and "\r" not in result.output
    assert result.output.splitlines()[0].startswith("9 lines: 9 jobs")
