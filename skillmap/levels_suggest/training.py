"""Fit the learned level model: an L2-regularised multinomial logistic regression over TF-IDF n-grams and, when
given, the multilingual sentence vectors of the qualifications (both kinds of features side by side); optionally
an ordinal part on the same features (one binary regression "level above k" per threshold, Frank & Hall 2001) and
an n-gram view (the multinomial over the n-grams alone), the three distributions mixed.

Deterministic: features are sorted, the optimiser (a small numpy L-BFGS) starts from zeros and uses no randomness,
so the same training rows give the same weights. Used by the build script in data/levels_suggest/ and by the benchmark's
cross-validation (which trains on the training folds only).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from skillmap.levels_suggest.features import document_features
from skillmap.levels_suggest.learned import LearnedModel


def fit(
    titles: Sequence[str],
    outcomes: Sequence[str],
    levels: Sequence[int],
    *,
    min_df: int = 2,
    regularisation: float = 1.0,
    iterations: int = 150,
    vectors: np.ndarray | None = None,
    ordinal_share: float = 0.0,
    ordinal_regularisation: float = 1.0,
    ngram_share: float = 0.0,
) -> LearnedModel:
    """Train on levelled qualifications (titles may be empty strings); ``vectors`` holds one sentence vector per
    qualification (:mod:`skillmap.levels_suggest.embedding`), or None for an n-gram model.

    With ``ordinal_share`` above 0 an ordinal part is trained on the same features too: one binary logistic
    regression "level above k" per threshold between the levels (Frank & Hall 2001), whose differences give a
    second distribution over the levels. With ``ngram_share`` above 0 and sentence vectors, a third part is trained:
    the multinomial regression over the n-grams alone (the n-gram view, which the sentence vectors otherwise
    dominate). The model's distribution is the mixture of the parts' distributions, these shares for the ordinal
    part and the n-gram view, the rest for the multinomial part.
    """
    x, classes, vocabulary, idf = _design(titles, outcomes, levels, min_df=min_df, vectors=vectors)
    n_names = len(vocabulary)
    weights, bias = _fit_multinomial(x, levels, classes, regularisation, iterations)
    vector_weights = weights[:, n_names:] if vectors is not None else None
    model = LearnedModel(classes, vocabulary, idf, weights[:, :n_names], bias, vector_weights)
    if ordinal_share > 0:
        above, above_bias = _fit_thresholds(x, levels, classes, ordinal_regularisation, iterations)
        model = replace(
            model,
            ordinal_share=ordinal_share,
            threshold_weights=above[:, :n_names],
            threshold_bias=above_bias,
            threshold_vector_weights=above[:, n_names:] if vectors is not None else None,
        )
    if ngram_share > 0 and vectors is not None:
        ngram_weights, ngram_bias = _fit_multinomial(x[:, :n_names], levels, classes, regularisation, iterations)
        model = replace(model, ngram_share=ngram_share, ngram_weights=ngram_weights, ngram_bias=ngram_bias)
    return model


def _design(titles, outcomes, levels, *, min_df: int, vectors: np.ndarray | None):
    """The training matrix (sublinear TF-IDF n-grams, L2-normalised, then the sentence vectors), the classes, the
    vocabulary and the IDF."""
    from scipy.sparse import csr_matrix, hstack

    docs = [document_features(t, o) for t, o in zip(titles, outcomes, strict=False)]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    names = sorted(f for f, n in df.items() if n >= min_df)
    vocabulary = {f: i for i, f in enumerate(names)}
    n_docs = len(docs)
    idf = np.array([math.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in names])
    classes = tuple(sorted(set(int(x) for x in levels)))
    shell = LearnedModel(classes, vocabulary, idf, np.zeros((len(classes), len(names))), np.zeros(len(classes)))
    rows, cols, vals = [], [], []
    for r, doc in enumerate(docs):
        index, values = shell.vectorise(doc)
        rows.extend([r] * len(index))
        cols.extend(index.tolist())
        vals.extend(values.tolist())
    x = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(names)))
    if vectors is not None:
        x = hstack([x, csr_matrix(np.asarray(vectors, dtype=float))]).tocsr()
    return x, classes, vocabulary, idf


def _fit_multinomial(x, levels, classes, regularisation: float, iterations: int):
    """Weights (classes × columns) and biases of an L2-regularised multinomial logistic regression."""
    n_docs = x.shape[0]
    y = np.zeros((n_docs, len(classes)))
    y[np.arange(n_docs), [classes.index(int(v)) for v in levels]] = 1.0
    k, d = len(classes), x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        z = np.asarray(x @ w.T) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -float(np.sum(y * np.log(p + 1e-12))) + 0.5 * regularisation * float(np.sum(w * w))
        g = p - y
        grad_w = np.asarray((x.T @ g).T) + regularisation * w
        return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])

    theta = _lbfgs(loss, np.zeros(k * d + k), iterations=iterations)
    return theta[: k * d].reshape(k, d), theta[k * d :]


def _fit_thresholds(x, levels, classes, regularisation: float, iterations: int):
    """Weights ((classes - 1) × columns) and biases of one L2-regularised binary logistic regression per threshold,
    "level above classes[j]" (fitted in one optimisation: the losses are separate sums)."""
    above = np.array([[int(v) > c for c in classes[:-1]] for v in levels], dtype=float)
    k, d = above.shape[1], x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        z = np.asarray(x @ w.T) + theta[k * d :]
        value = float(np.sum(np.logaddexp(0.0, z) - above * z)) + 0.5 * regularisation * float(np.sum(w * w))
        g = 1.0 / (1.0 + np.exp(-z)) - above
        grad_w = np.asarray((x.T @ g).T) + regularisation * w
        return value, np.concatenate([grad_w.ravel(), g.sum(axis=0)])

    theta = _lbfgs(loss, np.zeros(k * d + k), iterations=iterations)
    return theta[: k * d].reshape(k, d), theta[k * d :]


def _lbfgs(loss, theta: np.ndarray, *, iterations: int, memory: int = 10):  # -> np.ndarray
    """Minimise a smooth convex ``loss`` (returning value and gradient) by L-BFGS with a backtracking line search.

    A small numpy implementation rather than scipy's: fixed iterations, no randomness, the same result on every
    platform, and fast on a loaded machine (scipy's L-BFGS-B spent most of its time in its own bookkeeping here).
    """
    value, grad = loss(theta)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(iterations):
        direction = -grad
        alphas = []
        for s, y, rho in reversed(steps):
            alpha = rho * float(s @ direction)
            alphas.append(alpha)
            direction = direction - alpha * y
        if steps:
            s, y, _ = steps[-1]
            direction = direction * (float(s @ y) / float(y @ y))
        for (s, y, rho), alpha in zip(steps, reversed(alphas), strict=False):
            beta = rho * float(y @ direction)
            direction = direction + (alpha - beta) * s
        slope = float(grad @ direction)
        if slope >= 0:  # not a descent direction: restart from the gradient
            steps.clear()
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0 if steps else 1.0 / max(float(np.linalg.norm(grad)), 1e-12)
        while True:
            candidate = theta + step * direction
            new_value, new_grad = loss(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, y = candidate - theta, new_grad - grad
        sy = float(s @ y)
        if sy > 1e-12:
            steps.append((s, y, 1.0 / sy))
            del steps[:-memory]
        converged = abs(value - new_value) <= 1e-7 * max(abs(value), 1.0)
        theta, value, grad = candidate, new_value, new_grad
        if converged:
            break
    return theta


REGULARISATION = 0.3  # L2 strength (sum of squared weights); see benchmarks/bench_suggest_level.py for the measure
MIN_DF = 2  # features seen in fewer training qualifications than this are dropped
# The mixture: a third each for the multinomial part (n-grams and sentence vectors), the ordinal part (same
# features) and the n-gram view. Equal shares, not fitted: the best of 31 equal-weight mixtures of up to three of
# six fold-trained models (README, "Trials"); chosen by the inner folds in 4 of the 5 outer folds.
ORDINAL_SHARE = 1 / 3
NGRAM_SHARE = 1 / 3
ORDINAL_REGULARISATION = 0.3  # L2 strength of the threshold regressions (0.1 and 0.3 tried: 0.3 mixed better)


def fit_with_and_without_titles(
    rows,
    *,
    regularisation: float = REGULARISATION,
    min_df: int = MIN_DF,
    vectors: np.ndarray | None = None,
    ordinal_share: float = ORDINAL_SHARE,
    ordinal_regularisation: float = ORDINAL_REGULARISATION,
    ngram_share: float = NGRAM_SHARE,
) -> LearnedModel:
    """Train on gold rows (``LevelGoldRow``), each used twice: with its title and without it. ``vectors`` are the
    rows' sentence vectors with their titles (:func:`~skillmap.levels_suggest.embedding.qualification_vectors`);
    ``ordinal_share`` and ``ngram_share`` 0 train the multinomial part only."""
    from skillmap.levels_suggest.embedding import without_title

    titles = [r.title for r in rows] + [""] * len(rows)
    outcomes = [r.outcomes for r in rows] * 2
    levels = [r.expected for r in rows] * 2
    doubled = None if vectors is None else np.vstack([vectors, without_title(vectors)])
    return fit(
        titles,
        outcomes,
        levels,
        regularisation=regularisation,
        min_df=min_df,
        vectors=doubled,
        ordinal_share=ordinal_share,
        ordinal_regularisation=ordinal_regularisation,
        ngram_share=ngram_share,
    )
