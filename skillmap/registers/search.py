"""Title lookup: the records whose titles best match a title typed as written on a certificate.

Each country's records are ranked by the method ``data/registers/lookup_methods.csv`` names for it (measurements
there):

* ``typed`` — the records are indexed in memory once per store contents (:func:`ranking.build_index`) and ranked by
  :mod:`skillmap.registers.ranking`: the words matched, the certification type the query names (``(BTS)``,
  ``(MASTER LIMOGES)``), status (active first), the successor chain, "fiche nationale" records;
* ``words`` (the default) — candidates from the store's FTS5 index (prefix terms; unknown words corrected against
  the vocabulary first), reranked by :func:`skillmap.registers.scoring.title_score`.

Every match says why it ranked where it did; ``weak`` marks one with too little title evidence to be the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.model import ProgressCallback
from skillmap.registers.ranking import Hit, TitleIndex, build_index, rank_many
from skillmap.registers.results import LookupMatch
from skillmap.registers.scoring import title_score
from skillmap.registers.store import RegisterStore, open_store
from skillmap.text.titles import content_tokens, title_tokens, title_words

# Below these a best match is a suggestion, not an answer. Measured (benchmarks/bench_rncp_lookup.py): the 521 French
# dev titles against England's list (words) score ≤ 0.487 at the 99th percentile, England's 600 messy titles ≥ 0.88
# at the 1st; England's titles against the RNCP (typed, title evidence) ≤ 0.526 at the 99th percentile, the French
# dev titles below 0.6 for 7 of 521 (5 of them right).
WEAK_TEXT_SCORE = 0.6
WEAK_WORDS_SCORE = 0.6
_INDEXES: dict[tuple[object, ...], TitleIndex] = {}
_INDEXES_KEPT = 4


@lru_cache(maxsize=1)
def lookup_methods() -> dict[str, str]:
    """Country → ranking method (``typed``; a country not listed uses ``words``)."""
    rows = read_data_rows(bundled_data_dir() / "registers" / "lookup_methods.csv")
    return {row["country"].strip().upper(): row["method"].strip() for row in rows}


def _typed(country: str) -> bool:
    return lookup_methods().get(country.upper(), lookup_methods().get(country.split("-")[0].upper(), "")) == "typed"


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
    stop words or punctuation has no match (``[]``).
    """
    if top < 1:
        raise SkillmapError("top must be at least 1", hint="top")
    if not any(ch.isalnum() for ch in query):
        return []  # only punctuation: "no match", never a random record
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
    typed = tuple(c for c in wanted if _typed(c))
    others = tuple(c for c in wanted if not _typed(c))
    results: list[list[LookupMatch]] = [[] for _ in queries]
    if typed:
        index = title_index(store, typed)
        hits = rank_many(index, list(queries), top=top, include_inactive=include_inactive, progress=progress)
        results = [[_match(index, hit) for hit in found] for found in hits]
    if others:
        for done, (query, found) in enumerate(zip(queries, results, strict=True), start=1):
            found.extend(_word_search(store, query, others, top, include_inactive))
            if progress is not None and not typed:
                progress(done, len(queries))
        if typed:  # several methods: one list by score (ties by country, code, register)
            results = [sorted(found, key=_match_key)[:top] for found in results]
    return results


def _match_key(match: LookupMatch) -> tuple[float, str, str, str]:
    return (-round(match.score, 6), match.record.country, match.record.code, match.record.register)


def _word_search(
    store: RegisterStore, query: str, countries: Sequence[str], top: int, include_inactive: bool
) -> list[LookupMatch]:
    """The ``words`` method: FTS5 candidates reranked by :func:`title_score`."""
    words = title_tokens(query)
    stop = title_words().stopwords
    if not any(w not in stop for w in words):
        return []  # only stop words or punctuation: no match rather than a random record
    query_tokens = content_tokens(words)
    candidates = store.candidates(query_tokens, countries, limit=max(200, top * 20))
    weights = store.title_weights(set(query_tokens) | {t for _, norm, _ in candidates for t in norm.split()})
    best: dict[int, tuple[float, str, str]] = {}
    for record_id, norm, text in candidates:
        score, why = title_score(query_tokens, content_tokens(norm.split()), weights)
        previous = best.get(record_id)
        if previous is None or score > previous[0]:
            best[record_id] = (score, text, why)
    keys = store.sort_keys(list(best))
    ranked = sorted(best.items(), key=lambda item: (-round(item[1][0], 6), *keys[item[0]]))
    records = store.records_by_id([record_id for record_id, _ in ranked[: top * 4]])
    matches = []
    for record_id, (score, text, why) in ranked[: top * 4]:
        record = records[record_id]
        if not include_inactive and record.status.strip().lower() == "inactive":
            continue
        why = why if text == record.title else f"{why}; as {text!r}"
        matches.append(LookupMatch(record, score, text, why, weak=score < WEAK_WORDS_SCORE))
    return matches[:top]


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


def foreign_type_note(query: str, *, country: str | None = None, store_path: str | Path | None = None) -> str:
    """``"looks like a qualification of France (names a BAC PRO): import a FR register"`` when ``query`` names a
    certification type (``data/registers/certification_types.csv``) of a country that the lookup with ``country``
    did not search, else ``""``."""
    from skillmap.registers.query_parsing import certification_types, parse_query

    with open_store(store_path) as store:
        searched = {c.split("-")[0].upper() for c in store.resolve_country(country)}
    for country in sorted({t.country for t in certification_types()} - searched):
        parsed = parse_query(query, (country,))
        if parsed.types:
            name = _country_names().get(country, country)
            alias = parsed.type_alias.upper()
            return f"looks like a qualification of {name} (names a {alias}): import a {country} register"
    return ""


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country code → English name (``data/countries/names.csv``; GB is the United Kingdom)."""
    return {row["code"]: row["en"] for row in read_data_rows(bundled_data_dir() / "countries" / "names.csv")}
