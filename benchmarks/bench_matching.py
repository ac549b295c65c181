"""Benchmark of matching: quality on the dev gold sets, query start-up, evaluate and batch speed, memory.

Prints markdown tables (for the README). Needs ../shared; skips with a message when it is missing.
Run: .venv/bin/python benchmarks/bench_matching.py
"""

from __future__ import annotations

import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
ESCO_EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
DFE_APPROVED = SHARED / "registers" / "uk_dfe" / "approved.csv"
ESCO_SETS = ("decorte-tech-validation", "decorte-house-validation", "skillskape-dev")
MELO_SETS = ("melo-usa-en-en", "melo-pol-pl-pl")
PYTHON = sys.executable
SKILLMAP = [PYTHON, "-m", "skillmap"]
QUERY = "install and maintain photovoltaic systems on residential roofs"


def baselines() -> dict[str, dict[str, float]]:
    """The rapidfuzz token_set_ratio rows of ../shared/eval/BASELINES.md (first table)."""
    text = (EVAL / "BASELINES.md").read_text(encoding="utf-8")
    section = text.split("## Published numbers", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0] in ESCO_SETS + MELO_SETS:
            rows[cells[0]] = dict(zip(("mrr", "rp@1", "rp@5", "rp@10", "seconds"), map(float, cells[3:]), strict=True))
    return rows


def published_melo_best() -> dict[str, float]:
    """Best published MRR per MELO set (BASELINES.md, 'Published numbers')."""
    text = (EVAL / "BASELINES.md").read_text(encoding="utf-8")
    best = {}
    for name in MELO_SETS:
        match = re.search(rf"^\| {name} \(.*$", text, flags=re.MULTILINE)
        if match:
            best[name] = max(float(x) for x in re.findall(r"\d\.\d{4}", match.group(0)))
    return best


def timed_process(args: list[str], env: dict[str, str], repeat: int = 5) -> tuple[float, int]:
    """Median wall time (s) of running ``args`` and the peak RSS (MB) of those processes."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    times, peaks = [], []
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)  # warm the page cache
    for _ in range(repeat):
        out = subprocess.run([PYTHON, "-c", probe, *args], env=env, check=True, capture_output=True, text=True)
        seconds, peak_kb = out.stdout.split()
        times.append(float(seconds))
        peaks.append(int(peak_kb))
    return statistics.median(times), max(peaks) // 1024


def main() -> None:
    if not (SHARED / "README.md").is_file():
        print(f"skipped: reference data not found at {SHARED} (expected ../shared next to the repository)")
        return
    sys.path.insert(0, str(REPO))
    from skillmap.evaluation import evaluate
    from skillmap.match import ConceptIndex
    from skillmap.sources.esco_csv import read_esco_csv
    from skillmap.sources.taxonomy import read_taxonomy

    base = baselines()
    home = Path(tempfile.mkdtemp(prefix="skillmap-bench-"))
    env = dict(os.environ, SKILLMAP_HOME=str(home), COLUMNS="200")

    # --- index build and import ------------------------------------------------------------------------
    started = time.perf_counter()
    classification = read_esco_csv([ESCO_EN_ZIP])
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = ConceptIndex.build(classification)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([*SKILLMAP, "esco", "import", str(ESCO_EN_ZIP)], env=env, check=True, capture_output=True)
    import_seconds = time.perf_counter() - started
    index_mb = sum(p.stat().st_size for p in home.rglob("match-*")) / 2**20

    # --- query process ---------------------------------------------------------------------------------
    pandas_seconds, _ = timed_process([PYTHON, "-c", "import pandas"], env)
    query_seconds, query_mb = timed_process([*SKILLMAP, "skills", QUERY], env)
    json_seconds, _ = timed_process([*SKILLMAP, "occupations", "electrician", "--format", "json"], env)

    print(
        f"### Matching: speed and memory (ESCO v1.1.1 en, {index.n_concepts:,} concepts, {index.n_labels:,} labels)\n"
    )
    print("| measure | value | target |")
    print("|---|---:|---|")
    print(f"| read ESCO zip (store reader) | {read_seconds:.2f} s | |")
    print(f"| build the match index | {build_seconds:.2f} s | |")
    print(f"| full `skillmap esco import` (read + index + save) | {import_seconds:.2f} s | ≤ 10 s |")
    print(f"| match index on disk | {index_mb:.0f} MB | |")
    print(f'| `python -c "import pandas"` (median of 5) | {pandas_seconds:.2f} s | |')
    print(
        f'| warm `skillmap skills "…"` process (median of 5) | {query_seconds:.2f} s | '
        f"≤ {2 * pandas_seconds:.2f} s (2× pandas) |"
    )
    print(f"| warm `skillmap occupations electrician -f json` | {json_seconds:.2f} s | |")
    print(f"| peak memory of a query process | {query_mb} MB | < 1024 MB |")

    # --- batch ------------------------------------------------------------------------------------------
    with (EVAL / "melo-usa-en-en.gold.csv").open(encoding="utf-8", newline="") as f:
        titles = [row["text"] for row in csv.DictReader(f)]
    with (EVAL / "skillskape-dev.gold.csv").open(encoding="utf-8", newline="") as f:
        sentences = [row["text"] for row in csv.DictReader(f)]
    texts = [f"{titles[i % len(titles)]}. {sentences[i % len(sentences)]}" for i in range(10_000)]
    for kind in ("skill", "occupation"):
        started = time.perf_counter()
        index.search_many(texts, kind=kind, top=10)
        batch_seconds = time.perf_counter() - started
        print(
            f"| `search_many` 10,000 texts (title + sentence; titles and sentences repeat), {kind}s | "
            f"{batch_seconds:.1f} s | well under 30 s |"
        )
    # Repeated statements are scored once: this row measures the cost of statements that are all different.
    with DFE_APPROVED.open(encoding="utf-8-sig", newline="") as f:
        dfe_titles = list(dict.fromkeys(row["QualificationName"].strip() for row in csv.DictReader(f)))
    distinct = list(dict.fromkeys([*dfe_titles[:1000], *sentences]))[:2000]
    started = time.perf_counter()
    index.search_many(distinct, kind="skill", top=10)
    distinct_seconds = time.perf_counter() - started
    print(
        f"| `search_many` {len(distinct):,} distinct statements (1,000 DfE titles + skillskape sentences), skills | "
        f"{distinct_seconds:.1f} s ({1000 * distinct_seconds / len(distinct):.1f} ms per statement) | |"
    )

    # --- quality ---------------------------------------------------------------------------------------
    print("\n### Matching: quality on the dev gold sets (vs rapidfuzz token_set_ratio baseline)\n")
    print("| set | n | MRR | RP@1 | RP@5 | RP@10 | seconds | baseline MRR | baseline RP@5 | baseline s | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for name in ESCO_SETS:
        result = evaluate(EVAL / f"{name}.gold.csv", index)
        rows.append((name, result.to_dict(), result.seconds))
    for name in MELO_SETS:
        started = time.perf_counter()  # the baseline's seconds include loading its target: so do ours
        taxonomy = read_taxonomy(EVAL / f"{name}.taxonomy.csv")
        result = evaluate(EVAL / f"{name}.gold.csv", taxonomy)
        rows.append((name, result.to_dict(), time.perf_counter() - started))
    for name, m, seconds in rows:
        b = base.get(name, {})
        print(
            f"| {name} | {m['n']:,} | {m['mrr']:.4f} | {m['rp@1']:.4f} | {m['rp@5']:.4f} | {m['rp@10']:.4f} | "
            f"{seconds:.2f} | {b.get('mrr', float('nan')):.4f} | {b.get('rp@5', float('nan')):.4f} | "
            f"{b.get('seconds', float('nan')):.1f} | {b.get('seconds', float('nan')) / seconds:.0f}× |"
        )
    best = published_melo_best()
    if best:
        print(
            "\nBest published MELO MRR (BASELINES.md): "
            + ", ".join(
                f"{name} {value:.4f} (ours {dict((r[0], r[1]) for r in rows)[name]['mrr']:.4f})"
                for name, value in best.items()
            )
        )


if __name__ == "__main__":
    main()
