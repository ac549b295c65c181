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
    print(f"| difference (noisy on a shared machine) | {added:.2f} |")
    print(f"| the collection steps alone (target ≤ 1 s) | {min(_collection_steps() for _ in range(ROUNDS)):.2f} |")
    return 0


def _collection_steps() -> float:
    """CPU seconds of the work collections add: reading the collection files and the inScheme cells, and the
    index's collection and DigComp arrays."""
    import skillmap.sources.esco_csv as esco_csv
    from skillmap.match import _bitmasks, _digcomp_touched
    from skillmap.sources.builder import ClassificationBuilder

    classification = esco_csv.read_esco_csv(PATHS)
    builder = ClassificationBuilder()
    for concept in classification.concepts:
        builder.add_concept(concept.uri, concept.kind)
    members = esco_csv.list_esco_csv_members(PATHS[:1])
    tracker = esco_csv._Progress(members, None)
    start = time.process_time()
    for member in members:
        if member.role() == "collections":
            esco_csv._read_collection(member, builder, tracker)
    schemes = 0
    for member in members:  # the inScheme cells of the concept files, split and mapped as the reader does
        if member.role() == "concepts":
            rows = esco_csv._rows(member, tracker)
            header = next(rows)[1]
            if "inScheme" in header:
                at = header.index("inScheme")
                for _line, row in rows:
                    schemes += sum(
                        1 for s in esco_csv._SCHEME_SEPARATORS.split(row[at]) if esco_csv.collection_of_scheme(s)
                    )
    read = time.process_time() - start
    start = time.process_time()
    names = sorted({n for c in classification.concepts for n in c.collections})
    _bitmasks([c.collections for c in classification.concepts], names)
    touched = _digcomp_touched(classification)
    _bitmasks(touched, sorted({label for t in touched for label in t}))
    return read + time.process_time() - start


if __name__ == "__main__":
    sys.exit(main())
