"""Agreement with the real whenever on schedules it has never seen: random schedule.rb
files drawn from the DSL (`schedule_gen.py`), in application directories with and without
Gemfile / bin/rails / script/rails, some with `--set`. For each, our emulation must print
exactly what whenever prints (or fail where whenever raises), and the jobs scanned from
schedule.rb must equal the jobs scanned from whenever's crontab (fire instants, commands).

All files of a round go through one Ruby process (`whenever_batch.rb`, the code path of
`whenever -f`). WHENEVER_GEN_SEED / WHENEVER_GEN_COUNT change the round (default: seed 2024,
150 files); the agreement rate is printed at the end of the run.
"""

from __future__ import annotations

import os
import random
from datetime import datetime
from pathlib import Path

import pytest
from conftest import record
from schedule_gen import generate
from whenever_helpers import RUN_ENV, compare_jobs, make_app, real_batch, require_whenever

from migrate.sources.whenever.emulate import emulate, parse_set

SEED = int(os.environ.get("WHENEVER_GEN_SEED", "2024"))
COUNT = int(os.environ.get("WHENEVER_GEN_COUNT", "150"))
SETS = ["environment=staging", "environment=qa&path=/opt/x", "output=log/x.log"]


def test_generated_schedules_agree_with_real_whenever(tmp_path: Path) -> None:
    require_whenever()
    rng = random.Random(SEED)
    cases = []
    for i in range(COUNT):
        root = tmp_path / f"app{i}"
        flags = {
            "gemfile": rng.random() < 0.3,
            "bin_rails": rng.random() < 0.3,
            "script_rails": rng.random() < 0.1,
        }
        text = generate(rng)
        set_ = rng.choice(SETS) if rng.random() < 0.2 else ""
        cases.append((root, text, make_app(root, text, **flags), set_))
    real = real_batch([(root, set_) for root, _, _, set_ in cases])
    now = datetime.now().replace(second=0, microsecond=0)
    failures = []
    for (root, text, app, set_), result in zip(cases, real, strict=True):
        em = emulate(
            text,
            file_label="config/schedule.rb",
            app=app,
            now=now,
            env=RUN_ENV,
            pre_set=parse_set(set_),
        )
        ours = em.whenever_output()
        expected = result.stdout if result.ok else None
        verdict = "agree" if ours == expected else "DIFFERENT OUTPUT"
        if verdict == "agree" and result.ok:
            only_ours, only_theirs = compare_jobs(
                str(root / "config" / "schedule.rb"), text, app, result.stdout, now, set_
            )
            if only_ours or only_theirs:
                verdict = "DIFFERENT JOBS"
        if verdict == "agree" and not result.ok:
            verdict = "agree (both fail)"
        record(f"generated (seed {SEED})", root.name, verdict)
        if not verdict.startswith("agree"):
            failures.append(
                f"--- {root.name} (--set {set_!r}): {verdict}\n{text}\n"
                f"real: {result.stdout if result.ok else result.error}\n"
                f"ours: {ours}"
            )
    assert not failures, "\n".join(failures[:5])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generator_is_deterministic(seed: int) -> None:
    assert generate(random.Random(seed)) == generate(random.Random(seed))
