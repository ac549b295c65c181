"""Check: the README's Spark lines align a register on a local Spark (``local[2]``) exactly like one process.

Not part of ``make test``: Spark needs Java (17 or 21) and pyspark (``pip install pyspark``, ~450 MB), which CI does
not install. The register is built at run time from ``examples/certificates.csv`` (each certificate repeated as
registers repeat them, split over several CSV files, one cell with a line break and one with a doubled quote), read
by Spark from the files and aligned partition by partition with ``skillmap.align_frame`` through ``mapInPandas``;
the rows Spark writes (``write.csv``) must equal the single-process ``align_frame`` of the same rows. Matching uses
the bundled ESCO sample in a fresh ``SKILLMAP_HOME``, so the check needs no import.

    python benchmarks/spark_align.py [--rows 200] [--files 4]

The pandas API on Spark (``pyspark.pandas``) is not used: with pandas 3 it does not import (pyspark 4.3).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CERTIFICATES = REPO / "examples" / "certificates.csv"


def build_register(folder: Path, rows: int, files: int) -> list[str]:
    """Write ``rows`` register rows over ``files`` comma-separated CSV files in ``folder``; return the header."""
    with CERTIFICATES.open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle, delimiter=";"))
    writers, handles = [], []
    for part in range(files):
        handles.append((folder / f"register-{part}.csv").open("w", encoding="utf-8", newline=""))
        writers.append(csv.writer(handles[-1]))
        writers[-1].writerow(header)
    for i in range(rows):
        row = list(body[i % len(body)])
        row[0] = f"R{i:05d}"
        if i == 7:
            row[5] = "- install wiring\n- test circuits"
        if i == 11:
            row[2] = 'Elektriker "Gebäude" [m/w/d]'
        writers[i % files].writerow(row)
    for handle in handles:
        handle.close()
    return header


def spark_lines(spark, pattern: str, out: str, **keywords) -> None:
    """The README's lines (with ``spark`` given rather than ``SparkSession.builder.getOrCreate()``)."""
    import skillmap

    register = spark.read.csv(pattern, header=True, multiLine=True, escape='"')
    schema = ", ".join(f"`{c}` string" for c in skillmap.align_frame(register.limit(0).toPandas(), **keywords).columns)
    register.mapInPandas(lambda parts: (skillmap.align_frame(p, **keywords) for p in parts), schema).write.csv(
        out, header=True, escape='"'
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--files", type=int, default=4)
    args = parser.parse_args()
    warnings.simplefilter("ignore", FutureWarning)  # pyspark 4.3: "does not yet fully support pandas >= 3.0.0"
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print("pyspark is not installed (pip install pyspark; Spark needs Java 17 or 21)")
        return 2
    import pandas as pd

    import skillmap

    with tempfile.TemporaryDirectory() as folder:
        folder_path = Path(folder)
        os.environ["SKILLMAP_HOME"] = str(folder_path / "home")  # the bundled sample, for Spark's workers too
        os.environ["PYSPARK_PYTHON"] = sys.executable  # workers run this Python, where skillmap is installed
        (folder_path / "registers").mkdir()
        header = build_register(folder_path / "registers", args.rows, args.files)
        started = time.perf_counter()
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        session = time.perf_counter() - started
        keywords = {"lang": "en"}
        spark_lines(spark, str(folder_path / "registers" / "*.csv"), str(folder_path / "aligned"), **keywords)
        aligned = time.perf_counter() - started - session
        spark.stop()
        parts = sorted((folder_path / "aligned").glob("part-*.csv"))
        got = pd.concat(
            [pd.read_csv(p, dtype=str, keep_default_na=False) for p in parts], ignore_index=True
        ).sort_values("Code")
        frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder_path.glob("registers/*.csv"))]
        source = pd.concat(frames, ignore_index=True)
        expected = skillmap.align_frame(source, **keywords).sort_values("Code")
        same_columns = list(got.columns) == list(expected.columns)
        same_rows = same_columns and got.values.tolist() == expected.values.tolist()
        print(f"pyspark {__import__('pyspark').__version__}, {args.rows} rows in {len(parts)} part file(s) written")
        print(f"Spark session {session:.1f} s; read, aligned and written in {aligned:.1f} s (local[2])")
        print(f"input columns: {len(header)}; result columns: {len(got.columns)}")
        print("result equals the single-process align_frame:", "yes" if same_rows else "NO")
        if not same_rows:
            diff = [
                (code, column)
                for (_, a), (_, b) in zip(got.iterrows(), expected.iterrows(), strict=False)
                for code, column in [(a["Code"], c) for c in expected.columns if c in got and a[c] != b[c]]
            ]
            print("first differences:", diff[:5] if same_columns else (list(got.columns), list(expected.columns)))
        return 0 if same_rows else 1


if __name__ == "__main__":
    sys.exit(main())
