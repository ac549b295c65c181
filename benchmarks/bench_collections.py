"""Benchmark: what reading the ESCO collections adds to `esco import` (target ≤ 1 s).

Reads the v1.1.1 English zip (+ relations zip) and builds the match index twice per round — with collections, and
with the collection readers switched off (collection files ignored, ``inScheme`` unread) — and reports the best
of three CPU-second figures of each (CPU time, as the machine may be shared). Needs ../shared; skips otherwise.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
ESCO = REPO.parent / "shared" / "esco"
PATHS = [
    ESCO / "ESCO dataset - v1.1.1 - classification - en - csv.zip",
    ESCO / "ESCO dataset - v1.1.1 - classification -  - csv.zip",
]
ROUNDS = 3


def _import_seconds() -> float:
    from skillmap.match import ConceptIndex
    from skillmap.sources.esco_csv import read_esco_csv

    start = time.process_time()
    ConceptIndex.build(read_esco_csv(PATHS))
    return time.process_time() - start


def main() -> int:
    if not all(p.is_file() for p in PATHS):
        print(f"skipped: the ESCO v1.1.1 zips are not in {ESCO}")
        return 0
    import skillmap.sources.esco_csv as esco_csv

    with_collections, without = [], []
    for _ in range(ROUNDS):
        with_collections.append(_import_seconds())
        with (
            mock.patch.object(esco_csv, "collection_of_file", lambda stem: None),
            mock.patch.object(esco_csv, "collection_of_scheme", lambda scheme: None),
        ):
            without.append(_import_seconds())
    added = min(with_collections) - min(without)
    print("| step | CPU s (best of 3) |\n|---|---|")
    print(f"| read + index without collections | {min(without):.2f} |")
    print(f"| read + index with collections | {min(with_collections):.2f} |")
    print(f"| added by collections (target ≤ 1 s) | {added:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
