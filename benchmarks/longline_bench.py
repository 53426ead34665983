"""Benchmark: scan time against the length of one crontab command line (issue 13, item 5).

Scans a crontab holding one job whose command is N bytes (shell words, quotes, `$VAR`s and a
URL, so the lexer, the secret scanner and the namer all see real work), for N from 16 KB to
2 MB, through the whole pipeline (read, convert, verify, name, analyse, write catalog and
reports). Prints each time and its ratio to the 16 KB time: up to cronie's MAX_COMMAND
(128 KiB) linear code gives a ratio at most the size ratio; past it the command is cut as
cronie cuts it (finding `command-too-long`), so only reading the line still grows. Before
the fix, naming lexed the whole command with shlex, quadratic: 2 MB took ~48 s.

    python benchmarks/longline_bench.py [--max-mb 2]

Target: the 2 MB line in under 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrate.emit.writer import write_outputs  # noqa: E402
from migrate.scan import ScanOptions, scan_paths  # noqa: E402

KB = 1024


def command(size: int) -> str:
    unit = "--name='a b' $HOME/x \"q\" https://example.com/p?a=1 "
    text = "/usr/local/bin/tool " + unit * (size // len(unit) + 1)
    return text[:size]


def scan_seconds(size: int, workdir: Path) -> float:
    path = workdir / f"crontab-{size}"
    path.write_text(f"MAILTO=ops\n0 1 * * * {command(size)}\n30 2 * * * /bin/other\n")
    start = time.perf_counter()
    result = scan_paths([str(path)], ScanOptions(timezone="UTC"))
    write_outputs(result, workdir / f"out-{size}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=2.0)
    args = parser.parse_args()
    sizes = [16 * KB, 64 * KB, 127 * KB, 512 * KB, int(args.max_mb * 1024 * KB)]
    with tempfile.TemporaryDirectory() as tmp:
        scan_seconds(4 * KB, Path(tmp))  # warm up imports and caches
        base = scan_seconds(sizes[0], Path(tmp))
        print(f"{sizes[0] // KB:>6} KB: {base:6.2f} s  (ratio 1.0)")
        for size in sizes[1:]:
            seconds = scan_seconds(size, Path(tmp))
            print(f"{size // KB:>6} KB: {seconds:6.2f} s  (ratio {seconds / base:5.1f}, "
                  f"size ratio {size / sizes[0]:4.1f})")
    print("target: the 2 MB line under 2 s; time ratio close to the size ratio (linear)")


if __name__ == "__main__":
    main()
