"""Registers and lookup: import time and warm lookup wall time on 20,000 records, accuracy on messy titles.

* A 20,000-record register in the DfE format is made at run time from the England list (the 8,092 real rows,
  then variants with another awarding body and level) and imported with ``skillmap registers import``.
* Warm lookup: median wall time of ``skillmap lookup TITLE --country GB-ENG --format json`` minus the median
  wall time of ``python -c pass`` (Python start-up), over several runs after a first warm-up run.
* Accuracy: top-1 / top-5 on messy titles built from the England list (benchmarks/messy_titles.py), against the
  real list (8,092 records) and against the 20,000-record register.

Prints a markdown table. Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import csv
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENGLAND_LIST = REPO.parent / "shared" / "registers" / "uk_dfe" / "approved.csv"
RECORDS = 20_000
RUNS = 7
QUERIES = (
    "CITY & GUILDS LEVEL 3 DIPLOMA IN ELECTRICAL INSTALLATIONS",
    "level 2 award in food safety in catering",
    "AAT bookkeeping",
)

sys.path.insert(0, str(REPO / "benchmarks"))


def _write_big_register(path: Path, n: int) -> None:
    """The real England rows, then variants (another body, another level) until there are ``n`` records."""
    from messy_titles import read_england_list

    rows = read_england_list(ENGLAND_LIST)
    levels = ["Entry Level", "Level 1", "Level 2", "Level 3", "Level 4", "Level 5", "Level 6"]
    bodies = sorted({title.split(" Level ")[0] for _, title, _ in rows if " Level " in title})
    level_in_title = re.compile(r"\bLevel \d\b")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["QualificationName", "AwardingOrganisation", "QualificationNumber", "Level", "Status"])
        count = 0
        for code, title, body in rows:
            writer.writerow([title, body, code, _level_of(title), "Approved"])
            count += 1
        variant = 0
        while count < n:
            for i, (_code, title, body) in enumerate(rows):
                if count >= n:
                    break
                level = levels[(i + variant + 2) % len(levels)]
                new_body = bodies[(i * 7 + variant) % len(bodies)]
                new_title = level_in_title.sub(level, title, count=1)
                if " Level " in new_title:
                    new_title = new_body + " Level " + new_title.split(" Level ", 1)[1]
                writer.writerow([new_title, body, f"S{variant}{i:07d}", level, "Approved"])
                count += 1
            variant += 1


def _level_of(title: str) -> str:
    found = re.search(r"\b(Entry Level|Level \d(?:/\d)?)\b", title)
    return found.group(1) if found else "Entry Level"


def _wall(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _fits(title: str, case: dict[str, str]) -> bool:
    """True when ``title`` is indistinguishable from the target given the query: the same title, or (for the
    deterministic kinds of mess) a title that becomes the very same query when messed up the same way."""
    from messy_titles import messy

    title = " ".join(title.split())
    if title.lower() == case["title"].lower():
        return True
    if case["kind"] in ("typo", "word_order"):
        return False
    return messy(title, case["kind"], random.Random(0)).lower() == case["query"].lower()


def _accuracy(store_path: Path, cases: list[dict[str, str]]) -> tuple[dict[str, list[float]], float]:
    from skillmap.registers.search import search_titles
    from skillmap.registers.store import RegisterStore

    hits: dict[str, list[float]] = defaultdict(list)
    start = time.perf_counter()
    with RegisterStore.open(store_path) as store:
        for case in cases:
            matches = search_titles(store, case["query"], countries=("GB-ENG",), top=5)
            codes = [m.record.code for m in matches]
            same_title = bool(matches) and _fits(matches[0].record.title, case)
            for key in (case["kind"], "all"):
                hits[key].append(
                    (codes[:1] == [case["code"]], case["code"] in codes, same_title or codes[:1] == [case["code"]])
                )
    seconds = time.perf_counter() - start
    return hits, seconds


def main() -> None:
    if not ENGLAND_LIST.is_file():
        print(f"skipped: {ENGLAND_LIST} not found (needs ../shared next to the repository)")
        return
    from messy_titles import build_messy_titles

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "SKILLMAP_HOME": str(folder / "home")}
        big = folder / "register-20k.csv"
        _write_big_register(big, RECORDS)
        skillmap = [sys.executable, "-m", "skillmap"]
        import_seconds = _wall([*skillmap, "registers", "import", str(big), "--name", "big", "-c", "GB-ENG"], env)
        startup = statistics.median(_wall([sys.executable, "-c", "pass"], env) for _ in range(RUNS))
        empty = {**os.environ, "SKILLMAP_HOME": str(folder / "empty")}
        cli_args = [*skillmap, "registers", "list", "--format", "json"]
        cli = statistics.median(_wall(cli_args, empty) for _ in range(RUNS))
        lookup_rows = []
        for query in QUERIES:
            args = [*skillmap, "lookup", query, "--country", "GB-ENG", "--format", "json"]
            _wall(args, env)  # warm-up: OS file cache, SQLite pages
            median = statistics.median(_wall(args, env) for _ in range(RUNS))
            lookup_rows.append((query, median, median - startup))
        cases = build_messy_titles(ENGLAND_LIST, n=600, seed=7)
        big_hits, big_seconds = _accuracy(folder / "home" / "registers.sqlite", cases)

        real_home = folder / "real"
        env_real = {**os.environ, "SKILLMAP_HOME": str(real_home)}
        real_import = _wall([*skillmap, "registers", "import", str(ENGLAND_LIST), "--name", "dfe"], env_real)
        real_hits, real_seconds = _accuracy(real_home / "registers.sqlite", cases)

    print("### Registers and lookup (`benchmarks/bench_lookup.py`)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| machine load (1-min load average at the end, {os.cpu_count()} CPUs) | {os.getloadavg()[0]:.1f} |")
    print(f"| import {RECORDS:,} records (DfE format, CLI wall time) | {import_seconds:.1f} s |")
    print(f"| import the England list (8,092 records, CLI wall time) | {real_import:.1f} s |")
    print(f"| Python start-up (`python -c pass`, median of {RUNS}) | {startup * 1000:.0f} ms |")
    print(f"| CLI start-up (`skillmap registers list` on an empty store) | {cli * 1000:.0f} ms |")
    for query, median, beyond in lookup_rows:
        print(f"| warm `lookup \"{query}\"` on {RECORDS:,} records: wall / beyond start-up | "
              f"{median * 1000:.0f} ms / **{beyond * 1000:.0f} ms** |")  # fmt: skip
    n = len(cases)
    print(f"| in-process lookups, {n} messy titles, 20,000 records | {big_seconds / n * 1000:.1f} ms/title |")
    print(f"| in-process lookups, {n} messy titles, 8,092 records | {real_seconds / n * 1000:.1f} ms/title |")
    print()
    print(f"Accuracy on {n} messy England titles (seed 7; kinds in rotation). *top-1 fits* also counts a top-1")
    print("whose title is indistinguishable given the query: the same title (152 titles repeat in the list), or one")
    print('that gives the very same query once messed up the same way ("Level 2 Award in X" exists from several')
    print("awarding bodies).\n")
    print("| kind | n | top-1 (8,092) | top-5 (8,092) | top-1 fits (8,092) | top-1 (20,000) | top-5 (20,000) |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("all", "upper", "no_body", "no_level", "no_punctuation", "typo", "word_order", "combined"):
        real, synthetic = real_hits[kind], big_hits[kind]
        if not real:
            continue

        def rate(values: list, column: int) -> str:
            return f"{sum(v[column] for v in values) / len(values):.3f}"

        label = f"**{kind}**" if kind == "all" else kind
        print(f"| {label} | {len(real)} | {rate(real, 0)} | {rate(real, 1)} | {rate(real, 2)} | "
              f"{rate(synthetic, 0)} | {rate(synthetic, 1)} |")  # fmt: skip


if __name__ == "__main__":
    main()
