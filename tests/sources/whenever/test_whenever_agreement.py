"""REAL-WHENEVER AGREEMENT: every schedule file under samples/ and the shared corpus that
the real whenever can evaluate is run through `whenever -f` (Debian ruby-whenever 1.0.0)
from a fresh application directory; our emulation must print the same text, and scanning
schedule.rb with migrate must give the same jobs (fire instants and commands) as scanning
whenever's crontab with the crontab reader. Files the real whenever cannot evaluate (a
`require` of a missing file or gem, an undefined constant) are listed with the reason.
Without whenever the test skips, except with CI=true, where it fails.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import record
from whenever_helpers import RUN_ENV, compare_jobs, make_app, real_cli, require_whenever

from migrate.sources.whenever.emulate import emulate

REPO = Path(__file__).resolve().parents[3]
CORPUS = Path("/work/shared/corpus/whenever")
FILES = sorted(REPO.glob("samples/**/schedule.rb")) + sorted(CORPUS.glob("*.rb"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name if p.parent == CORPUS else "samples")
def test_real_whenever_agreement(path: Path, tmp_path: Path) -> None:
    require_whenever()
    suite = "corpus" if path.parent == CORPUS else "samples"
    text = path.read_bytes().decode("utf-8", errors="replace")
    app = make_app(tmp_path / "app", text)
    real = real_cli(tmp_path / "app")
    now = datetime.now().replace(second=0, microsecond=0)  # whenever reads the clock too
    em = emulate(text, file_label="config/schedule.rb", app=app, now=now, env=RUN_ENV)
    if not real.ok and "LoadError" in (real.error or ""):
        missing = re.search(r"cannot load such file -- (\S+)", real.error or "")
        why = f"cannot load {missing.group(1) if missing else '?'} (LoadError)"
        record(suite, path.name, f"not evaluable by real whenever (missing code): {why}")
        pytest.skip(f"real whenever cannot load what {path.name} requires: {why}")
    if not real.ok:
        # whenever itself raises (NameError, NoMethodError, ArgumentError ...): so must we.
        verdict = "agree" if em.whenever_output() is None else "WE DO NOT FAIL"
        error = re.findall(r"[^:]*\((?:\w+Error)\)$", real.error or "")
        record(suite, path.name, f"{verdict} (both fail:{(error or [real.error])[0][-100:]})")
        assert em.whenever_output() is None, real.error
        return
    runtime = [reason for _, reason in em.crontab.unresolved]
    if runtime:
        record(suite, path.name, f"not evaluable statically: {runtime[0]}")
        pytest.skip(f"{path.name} depends on values only known when whenever runs: {runtime[0]}")
    ours = em.whenever_output()
    verdict = "agree" if ours == real.stdout else "DIFFERENT OUTPUT"
    only_ours, only_theirs = compare_jobs(
        str(tmp_path / "app" / "config" / "schedule.rb"), text, app, real.stdout, now
    )
    if only_ours or only_theirs:
        verdict = "DIFFERENT JOBS"
    record(suite, path.name, verdict)
    assert ours == real.stdout
    assert (only_ours, only_theirs) == ([], [])
