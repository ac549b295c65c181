"""Benchmark: the speed targets of the semantic matcher (issue 10), in CPU time and wall time.

The benchmark machine is shared (2 cores, often 7+ jobs): each step runs in its own process and reports its wall
time, its CPU time (user + sys of that process and its workers: what the step costs on a quiet machine, where wall
≈ CPU / cores used) and the load average around it. Steps (``--steps``, default all):

* ``import``: `skillmap esco import` of the English ESCO zip with embeddings (target ≤ 150 s on 2 cores);
* ``query``: warm `skillmap skills "…"` processes against that index, `--method lexical` and hybrid (targets
  0.22 s and ≤ 1.0 s), and the done-when query (German PV text → PV installation skills first);
* ``encode``: the encoder alone on 3,000 ESCO labels: tokenising with the bisection table and with the dict table,
  and one BLAS thread against the library default (why the import is faster);
* ``evaluate``: `skillmap evaluate` on melo-esp-es-en with an empty cache, so the taxonomy's matrix is built
  (target ≤ 60 s);
* ``align``: `skillmap align` of 10,000 rows (bench_align.py's title + outcome register) in hybrid mode (≤ 90 s);
  ``--same-as TABLE`` checks that its table.csv is byte-identical to one written by another tree (a speed change
  must not change results: SOURCE_DATE_EPOCH is not needed, the csv carries no date).

Run: .venv/bin/python benchmarks/bench_semantic_speed.py [--home DIR] [--steps query,align]
(``--home`` reuses an index imported there; otherwise the import step makes one.) Skips without ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
EVAL = SHARED / "eval"
SKILLMAP = [sys.executable, "-m", "skillmap"]
QUERY = "install and maintain photovoltaic systems on residential roofs"
DONE_WHEN = "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen"
STEPS = ("import", "query", "encode", "evaluate", "align")


def measured(args: list[str], env: dict[str, str]) -> dict:
    """Run ``args`` (bench_esco_import's probe); return wall and CPU seconds, peak RSS (MiB), the 1-minute load
    average before, and stdout."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_esco_import import _run

    load = os.getloadavg()[0]
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        wall, cpu, mib, out = _run(args, Path(env["SKILLMAP_HOME"]))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {"wall": wall, "cpu": cpu, "mib": mib, "load": load, "out": out}


def row(name: str, run: dict, target: str) -> str:
    return f"| {name} | {run['cpu']:.2f} s | {run['wall']:.2f} s | {run['mib']:,.0f} | {run['load']:.1f} | {target} |"


def step_import(env: dict[str, str]) -> list[str]:
    run = measured([*SKILLMAP, "esco", "import", str(EN_ZIP), "--quiet"], env)
    return [row("`esco import` en zip, with embeddings (134,165 labels)", run, "≤ 150 s wall on 2 cores")]


def step_query(env: dict[str, str], repeat: int = 5) -> list[str]:
    lines = []
    for method, target in (("lexical", "0.22 s"), ("hybrid", "≤ 1.0 s")):
        args = [*SKILLMAP, "skills", QUERY, "--method", method, "--quiet"]
        measured(args, env)  # warm: page cache, unpacked model
        runs = [measured(args, env) for _ in range(repeat)]
        median = {key: statistics.median(r[key] for r in runs) for key in ("cpu", "wall", "load")}
        median["mib"] = max(r["mib"] for r in runs)
        lines.append(row(f'warm `skills "…" --method {method}` (median of {repeat})', median, target))
    done = measured([*SKILLMAP, "skills", DONE_WHEN, "--format", "json", "-n", "3", "--quiet"], env)
    labels = [hit["label"] for hit in json.loads(done["out"])]
    print(f"done-when query against the full English index: {labels}", file=sys.stderr)
    lines.append(row(f'`skills "{DONE_WHEN[:24]}…"` → {"; ".join(labels)}', done, "PV installation first"))
    return lines


def step_encode() -> list[str]:
    """In this process: 3,000 ESCO labels, tokenised two ways, encoded with one BLAS thread and without a limit."""
    import csv
    import io
    import random
    import zipfile

    sys.path.insert(0, str(REPO))
    from skillmap.semantic import load_encoder

    with zipfile.ZipFile(EN_ZIP) as archive:
        text = archive.read("skills_en.csv").decode("utf-8")
    labels = sorted({a for r in csv.DictReader(io.StringIO(text, newline="")) for a in r["altLabels"].split("\n") if a})
    sample = random.Random(1).sample(labels, 3000)
    encoder = load_encoder()
    tokenizer = encoder._backend.sp

    def cpu(action) -> float:
        start = time.process_time()
        action()
        return time.process_time() - start

    def tokenise() -> None:
        for label in sample:
            tokenizer.encode(label, out_type=int, add_bos=True, add_eos=True)

    lines = [f"| tokenise 3,000 labels, bisection table (query processes) | {cpu(tokenise):.2f} s | | | | |"]
    build = cpu(encoder._tokenise_with_a_dict)
    lines.append(f"| build the dict table once (bulk embedding) | {build:.2f} s | | | | |")
    lines.append(f"| tokenise 3,000 labels, dict table | {cpu(tokenise):.2f} s | | | | |")
    one = cpu(lambda: encoder.encode(sample))
    lines.append(f"| encode 3,000 labels, one BLAS thread | {one:.2f} s ({3000 / one:,.0f}/s) | | | | |")
    limit, encoder._backend._threadpool = encoder._backend._threadpool, None
    free = cpu(lambda: encoder.encode(sample))
    encoder._backend._threadpool = limit
    lines.append(f"| encode 3,000 labels, BLAS default threads | {free:.2f} s ({3000 / free:,.0f}/s) | | | | |")
    return lines


def step_evaluate(env: dict[str, str]) -> list[str]:
    cache = tempfile.mkdtemp(prefix="skillmap-bench-cache-")
    gold, taxonomy = EVAL / "melo-esp-es-en.gold.csv", EVAL / "melo-esp-es-en.taxonomy.csv"
    args = [*SKILLMAP, "evaluate", str(gold), "--taxonomy", str(taxonomy), "--format", "json", "--quiet"]
    run = measured(args, dict(env, SKILLMAP_CACHE=cache))
    mrr = json.loads(run["out"])["mrr"]
    return [row(f"`evaluate` melo-esp-es-en, matrix built (MRR {mrr:.3f})", run, "≤ 60 s")]


def step_align(env: dict[str, str], same_as: Path | None = None) -> list[str]:
    """The 10,000-row align; ``same_as``: a table.csv of an earlier run (another tree) that this one must equal."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_align import _write_inputs

    folder = Path(tempfile.mkdtemp(prefix="skillmap-bench-align-"))
    register = _write_inputs(folder)
    args = [*SKILLMAP, "align", str(register), "--country", "GB-ENG", "--quiet", "--method", "hybrid"]
    run = measured([*args, "--out", str(folder / "table.csv")], env)
    print(f"alignment table: {folder / 'table.csv'}", file=sys.stderr)
    name = "`align` 10,000 rows (title + outcome), hybrid"
    if same_as is not None:
        same = (folder / "table.csv").read_bytes() == same_as.read_bytes()
        name += f" (table {'byte-identical to' if same else 'DIFFERS from'} {same_as.name})"
    return [row(name, run, "≤ 90 s")]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, help="a SKILLMAP_HOME with the English ESCO imported (with embeddings)")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--same-as", type=Path, help="align step: the table.csv of an earlier run it must equal")
    options = parser.parse_args()
    if not EN_ZIP.is_file():
        print(f"skipped: {EN_ZIP} not found (the benchmark needs ../shared)")
        return 0
    steps = [s.strip() for s in options.steps.split(",") if s.strip()]
    home = options.home or Path(tempfile.mkdtemp(prefix="skillmap-bench-home-"))
    env = dict(os.environ, SKILLMAP_HOME=str(home), COLUMNS="200")
    if options.home is None and "import" not in steps and {"query", "align"} & set(steps):
        steps.insert(0, "import")
    lines = [
        "| step | CPU (user+sys) | wall | peak MiB | load avg (1 min) | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for step in steps:
        if step == "encode":
            lines.extend(step_encode())
        elif step == "align":
            lines.extend(step_align(env, options.same_as))
        else:
            lines.extend(globals()[f"step_{step}"](env))
        print(lines[-1], file=sys.stderr)
    print("\n".join(lines))
    print(f"\n{os.cpu_count()} CPUs; load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
