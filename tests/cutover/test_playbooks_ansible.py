"""The generated playbooks run by the real `ansible-playbook -c local` against temporary host
roots; user crontabs through busybox's real `crontab` with the roots' own spool (`-c`).

One fleet, three hosts, three runs (each takes seconds): check mode, cut-over, rollback.
Bytes are compared: after the cut-over only the marked lines differ; a
drifted host fails alone and is untouched; after the rollback every file is byte-identical.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from migrate.cutover.edits import marker
from migrate.cutover.output import write
from migrate.cutover.runner import command, run
from migrate.cutover.select import choose, previews, read_texts
from migrate.scan import ScanOptions, scan_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "cutover" / "fleet"
DAY = date(2026, 12, 4)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_cutover_check_drift_and_rollback(tmp_path: Path) -> None:
    fleet = tmp_path / "fleet"
    shutil.copytree(DATA, fleet)
    catalog = scan_paths((str(fleet),), ScanOptions(timezone="Europe/London")).catalog
    before = _files(fleet)
    by_text = {j.command.shell: j for j in catalog.jobs}
    dup = by_text["/usr/local/bin/rotate-logs"]  # on alpha and gamma (gamma has drifted)
    user = by_text["php /srv/app/artisan invoices:send"]  # beta, user crontab of www-data
    crond = by_text["/usr/local/bin/sync-stock --all"]  # alpha, /etc/cron.d/stock
    sel = choose(catalog.jobs, [f"{dup.id},{user.id}", crond.id], None)
    texts = read_texts(sorted({e.place for e in sel.edits}, key=lambda p: p.local))
    changes = previews(sel, "production", texts, "cutover", DAY)
    written = write(tmp_path / "out", "production", sel, "cutover", DAY, changes, "report\n",
                    local=True)
    # the drifted line: gamma's copy gained a trailing space after the scan
    gamma = fleet / "gamma" / "etc" / "crontab"
    drifted = gamma.read_bytes().replace(b"rotate-logs\n", b"rotate-logs \n")
    gamma.write_bytes(drifted)
    before["gamma/etc/crontab"] = drifted

    check = run(command(written.playbook, written.inventory, True, check=True))
    assert _files(fleet) == before, "check mode changed a file"
    assert check.failed == ("gamma",)

    out = run(command(written.playbook, written.inventory, True))
    assert out.failed == ("gamma",), out.output
    assert any("gamma:/etc/crontab:" in m and "drifted" in m for m in out.messages), out.output
    after = _files(fleet)
    assert after["gamma/etc/crontab"] == drifted  # the failed host is untouched
    mark = marker("production", dup.id, DAY).encode()
    for rel, old in before.items():
        new = after[rel]
        if new == old:
            continue
        old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
        assert len(old_lines) == len(new_lines), rel
        for a, b in zip(old_lines, new_lines, strict=True):
            assert a == b or (b.startswith(b"#migrated(production j-") and b.endswith(b": " + a)
                              ), (rel, a, b)
    changed = {rel for rel in before if after[rel] != before[rel]}
    assert changed == {"alpha/etc/crontab", "alpha/etc/cron.d/stock",
                       "beta/var/spool/cron/crontabs/www-data"}
    assert mark + b"5 4 * * *\troot\t/usr/local/bin/rotate-logs\n" in after["alpha/etc/crontab"]
    assert set(after) == set(before)  # busybox's cron.update was not left in the snapshot
    # the files written to output/ are what the hosts now hold
    for place, (_, new_text) in changes.items():
        if place.host != "gamma":
            assert (fleet / place.host / place.remote.lstrip("/")).read_text() == new_text

    gamma.write_bytes(before["gamma/etc/crontab"].replace(b"rotate-logs \n", b"rotate-logs\n"))
    back = run(command(written.directory / "rollback.yml", written.inventory, True))
    assert not back.failed, back.output
    restored = _files(fleet)
    restored["gamma/etc/crontab"] = drifted
    assert restored == before
