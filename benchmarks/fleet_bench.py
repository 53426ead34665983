"""Fleet benchmark: scan a 1,000-host / 100,000-job snapshot end to end.

    python benchmarks/fleet_bench.py [--hosts 1000] [--jobs-per-host 100] [--keep DIR]

Generates the fleet (`fleetgen`, Ansible fetch layout, planted risks), then for a tenth of
it and for all of it runs, each in a fresh process, what `migrate scan FLEET -o OUT` runs:
read -> convert -> verify -> analyse -> write catalog.yaml, report.md and report.html.
Prints wall time, peak memory (max RSS of that process), where the time went, the
100k/10k ratio, and checks every planted risk was found on its job and that no planted
secret is in any output file. Targets (issue 4): <= 60 s wall, <= 2 GB peak, ratio <= 12.
Exit code 1 when a target or a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.fleetgen import generate, write  # noqa: E402

WALL_TARGET, MEMORY_TARGET, RATIO_TARGET = 60.0, 2 * 1024**3, 12.0
HORIZON = "2027-01-01:2028-01-01"


def _timed(stages: dict[str, float], name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            stages[name] += time.perf_counter() - t
    return wrapper


def child(fleet_dir: str, out_dir: str, hosts: int, per_host: int, seed: int,
          distinct: bool) -> None:
    """One scan in this process, as the CLI runs it; prints a JSON line of measurements."""
    import migrate.emit.writer as writer
    import migrate.scan as scan

    stages: dict[str, float] = defaultdict(float)
    scan.read_inputs = _timed(stages, "read", scan.read_inputs)
    scan.convert_job = _timed(stages, "convert+verify", scan.convert_job)
    scan.describe = _timed(stages, "describe", scan.describe)
    scan.analyse = _timed(stages, "analyse", scan.analyse)
    writer.write_outputs = _timed(stages, "write all", writer.write_outputs)
    writer.render_html = _timed(stages, "report.html", writer.render_html)
    options = scan.ScanOptions(horizon=scan.parse_horizon(HORIZON),
                               now=datetime(2026, 11, 23, tzinfo=UTC))
    start = time.perf_counter()
    result = scan.scan_paths([fleet_dir], options)
    written = writer.write_outputs(result, out_dir)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    # Checks (not timed): planted risks on the right jobs, no secret in any file.
    fleet = generate(hosts, per_host, seed, distinct=distinct)
    by_source = {(s.host, s.path, s.line): j for j in result.jobs for s in j.sources}
    missed = []
    for fj in fleet.jobs:
        job = by_source[(fj.host, str(Path(fleet_dir) / fj.host / fj.path), fj.line)]
        missing = fj.codes - {f.code for f in job.findings}
        if missing:
            missed.append(f"{fj.host}/{fj.path}:{fj.line} {sorted(missing)}")
    planted = sum(len(fj.codes) for fj in fleet.jobs)
    leaked = 0
    for path in written:
        text = path.read_text(encoding="utf-8")
        leaked += sum(1 for s in fleet.secrets if s in text)
    print(json.dumps({
        "jobs": len(fleet.jobs), "catalog_jobs": len(result.jobs), "wall": wall, "peak": peak,
        "stages": dict(stages), "planted": planted, "missed": missed[:10],
        "missed_count": len(missed), "secrets": len(fleet.secrets), "leaked": leaked,
        "bytes": {p.name: p.stat().st_size for p in written},
    }))


def run(hosts: int, per_host: int, seed: int, distinct: bool, work: Path) -> dict[str, Any]:
    fleet_dir = work / f"fleet-{hosts}"
    t = time.perf_counter()
    write(generate(hosts, per_host, seed, distinct=distinct), fleet_dir)
    generated = time.perf_counter() - t
    cmd = [sys.executable, __file__, "--child", str(fleet_dir), str(work / f"out-{hosts}"),
           "--hosts", str(hosts), "--jobs-per-host", str(per_host), "--seed", str(seed)]
    if distinct:
        cmd.append("--distinct")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"scan of {hosts} hosts failed:\n{proc.stderr[-3000:]}")
    measured: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    measured["generated"] = generated
    # CPU of the scan process and every process it waited for (user + sys), including the
    # untimed checks after the scan: less sensitive than wall time to a busy machine.
    measured["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return measured


def _report(size: str, m: dict[str, Any]) -> None:
    stages = ", ".join(f"{k} {v:.1f}" for k, v in sorted(m["stages"].items(),
                                                          key=lambda kv: -kv[1]))
    print(f"{size:>5}: {m['jobs']:>7,} jobs ({m['catalog_jobs']:,} in the catalog)  "
          f"wall {m['wall']:6.1f} s  cpu {m['cpu']:6.1f} s  peak {m['peak'] / 1024**2:7.0f} MiB")
    print(f"       stages (s): {stages}")
    sizes = ", ".join(f"{k} {v / 1024**2:.1f} MiB" for k, v in m["bytes"].items())
    print(f"       outputs: {sizes}")
    print(f"       planted risks: {m['planted'] - m['missed_count']}/{m['planted']} jobs' codes "
          f"found; secrets in outputs: {m['leaked']} of {m['secrets']}")
    for miss in m["missed"]:
        print(f"       missed: {miss}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--jobs-per-host", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--distinct", action="store_true",
                    help="every clean job gets a schedule no other job has (fleetgen)")
    ap.add_argument("--keep", metavar="DIR", help="generate and scan in DIR and keep it")
    ap.add_argument("--child", nargs=2, metavar=("FLEET", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.hosts, args.jobs_per_host, args.seed,
              args.distinct)
        return 0
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        small = run(max(args.hosts // 10, 1), args.jobs_per_host, args.seed, args.distinct, work)
        large = run(args.hosts, args.jobs_per_host, args.seed, args.distinct, work)
    _report("1/10", small)
    _report("full", large)
    ratio = large["wall"] / small["wall"]
    print(f"ratio full/tenth: {ratio:.1f}x (target <= {RATIO_TARGET:.0f}x); "
          f"targets: wall <= {WALL_TARGET:.0f} s, peak <= {MEMORY_TARGET / 1024**3:.0f} GiB")
    ok = (large["wall"] <= WALL_TARGET and large["peak"] <= MEMORY_TARGET
          and ratio <= RATIO_TARGET and not large["missed_count"] and not large["leaked"]
          and not small["missed_count"] and not small["leaked"])
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
