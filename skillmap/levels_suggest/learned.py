"""The learned level model shipped in data/levels_suggest/level_model.json.gz: load it and score a text.

The file is gzip (mtime 0) of JSON: the levels, the biases, and one row per feature (name, IDF, one weight per
level), written by data/levels_suggest/build_model.py, so the same training rows give a byte-identical file.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from skillmap.fileio import bundled_data_dir

MODEL_FILE = "level_model.json.gz"
DECIMALS = 4  # weights are rounded in the file: small, and exactly reproducible


@dataclass(frozen=True)
class LearnedModel:
    """Weights of the learned model: a vocabulary with IDF weights, one weight row per class, and biases."""

    levels: tuple[int, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,)
    weights: np.ndarray  # (n_levels, n_features)
    bias: np.ndarray  # (n_levels,)

    def vectorise(self, features: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalised sublinear TF-IDF values of a document's known features."""
        pairs = sorted((self.vocabulary[f], c) for f, c in features.items() if f in self.vocabulary)
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.array([i for i, _ in pairs], dtype=np.int64)
        values = (1.0 + np.log(np.array([c for _, c in pairs], dtype=float))) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def scores(self, features: Counter[str]) -> np.ndarray:
        """Log-odds per level (before the softmax)."""
        index, values = self.vectorise(features)
        return self.bias + self.weights[:, index] @ values


def model_to_json(model: LearnedModel, credit: str) -> bytes:
    """The model file's bytes (gzip without a timestamp), features in vocabulary order."""
    names = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    rows = [
        [name, round(float(model.idf[i]), DECIMALS), *(round(float(w), DECIMALS) for w in model.weights[:, i])]
        for i, name in enumerate(names)
    ]
    payload = {
        "credit": credit,
        "levels": list(model.levels),
        "bias": [round(float(b), DECIMALS) for b in model.bias],
        "features": rows,
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def read_model(path: Path) -> LearnedModel:
    """Read a model file written by :func:`model_to_json`."""
    payload = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    rows = payload["features"]
    levels = tuple(int(x) for x in payload["levels"])
    vocabulary = {row[0]: i for i, row in enumerate(rows)}
    idf = np.array([row[1] for row in rows], dtype=float)
    weights = np.array([row[2:] for row in rows], dtype=float).T.reshape(len(levels), len(rows))
    return LearnedModel(levels, vocabulary, idf, weights, np.array(payload["bias"], dtype=float))


@lru_cache(maxsize=1)
def bundled_model() -> LearnedModel:
    """The model shipped with skillmap (trained on French RNCP qualifications, levels 3–8)."""
    return read_model(bundled_data_dir() / "levels_suggest" / MODEL_FILE)
