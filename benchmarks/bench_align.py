"""Benchmark: `skillmap align` on real-size registers against the full imported ESCO (English).

Inputs (built at run time from ../shared, never copied into the project):
* the England funding list (../shared/registers/uk_dfe/approved.csv, 8,092 rows: titles and levels, no outcomes);
* 10,000 rows with a title (England titles, cycled) and one sentence of learning outcomes (the first sentence of
  an ESCO skill description, a different skill per row, so no two outcomes are the same).
Each run is its own process (wall time and peak RSS are its own) writing .xlsx and .csv reports.
Target: 10,000 rows ≤ 60 s and < 2 GB peak on 2 cores. Prints a markdown table; skips when ../shared is absent.

``--suggest-levels``: only `align --suggest-levels` on the 10,000 rows with their level cells emptied, so every row
gets a suggestion (the worst case: no two outcomes alike, nothing remembered), levels only and with matching; it
also prints the CPU time of each run (user + system, its worker processes included), which a loaded machine does
not inflate as it does the wall time. Same target.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
APPROVED = SHARED / "registers" / "uk_dfe" / "approved.csv"
SKILLMAP = [sys.executable, "-m", "skillmap"]
ROWS = 10_000

_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "sys.stderr.write(f'\\n{u.ru_utime + u.ru_stime}\\n{u.ru_maxrss}\\n'); sys.exit(r.returncode)"
)
_LAST_CPU: list[float] = []  # the CPU seconds of the last _run


def _run(args: list[str], home: Path) -> tuple[float, float]:
    """Run ``args`` with SKILLMAP_HOME=home; return (seconds, peak RSS in MiB); its CPU seconds go to _LAST_CPU."""
    env = dict(os.environ, SKILLMAP_HOME=str(home))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *args], env=env, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{result.stderr[-2000:]}")
    *_, cpu, peak = result.stderr.strip().splitlines()
    _LAST_CPU[:] = [float(cpu)]
    return seconds, int(peak) / 1024


def _outcome_sentences(count: int) -> list[str]:
    """First sentences of ESCO skill descriptions, in URI order (a stand-in for one line of learning outcomes)."""
    with zipfile.ZipFile(EN_ZIP) as archive:
        text = archive.read("skills_en.csv").decode("utf-8")
    records = sorted(csv.DictReader(io.StringIO(text, newline="")), key=lambda r: r["conceptUri"])
    sentences = []
    for record in records:
        first = re.split(r"(?<=[.!?])\s", " ".join(record["description"].split()), maxsplit=1)[0]
        if len(first) > 20:
            sentences.append(first)
        if len(sentences) == count:
            break
    return sentences


def _write_inputs(folder: Path, *, levels: bool = True) -> Path:
    """The 10,000-row register (``levels=False``: every level cell empty, as in certificates outside a framework)."""
    with APPROVED.open(encoding="utf-8-sig", newline="") as handle:
        register = list(csv.DictReader(handle))
    outcomes = _outcome_sentences(ROWS)
    path = folder / ("register-10k.csv" if levels else "register-10k-no-levels.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Code", "Title", "Level", "Learning outcomes"])
        for i, outcome in enumerate(outcomes):
            source = register[i % len(register)]
            writer.writerow([f"B{i:05d}", source["QualificationName"], source["Level"] if levels else "", outcome])
    return path


def _quality(table: Path) -> tuple[int, int, int]:
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), sum(1 for r in rows if r["skills"]), sum(1 for r in rows if r["needs_review"] == "yes")


def _align_args(source: Path, out: Path, extra: list[str]) -> list[str]:
    report = ["--out", str(out / "report.xlsx"), "--out", str(out / "table.csv")]
    return [*SKILLMAP, "align", str(source), "--country", "GB-ENG", "--quiet", *extra, *report]


def suggest_levels_runs(folder: Path, home: Path) -> int:
    """`align --suggest-levels` on 10,000 level-less rows: levels only, then with matching (full ESCO en)."""
    source = _write_inputs(folder, levels=False)
    table = ["| mode (10,000 rows, no level, all distinct) | wall s | CPU s | peak RSS (MiB) | rows suggested |"]
    table.append("|---|---:|---:|---:|---:|")
    runs = [
        ("levels only + --suggest-levels", ["--levels-only"]),
        ("levels + skills + occupations + --suggest-levels", []),
    ]
    for number, (mode, extra) in enumerate(runs):
        if not extra:
            seconds, _ = _run([*SKILLMAP, "esco", "import", str(EN_ZIP)], home)
            print(f"(ESCO import into a fresh home: {seconds:.1f} s)", file=sys.stderr)
        out = folder / f"suggest-{number}"
        seconds, peak = _run(_align_args(source, out, [*extra, "--suggest-levels"]), home)
        with (out / "table.csv").open(encoding="utf-8", newline="") as handle:
            suggested = sum(1 for r in csv.DictReader(handle) if r["level_status"] == "suggested")
        table.append(f"| {mode} | {seconds:.1f} | {_LAST_CPU[0]:.1f} | {peak:,.0f} | {suggested:,} |")
        print(table[-1], file=sys.stderr)
    print("\n".join(table))
    print(f"\nxlsx + csv reports written; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end.")
    return 0


def main() -> int:
    if not (EN_ZIP.is_file() and APPROVED.is_file()):
        print(f"skipped: {EN_ZIP.name} or {APPROVED.name} not found (the benchmark needs ../shared)")
        return 0
    lines = [
        "| input | rows | mode | seconds | rows/s | peak RSS (MiB) | rows with a skill | rows needing review |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        home = folder / "home"
        if "--suggest-levels" in sys.argv[1:]:
            return suggest_levels_runs(folder, home)
        seconds, peak = _run([*SKILLMAP, "esco", "import", str(EN_ZIP)], home)
        print(f"(ESCO import into a fresh home: {seconds:.1f} s, peak {peak:.0f} MiB)", file=sys.stderr)
        ten_k = _write_inputs(folder)
        runs = [
            ("England funding list (approved.csv)", APPROVED, "levels + skills + occupations", []),
            ("England funding list (approved.csv)", APPROVED, "levels only", ["--levels-only"]),
            ("title + one outcome sentence", ten_k, "levels + skills + occupations", []),
        ]
        for name, source, mode, extra in runs:
            out = folder / f"out-{len(lines)}"
            args = _align_args(source, out, extra)
            seconds, peak = _run(args, home)
            rows, with_skill, review = _quality(out / "table.csv")
            lines.append(
                f"| {name} | {rows:,} | {mode} | {seconds:.1f} | {rows / seconds:,.0f} | {peak:,.0f} | "
                f"{with_skill:,} | {review:,} |"
            )
    print("\n".join(lines))
    print(f"\nxlsx + csv reports written; {os.cpu_count()} CPUs; full ESCO v1.1.1 (en) imported.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
