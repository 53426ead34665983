"""Where the shared real-world corpus lives: $MIGRATE_CORPUS, else ../shared/corpus beside
this checkout, else /work/shared/corpus. Tests that need it skip (with this reason) when it
is absent."""

from __future__ import annotations

import os
from pathlib import Path

_CANDIDATES = [
    os.environ.get("MIGRATE_CORPUS", ""),
    str(Path(__file__).resolve().parents[2] / "shared" / "corpus"),
    "/work/shared/corpus",
]
CORPUS = next((Path(c) for c in _CANDIDATES if c and Path(c, "MANIFEST.tsv").is_file()),
              Path("/work/shared/corpus"))
MISSING = f"the shared corpus is not available (looked in {', '.join(c for c in _CANDIDATES if c)})"
