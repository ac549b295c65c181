"""Hybrid search with a score floor scores semantically only the concepts that can reach it: same hits, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import skillmap.match as match
from skillmap.match import ConceptIndex

TEXTS = [
    "Install photovoltaic panels on residential roofs and connect them to the inverter.",
    "Prepare bread dough and bake it in a wood-fired oven.",
    "Keep accurate accounting records and prepare the annual accounts.",
    "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen",  # across languages: the noisy-OR rule
    "Level 3 Diploma in Electrical Installation",
    "Communicate with customers and handle their complaints",
    "weld steel pipes",
]


@pytest.fixture(scope="module")
def sample_index() -> ConceptIndex:
    """The bundled ESCO sample index with its semantic matrix."""
    import os
    import tempfile

    from skillmap.store import open_index

    previous = os.environ.get("SKILLMAP_HOME")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SKILLMAP_HOME"] = home
        try:
            index = open_index().index
            assert index.semantic is not None, index.semantic_note
        finally:
            if previous is None:
                os.environ.pop("SKILLMAP_HOME", None)
            else:
                os.environ["SKILLMAP_HOME"] = previous
    return index


@pytest.mark.parametrize(
    ("kind", "method", "collection"),
    [
        ("skill", "hybrid", None),
        ("occupation", "hybrid", None),
        ("skill", "semantic", None),  # every concept can reach the floor: the product with every row
        ("skill", "hybrid", "digital"),  # labels outside the collection score 0
    ],
)
def test_hybrid_hits_above_a_score_floor_are_those_of_scoring_every_label(
    sample_index: ConceptIndex, kind: str, method: str, collection: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if collection is not None and collection not in sample_index.collections():
        pytest.skip(f"the sample has no {collection} collection")
    keywords = {"kind": kind, "top": 5, "min_score": 0.2, "method": method, "collection": collection}
    pruned = sample_index.search_many(TEXTS, **keywords)
    assert any(pruned), "nothing reached the floor: the test would prove nothing"
    monkeypatch.setattr(ConceptIndex, "_pruned_hybrid_hits", lambda *args, **keywords: None)
    every_label = sample_index.search_many(TEXTS, **keywords)
    assert pruned == every_label


def test_without_the_blas_property_the_full_path_gives_the_hits(
    sample_index: ConceptIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    keywords = {"kind": "skill", "top": 5, "min_score": 0.2}
    full_path_calls: dict[bool, int] = {}
    hits = {}
    for holds in (True, False):  # this CPU's kernels, then a CPU whose kernels differ
        index = ConceptIndex(sample_index._a, sample_index._meta, sample_index.semantic)  # fresh: no answer yet
        calls: list[int] = []
        monkeypatch.setattr(match, "blas_gives_batch_bits", lambda dim=512, holds=holds: holds)
        monkeypatch.setattr(ConceptIndex, "_semantic_views", _counting(original_views, calls))
        hits[holds] = index.search_many(TEXTS, **keywords)
        full_path_calls[holds] = len(calls)
    assert hits[False] == hits[True] and any(hits[False])
    assert full_path_calls[False] > full_path_calls[True]  # without the property no batch is pruned


original_views = ConceptIndex._semantic_views


def _counting(function, calls: list):
    def wrapper(*args, **keywords):
        calls.append(1)
        return function(*args, **keywords)

    return wrapper


def test_one_query_against_gathered_rows_gives_the_bits_of_the_batch_product() -> None:
    """What the pruned path relies on: OpenBLAS gives an element of ``rows @ [q, q].T`` (at least
    SEMANTIC_PRUNE_MIN_ROWS rows) and of ``matrix @ queries.T`` the bits of ``queries @ matrix.T``. Where a CPU's
    kernels do not (``blas_gives_batch_bits`` is False there), the pruned path is off, so there is nothing to check."""
    if not match.blas_gives_batch_bits():
        pytest.skip("this CPU's BLAS kernels do not give the batch bits: the pruned hybrid path is off here")
    from skillmap.semantic import load_encoder

    rng = np.random.default_rng(7)
    matrix = rng.standard_normal((20_000, 512)).astype(np.float32)
    queries = rng.standard_normal((64, 512)).astype(np.float32)
    with load_encoder().one_blas_thread():
        batch = queries @ matrix.T
        for size in (5, 300, 3_000):
            rows = np.sort(rng.choice(len(matrix), size, replace=False))
            gathered = np.zeros((max(size, match.SEMANTIC_PRUNE_MIN_ROWS), 512), dtype=np.float32)
            gathered[:size] = matrix[rows]
            one = (gathered @ np.repeat(queries[9:10], 2, axis=0).T)[:size, 0]
            assert np.array_equal(one, batch[9, rows])
        assert np.array_equal((matrix @ queries[:5].T).T, batch[:5])
