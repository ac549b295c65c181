"""Benchmark: ESCO import (CSV and RDF) including the match index, opening the index, peak memory.

Each step runs in its own process so its wall time and peak RSS are its own. Prints a markdown table.
Needs ../shared (the official ESCO files); skips with a message when it is absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ESCO = REPO.parent / "shared" / "esco"
EN_ZIP = ESCO / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
RELATIONS_ZIP = ESCO / "ESCO dataset - v1.1.1 - classification -  - csv.zip"
DERIVED_TTL = ESCO / "rdf" / "esco-v1.1.1-derived-from-csv.ttl.gz"
V10X = ESCO / "v1.0.x"
SKILLMAP = [sys.executable, "-m", "skillmap"]

OPEN_AND_SEARCH = (
    "import time; t = time.perf_counter(); from skillmap.store import open_index; loaded = open_index(); "
    "loaded.index.search('install solar panels', top=10); print(time.perf_counter() - t)"
)
LOAD_CLASSIFICATION = (
    "import time; t = time.perf_counter(); from skillmap.store import load_classification; "
    "c = load_classification(); print(time.perf_counter() - t, len(c.concepts), len(c.relations))"
)


# A fresh parent per step, so RUSAGE_CHILDREN is exactly that step's child: peak RSS and CPU seconds.
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "sys.stderr.write(f'\\n{u.ru_maxrss} {u.ru_utime + u.ru_stime}\\n'); sys.exit(r.returncode)"
)


def _run(args: list[str], home: Path) -> tuple[float, float, float, str]:
    """Run ``args`` with SKILLMAP_HOME=home; return (wall seconds, CPU seconds, peak RSS in MiB, stdout).

    CPU seconds are reported too because the benchmark machine is shared: wall time grows with other load.
    """
    env = dict(os.environ, SKILLMAP_HOME=str(home))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *args], env=env, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{result.stderr}")
    peak_kib, cpu = result.stderr.strip().splitlines()[-1].split()
    return seconds, float(cpu), int(peak_kib) / 1024, result.stdout


def main() -> int:
    if not EN_ZIP.is_file():
        print(f"skipped: {EN_ZIP} not found (the benchmark needs ../shared/esco)")
        return 0
    rows: list[tuple[str, str, str, str]] = []

    def step(title: str, args: list[str], home: Path, in_process: bool = False) -> None:
        seconds, cpu, peak, out = _run(args, home)
        if in_process:  # the probe prints its own timing, without interpreter start-up
            rows.append((title, f"{float(out.split()[0]):.2f}", "", ""))
        else:
            rows.append((title, f"{seconds:.2f}", f"{cpu:.2f}", f"{peak:.0f}"))

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "sample"
        probe = [sys.executable, "-c", OPEN_AND_SEARCH]
        step("open_index() + one search, bundled sample, first run (builds its index)", probe, home, True)
        step("open_index() + one search, bundled sample, cached index", probe, home, True)
        step("`esco info`, bundled sample", [*SKILLMAP, "esco", "info"], home)
        home = Path(tmp) / "en"
        step(
            "`esco import` v1.1.1 en zip (read + match index + save)", [*SKILLMAP, "esco", "import", str(EN_ZIP)], home
        )
        step("`esco info`, imported en", [*SKILLMAP, "esco", "info"], home)
        step("open_index() + one search, imported en (in-process)", [sys.executable, "-c", OPEN_AND_SEARCH], home, True)
        step("load_classification(), imported en (in-process)", [sys.executable, "-c", LOAD_CLASSIFICATION], home, True)
        step(
            "`esco import` en zip + relations zip",
            [*SKILLMAP, "esco", "import", str(EN_ZIP), str(RELATIONS_ZIP)],
            Path(tmp) / "relations",
        )
        step(
            "`esco import` en zip + v1.0.x fr/es/en-us folder",
            [*SKILLMAP, "esco", "import", str(EN_ZIP), str(V10X)],
            Path(tmp) / "multilingual",
        )
        step(
            "`esco import` derived v1.1.1 Turtle (.ttl.gz, 337k triples)",
            [*SKILLMAP, "esco", "import", str(DERIVED_TTL)],
            Path(tmp) / "rdf",
        )

    print(f"### ESCO import ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n")
    print("| step | wall s | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    for title, seconds, cpu, peak in rows:
        print(f"| {title} | {seconds} | {cpu or '–'} | {peak or '–'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
