"""Frameworks and level resolution: load time, resolution throughput and how honestly a real register resolves.

* Load: median wall time of ``load_frameworks()`` (47 frameworks, 3 CSV files) over several runs.
* Throughput: ``resolve_level`` on every ``Level`` cell of the DfE approved list (8,092 real rows), with and
  without the qualification title (the title is used only to pick an entry sub-level), each row resolved anew
  (no cache), and with ``resolve_levels`` (repeated strings resolved once).
* CLI: median wall time of ``skillmap level GB-SCT "SCQF 11" --format json`` minus ``python -c pass``.
* Outcome: the statuses the register's cells resolve to.

Prints a markdown table. Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENGLAND_LIST = REPO.parent / "shared" / "registers" / "uk_dfe" / "approved.csv"
RUNS = 5


def _median_seconds(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    if not ENGLAND_LIST.is_file():
        print(f"skipped: {ENGLAND_LIST} not found (needs ../shared)")
        return 0
    from skillmap.levels import resolve_level, resolve_levels
    from skillmap.sources.frameworks import load_frameworks

    with open(ENGLAND_LIST, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    levels = [row["Level"] for row in rows]
    titles = [row["QualificationName"] for row in rows]

    load_time = _median_seconds(load_frameworks)
    tracemalloc.start()
    registry = load_frameworks()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    def plain() -> list:
        fresh = load_frameworks()
        return [resolve_level(fresh, "GB-ENG", text) for text in levels]

    def with_titles() -> list:
        fresh = load_frameworks()
        return [resolve_level(fresh, "GB-ENG", t, title=n) for t, n in zip(levels, titles, strict=True)]

    def batched() -> list:
        return resolve_levels(load_frameworks(), "GB-ENG", levels)

    plain_time = _median_seconds(plain, 3)
    title_time = _median_seconds(with_titles, 3)
    batch_time = _median_seconds(batched, 3)

    def cli(args: list[str]) -> float:
        return _median_seconds(lambda: subprocess.run(args, capture_output=True, check=True), RUNS)

    exe = str(Path(sys.executable).with_name("skillmap"))
    cli([exe, "level", "GB-SCT", "SCQF 11", "--format", "json"])  # warm-up
    cli_time = cli([exe, "level", "GB-SCT", "SCQF 11", "--format", "json"]) - cli([sys.executable, "-c", "pass"])

    outcome = Counter(r.status for r in (resolve_level(registry, "GB-ENG", t) for t in levels))
    titled = [resolve_level(registry, "GB-ENG", t, title=n) for t, n in zip(levels, titles, strict=True)]
    from_title = sum(r.from_title for r in titled)

    n = len(levels)
    print("| measure | value |")
    print("|---|---|")
    print(
        f"| `load_frameworks()` ({len(registry)} frameworks, {sum(len(f.levels) for f in registry.all())} levels) | "
        f"{load_time * 1000:.1f} ms, peak {peak / 1e6:.1f} MB |"
    )
    print(f"| `resolve_level` × {n:,} DfE cells | {plain_time:.2f} s ({n / plain_time:,.0f} cells/s) |")
    print(f"| same with `title=` | {title_time:.2f} s ({n / title_time:,.0f} cells/s) |")
    print(f"| `resolve_levels` (repeats resolved once) | {batch_time * 1000:.0f} ms |")
    print(f"| `skillmap level` CLI, minus Python start-up | {cli_time * 1000:.0f} ms |")
    print(f"| DfE `Level` statuses | {', '.join(f'{k} {v:,}' for k, v in sorted(outcome.items()))} |")
    print(f"| Entry Level rows given a sub-level from the title | {from_title:,} of {levels.count('Entry Level'):,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
