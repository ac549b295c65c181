"""Benchmark: a warm `skillmap gap` against an ESCO occupation on the full v1.1.1 import (target ≤ 1 s).

Imports the English and relations zips into a temporary SKILLMAP_HOME, runs the command once to warm the file
cache, then three times more, and reports the best wall and CPU seconds of the whole process (Python start-up
included). Needs ../shared; skips otherwise.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ESCO = REPO.parent / "shared" / "esco"
PATHS = [
    ESCO / "ESCO dataset - v1.1.1 - classification - en - csv.zip",
    ESCO / "ESCO dataset - v1.1.1 - classification -  - csv.zip",
]
GAP = [
    sys.executable, "-m", "skillmap", "gap", "--occupation", "solar energy technician", "--format", "json",
    "--text", "I install PV panels on roofs; I install circuit breakers; I read electrical wiring plans",
]  # fmt: skip


def main() -> int:
    if not all(p.is_file() for p in PATHS):
        print(f"skipped: the ESCO v1.1.1 zips are not in {ESCO}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-gap-") as home:
        env = {**os.environ, "SKILLMAP_HOME": home}
        subprocess.run([sys.executable, "-m", "skillmap", "esco", "import", *map(str, PATHS), "-q"], env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run(GAP, env=env, check=True, stdout=subprocess.DEVNULL)
        walls, cpus = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(GAP, env=env, check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    print("| step | best of 3 |\n|---|---|")
    print(f"| warm `skillmap gap --occupation` wall s (target ≤ 1 s) | {min(walls):.2f} |")
    print(f"| the same, CPU s | {min(cpus):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
