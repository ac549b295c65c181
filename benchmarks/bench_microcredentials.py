"""`check microcredential`: time to check 10,000 micro-credentials (target: ≤ 10 s), from csv and from xlsx.

Input: the three rows of examples/microcredentials.xlsx (written by examples/make_microcredentials.py) cycled to
10,000 rows with unique codes and titles, and every 7th row given an unusable value (ECTS "five", EQF level 9), so
invalid values are parsed and reported too. Each run is the library call `check_microcredentials` (read the
sheet, detect the columns, check the 16 elements of every row), and the whole process of
`skillmap check microcredential FILE --format csv` for the csv (start-up, check, render). Needs nothing from
../shared. Prints a markdown table.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples"))
ROWS = 10_000
TARGET_SECONDS = 10.0


def _rows() -> list[dict[str, object]]:
    from make_microcredentials import ROWS as EXAMPLES

    rows = []
    for number in range(ROWS):
        row = dict(EXAMPLES[number % len(EXAMPLES)])
        row["Code"] = f"{row['Code']}-{number:05d}"
        row["Title of the micro-credential"] = f"{row['Title of the micro-credential']} ({number})"
        if number % 7 == 0:
            row["ECTS credits"], row["EQF level"] = "five", 9
        rows.append(row)
    return rows


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    from make_microcredentials import HEADERS

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (v.date().isoformat() if hasattr(v, "date") else v) for k, v in row.items()})


def _write_xlsx(path: Path, rows: list[dict[str, object]]) -> None:
    from make_microcredentials import HEADERS
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Micro-credentials")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    workbook.save(path)


def main() -> int:
    from skillmap.microcredentials import check_microcredentials

    rows = _rows()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for suffix, write in ((".csv", _write_csv), (".xlsx", _write_xlsx)):
            path = Path(folder) / f"microcredentials-10000{suffix}"
            write(path, rows)
            start = time.perf_counter()
            result = check_microcredentials(path)
            seconds = time.perf_counter() - start
            lacking = sum(1 for c in result.credentials if c.lacking)
            results.append((f"library, {suffix}", len(result.credentials), lacking, seconds))
        path = Path(folder) / "microcredentials-10000.csv"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "skillmap", "check", "microcredential", str(path), "--format", "csv"],
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        lines = done.stdout.count(b"\n") - 1
        results.append(("command, .csv → --format csv", lines // 16, f"exit {done.returncode}", seconds))
    print("| run | credentials | lacking a mandatory element | seconds | target |")
    print("|---|---:|---:|---:|---|")
    for name, count, lacking, seconds in results:
        verdict = "met" if seconds <= TARGET_SECONDS else "**not met**"
        print(f"| {name} | {count:,} | {lacking} | {seconds:.1f} | ≤ {TARGET_SECONDS:.0f} s: {verdict} |")
    print(f"\nPython {sys.version.split()[0]}; a shared 2-core machine, so timings vary.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
