"""How the lexical and the semantic score of a concept make its hybrid score.

``hybrid = (1 - w) × lexical + w × semantic`` where ``semantic`` is the model's cosine rescaled so that
``SEMANTIC_FLOOR`` (what unrelated labels typically reach) maps to 0 and 1 stays 1. The weight ``w`` depends on
whether the text is in a language the labels are in:

* same language (or unknown): a small ``w``, so the lexical matcher, strong within a language, keeps the lead and
  the semantic score breaks its near-ties and adds paraphrases;
* another language: a large ``w``: the ranking is the semantic one, with the lexical score left to reward the
  words that cross languages unchanged (names, technical terms).

The constants were tuned on the dev sets of ``../shared/eval`` with ``benchmarks/bench_semantic_models.py
--tune`` (grid over the weight and the floor, MRR per set); the measurements are in the README "matching"
section and beside each constant.
"""

from __future__ import annotations

import numpy as np

# Grid-searched (see module docstring).
SEMANTIC_FLOOR = 0.2
SAME_LANGUAGE_WEIGHT = 0.3
CROSS_LANGUAGE_WEIGHT = 0.85


def semantic_score(cosine: np.ndarray) -> np.ndarray:
    """The model's cosine on the 0–1 scale of the other scores (``SEMANTIC_FLOOR`` → 0)."""
    return np.clip((cosine - SEMANTIC_FLOOR) / (1.0 - SEMANTIC_FLOOR), 0.0, 1.0).astype(np.float32)


def semantic_weight(cross_language: bool) -> float:
    """The weight of the semantic score in the hybrid score."""
    return CROSS_LANGUAGE_WEIGHT if cross_language else SAME_LANGUAGE_WEIGHT


def fuse(lexical: np.ndarray, semantic: np.ndarray, cross_language: bool) -> np.ndarray:
    """Hybrid scores from lexical scores and (rescaled) semantic scores of the same concepts."""
    weight = semantic_weight(cross_language)
    return ((1.0 - weight) * lexical + weight * semantic).astype(np.float32)
