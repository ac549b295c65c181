"""Fit the learned level model: an L2-regularised multinomial logistic regression over TF-IDF n-grams and, when
given, the multilingual sentence vectors of the qualifications (one model, both kinds of features side by side).

Deterministic: features are sorted, the optimiser (a small numpy L-BFGS) starts from zeros and uses no randomness,
so the same training rows give the same weights. Used by the build script in data/levels_suggest/ and by the benchmark's
cross-validation (which trains on the training folds only).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

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
) -> LearnedModel:
    """Train on levelled qualifications (titles may be empty strings); ``vectors`` holds one sentence vector per
    qualification (:mod:`skillmap.levels_suggest.embedding`), or None for an n-gram model."""
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
    weights = theta[: k * d].reshape(k, d)
    vector_weights = weights[:, len(names) :] if vectors is not None else None
    return LearnedModel(classes, vocabulary, idf, weights[:, : len(names)], theta[k * d :], vector_weights)


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


def fit_with_and_without_titles(
    rows, *, regularisation: float = REGULARISATION, min_df: int = MIN_DF, vectors: np.ndarray | None = None
) -> LearnedModel:
    """Train on gold rows (``LevelGoldRow``), each used twice: with its title and without it. ``vectors`` are the
    rows' sentence vectors with their titles (:func:`~skillmap.levels_suggest.embedding.qualification_vectors`)."""
    from skillmap.levels_suggest.embedding import without_title

    titles = [r.title for r in rows] + [""] * len(rows)
    outcomes = [r.outcomes for r in rows] * 2
    levels = [r.expected for r in rows] * 2
    doubled = None if vectors is None else np.vstack([vectors, without_title(vectors)])
    return fit(titles, outcomes, levels, regularisation=regularisation, min_df=min_df, vectors=doubled)
