"""Do two versions of `migrate` write the same bytes? For speed work that must not change
any output.

    python benchmarks/same_output.py [--base main] [--hosts 100] [--keep DIR]

Extracts `--base` (any git revision) with `git archive`, then scans, with the base's code
and with this checkout's, each in a fresh process: samples/ (the golden options of
tests/test_golden.py), a generated fleet (benchmarks/fleetgen.py, `--hosts` hosts of 100
jobs) and the same fleet with `--distinct` schedules. Compares catalog.yaml, report.md and
report.html byte for byte and prints the first differing line of each file that differs.
Exit code 1 when any file differs.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.fleetgen import generate, write  # noqa: E402

FILES = ("catalog.yaml", "report.md", "report.html")
# What one scan runs, as `migrate scan INPUT --tz TZ -o OUT` with the golden clock/horizon.
_SCAN = """
import sys
from datetime import UTC, datetime
from migrate.emit.writer import write_outputs
from migrate.scan import ScanOptions, parse_horizon, scan_paths
source, out, tz = sys.argv[1], sys.argv[2], sys.argv[3] or None
options = ScanOptions(timezone=tz, horizon=parse_horizon("2027-01-01:2028-01-01"),
                      now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
write_outputs(scan_paths([source], options), out)
"""


def _extract(revision: str, dest: Path) -> None:
    """The base's `migrate` package (inputs always come from this checkout)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "migrate"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def _scan(code: Path, source: Path, out: Path, tz: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(code)}
    proc = subprocess.run([sys.executable, "-c", _SCAN, str(source), str(out), tz],
                          cwd=code, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"scan of {source} with {code} failed:\n{proc.stderr[-3000:]}")


def _first_difference(a: bytes, b: bytes) -> str:
    lines_a, lines_b = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(lines_a, lines_b, strict=False), 1):
        if x != y:
            return f"line {i}: base {x[:200]!r} / this {y[:200]!r}"
    return f"lengths differ: base {len(lines_a)} lines, this {len(lines_b)} lines"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="git revision to compare with")
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        base = work / "base"
        _extract(args.base, base)
        inputs = [("samples", ROOT / "samples", "Asia/Tokyo")]
        for distinct in (False, True):
            name = "distinct" if distinct else "realistic"
            write(generate(args.hosts, 100, 7, distinct=distinct), work / name)
            inputs.append((name, work / name, ""))
        differ = 0
        for name, source, tz in inputs:
            for label, code in (("base", base), ("this", ROOT)):
                _scan(code, source, work / f"out-{name}-{label}", tz)
            for file in FILES:
                a = (work / f"out-{name}-base" / file).read_bytes()
                b = (work / f"out-{name}-this" / file).read_bytes()
                same = a == b
                differ += not same
                print(f"{name:10} {file:13} {len(b):>11,} bytes  "
                      f"{'identical' if same else 'DIFFERENT: ' + _first_difference(a, b)}")
    print("OK: identical" if not differ else f"{differ} file(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
