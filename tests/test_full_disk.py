"""A full disk while writing: one line on stderr, exit 2, and the previous files and registers store as they were.

The disk is filled two ways: in-process, SQLite's page limit (``max_page_count``) and an ``OSError(ENOSPC)`` from
the write make every write past a point fail exactly as a full disk does; and, where user namespaces allow it
(``unshare -rm``), a real 512 KiB tmpfs as SKILLMAP_HOME / output folder (in ``benchmarks/reliability.py``, or
with ``SKILLMAP_SLOW_CHECKS=1``: it takes half a minute).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _register_csv(path: Path, rows: int, prefix: str = "Q", words: int = 1) -> Path:
    lines = ["Code,Title,Level"]
    lines += [
        f"{prefix}{i},Qualification {i} in {prefix} welding and electrical work{' with pipes' * words},{1 + i % 8}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the registers store cannot grow by one page (SQLite then reports "database or disk is full")."""
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.fixture
def disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_disk(monkeypatch)


def _error_lines(err: str) -> list[str]:
    """The error lines of stderr (notes such as "using the bundled ESCO sample" may come before them)."""
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("skillmap: error:")]


def _store_state(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(home.glob("registers.sqlite*"))}


def test_registers_import_on_a_full_disk_leaves_the_store_exactly_as_before(
    run_cli, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("registers", "import", str(_register_csv(tmp_path / "small.csv", 5)), "--country", "DE")[0] == 0
    before = _store_state(isolated_home)
    big = _register_csv(tmp_path / "big.csv", 3000, prefix="B")
    real_connect = sqlite3.connect
    _fill_disk(monkeypatch)
    code, _out, err = run_cli("registers", "import", str(big), "--country", "DE")
    assert code == 2 and len(_error_lines(err)) == 1 and "full" in err and "Traceback" not in err, err
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert _store_state(isolated_home) == before
    code, out, _ = run_cli("registers", "list", "--format", "json")
    assert code == 0 and '"small"' in out and '"big"' not in out


def test_first_registers_import_on_a_full_disk_leaves_no_store(
    run_cli, isolated_home: Path, tmp_path: Path, disk_fills_up
) -> None:
    code, _out, err = run_cli("registers", "import", str(_register_csv(tmp_path / "big.csv", 3000)), "--country", "DE")
    assert code == 2 and len(_error_lines(err)) == 1 and "Traceback" not in err, err
    assert list(isolated_home.glob("registers.sqlite*")) == []


def test_report_on_a_full_disk_is_one_line_and_keeps_the_previous_report(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillmap.fileio as fileio

    sheet = tmp_path / "quals.csv"
    sheet.write_text("Title,Level\nElectrician,3\nWelder,2\n", encoding="utf-8")
    out = tmp_path / "report.csv"
    assert run_cli("align", str(sheet), "--country", "GB-ENG", "--out", str(out), "--quiet")[0] == 0
    before = out.read_bytes()
    real_replace = fileio.os.replace

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", full_disk)
    code, _stdout, err = run_cli("align", str(sheet), "--country", "GB-ENG", "--out", str(out), "--quiet")
    monkeypatch.setattr(fileio.os, "replace", real_replace)
    assert code == 2 and _error_lines(err) == [_error_lines(err)[0]] and "No space left on device" in err, err
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


needs_tmpfs = pytest.mark.skipif(
    os.environ.get("SKILLMAP_SLOW_CHECKS") != "1"
    or shutil.which("unshare") is None
    or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0,
    reason="the real-tmpfs check runs in benchmarks/reliability.py (SKILLMAP_SLOW_CHECKS=1) where user namespaces "
    "(unshare -rm) allow mounting a small tmpfs",
)


@needs_tmpfs
def test_on_a_real_half_mib_tmpfs_import_and_report_fail_in_one_line_and_keep_the_store(tmp_path: Path) -> None:
    small = _register_csv(tmp_path / "small.csv", 5)
    big = _register_csv(tmp_path / "big.csv", 3000, prefix="B", words=30)
    sheet = tmp_path / "quals.csv"
    sheet.write_text(
        "Title,Level\n" + "".join(f"Electrician {i}{' installing wiring' * 20},3\n" for i in range(800)),
        encoding="utf-8",
    )
    disk = tmp_path / "disk"
    disk.mkdir()
    script = f"""
set -u
mount -t tmpfs -o size=512k none {disk}
export SKILLMAP_HOME={disk}/home
run() {{ {sys.executable} -m skillmap "$@"; echo "rc=$?"; }}
run registers import {small} --country DE
sha256sum {disk}/home/registers.sqlite
run registers import {big} --country DE
sha256sum {disk}/home/registers.sqlite
ls -a {disk}/home
run align {sheet} --country GB-ENG --out {disk}/report.json --quiet
ls -a {disk}
"""
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    out, err = done.stdout, done.stderr
    assert out.count("rc=0") == 1 and out.count("rc=2") == 2, (out, err)
    sums = [line.split()[0] for line in out.splitlines() if "registers.sqlite" in line and len(line.split()[0]) == 64]
    assert len(sums) == 2 and sums[0] == sums[1], out  # the store is byte-identical after the failed import
    assert "Traceback" not in err and len(_error_lines(err)) == 2, err
    assert "registers.sqlite-journal" not in out and "report.json" not in out and ".report.json" not in out
