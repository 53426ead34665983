"""Stray NUL bytes, binary files and very long lines, read as cronie reads them."""

from __future__ import annotations

import time
from pathlib import Path

from migrate.scan import ScanOptions, scan_paths
from migrate.sources.crontab.cronie import MAX_COMMAND, max_command
from migrate.sources.reader import plainly_binary, read_inputs


def read_one(path: Path) -> tuple[list[str], list[list[str]], list[str]]:
    [parsed] = read_inputs([str(path)], fmt=None, timezone="UTC")
    return ([j.command.shell for j in parsed.jobs],
            [[f.code for f in j.findings] for j in parsed.jobs],
            [str(d) for d in parsed.diagnostics])


def test_one_nul_byte_cuts_its_command_and_keeps_every_other_line(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    path.write_bytes(b"0 1 * * * /bin/one\n0 2 * * * /bin/two --x\x00--y\n0 3 * * * /bin/three\n")
    shells, codes, diagnostics = read_one(path)
    assert shells == ["/bin/one", "/bin/two --x", "/bin/three"]
    assert codes == [[], ["nul-byte"], []]
    assert diagnostics == []


def test_a_nul_in_an_env_line_cuts_the_value_for_the_jobs_below(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    path.write_bytes(b"0 0 * * * /bin/zero\nHOME=/srv\x00/app\n0 1 * * * /bin/one\n")
    [parsed] = read_inputs([str(path)], fmt=None, timezone="UTC")
    assert [dict(j.command.env) for j in parsed.jobs] == [{}, {"HOME": "/srv"}]
    assert [[f.code for f in j.findings] for j in parsed.jobs] == [[], ["nul-byte"]]
    assert "'/app'" in parsed.jobs[1].findings[0].evidence
    assert [r.kind for r in parsed.records] == ["job", "env", "job"]
    assert parsed.diagnostics == []


def test_a_line_cut_to_nothing_by_a_nul_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    path.write_bytes(b"  \x00* * * * * /bin/x\n0 1 * * * /bin/one\n")
    shells, _, diagnostics = read_one(path)
    assert shells == ["/bin/one"]
    assert diagnostics == [
        f"{path}:1:3: NUL byte at column 3: cron reads the line only up to it and the rest, "
        "'* * * * * /bin/x', as a line of its own"
    ]


def test_plainly_binary_is_mostly_control_bytes() -> None:
    assert plainly_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00")
    assert plainly_binary("0 1 * * * /bin/x\n".encode("utf-16"))
    assert not plainly_binary(b"0 1 * * * /bin/x\x00\n" * 3)
    assert not plainly_binary(b"")
    assert not plainly_binary("0 1 * * * /bin/caf\u00e9 \x1b[0m\n".encode())


def test_a_binary_file_is_still_skipped_whole(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(bytes(range(256)) * 4)
    _, _, diagnostics = read_one(path)
    assert diagnostics == [f"{path}:0: binary file (mostly non-text bytes), not a crontab"]


def test_max_command_keeps_what_cronie_keeps() -> None:
    assert max_command("echo hi") == ("echo hi", None)
    exact = "x" * (MAX_COMMAND - 1)
    assert max_command(exact) == (exact, None)
    over = "x" * MAX_COMMAND
    assert max_command(over) == ("x" * (MAX_COMMAND - 1), MAX_COMMAND)
    # multi-byte characters count as bytes; a character cut in two is dropped
    wide = "\u00e9" * MAX_COMMAND  # 2 bytes each
    kept, length = max_command(wide)
    assert length == 2 * MAX_COMMAND and kept == "\u00e9" * ((MAX_COMMAND - 1) // 2)


def test_a_command_over_max_command_runs_truncated_with_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    long = "echo " + "a" * 200_000
    path.write_text(f"0 1 * * * /bin/one\n0 2 * * * {long}\n0 3 * * * /bin/three\n")
    shells, codes, diagnostics = read_one(path)
    assert [len(s) for s in shells] == [8, MAX_COMMAND - 1, 10]
    assert shells[1] == long[: MAX_COMMAND - 1]
    assert codes == [[], ["command-too-long"], []]
    [parsed] = read_inputs([str(path)], fmt=None, timezone="UTC")
    [finding] = parsed.jobs[1].findings
    assert "200,005 bytes" in finding.message
    assert parsed.jobs[1].source.text.endswith("a" * 1000)  # the line as written stays whole


def test_a_two_megabyte_line_scans_in_linear_time(tmp_path: Path) -> None:
    """Guard against a quadratic step anywhere in the scan (naming, lexing, redaction,
    report): 2 MB took 48 s before; linear code takes ~1 s. The bound is generous on purpose
    (a shared machine); benchmarks/longline_bench.py measures the scaling."""
    path = tmp_path / "crontab"
    words = " ".join(f"--opt{i}='a b'" for i in range(150_000))
    path.write_text(f"0 1 * * * /usr/bin/tool {words[: 2 * 1024 * 1024]}\n0 2 * * * /bin/x\n")
    start = time.perf_counter()
    result = scan_paths([str(path)], ScanOptions(timezone="UTC"))
    elapsed = time.perf_counter() - start
    assert [j.name for j in result.jobs if "command-too-long" in {f.code for f in j.findings}]
    assert elapsed < 20, f"scan of one 2 MB line took {elapsed:.1f} s"
