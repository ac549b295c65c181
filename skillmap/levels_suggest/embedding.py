"""The multilingual sentence vector of a qualification: what lets a model learned on French outcomes read others.

A qualification's vector is its outcomes' sentence vector followed by its title's (zeros without a title), from the
semantic matcher's encoder (:mod:`skillmap.semantic`, USE multilingual, offline), times :data:`VECTOR_SCALE`. The
learned level model (:mod:`skillmap.levels_suggest.learned`) has one weight row per level over it, beside its
n-gram weights. When the encoder cannot be used the vector is absent and the n-gram part works alone (with a note).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from skillmap.model import ProgressCallback

# Weight of the sentence vector beside the L2-normalised n-gram vector in the one logistic regression. Picked from
# two values on the benchmark's folds (0.5 and 1.0; 0.5 was better by 0.01-0.03 exact), see the README.
VECTOR_SCALE = 0.5
_NUMBERING = re.compile(
    r"\bbloc\s+de\s+comp[ée]tences?\s*(?:n\s*[°o]?\s*)?\d*|\bfiche\s+(?:rncp\s*)?(?:n\s*[°o]?\s*)?\d+|\brncp\s*\d+",
    re.IGNORECASE,
)


def without_numbering(text: str) -> str:
    """The text without register numbering ("BLOC DE COMPETENCES N°1 fiche RNCP N° 1140"), spaces collapsed."""
    return " ".join(_NUMBERING.sub(" ", text or "").split())


def qualification_vectors(
    pairs: Sequence[tuple[str, str]], *, progress: ProgressCallback | None = None
) -> tuple[np.ndarray | None, str]:
    """The vector of each (title, outcomes) pair, rows in order, and ``""``; or ``(None, note)`` when the encoder
    cannot be used here (the note says why). Each distinct text is encoded once."""
    from skillmap.semantic import SemanticUnavailable, load_encoder

    try:
        encoder = load_encoder()
    except SemanticUnavailable as exc:
        return None, f"multilingual model not used ({exc.note})"
    cleaned = [(without_numbering(title), without_numbering(outcomes)) for title, outcomes in pairs]
    texts = sorted({text for pair in cleaned for text in pair if text})
    encoded = encoder.encode_many(texts, progress=progress) if texts else np.zeros((0, encoder.dim), np.float32)
    row = {text: i for i, text in enumerate(texts)}
    zeros = np.zeros(encoder.dim, dtype=np.float32)
    vectors = np.zeros((len(pairs), 2 * encoder.dim))
    for i, (title, outcomes) in enumerate(cleaned):
        outcome_vector = encoded[row[outcomes]] if outcomes else zeros
        title_vector = encoded[row[title]] if title else zeros
        vectors[i] = np.concatenate([outcome_vector, title_vector]) * VECTOR_SCALE
    return vectors, ""


def without_title(vectors: np.ndarray) -> np.ndarray:
    """The same vectors with the title half zeroed (a qualification read from its outcomes alone)."""
    out = vectors.copy()
    out[:, out.shape[1] // 2 :] = 0.0
    return out
