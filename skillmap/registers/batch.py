"""Batch lookup: every title of a CSV/XLSX file looked up, the best match and the next candidates written per row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import LIST_SEPARATOR, ProgressCallback
from skillmap.registers.results import LookupMatch
from skillmap.registers.search import search_many_titles
from skillmap.registers.store import open_store

BATCH_COLUMNS = (
    "query", "code", "title", "country", "score", "eqf_level", "nqf_level", "level_status", "register",
    "next_codes", "next_titles", "next_scores",
)  # fmt: skip


def batch_lookup(
    batch: str | Path,
    *,
    out: str | Path,
    query_col: str | None = None,
    country: str | None = None,
    top: int = 5,
    store_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Look up every title of a CSV/XLSX file and write the best match and the next candidates per title.

    The titles are in the column ``query`` (or ``query_col``; a one-column file needs no name). The output is a
    CSV (or JSON for ``.json``) with :data:`BATCH_COLUMNS`, one row per input row in input order, written
    atomically. Returns counts: ``queries``, ``matched``, ``unmatched``.
    """
    from skillmap.fileio import atomic_write_rows
    from skillmap.sources.spreadsheets import read_table

    titles_path, out_path = Path(batch), Path(out)
    if out_path.resolve() == titles_path.resolve():
        raise SkillmapError("the output file must not be the input file of titles", hint="out")
    if out_path.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"{out_path.name}: the output file is a .csv or .json file", hint="out")
    table = read_table(titles_path)
    column = query_col or ("query" if "query" in table.headers else None)
    if column is None and len(table.headers) == 1:
        column = table.headers[0]
    if column is None or column not in table.headers:
        raise SkillmapError(
            f"{titles_path.name} has no column {column or 'query'!r} (columns: {', '.join(table.headers)}); "
            "name the column that holds the titles",
            hint="query_col",
        )
    queries = table.column(column)
    with open_store(store_path) as store:
        countries = store.resolve_country(country)
        results = search_many_titles(store, queries, countries=countries, top=top, progress=progress)
    rows = [_best_and_next(query, matches) for query, matches in zip(queries, results, strict=False)]
    atomic_write_rows(out_path, rows, BATCH_COLUMNS)
    matched = sum(1 for r in results if r)
    return {"queries": len(queries), "matched": matched, "unmatched": len(queries) - matched}


def _best_and_next(query: str, matches: Sequence[LookupMatch]) -> dict[str, Any]:
    best = matches[0] if matches else None
    rest = matches[1:]
    record = best.record if best else None
    return {
        "query": query,
        "code": record.code if record else "",
        "title": record.title if record else "",
        "country": record.country if record else "",
        "score": f"{best.score:.4f}" if best else "",
        "eqf_level": record.eqf_level if record else None,
        "nqf_level": record.nqf_level if record else "",
        "level_status": record.level_status if record else "",
        "register": record.register if record else "",
        "next_codes": LIST_SEPARATOR.join(m.record.code for m in rest),
        "next_titles": LIST_SEPARATOR.join(m.record.title for m in rest),
        "next_scores": LIST_SEPARATOR.join(f"{m.score:.4f}" for m in rest),
    }
