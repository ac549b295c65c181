"""Fuzzy title lookup: the records whose titles best match a title typed as written on a certificate.

Candidates come from the store's FTS5 index (prefix terms, so plurals and abbreviations still hit; unknown words
are corrected against the vocabulary first), then reranked by :func:`skillmap.registers.scoring.title_score`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback
from skillmap.registers.results import LookupMatch
from skillmap.registers.scoring import title_score
from skillmap.registers.store import RegisterStore, open_store
from skillmap.text.titles import content_tokens, title_tokens


def search_titles(
    store: RegisterStore, query: str, *, countries: Sequence[str] | None = None, top: int = 5
) -> list[LookupMatch]:
    """Return the ``top`` records whose titles best match ``query``, best first (ties by country, code, register).

    ``countries`` limits the search (default: every country in the store); see :meth:`RegisterStore.resolve_country`.
    """
    if top < 1:
        raise SkillmapError("top must be at least 1", hint="top")
    query_tokens = content_tokens(title_tokens(query))
    if not query_tokens:
        raise SkillmapError(f"the title {query!r} has no letters or digits to search for")
    wanted = tuple(countries) if countries else tuple(store.countries())
    candidates = store.candidates(query_tokens, wanted, limit=max(200, top * 20))
    weights = store.title_weights(set(query_tokens) | {t for _, norm, _ in candidates for t in norm.split()})
    best: dict[int, tuple[float, str, str]] = {}
    for record_id, norm, text in candidates:
        score, why = title_score(query_tokens, content_tokens(norm.split()), weights)
        previous = best.get(record_id)
        if previous is None or score > previous[0]:
            best[record_id] = (score, text, why)
    keys = store.sort_keys(list(best))
    ranked = sorted(best.items(), key=lambda item: (-round(item[1][0], 6), *keys[item[0]]))[:top]
    records = store.records_by_id([record_id for record_id, _ in ranked])
    return [
        LookupMatch(records[record_id], score, text, why if text == records[record_id].title else f"{why}; as {text!r}")
        for record_id, (score, text, why) in ranked
    ]


def search_many_titles(
    store: RegisterStore,
    queries: Sequence[str],
    *,
    countries: Sequence[str] | None = None,
    top: int = 5,
    progress: ProgressCallback | None = None,
) -> list[list[LookupMatch]]:
    """Run :func:`search_titles` for each query (empty queries give an empty list), sharing the store's caches."""
    results: list[list[LookupMatch]] = []
    for done, query in enumerate(queries, start=1):
        try:
            results.append(search_titles(store, query, countries=countries, top=top) if query.strip() else [])
        except SkillmapError:
            results.append([])  # a query without letters: no match, the batch goes on
        if progress is not None:
            progress(done, len(queries))
    return results


def lookup(
    query: str, *, country: str | None = None, top: int = 5, store_path: str | Path | None = None
) -> list[LookupMatch]:
    """Find the qualifications whose titles best match ``query`` (typed as written on the certificate)."""
    with open_store(store_path) as store:
        return search_titles(store, query, countries=store.resolve_country(country), top=top)
