"""The learned level model shipped in data/levels_suggest/level_model.gz: load it and score a text.

The file is gzip (mtime 0) of JSON: the credit, the levels, the biases, the feature names (one string, a name a
line) and, base64-encoded little-endian float16, the IDF per feature, the weights (levels × features) and the
weights of the multilingual sentence vector (levels × vector width; see :mod:`skillmap.levels_suggest.embedding`).
Written by data/levels_suggest/build_model.py: the same training rows give a byte-identical file, and it loads in
milliseconds.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections import Counter
from dataclasses import dataclass
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

    def vectorise(self, features: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """Indices and L2-normalised sublinear TF-IDF values of a document's known features."""
        pairs = sorted((self.vocabulary[f], c) for f, c in features.items() if f in self.vocabulary)
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        index = np.array([i for i, _ in pairs], dtype=np.int64)
        values = (1.0 + np.log(np.array([c for _, c in pairs], dtype=float))) * self.idf[index]
        return index, values / np.linalg.norm(values)

    def scores(self, features: Counter[str], vector: np.ndarray | None = None) -> np.ndarray:
        """Log-odds per level (before the softmax); ``vector`` is the text's sentence vector, when there is one."""
        index, values = self.vectorise(features)
        result = self.bias + self.weights[:, index] @ values
        if vector is not None and self.vector_weights is not None:
            result = result + self.vector_weights @ vector
        return result


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
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


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
    return LearnedModel(levels, vocabulary, _decode(payload["idf"]), weights, bias, vector_weights)


@lru_cache(maxsize=1)
def bundled_model_source() -> str:
    """The SHA-256 of the file the shipped model was trained on ("" when unknown)."""
    path = bundled_data_dir() / "levels_suggest" / MODEL_FILE
    return str(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")).get("source_sha256", ""))


@lru_cache(maxsize=1)
def bundled_model() -> LearnedModel:
    """The model shipped with skillmap (trained on French RNCP qualifications, levels 3–8)."""
    return read_model(bundled_data_dir() / "levels_suggest" / MODEL_FILE)
