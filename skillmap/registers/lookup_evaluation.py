"""How well lookup finds the right record for messy titles: top-1, top-5, MRR and seconds on a gold file.

A gold file is a CSV with a ``query`` column and an ``acceptable_codes`` column (codes separated by ``|`` or
spaces; ``expected_code`` or ``code`` serve when it is absent). Extra columns are ignored, so
``fr-rncp-lookup-dev.csv`` is read as it is.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback

_CODE_COLUMNS = ("acceptable_codes", "expected_code", "code")
RANKED = 10  # records ranked per query: a right code below rank 10 counts 0 in the MRR


@dataclass(frozen=True)
class LookupMiss:
    """A gold query whose right record was not ranked first."""

    query: str
    expected: str  # the acceptable codes, ``|``-separated
    rank: int | None  # rank of the first acceptable code (None: not in the first RANKED)
    found_code: str
    found_title: str


@dataclass(frozen=True)
class LookupEvaluation:
    """``n``, ``top1``, ``top5``, ``mrr`` (over the first RANKED hits), ``seconds`` and the misses."""

    n: int
    top1: float
    top5: float
    mrr: float
    seconds: float
    misses: list[LookupMiss] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The figures and the misses, as ``evaluate-lookup --format json`` prints them."""
        return {**asdict(self), "misses": [asdict(m) for m in self.misses]}


def read_lookup_gold(path: str | Path) -> list[tuple[str, frozenset[str]]]:
    """(query, acceptable codes) per row of a gold CSV; rows without a query or code are left out."""
    from skillmap.sources.spreadsheets import read_table

    table = read_table(Path(path))
    if "query" not in table.headers:
        raise SkillmapError(f"{Path(path).name} has no 'query' column (columns: {', '.join(table.headers)})")
    code_col = next((c for c in _CODE_COLUMNS if c in table.headers), None)
    if code_col is None:
        raise SkillmapError(f"{Path(path).name} has no 'acceptable_codes' column (codes separated by | or spaces)")
    rows = []
    for query, codes in zip(table.column("query"), table.column(code_col), strict=True):
        wanted = frozenset(c for c in re.split(r"[|\s]+", str(codes or "")) if c)
        if str(query or "").strip() and wanted:
            rows.append((str(query), wanted))
    if not rows:
        raise SkillmapError(f"{Path(path).name} holds no row with both a query and a code")
    return rows


def evaluate_lookup(
    gold: str | Path,
    *,
    country: str | None = None,
    include_inactive: bool = True,
    store_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> LookupEvaluation:
    """Look up every query of ``gold`` in the imported registers and measure top-1, top-5 and MRR.

    ``seconds`` is the wall time of the lookups (index build included, reading the gold file not).
    """
    from skillmap.registers.search import search_many_titles
    from skillmap.registers.store import open_store

    rows = read_lookup_gold(gold)
    start = time.perf_counter()
    with open_store(store_path) as store:
        countries = store.resolve_country(country)
        results = search_many_titles(
            store, [q for q, _ in rows], countries=countries, top=RANKED, include_inactive=include_inactive,
            progress=progress,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    top1 = top5 = reciprocal = 0.0
    misses: list[LookupMiss] = []
    for (query, wanted), matches in zip(rows, results, strict=True):
        rank = next((i for i, m in enumerate(matches, start=1) if m.record.code in wanted), None)
        if rank is not None:
            top1 += rank == 1
            top5 += rank <= 5
            reciprocal += 1.0 / rank
        if rank != 1:
            best = matches[0].record if matches else None
            misses.append(
                LookupMiss(query, "|".join(sorted(wanted)), rank, best.code if best else "", best.title if best else "")
            )
    n = len(rows)
    return LookupEvaluation(
        n, round(top1 / n, 4), round(top5 / n, 4), round(reciprocal / n, 4), round(seconds, 2), misses
    )
