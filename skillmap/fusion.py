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

Two more views of a statement feed the semantic score: its clauses across languages (:func:`clause_views`,
:func:`with_clause_views`) and, within a language for sentence-like statements, the concepts' descriptions
(:func:`description_view`; a concept keeps the better of its labels' and its description's score).

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
# Occupation titles matched within a language: once a title is read as the labels are written (lower case,
# singular: skillmap.text.occupation_titles) the semantic score is as strong as the lexical one on titles (melo-usa
# semantic alone 0.659, lexical 0.664), so it gets an equal share. Grid over the same-language weight
# {0.2, 0.3, 0.4, 0.45, 0.5} (hybrid MRR, library): melo-usa 0.680 / 0.684 / 0.685 / 0.687 / 0.6885, melo-pol
# 0.6108 / 0.6108 / 0.6117 / 0.6124 / 0.6130: leave-one-set-out chooses 0.5 for each. 0.6 (where the semantic
# score leads, with its two-label rule) gave melo-usa 0.692 but melo-pol 0.588: not a within-language weight.
# Skills and sentences keep SAME_LANGUAGE_WEIGHT; across languages titles keep CROSS_LANGUAGE_WEIGHT (0.8: melo-esp
# 0.365 but melo-ita 0.387; 0.6: melo-ita 0.390, melo-esp 0.357; leave-one-set-out keeps 0.7).
TITLE_SAME_LANGUAGE_WEIGHT = 0.5


# Clause views (across languages, where the semantic score leads): a statement with clauses
# (skillmap.text.clauses) scores each label by the mean of its whole-statement score and its best view's (the whole
# statement or one clause): a clause can raise a label by half of what it adds, never lower it. Hybrid MRR, clauses
# of 2+ words (benchmarks/bench_semantic_models.py --views): the mean: melo-ita 0.3633 → 0.3688, melo-esp 0.3615 →
# 0.3604; the best view alone (share 1): melo-ita 0.3666, melo-esp 0.3542, so both sets pick 0.5. Within a language
# (the lexical score leads) any clause view lowered the sets (offline replica; best view: skillskape 0.372 → 0.350,
# decorte-tech 0.640 → 0.602, decorte-house 0.486 → 0.448; the mean: 0.372, 0.641, 0.461; clause views in the
# lexical scores too: 0.278, 0.598, 0.423), so they are used across languages only. The German PV sentence of the
# done-when check needs them.
CLAUSE_VIEW_SHARE = 0.5
# Description view (within a language, sentence-like statements): a concept's semantic score is the best of its
# labels' and of its "preferred label: first description sentence" text's (each concept keeps its best view; no
# weight of its own). A statement is sentence-like from this many words: longer than 95 % of ESCO's labels (7 words
# or fewer). Measured (hybrid MRR skillskape / decorte-tech / decorte-house, before 0.372 / 0.6404 / 0.486;
# benchmarks/bench_semantic_models.py --views): from 1 or 5 words 0.404 / 0.6341 / 0.491, from 7 or 8 words
# 0.404 / 0.6408 / 0.491, from 10 0.404 / 0.6379 / 0.491: short job-ad fragments ("javascript reactjs java") lose
# with it. A fixed mix ``(1 - d) labels + d
# description`` was below on skillskape (d 0.3: 0.384, 0.5: 0.395, 0.7: 0.399) and raising the semantic weight of
# these statements lowered decorte-house (w 0.35: 0.460, 0.4: 0.450).
SENTENCE_MIN_WORDS = 8


def _semantic_leads(weights: np.ndarray) -> np.ndarray:
    """Per statement (from its semantic weight), whether the semantic score leads its hybrid score (``0.5 < w < 1``:
    across languages; ``w = 1`` is ``--method semantic``)."""
    w = np.asarray(weights, dtype=np.float32).reshape(-1)
    return (w > 0.5) & (w < 1.0)


def _lexical_leads(weights: np.ndarray) -> np.ndarray:
    """Per statement, whether the lexical score leads its hybrid score (``0 < w <= 0.5``: within a language)."""
    w = np.asarray(weights, dtype=np.float32).reshape(-1)
    return (w > 0) & (w <= 0.5)


def clause_views(weights: np.ndarray) -> np.ndarray:
    """Whether a statement is also scored clause by clause, per statement (from its semantic weight): where the
    semantic score leads a hybrid score (``0.5 < w < 1``: across languages), as for :func:`second_label_share`."""
    return _semantic_leads(weights)


def with_clause_views(whole: np.ndarray, best_clause: np.ndarray) -> np.ndarray:
    """A label's semantic score from its whole-statement score and its best clause score (same shape)."""
    return (whole + CLAUSE_VIEW_SHARE * np.maximum(best_clause - whole, 0.0)).astype(np.float32)


def description_view(weights: np.ndarray, word_counts: np.ndarray) -> np.ndarray:
    """Whether a statement is also matched against the concepts' descriptions, per statement: sentence-like
    (``SENTENCE_MIN_WORDS`` words or more) and within a language (``0 < w <= 0.5``: the lexical score leads)."""
    return _lexical_leads(weights) & (np.asarray(word_counts).reshape(-1) >= SENTENCE_MIN_WORDS)


def preferred_label_bonus(weights: np.ndarray) -> np.ndarray:
    """The cosine bonus of a preferred label, per statement (from its semantic weight): ``PREFERRED_LABEL_BONUS``
    where the lexical score leads the hybrid score (``0 < w <= 0.5``: within a language), else 0."""
    return np.where(_lexical_leads(weights), PREFERRED_LABEL_BONUS, 0.0).astype(np.float32)


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
    return _semantic_leads(weights).astype(np.float32)


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


def semantic_weight(cross_language: bool, kind: str | None = None) -> float:
    """The weight of the semantic score in the hybrid score (``kind``: what is ranked; occupations are ranked for
    titles, which get ``TITLE_SAME_LANGUAGE_WEIGHT`` within a language)."""
    if cross_language:
        return CROSS_LANGUAGE_WEIGHT
    return TITLE_SAME_LANGUAGE_WEIGHT if kind == "occupation" else SAME_LANGUAGE_WEIGHT


def fuse(lexical: np.ndarray, semantic: np.ndarray, cross_language: bool) -> np.ndarray:
    """Hybrid scores from lexical scores and (rescaled) semantic scores of the same concepts."""
    weight = semantic_weight(cross_language)
    return ((1.0 - weight) * lexical + weight * semantic).astype(np.float32)
