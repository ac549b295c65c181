"""Leftovers of a killed `esco import` (issue 15.8): the next import removes them, and never a running one's."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from skillmap.store import import_esco

REPO = Path(__file__).resolve().parents[1]
TAXONOMY = "uri,label,kind,lang\nurn:s:1,install solar panels,skill,en\n"


def test_a_later_import_removes_what_killed_imports_left_but_not_a_running_one(
    isolated_home: Path, tmp_path: Path
) -> None:
    taxonomy = tmp_path / "t.csv"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    import_esco([taxonomy])
    root = isolated_home / "index"
    killed = root / ".import-killed"  # its lock file is there, and nobody holds it: the import died
    killed.mkdir()
    (killed / ".lock").write_bytes(b"")
    (killed / "concepts.bin").write_bytes(b"\0" * 1000)
    old = root / ".import-old"  # from a version without lock files: recognised by its age
    old.mkdir()
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    running = root / ".import-running"  # another process is writing it right now
    running.mkdir()
    with open(running / ".lock", "wb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        # flock is per open file description: a second open (as the import's check does) cannot take it
        import_esco([taxonomy])
        leftovers = sorted(p.name for p in root.iterdir() if p.name.startswith(".import-"))
    assert leftovers == [".import-running"]
    assert (root / "CURRENT").is_file()
