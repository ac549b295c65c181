"""The register-neighbour signal: the levelled records of the user's imported registers that a text resembles.

Candidates come from the store's title index (the rarer words of the title and outcomes); each is scored by the
IDF-weighted cosine between the text's words and the record's words (title, other titles, learning outcomes, skill
labels). The closest levelled ones pull the suggestion towards their EQF levels and are shown as evidence, so
suggestions improve as a user imports registers. No store, or no levelled record close enough: no signal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.text.titles import content_tokens, title_tokens

if TYPE_CHECKING:  # the store (and the registers package, with scipy) is imported only when a register exists
    from skillmap.registers.store import RegisterStore

TOP = 5  # neighbours that vote (fixed before measuring; 1-20 tried, benchmarks/nested_neighbours.py: no better)
CANDIDATES = 200  # records fetched from the title index before scoring
# Below this a record is not shown nor counted. Raised from 0.15 (fixed before measuring): on the dev folds the
# nearest record's level is right for 32-46 % of the texts whose nearest record has similarity 0.15-0.3, against
# 44-68 % for the learned model on the same texts, whether the register holds the model's training rows or rows it
# never saw (benchmarks/nested_neighbours.py); from 0.3 on it is right 52-93 %. Nested selection of the constants
# (349 configurations) found none that beats the no-register figures; see the README.
MIN_SIMILARITY = 0.3


@dataclass(frozen=True)
class Neighbour:
    """A levelled register record and how much a text resembles it (cosine of IDF-weighted words, 0–1)."""

    code: str
    title: str
    register: str
    level: int
    similarity: float

    def describe(self) -> str:
        """``resembles RNCP34567 'BTS Électrotechnique' (EQF 5), similarity 0.82``."""
        return f"resembles {self.code} '{self.title}' (EQF {self.level}), similarity {self.similarity:.2f}"


def _words(*texts: str) -> set[str]:
    tokens: list[str] = []
    for text in texts:
        tokens.extend(title_tokens(text))
    return {t for t in content_tokens(tokens) if len(t) > 1 and not t.isdigit()}


def _weighted(words: set[str], idf: dict[str, float]) -> dict[str, float]:
    return {w: idf.get(w, 1.0) for w in words}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b[w] for w, weight in a.items() if w in b)
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def nearest_levelled(
    store: RegisterStore, title: str, outcomes: str, *, top: int = TOP, min_similarity: float = MIN_SIMILARITY
) -> list[Neighbour]:
    """The ``top`` levelled records of ``store`` closest to the text (similarity at least ``min_similarity``),
    closest first; ties by code."""
    query = _words(title, outcomes)
    if not query or not store.titles_count():
        return []
    countries = store.countries()
    tokens = sorted(query)
    hits = store.candidates(tokens, countries, CANDIDATES)
    ids = list(dict.fromkeys(record_id for record_id, _, _ in hits))
    if not ids:
        return []
    records = store.records_by_id(ids)
    levelled = [r for r in (records[i] for i in ids if i in records) if r.eqf_level is not None]
    record_words = [_words(r.title, *r.titles, r.learning_outcomes, " ".join(r.skill_labels)) for r in levelled]
    total = max(store.titles_count(), 1)
    df = store.document_frequencies(sorted(query.union(*record_words)))
    idf = {w: math.log(1.0 + total / max(n, 1)) for w, n in df.items()}
    weighted_query = _weighted(query, idf)
    found = []
    for record, words in zip(levelled, record_words, strict=True):
        similarity = _cosine(weighted_query, _weighted(words, idf))
        if similarity >= min_similarity:
            found.append(Neighbour(record.code, record.title, record.register, int(record.eqf_level), similarity))
    found.sort(key=lambda n: (-n.similarity, n.code, n.register))
    return found[:top]


def default_store_path(store_path: str | Path | None) -> Path | None:
    """The store to search: ``store_path``, else the user's home store; None when that file does not exist."""
    from skillmap.errors import SkillmapError
    from skillmap.store import registers_db_path

    try:
        path = Path(store_path) if store_path is not None else registers_db_path()
    except SkillmapError:
        return None
    return path if path.is_file() else None


def neighbours_for(pairs: Sequence[tuple[str, str]], store_path: str | Path | None = None) -> list[list[Neighbour]]:
    """The nearest levelled records for each (title, outcomes) pair; empty lists when no register is imported."""
    path = default_store_path(store_path)
    if path is None:
        return [[] for _ in pairs]
    from skillmap.registers.store import open_store

    with open_store(path) as store:
        return [nearest_levelled(store, title, outcomes) for title, outcomes in pairs]
