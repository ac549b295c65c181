"""Matching many distinct texts to the concept index in batches, in forked processes when it pays."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from skillmap.model import Match

PARALLEL_MIN_TEXTS = 2_000  # below this, starting worker processes costs more than it saves
_WORKER_INDEX: SearchIndex | None = None  # set in forked workers only (inherited, never pickled)

# One unit of work: (concept kind, texts, how many hits to keep per text).
SearchJob = tuple[str, list[str], int]


class SearchIndex(Protocol):
    """What align needs from :class:`skillmap.match.ConceptIndex`."""

    def search_many(
        self,
        texts: Sequence[str],
        *,
        kind: str | None = ...,
        langs: Sequence[str] | None = ...,
        top: int = ...,
        min_score: float = ...,
        method: str | None = ...,
    ) -> list[list[Match]]: ...


def split_into_batches(texts: list[str], size: int) -> list[list[str]]:
    """``texts`` in consecutive batches of at most ``size``."""
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def search_batch(
    index: SearchIndex,
    job: SearchJob,
    *,
    langs: Sequence[str] | None,
    min_score: float,
    method: str | None = None,
) -> list[list[Match]]:
    """The hits of every text of one job, in the job's order (``method``: lexical, semantic, hybrid or None)."""
    kind, batch, top = job
    if method is None:
        return index.search_many(batch, kind=kind, langs=langs, top=top, min_score=min_score)
    return index.search_many(batch, kind=kind, langs=langs, top=top, min_score=min_score, method=method)


def _search_in_worker(search: Callable[..., list[list[Match]]], job: SearchJob) -> list[list[Match]]:
    assert _WORKER_INDEX is not None
    return search(_WORKER_INDEX, job)


def map_batches(
    index: SearchIndex, search: Callable[..., list[list[Match]]], jobs: list[SearchJob], workers: int, total: int
) -> Iterator[list[list[Match]]]:
    """Yield the results of ``search(index, job)`` for every job, in order; in forked processes when it pays.

    Matching is CPU-bound numpy/scipy work on one core; the index is memory-mapped, so forked workers share it
    instead of copying it. Results are consumed in job order, so the output does not depend on ``workers``.
    """
    import multiprocessing

    if workers <= 1 or total < PARALLEL_MIN_TEXTS or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield search(index, job)
        return
    global _WORKER_INDEX
    _WORKER_INDEX = index
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(functools.partial(_search_in_worker, search), jobs)
    finally:
        _WORKER_INDEX = None
