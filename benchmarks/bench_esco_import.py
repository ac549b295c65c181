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


# A fresh parent per step, so RUSAGE_CHILDREN's peak RSS is exactly that step's child.
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "sys.stderr.write(f'\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); sys.exit(r.returncode)"
)


def _run(args: list[str], home: Path) -> tuple[float, float, str]:
    """Run ``args`` with SKILLMAP_HOME=home; return (seconds, peak RSS in MiB, stdout)."""
    env = dict(os.environ, SKILLMAP_HOME=str(home))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *args], env=env, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{result.stderr}")
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    return seconds, peak_kib / 1024, result.stdout


def main() -> int:
    if not EN_ZIP.is_file():
        print(f"skipped: {EN_ZIP} not found (the benchmark needs ../shared/esco)")
        return 0
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "sample"
        seconds, peak, _out = _run([*SKILLMAP, "esco", "info"], home)
        rows.append(
            ("`esco info` on the bundled sample (first run, builds its index)", f"{seconds:.2f}", f"{peak:.0f}")
        )
        seconds, _peak, _out = _run([*SKILLMAP, "esco", "info"], home)
        rows.append(("`esco info` on the bundled sample (cached)", f"{seconds:.2f}", ""))

        home = Path(tmp) / "en"
        seconds, peak, _out = _run([*SKILLMAP, "esco", "import", str(EN_ZIP)], home)
        rows.append(
            ("`esco import` v1.1.1 en zip (13,896 skills; read + match index + save)", f"{seconds:.2f}", f"{peak:.0f}")
        )
        seconds, _peak, out = _run([sys.executable, "-c", OPEN_AND_SEARCH], home)
        rows.append(("open_index() + one search, imported en (in-process time)", f"{float(out):.2f}", ""))
        seconds, _peak, out = _run([sys.executable, "-c", LOAD_CLASSIFICATION], home)
        rows.append(("load_classification(), imported en (in-process time)", f"{float(out.split()[0]):.2f}", ""))
        seconds, _peak, _out = _run([*SKILLMAP, "esco", "info"], home)
        rows.append(("`esco info` process, imported en", f"{seconds:.2f}", ""))

        home = Path(tmp) / "en-relations"
        seconds, peak, _out = _run([*SKILLMAP, "esco", "import", str(EN_ZIP), str(RELATIONS_ZIP)], home)
        rows.append(("`esco import` en zip + relations zip (123,788 relations)", f"{seconds:.2f}", f"{peak:.0f}"))

        home = Path(tmp) / "multilingual"
        seconds, peak, _out = _run([*SKILLMAP, "esco", "import", str(EN_ZIP), str(V10X)], home)
        rows.append(("`esco import` en zip + v1.0.x fr/es/en-us folder", f"{seconds:.2f}", f"{peak:.0f}"))

        home = Path(tmp) / "rdf"
        seconds, peak, _out = _run([*SKILLMAP, "esco", "import", str(DERIVED_TTL)], home)
        rows.append(("`esco import` derived v1.1.1 Turtle (.ttl.gz, 337k triples)", f"{seconds:.2f}", f"{peak:.0f}"))

    print(f"### ESCO import ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n")
    print("| step | seconds | peak RSS MiB |")
    print("|---|---:|---:|")
    for step, seconds_text, peak_text in rows:
        print(f"| {step} | {seconds_text} | {peak_text or '–'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
