"""Ranking messy qualification titles against register records: an in-memory index, scores that say why.

Pipeline: :func:`~skillmap.registers.query_parsing.parse_query` → :func:`build_index` once per set of records
(normalised titles, an IDF-weighted sparse term matrix, certification types, status, successor links) →
:func:`rank_many` (one sparse product retrieves the best ``pool`` records of many queries at once, then
:func:`score_candidate` scores each, the active successors of inactive hits are added, best first, ties by
country, code and register). Every hit carries its explanation (:attr:`Hit.why`).

The tuning constants (:class:`Weights`) were set on one half (fold A) of ``fr-rncp-lookup-dev.csv``; the
measurements are beside each. The method and its ablations are in ``docs/lookup-ranking.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from skillmap.model import LIST_SEPARATOR, RegisterRecord
from skillmap.registers.query_parsing import (
    ParsedQuery,
    content,
    match_type,
    parse_query,
    tokens,
    type_countries,
    type_spellings,
)

if TYPE_CHECKING:  # scipy is imported when an index is built or queried (0.15 s), not with the package
    from scipy import sparse

_FICHE_NATIONALE = re.compile(r"\(?\s*fiches?\s+nationales?\s*\)?", re.IGNORECASE)
_RETRIEVAL_CHUNK = 256  # queries per sparse product


@dataclass(frozen=True)
class IndexedRecord:
    """A register record as the ranker sees it."""

    position: int
    code: str
    words: tuple[str, ...]  # content words, "(fiche nationale)" and the words spelling its own type removed
    text: str  # the same words joined by spaces
    national: bool  # a "(fiche nationale)": the one fiche many local ones point to
    type_code: str
    eqf_level: int | None
    active: bool
    successors: tuple[str, ...]


@dataclass
class TitleIndex:
    """Normalised titles of a set of records with an IDF-weighted term matrix for fast retrieval."""

    records: list[RegisterRecord]
    indexed: list[IndexedRecord]
    by_code: dict[tuple[str, str], int]  # (register, code) → position
    vocabulary: dict[str, int]
    terms: list[str]
    idf: np.ndarray
    matrix: sparse.csr_matrix  # records × terms, 1 where the title has the term
    lengths: np.ndarray  # content words per title
    word_weight: dict[str, float]  # IDF per vocabulary word
    max_weight: float
    countries: tuple[str, ...] = ()
    expansions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def weight(self, word: str) -> float:
        """IDF of a title word (unknown words: the highest IDF)."""
        return self.word_weight.get(word, self.max_weight)

    def successor_of(self, position: int, code: str) -> int | None:
        """The position of ``code`` in the register of the record at ``position`` (None when not indexed)."""
        return self.by_code.get((self.records[position].register, code))


def is_active(record: RegisterRecord) -> bool:
    """False for a record its register says is no longer valid (status ``inactive``)."""
    return record.status.strip().lower() != "inactive"


def _without_type_words(words: list[str], type_code: str) -> list[str]:
    """Drop the words of a title that only spell out its own certification type ("Licence …", "DEUST - …")."""
    if not type_code:
        return words
    present = set(words)
    for spelling in type_spellings(type_code):
        if spelling <= present and len(spelling) < len(present):
            return [w for w in words if w not in spelling]
    return words


def _type_in_title(title: str, countries: Sequence[str]) -> str:
    """The register type a title names at its start ("CAP Électricien" → CAP) when its register gives none."""
    words = tokens(title)
    if not countries or not words:
        return ""
    found, used = match_type(words, type_countries(countries))
    return sorted(found.register_types)[0] if found is not None and found.register_types and used < len(words) else ""


def build_index(records: Sequence[RegisterRecord], countries: Sequence[str] = ()) -> TitleIndex:
    """Index ``records`` (their title, certification type — ``extra["type_code"]``, else the RNCP XML's
    ``extra["abbreviation"]`` —, EQF level, status, ``extra["successors"]``)."""
    indexed: list[IndexedRecord] = []
    for position, r in enumerate(records):
        type_code = r.extra.get("type_code") or r.extra.get("abbreviation", "") or _type_in_title(r.title, countries)
        national = bool(_FICHE_NATIONALE.search(r.title))
        words = _without_type_words(content(tokens(_FICHE_NATIONALE.sub(" ", r.title))), type_code)
        successors = tuple(c for c in r.extra.get("successors", "").split(LIST_SEPARATOR.strip()) if c.strip())
        indexed.append(
            IndexedRecord(
                position, r.code, tuple(words), " ".join(words), national, type_code, r.eqf_level, is_active(r),
                tuple(c.strip() for c in successors),
            )
        )  # fmt: skip
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for i, rec in enumerate(indexed):
        for word in rec.words:
            rows.append(i)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
    from scipy import sparse

    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(indexed), len(vocabulary))
    )
    df = np.asarray(matrix.sum(axis=0)).ravel()
    idf = np.log1p(len(indexed) / np.maximum(df, 1)).astype(np.float32)
    terms = [""] * len(vocabulary)
    for word, j in vocabulary.items():
        terms[j] = word
    return TitleIndex(
        records=list(records),
        indexed=indexed,
        by_code={(r.register, r.code): i for i, r in reversed(list(enumerate(records)))},
        vocabulary=vocabulary,
        terms=terms,
        idf=idf,
        matrix=matrix,
        lengths=np.asarray(matrix.sum(axis=1)).ravel().astype(np.float32),
        word_weight={t: float(idf[j]) for t, j in vocabulary.items()},
        max_weight=float(idf.max()) if len(idf) else 1.0,
        countries=tuple(countries),
    )


@lru_cache(maxsize=1 << 18)
def word_similarity(a: str, b: str) -> float:
    """1 same word; 0.9 a prefix of 4+ letters (plural, abbreviation; 3 letters: 0.75); fuzzy ≥ 0.8 (typos); else 0."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return 0.9 if len(shorter) >= 4 else 0.75
    if len(shorter) >= 4:
        ratio = fuzz.ratio(a, b) / 100.0
        if ratio >= 0.8:
            return ratio
    return 0.0


def expand(index: TitleIndex, word: str) -> list[tuple[str, float]]:
    """Vocabulary words a query word stands for: itself, and for an unknown word close spellings and prefixes."""
    if word in index.expansions:
        return index.expansions[word]
    found: list[tuple[str, float]] = []
    if word in index.vocabulary:
        found.append((word, 1.0))
    elif len(word) >= 3 and not word.isdigit():
        for term, _score, _ in process.extract(
            word, index.terms, scorer=fuzz.ratio, limit=4, score_cutoff=80, processor=None
        ):
            found.append((term, word_similarity(word, term)))
        prefixed = sorted((t for t in index.terms if t.startswith(word)), key=lambda t: (-index.weight(t), t))
        found.extend((t, word_similarity(word, t)) for t in prefixed[:5])  # the rarest few
        found = [(t, s) for t, s in dict(found).items() if s > 0]
    index.expansions[word] = found
    return found


@dataclass(frozen=True)
class Weights:
    """Tuning constants, set on fold A (276 titles) of ``fr-rncp-lookup-dev.csv``; fold B was held out."""

    query_cover: float = 0.50  # IDF-weighted share of the query's words found in the title
    title_cover: float = 0.30  # share of the title's words accounted for
    characters: float = 0.20  # token_sort_ratio of the two word strings
    type_match: float = 0.10  # ablation: without the type terms top-1 falls 0.927 → 0.919
    type_mismatch: float = 0.12
    type_unknown: float = 0.06  # the query names a type, the record has none
    provider_on_demand: float = 0.03  # provider named, no type: favour fiches registered on demand
    inactive: float = 0.16  # fold A top-1: 0 → 0.870, 0.08 → 0.920, 0.16 → 0.935
    national: float = 0.04  # ablation: without it top-1 falls 0.927 → 0.921
    level_match: float = 0.02
    level_mismatch: float = 0.06
    successor_decay: float = 0.99  # per link of the successor chain
    successor_share: float = 1.0  # fold A MRR flat from 0.25 to 1.0; 0.5 cost fold B 0.935 → 0.910 top-1
    pool: int = 40  # records scored per query; fold A top-1 0.917 at 20, 0.942 at 40 and 80


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Hit:
    """One ranked record: its index position, score, title-evidence score and the reasons."""

    position: int
    score: float
    text_score: float
    why: str
    via: str = ""  # the inactive predecessor this hit was reached from


def _cover(
    query: Sequence[str], title: Sequence[str], weight: dict[str, float]
) -> tuple[float, list[str], list[tuple[str, str]], set[str]]:
    """IDF-weighted share of ``query`` words found in ``title``; missing words, fuzzy pairs, title words used."""
    total = found = 0.0
    missing: list[str] = []
    fuzzy: list[tuple[str, str]] = []
    used: set[str] = set()
    title_set = set(title)
    for q in query:
        w = weight.get(q, 1.0)
        total += w
        if q in title_set:
            found += w
            used.add(q)
            continue
        best, partner = 0.0, ""
        for t in title:
            s = word_similarity(q, t)
            if s > best:
                best, partner = s, t
        found += w * best
        if best == 0.0:
            missing.append(q)
        else:
            fuzzy.append((q, partner))
            used.add(partner)
    return (found / total if total else 0.0), missing, fuzzy, used


def _query_weights(index: TitleIndex, query: ParsedQuery) -> dict[str, float]:
    cached = query.weights.get(id(index))
    if cached is None:
        cached = {t: index.weight(t) for t in (*query.words, *query.provider)}
        query.weights[id(index)] = cached
    return cached


def score_candidate(
    query: ParsedQuery, record: IndexedRecord, index: TitleIndex, weights: Weights = DEFAULT_WEIGHTS,
    explain: bool = True,
) -> tuple[float, float, str]:  # fmt: skip
    """(final score, title-evidence score, explanation) of one record for a parsed query.

    The title evidence is 0.50 · the query's words found + 0.30 · the title's words accounted for + 0.20 · character
    similarity; the final score adds the type, level, "fiche nationale" and status terms of :class:`Weights`.
    The explanation is ``""`` unless ``explain``.
    """
    weight = index.word_weight
    q_cover, missing, fuzzy, used = _cover(query.words, record.words, _query_weights(index, query))
    provider_used = (
        {t for t in record.words if t not in used and any(word_similarity(p, t) >= 0.9 for p in query.provider)}
        if query.provider
        else set()
    )
    rest = [t for t in record.words if t not in used and t not in provider_used]
    title_total = sum(weight[t] for t in record.words) or 1.0
    t_cover = 1.0 - sum(weight[t] for t in rest) / title_total
    title_text = " ".join(t for t in record.words if t not in provider_used) if provider_used else record.text
    chars = fuzz.token_sort_ratio(query.text_words, title_text)
    text = weights.query_cover * q_cover + weights.title_cover * t_cover + weights.characters * chars / 100.0
    adjustment, reasons = _adjustment(query, record, weights)
    if not explain:
        return text + adjustment, text, ""
    parts = [f"{len(query.words) - len(missing)}/{len(query.words)} words"]
    if fuzzy:
        parts.append("close: " + ", ".join(f"{a}~{b}" for a, b in fuzzy))
    if missing:
        parts.append("missing: " + " ".join(missing))
    if rest:
        parts.append("title also: " + " ".join(rest[:6]))
    if provider_used:
        parts.append("provider in title: " + " ".join(sorted(provider_used)))
    return text + adjustment, text, "; ".join([*parts, *reasons])


def _adjustment(query: ParsedQuery, record: IndexedRecord, weights: Weights) -> tuple[float, list[str]]:
    """The type, level, fiche-nationale and status terms, and the words saying so."""
    score, reasons = 0.0, []
    asked = query.type_alias.upper()
    if query.types:
        if record.type_code in query.types:
            score += weights.type_match
            reasons.append(f"type {record.type_code} = {asked}")
        elif record.type_code:
            score -= weights.type_mismatch
            reasons.append(f"type {record.type_code} ≠ {asked}")
        else:
            score -= weights.type_unknown
            reasons.append(f"no type (asked {asked})")
    elif query.provider and not record.type_code:
        score += weights.provider_on_demand
    if query.level is not None and record.eqf_level is not None:
        if query.level == record.eqf_level:
            score += weights.level_match
        else:
            score -= weights.level_mismatch
            reasons.append(f"EQF {record.eqf_level} ≠ {query.level} ({query.level_source})")
    if record.national:
        score += weights.national
        reasons.append("fiche nationale")
    if record.active:
        reasons.append("active")
    else:
        score -= weights.inactive
        reasons.append("inactive" + (", replaced by " + " ".join(record.successors) if record.successors else ""))
    return score, reasons


def _query_vector(index: TitleIndex, query: ParsedQuery) -> dict[int, float]:
    vector: dict[int, float] = {}
    for word in (*query.words, *query.provider):
        factor = 1.0 if word in query.words else 0.3  # provider words: low weight in retrieval
        for term, similarity in expand(index, word):
            j = index.vocabulary[term]
            vector[j] = max(vector.get(j, 0.0), similarity * factor * float(index.idf[j]))
    return vector


def retrieve(index: TitleIndex, queries: Sequence[ParsedQuery], pool: int) -> list[np.ndarray]:
    """Positions of the ``pool`` best titles per query by IDF-weighted shared words (one sparse product per chunk)."""
    from scipy import sparse

    out: list[np.ndarray] = []
    for start in range(0, len(queries), _RETRIEVAL_CHUNK):
        chunk = queries[start : start + _RETRIEVAL_CHUNK]
        rows, cols, values = [], [], []
        for i, q in enumerate(chunk):
            for j, v in _query_vector(index, q).items():
                rows.append(i)
                cols.append(j)
                values.append(v)
        qmat = sparse.csr_matrix((values, (rows, cols)), shape=(len(chunk), len(index.terms)), dtype=np.float32)
        scores = (qmat @ index.matrix.T).toarray()
        for i in range(len(chunk)):
            row = scores[i]
            nonzero = np.flatnonzero(row)
            if nonzero.size == 0:
                out.append(nonzero)
                continue
            adjusted = row[nonzero] / np.maximum(index.lengths[nonzero], 1.0) ** 0.25  # shorter titles first
            if nonzero.size > pool:
                keep = np.argpartition(-adjusted, pool)[:pool]
                nonzero, adjusted = nonzero[keep], adjusted[keep]
            out.append(nonzero[np.lexsort((nonzero, -adjusted))])
    return out


def _successor_chain(index: TitleIndex, position: int, depth: int = 6) -> list[int]:
    """Positions reachable through successor links, nearest first (cycles and unknown codes ignored)."""
    seen, frontier, chain = {position}, [position], []
    for _ in range(depth):
        following = []
        for p in frontier:
            for code in index.indexed[p].successors:
                s = index.successor_of(p, code)
                if s is not None and s not in seen:
                    seen.add(s)
                    chain.append(s)
                    following.append(s)
        frontier = following
    return chain


def _sort_key(index: TitleIndex, hit: Hit) -> tuple[float, str, str, str]:
    record = index.records[hit.position]
    return (-round(hit.score, 6), record.country, record.code, record.register)


def rank(
    index: TitleIndex, query: ParsedQuery, candidates: Iterable[int], *, top: int = 5,
    weights: Weights = DEFAULT_WEIGHTS, include_inactive: bool = True,
) -> list[Hit]:  # fmt: skip
    """Score ``candidates`` for ``query``, add the active successors of inactive hits, best first."""
    if not query.words:
        return []
    hits: dict[int, Hit] = {}
    for position in candidates:
        score, text, _ = score_candidate(query, index.indexed[int(position)], index, weights, explain=False)
        hits[int(position)] = Hit(int(position), score, text, "")
    for hit in list(hits.values()):
        record = index.indexed[hit.position]
        if record.active or not record.successors:
            continue
        for step, position in enumerate(_successor_chain(index, hit.position)):
            successor = index.indexed[position]
            if not successor.active:
                continue
            own = hits.get(position)
            if own is None:
                own_score, own_text, _ = score_candidate(query, successor, index, weights, explain=False)
                own = Hit(position, own_score, own_text, "")
            inherited = own.text_score + weights.successor_share * (
                hit.text_score * weights.successor_decay ** (step + 1) - own.text_score
            )
            if inherited > own.text_score:
                own = replace(own, score=own.score + inherited - own.text_score, text_score=inherited, via=record.code)
            hits[position] = own
    ranked = [h for h in hits.values() if include_inactive or index.indexed[h.position].active]
    ranked.sort(key=lambda h: _sort_key(index, h))
    return [_explained(index, query, h, weights) for h in ranked[:top]]


def _explained(index: TitleIndex, query: ParsedQuery, hit: Hit, weights: Weights) -> Hit:
    """The hit with its explanation in words (computed for the hits returned only)."""
    _, _, why = score_candidate(query, index.indexed[hit.position], index, weights, explain=True)
    if hit.via:
        why += f"; reached as successor of {hit.via} (inactive), whose title matches better"
    return replace(hit, why=why)


def rank_many(
    index: TitleIndex, texts: Sequence[str], *, top: int = 5, weights: Weights = DEFAULT_WEIGHTS,
    include_inactive: bool = True, progress: Callable[[int, int], None] | None = None,
) -> list[list[Hit]]:  # fmt: skip
    """Parse, retrieve and rank every text (certification types of the index's countries); ``[]`` for a text
    with no content words. ``progress(done, total)`` is called as texts are ranked."""
    parsed = [parse_query(t, index.countries or ("FR",)) for t in texts]
    pools = retrieve(index, parsed, weights.pool)
    results: list[list[Hit]] = []
    for done, (query, pool) in enumerate(zip(parsed, pools, strict=True), start=1):
        results.append(rank(index, query, pool, top=top, weights=weights, include_inactive=include_inactive))
        if progress is not None and (done % 50 == 0 or done == len(texts)):
            progress(done, len(texts))
    return results
