"""Clauses of a statement: "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen" → the two tasks.

The semantic matcher loses the meaning of a long coordinated sentence (USE embeds it as one vague point), while
each clause alone lands on its concept; so, where the semantic score leads (across languages), a statement is also
scored clause by clause (:mod:`skillmap.match`). Clauses break only at the coordinating "and" words of the
statement's language (``data/text/conjunctions.csv``), and only where both sides keep at least
``CLAUSE_MIN_WORDS`` words, so that coordinated labels stay whole ("health and safety", "research and
development", "Forschung und Entwicklung").
"""

from __future__ import annotations

import re
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows

# Each side of a break keeps at least this many words. Measured across languages (hybrid MRR, clause share 0.5,
# benchmarks/bench_semantic_models.py --views): 1 word: melo-ita 0.3651, melo-esp 0.3589; 2 words: 0.3688 / 0.3604;
# 3 words: 0.3679 / 0.3616 (no clause views: 0.3633 / 0.3615). 2 is the smallest that keeps "health and safety"
# whole; leave-one-set-out picks 3 for melo-ita (0.3679) and 2 for melo-esp (0.3604).
CLAUSE_MIN_WORDS = 2


@lru_cache(maxsize=1)
def conjunctions() -> dict[str, tuple[str, ...]]:
    """The coordinating "and" words of each language (``data/text/conjunctions.csv``)."""
    words: dict[str, list[str]] = {}
    for row in read_data_rows(bundled_data_dir() / "text" / "conjunctions.csv"):
        words.setdefault(row["lang"].strip(), []).append(row["word"].strip())
    return {lang: tuple(these) for lang, these in words.items()}


@lru_cache(maxsize=64)
def _breaks(lang: str) -> re.Pattern[str] | None:
    words = conjunctions().get(lang)
    if not words:
        return None
    return re.compile(r"(\s+(?:" + "|".join(re.escape(w) for w in words) + r")\s+)", re.IGNORECASE)


def split_clauses(statement: str, lang: str | None) -> tuple[str, ...]:
    """The clauses of ``statement`` (in language ``lang``, ISO 639-1) when it has at least two, else ``()``.

    ``"install solar panels and commission inverters"`` → ``("install solar panels", "commission inverters")``;
    ``"health and safety"`` → ``()`` (a side of one word is joined back to its neighbour).
    """
    pattern = _breaks(lang.split("-")[0]) if lang else None
    if pattern is None:
        return ()
    pieces = pattern.split(statement)
    if len(pieces) < 3:
        return ()
    clauses = [pieces[0]]
    for joint, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if len(piece.split()) < CLAUSE_MIN_WORDS or len(clauses[-1].split()) < CLAUSE_MIN_WORDS:
            clauses[-1] += joint + piece
        else:
            clauses.append(piece)
    kept = tuple(cleaned for cleaned in (c.strip(" ,") for c in clauses) if cleaned)
    return kept if len(kept) > 1 else ()
