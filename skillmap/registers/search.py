"""Title lookup: the records whose titles best match a title typed as written on a certificate.

The records of the searched countries are indexed in memory once per store contents
(:func:`skillmap.registers.ranking.build_index`) and ranked by :mod:`skillmap.registers.ranking`: the words
matched, the certification type the query names (``(BTS)``, ``(MASTER LIMOGES)``), status (active first), the
successor chain, "fiche nationale" records. Every match says why it ranked where it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback
from skillmap.registers.ranking import Hit, TitleIndex, build_index, rank_many
from skillmap.registers.results import LookupMatch
from skillmap.registers.store import RegisterStore, open_store

WEAK_TEXT_SCORE = 0.6  # title evidence below it: a suggestion, not an answer (see docs/lookup-ranking.md)
_INDEXES: dict[tuple[object, ...], TitleIndex] = {}
_INDEXES_KEPT = 4


def title_index(store: RegisterStore, countries: Sequence[str]) -> TitleIndex:
    """The in-memory title index of ``countries`` (built once per store contents in this process)."""
    key = (str(store.path), store.contents_key(), tuple(countries))
    index = _INDEXES.get(key)
    if index is None:
        index = build_index(store.records_in(countries), countries)
        if len(_INDEXES) >= _INDEXES_KEPT:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = index
    return index


def _match(index: TitleIndex, hit: Hit) -> LookupMatch:
    record = index.records[hit.position]
    score = min(1.0, max(0.0, hit.score))
    return LookupMatch(record, score, record.title, hit.why, weak=hit.text_score < WEAK_TEXT_SCORE)


def search_titles(
    store: RegisterStore,
    query: str,
    *,
    countries: Sequence[str] | None = None,
    top: int = 5,
    include_inactive: bool = True,
) -> list[LookupMatch]:
    """Return the ``top`` records whose titles best match ``query``, best first (ties by country, code, register).

    ``countries`` limits the search (default: every country in the store); see :meth:`RegisterStore.resolve_country`.
    Inactive records rank below active ones; with ``include_inactive=False`` they are left out. A query of only
    stop words has no match (``[]``).
    """
    if top < 1:
        raise SkillmapError("top must be at least 1", hint="top")
    if not any(ch.isalnum() for ch in query):
        raise SkillmapError(f"the title {query!r} has no letters or digits to search for")
    return search_many_titles(store, [query], countries=countries, top=top, include_inactive=include_inactive)[0]


def search_many_titles(
    store: RegisterStore,
    queries: Sequence[str],
    *,
    countries: Sequence[str] | None = None,
    top: int = 5,
    include_inactive: bool = True,
    progress: ProgressCallback | None = None,
) -> list[list[LookupMatch]]:
    """Run :func:`search_titles` for each query in one batch (empty or letterless queries give ``[]``)."""
    if top < 1:
        raise SkillmapError("top must be at least 1", hint="top")
    wanted = tuple(countries) if countries else tuple(store.countries())
    index = title_index(store, wanted)
    hits = rank_many(index, list(queries), top=top, include_inactive=include_inactive, progress=progress)
    return [[_match(index, hit) for hit in found] for found in hits]


def lookup(
    query: str,
    *,
    country: str | None = None,
    top: int = 5,
    include_inactive: bool = True,
    store_path: str | Path | None = None,
) -> list[LookupMatch]:
    """Find the qualifications whose titles best match ``query`` (typed as written on the certificate).

    Each match says why (words matched, type agreement, status); ``match.weak`` marks one with too little title
    evidence to be presented as the answer. Inactive records rank below active ones, or are left out with
    ``include_inactive=False``.
    """
    with open_store(store_path) as store:
        countries = store.resolve_country(country)
        return search_titles(store, query, countries=countries, top=top, include_inactive=include_inactive)
