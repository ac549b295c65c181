"""The learned level model shipped in data/levels_suggest/level_model.gz: load it and score a text.

The file is gzip (mtime 0) of JSON: the credit, the levels, the biases, the feature names (one string, a name a
line) and, base64-encoded little-endian float16, the IDF per feature, the weights (levels × features) and the
weights of the multilingual sentence vector (levels × vector width; see :mod:`skillmap.levels_suggest.embedding`);
and, for the ordinal part and the n-gram view, their shares, biases and weights (the ordinal part has one row per
threshold between levels).
Written by data/levels_suggest/build_model.py: the same training rows give a byte-identical file, and it loads in
milliseconds.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from skillmap.fileio import bundled_data_dir

MODEL_FILE = "level_model.gz"
_FLOAT = "<f2"  # float16: three significant digits are plenty for the weights, and the file stays small


@dataclass(frozen=True)
class LearnedModel:
    """Weights of the learned model: a vocabulary with IDF weights, one weight row per class, and biases."""

    levels: tuple[int, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray  # (n_features,)
    weights: np.ndarray  # (n_levels, n_features)
    bias: np.ndarray  # (n_levels,)
    vector_weights: np.ndarray | None = None  # (n_levels, vector width): the sentence-vector part, when trained
    # the ordinal part, when trained: one binary "level above levels[j]" regression per threshold (Frank & Hall)
    ordinal_share: float = 0.0  # its share of the mixture of the two distributions
    threshold_weights: np.ndarray | None = None  # (n_levels - 1, n_features)
    threshold_bias: np.ndarray | None = None  # (n_levels - 1,)
    threshold_vector_weights: np.ndarray | None = None  # (n_levels - 1, vector width)
    # the n-gram view, when trained: a multinomial regression over the n-grams alone (no sentence vector)
    ngram_share: float = 0.0  # its share of the mixture
    ngram_weights: np.ndarray | None = None  # (n_levels, n_features)
    ngram_bias: np.ndarray | None = None  # (n_levels,)

    def vectorise(self, features: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalised sublinear TF-IDF values of a document's known features."""
        pairs = sorted((self.vocabulary[f], c) for f, c in features.items() if f in self.vocabulary)
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.array([i for i, _ in pairs], dtype=np.int64)
        values = (1.0 + np.log(np.array([c for _, c in pairs], dtype=float))) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def scores(self, features: Counter[str], vector: np.ndarray | None = None) -> np.ndarray:
        """Log-odds per level (before the softmax); ``vector`` is the text's sentence vector, when there is one.

        With an ordinal part or an n-gram view these are the logarithms of the mixture of the parts' probabilities
        (a softmax gives it back): the nominal part's share is what the other two leave."""
        index, values = self.vectorise(features)
        result = self.bias + self.weights[:, index] @ values
        if vector is not None and self.vector_weights is not None:
            result = result + self.vector_weights @ vector
        parts = []
        if self.threshold_weights is not None and self.threshold_bias is not None and self.ordinal_share > 0:
            above = self.threshold_bias + self.threshold_weights[:, index] @ values
            if vector is not None and self.threshold_vector_weights is not None:
                above = above + self.threshold_vector_weights @ vector
            parts.append((self.ordinal_share, ordinal_probabilities(1.0 / (1.0 + np.exp(-above)))))
        if self.ngram_weights is not None and self.ngram_bias is not None and self.ngram_share > 0:
            parts.append((self.ngram_share, _softmax(self.ngram_bias + self.ngram_weights[:, index] @ values)))
        if not parts:
            return result
        mixed = (1.0 - sum(share for share, _ in parts)) * _softmax(result)
        for share, probabilities in parts:
            mixed = mixed + share * probabilities
        return np.log(np.maximum(mixed, 1e-12))


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def ordinal_probabilities(above: np.ndarray) -> np.ndarray:
    """Probabilities of the levels from the probabilities of being above each threshold (Frank & Hall): made
    non-increasing first (independent classifiers can cross), then differenced."""
    cumulative = np.concatenate([[1.0], np.minimum.accumulate(above), [0.0]])
    probabilities = np.maximum(cumulative[:-1] - cumulative[1:], 1e-6)
    return probabilities / probabilities.sum()


def model_to_json(model: LearnedModel, credit: str, source_sha256: str = "") -> bytes:
    """The model file's bytes (gzip without a timestamp), features in vocabulary order.

    ``source_sha256`` is the checksum of the training file, so an evaluation on that very file can say so.
    """
    names = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    payload = {
        "credit": credit,
        "source_sha256": source_sha256,
        "levels": list(model.levels),
        "bias": [round(float(b), 4) for b in model.bias],
        "features": "\n".join(names),
        "idf": _encode(model.idf),
        "weights": _encode(model.weights),
    }
    if model.vector_weights is not None:
        payload["vector_weights"] = _encode(model.vector_weights)
    for share, bias, weights in _OPTIONAL_PARTS:
        if getattr(model, weights) is not None and getattr(model, bias) is not None:
            payload[share] = getattr(model, share)
            payload[bias] = [round(float(b), 4) for b in getattr(model, bias)]
            payload[weights] = _encode(getattr(model, weights))
    if model.threshold_weights is not None and model.threshold_vector_weights is not None:
        payload["threshold_vector_weights"] = _encode(model.threshold_vector_weights)
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


# the optional parts of the mixture in the file: (share, biases, weights) keys, which are also the field names
_OPTIONAL_PARTS = (
    ("ordinal_share", "threshold_bias", "threshold_weights"),
    ("ngram_share", "ngram_bias", "ngram_weights"),
)


def _encode(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=_FLOAT).tobytes()).decode("ascii")


def _decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=_FLOAT).astype(float)


def read_model(path: Path) -> LearnedModel:
    """Read a model file written by :func:`model_to_json`."""
    payload = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    names = payload["features"].split("\n")
    levels = tuple(int(x) for x in payload["levels"])
    vocabulary = {name: i for i, name in enumerate(names)}
    weights = _decode(payload["weights"]).reshape(len(levels), len(names))
    vector_weights = None
    if "vector_weights" in payload:
        vector_weights = _decode(payload["vector_weights"]).reshape(len(levels), -1)
    bias = np.array(payload["bias"], dtype=float)
    model = LearnedModel(levels, vocabulary, _decode(payload["idf"]), weights, bias, vector_weights)
    if "threshold_weights" in payload:
        thresholds = len(levels) - 1
        vectors = payload.get("threshold_vector_weights")
        model = replace(
            model,
            ordinal_share=float(payload["ordinal_share"]),
            threshold_weights=_decode(payload["threshold_weights"]).reshape(thresholds, len(names)),
            threshold_bias=np.array(payload["threshold_bias"], dtype=float),
            threshold_vector_weights=None if vectors is None else _decode(vectors).reshape(thresholds, -1),
        )
    if "ngram_weights" in payload:
        model = replace(
            model,
            ngram_share=float(payload["ngram_share"]),
            ngram_weights=_decode(payload["ngram_weights"]).reshape(len(levels), len(names)),
            ngram_bias=np.array(payload["ngram_bias"], dtype=float),
        )
    return model


@lru_cache(maxsize=1)
def bundled_model_source() -> str:
    """The SHA-256 of the file the shipped model was trained on ("" when unknown)."""
    path = bundled_data_dir() / "levels_suggest" / MODEL_FILE
    return str(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")).get("source_sha256", ""))


@lru_cache(maxsize=1)
def bundled_model() -> LearnedModel:
    """The model shipped with skillmap (trained on French RNCP qualifications, levels 3–8)."""
    return read_model(bundled_data_dir() / "levels_suggest" / MODEL_FILE)
