"""How the lexical and the semantic score of a concept make its hybrid score.

``hybrid = (1 - w) × lexical + w × semantic`` where a label's ``semantic`` score is the model's cosine rescaled so
that ``SEMANTIC_FLOOR`` (what unrelated labels typically reach) maps to 0 and 1 stays 1, and a concept's is its best
label's or, where the semantic score leads a hybrid score, the noisy-OR of its two best labels
(:func:`concept_semantic_scores`, :func:`second_label_share`). The weight ``w`` depends on whether the text is
in a language the labels are in:

* same language (or unknown): a small ``w``, so the lexical matcher, strong within a language, keeps the lead and
  the semantic score breaks its near-ties and adds paraphrases;
* another language: a large ``w``: the ranking is the semantic one, with the lexical score left to reward the
  words that cross languages unchanged (names, technical terms).

The constants were tuned on the dev sets of ``../shared/eval`` with ``benchmarks/bench_semantic_models.py
--tune`` (grid over the weight and the floor, MRR per set; the second-label share against fixed shares, chosen
leave-one-set-out); the measurements are in the README "matching" section and beside each constant. Rank fusion
(RRF, k = 10–60) was measured too and is below score mixing on every set tried (melo-ita 0.309–0.316, melo-usa
0.616–0.636, melo-pol 0.587–0.597 against 0.325 / 0.642 / 0.610).
"""

from __future__ import annotations

import numpy as np

# Grid-searched on the dev sets (floors 0–0.4 × weights 0–1; MRR; 2 cores, shared machine):
# same language, weight 0.3 at floor 0.2: skillskape 0.356 (lexical 0.310), decorte-tech 0.626 (0.609),
#   decorte-house 0.454 (0.414), melo-usa 0.642 (0.630), melo-pol 0.610 (0.601): every set above lexical;
#   0.2 is better on decorte-tech (0.626 vs 0.649 at floor 0) but worse on skillskape and melo-usa.
# cross language, weight 0.7: melo-esp 0.351 (lexical 0.119), melo-ita 0.325 (0.182); 0.6 gives 0.347 / 0.331,
#   0.85 gives 0.355 / 0.316, semantic alone 0.349 / 0.302 (all with a concept = its best label; with the
#   noisy-OR of the two best labels across languages, melo-ita 0.365 at 0.7; with the second label at half
#   share, 0.360 at 0.6 and 0.7, 0.352 at 0.8: the weight stays 0.7).
SEMANTIC_FLOOR = 0.2
SAME_LANGUAGE_WEIGHT = 0.3
CROSS_LANGUAGE_WEIGHT = 0.7
# Within a language (the lexical score leads), the preferred label's cosine gets this bonus: the curated name is
# a surer semantic match than an alternative label (variants, narrower terms). Grid {0, 0.02, 0.05} on the
# same-language dev sets (offline replica of the scores): 0.05 raised every one, so leave-one-set-out picks it for
# each. Library (hybrid MRR, bench_semantic_models.py): decorte-tech 0.626 → 0.640, decorte-house 0.455 → 0.486,
# skillskape 0.356 → 0.372, melo-usa 0.642 → 0.644, melo-pol 0.6098 → 0.6105. Across languages it lowered
# melo-ita (0.325 → 0.312, replica) and is not used there.
PREFERRED_LABEL_BONUS = 0.05


def preferred_label_bonus(weights: np.ndarray) -> np.ndarray:
    """The cosine bonus of a preferred label, per statement (from its semantic weight): ``PREFERRED_LABEL_BONUS``
    where the lexical score leads the hybrid score (``0 < w <= 0.5``: within a language), else 0."""
    w = np.asarray(weights, dtype=np.float32).reshape(-1)
    return np.where((w > 0) & (w <= 0.5), PREFERRED_LABEL_BONUS, 0.0).astype(np.float32)


def second_label_share(weights: np.ndarray) -> np.ndarray:
    """How much a concept's second label adds to its semantic score, per statement (from its semantic weight):
    fully (a plain noisy-OR) where the semantic score leads a hybrid score (``0.5 < w < 1``: across languages);
    nothing within a language, where the lexical score leads, nor for ``--method semantic`` (``w = 1``).

    Measured (README "semantic-figures", ``benchmarks/bench_semantic_models.py --tune``): in the cross-language
    hybrid it lifts melo-ita from 0.325 to 0.363; within a language any share moved the sets both ways (share
    0.3: melo-usa 0.642 → 0.648, melo-pol 0.610 → 0.611, decorte-tech 0.626 → 0.625, decorte-house 0.454 →
    0.447), and for the semantic matcher alone within a language it mostly hurts (share 1: melo-usa 0.563 → 0.618
    but melo-pol 0.534 → 0.473, decorte-tech 0.472 → 0.397, decorte-house 0.277 → 0.214). No constant of its own.
    """
    w = np.asarray(weights, dtype=np.float32).reshape(-1)
    return ((w > 0.5) & (w < 1.0)).astype(np.float32)


def concept_semantic_scores(
    label_scores: np.ndarray, starts: np.ndarray, share: np.ndarray, noisy_or: bool | None = None
) -> np.ndarray:
    """A concept's semantic score from its labels' (rescaled, 0–1) scores: the noisy-OR of its best and its
    second-best label, the second discounted by ``share`` (per statement): ``1 - (1 - best) × (1 - share ×
    second)``.

    Two labels of a concept that both match are more evidence than one: a concept with a single label keeps its
    best label's score, one whose second label matches too gains, and no score is lowered (an exact label still
    scores 1). ``label_scores`` is statements × labels with each concept's labels contiguous, starting at
    ``starts`` (ascending, every group non-empty). ``second`` is the best score below the best one: a label that
    ties with the best (the same text in another language) is the same evidence, not a second piece.
    ``noisy_or`` None: the formula is used when some share is above 0, else the best label's score is returned as is
    (the same number but for the last bit); True or False says it for rows scored apart from their batch.
    """
    n_rows = label_scores.shape[0]
    if not len(starts) or not n_rows:
        return np.zeros((n_rows, len(starts)), dtype=np.float32)
    best = np.maximum.reduceat(label_scores, starts, axis=1)
    share = np.asarray(share, dtype=np.float32).reshape(-1, 1)
    if not (share.any() if noisy_or is None else noisy_or):
        return best.astype(np.float32)
    sizes = np.diff(np.append(starts, label_scores.shape[1]))
    group = np.repeat(np.arange(len(starts)), sizes)
    second = np.maximum.reduceat(np.where(label_scores < best[:, group], label_scores, np.float32(0)), starts, axis=1)
    return (1.0 - (1.0 - best) * (1.0 - share * second)).astype(np.float32)


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
