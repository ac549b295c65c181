"""Benchmark: streamed `skillmap align` on N synthetic register rows (default 1,000,000; `--rows`).

The rows are built at run time from real titles and learning-outcome sentences, never copied into the project:
* with ../shared: the England funding list titles and levels (../shared/registers/uk_dfe/approved.csv, 8,092 rows)
  and the first sentences of ESCO v1.1.1 skill descriptions; the full ESCO (English) is imported into a fresh home;
* without it: the titles and outcomes of examples/certificates.csv and labels of the bundled ESCO sample, matched
  against the bundled sample (a much smaller index: the timing says little about a real run).
Repeats as real registers have them: a register lists the same qualification under several providers, years or
versions, so the rows are drawn from ``rows × --distinct`` distinct qualifications (default 0.2: each one about five
times, in random order, seeded), each a title and one or two outcome sentences.

Runs ``skillmap align FILE --chunk-rows N --out table.csv`` in its own process and reports wall time, rows/s, the
peak RSS of the largest process and the peak of the summed PSS of the process and its matching workers (PSS
counts a shared page once in total, so it is the machine's real memory use). Target (issue 15): 1,000,000 rows
≤ 30 min on 2 cores, < 2 GB. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
APPROVED = SHARED / "registers" / "uk_dfe" / "approved.csv"
CERTIFICATES = REPO / "examples" / "certificates.csv"
SKILLMAP = [sys.executable, "-m", "skillmap"]
TARGET_ROWS, TARGET_SECONDS, TARGET_MIB = 1_000_000, 30 * 60, 2048


def _real_texts() -> tuple[list[tuple[str, str]], list[str], str]:
    """(title, level) pairs, outcome sentences, and where they came from."""
    if EN_ZIP.is_file() and APPROVED.is_file():
        with APPROVED.open(encoding="utf-8-sig", newline="") as handle:
            titles = [(r["QualificationName"], r["Level"]) for r in csv.DictReader(handle)]
        with zipfile.ZipFile(EN_ZIP) as archive:
            text = archive.read("skills_en.csv").decode("utf-8")
        sentences = []
        for record in sorted(csv.DictReader(io.StringIO(text, newline="")), key=lambda r: r["conceptUri"]):
            first = re.split(r"(?<=[.!?])\s", " ".join(record["description"].split()), maxsplit=1)[0]
            if len(first) > 20:
                sentences.append(first)
        return titles, sentences, "England titles + ESCO description sentences, full ESCO v1.1.1 (en)"
    with CERTIFICATES.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    titles = [(r["Qualification title"], "Level 3") for r in rows]
    sentences = [s.strip() + "." for r in rows for s in r["Learning outcomes"].split(".") if s.strip()]
    with (REPO / "data" / "esco" / "esco-v1.1.1-sample.csv").open(encoding="utf-8", newline="") as handle:
        sentences += [f"{r['label'].capitalize()}." for r in csv.DictReader(handle) if r["kind"] == "skill"]
    return titles, sentences, "examples/ titles + bundled ESCO sample labels, bundled sample index (no ../shared)"


def write_register(path: Path, rows: int, distinct: float, seed: int = 15) -> tuple[str, int]:
    """Write ``rows`` synthetic register rows to ``path``; return (source description, distinct qualifications)."""
    titles, sentences, source = _real_texts()
    chooser = random.Random(seed)
    count = max(1, int(rows * distinct))
    qualifications = []
    for _ in range(count):
        title, level = chooser.choice(titles)
        outcome = " ".join(chooser.sample(sentences, chooser.choice((1, 2))))
        qualifications.append((title.strip(), level, outcome))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["Code", "Title", "Level", "Learning outcomes"])
        for i in range(rows):
            writer.writerow([f"S{i:07d}", *qualifications[chooser.randrange(count)]])
    return source, count


def _tree_memory(root: int) -> tuple[int, int]:
    """(summed PSS, largest RSS) in KiB of ``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    pss = rss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = max(rss, int(line.split()[1]))
        except OSError:
            continue
    return pss, rss


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(args: list[str], home: Path) -> tuple[float, float, float, float]:
    """Run ``args`` with SKILLMAP_HOME=home; return (seconds, CPU seconds of the process and its workers, peak
    summed PSS MiB, peak largest RSS MiB)."""
    env = dict(os.environ, SKILLMAP_HOME=str(home))
    cpu = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks = [0, 0]

    def watch() -> None:
        while process.poll() is None:
            pss, rss = _tree_memory(process.pid)
            peaks[0], peaks[1] = max(peaks[0], pss), max(peaks[1], rss)
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{err[-2000:]}")
    return seconds, _children_cpu() - cpu, peaks[0] / 1024, peaks[1] / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help="synthetic rows (default 1,000,000)")
    parser.add_argument("--distinct", type=float, default=0.2, help="distinct qualifications per row (default 0.2)")
    parser.add_argument("--chunk-rows", type=int, default=20_000, help="rows per chunk (default 20,000)")
    parser.add_argument("--jobs", type=int, default=0, help="matching processes (default: one per CPU, at most 4)")
    parser.add_argument("--method", choices=["lexical", "semantic", "hybrid"], help="align's --method")
    parser.add_argument("--home", type=Path, help="an existing SKILLMAP_HOME with ESCO imported (skips the import)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        home = options.home or folder / "home"
        if options.home is None and EN_ZIP.is_file():
            seconds, _, _, _ = run_measured([*SKILLMAP, "esco", "import", str(EN_ZIP)], home)
            print(f"(ESCO import into a fresh home: {seconds:.1f} s)", file=sys.stderr)
        register = folder / "register.csv"
        start = time.perf_counter()
        source, distinct = write_register(register, options.rows, options.distinct)
        print(f"(input: {options.rows:,} rows, {register.stat().st_size / 1024**2:,.0f} MiB, built in "
              f"{time.perf_counter() - start:.1f} s)", file=sys.stderr)  # fmt: skip
        args = [*SKILLMAP, "align", str(register), "--country", "GB-ENG", "--quiet", "--chunk-rows",
                str(options.chunk_rows), "--jobs", str(options.jobs), "--out", str(folder / "table.csv")]  # fmt: skip
        if options.method:
            args += ["--method", options.method]
        seconds, cpu, pss, rss = run_measured(args, home)
        with (folder / "table.csv").open(encoding="utf-8", newline="") as handle:
            written = sum(1 for _ in csv.reader(handle)) - 1
    if written != options.rows:
        raise SystemExit(f"wrote {written:,} rows for {options.rows:,}")
    per_million = seconds * TARGET_ROWS / options.rows
    print("| rows | distinct qualifications | chunk rows | seconds | CPU seconds | rows/s | peak PSS, all processes "
          "(MiB) | largest process RSS (MiB) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    rate = options.rows / seconds
    print(f"| {options.rows:,} | {distinct:,} | {options.chunk_rows:,} | {seconds:,.1f} | {cpu:,.1f} | {rate:,.0f} "
          f"| {pss:,.0f} | {rss:,.0f} |")  # fmt: skip
    method = options.method or "align's default"
    load = os.getloadavg()[0]
    print(f"\nmethod: {method}; source: {source}; {os.cpu_count()} CPUs; load average at the end {load:.1f}.")
    if options.rows != TARGET_ROWS:
        cores = min(2, os.cpu_count() or 1)
        print(f"Linear extrapolation to {TARGET_ROWS:,} rows (same distinct share, fixed start-up costs included): "
              f"{per_million / 60:,.1f} min wall here; {cpu * TARGET_ROWS / options.rows / cores / 60:,.1f} min from "
              f"the CPU time on {cores} otherwise idle cores (target ≤ {TARGET_SECONDS // 60} min). Memory is "
              f"bounded by the chunk, not the row count.")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
