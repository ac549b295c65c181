"""Europass export: time and memory to export 10,000 aligned rows, per format (target: ≤ 30 s each).

Input: a 10,000-row `align`-format CSV built from real data — the DfE England list (titles, codes, awarding
organisations, RQF levels resolved with skillmap's framework data; cycled with unique codes to reach 10,000)
and 5 real ESCO v1.1.1 skills per row (picked deterministically from skills_en.csv). Each run is the whole job:
read the CSV with the registers reader, build the ELM records, serialise, write atomically
(`export_europass`), timed without tracing; peak memory is tracemalloc's peak in a second run. The official
validator is run once on the Turtle and XML files for reference (its time is not part of the target).

Prints a markdown table. Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ENGLAND_LIST = SHARED / "registers" / "uk_dfe" / "approved.csv"
ESCO_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
VALIDATOR = SHARED / "tools" / "validate-europass"
ROWS = 10_000
BASE = "https://qualifications.example.org"


def _skills() -> list[tuple[str, str]]:
    with zipfile.ZipFile(ESCO_ZIP) as archive, archive.open("skills_en.csv") as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return sorted((row["conceptUri"], row["preferredLabel"]) for row in reader)


def _write_alignment(path: Path) -> None:
    from skillmap.levels import resolve_level
    from skillmap.sources.frameworks import load_frameworks

    registry = load_frameworks()
    skills = _skills()
    with ENGLAND_LIST.open(encoding="utf-8-sig", newline="") as handle:
        register = list(csv.DictReader(handle))
    columns = ["QualificationNumber", "QualificationName", "AwardingOrganisation", "Level", "country", "framework",
               "nqf_level", "eqf_level", "level_status", "level_reason", "skills", "skill_labels", "skill_scores",
               "occupations", "occupation_labels", "occupation_scores", "needs_review", "review_reasons"]  # fmt: skip
    cache: dict[str, object] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for n in range(ROWS):
            row = register[n % len(register)]
            level = cache.get(row["Level"]) or resolve_level(registry, "GB-ENG", row["Level"])
            cache[row["Level"]] = level
            picked = [skills[(n * 7919 + k * 104729) % len(skills)] for k in range(5)]
            writer.writerow([
                f"{row['QualificationNumber']}-{n // len(register)}", row["QualificationName"],
                row["AwardingOrganisation"], row["Level"], "GB-ENG", level.framework, level.nqf_level or "",
                level.eqf_level or "", level.status, level.reason, " | ".join(u for u, _ in picked),
                " | ".join(label for _, label in picked), " | ".join("0.8" for _ in picked), "", "", "", "no", "",
            ])  # fmt: skip


def main() -> int:
    if not (ENGLAND_LIST.is_file() and ESCO_ZIP.is_file()):
        print(f"skipped: {ENGLAND_LIST} or {ESCO_ZIP} not found (needs ../shared)")
        return 0
    from skillmap.outputs.europass import export_europass

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        aligned = work / "aligned-10000.csv"
        _write_alignment(aligned)
        for suffix in (".ttl", ".jsonld", ".xml"):
            out = work / f"export{suffix}"
            start = time.perf_counter()
            result = export_europass(aligned, out=out, base_uri=BASE, isced_f=("00",), skills={})
            seconds = time.perf_counter() - start
            tracemalloc.start()  # a second run for memory: tracemalloc slows Python down
            export_europass(aligned, out=out, base_uri=BASE, isced_f=("00",), skills={})
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            validation = ""
            if suffix != ".jsonld":
                began = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, str(VALIDATOR), "-q", str(out)], capture_output=True, check=False
                )
                validation = f"{'conforms' if done.returncode == 0 else 'FAILS'} ({time.perf_counter() - began:.0f} s)"
            rows.append(
                (suffix, ROWS, len(result.export.qualifications), len(result.export.skipped), seconds, peak,
                 out.stat().st_size / 2**20, validation)
            )  # fmt: skip
    print(
        "| format | rows in | records | left out | seconds | peak MiB (tracemalloc) | file MiB | official validator |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for suffix, n, records, skipped, seconds, peak, size, validation in rows:
        print(
            f"| {suffix} | {n:,} | {records:,} | {skipped:,} | {seconds:.1f} | {peak:.0f} | {size:.1f} | {validation} |"
        )
    print(f"\nTarget: ≤ 30 s per 10,000 aligned rows. Python {sys.version.split()[0]}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
