"""Level suggestions for many texts at once (``align --suggest-levels``): in forked processes when it pays.

Every (title, outcomes) pair goes through :func:`~skillmap.levels_suggest.suggestion.suggest_level` unchanged; the
bundled model and constants are loaded once, before the workers are forked, so the workers share them. Results come
back in input order, so they do not depend on ``workers``.
"""

from __future__ import annotations

from collections.abc import Sequence

from skillmap.levels_suggest.suggestion import LevelSuggestion, suggest_level
from skillmap.model import ProgressCallback

# A suggestion costs ~3–5 ms (benchmarks/bench_suggest_level.py); forking a pool costs ~0.1 s on the 2-core machine,
# so below this many texts one process is as fast.
PARALLEL_MIN_TEXTS = 200
_CHUNK = 50  # texts per task sent to a worker: ~0.2 s of work, so progress moves and the pool stays busy

Texts = tuple[str, str]  # (title, outcomes)


def _suggest_chunk(pairs: Sequence[Texts]) -> list[LevelSuggestion]:
    return [suggest_level(title, outcomes) for title, outcomes in pairs]


def suggest_levels_many(
    pairs: Sequence[Texts], *, workers: int = 1, progress: ProgressCallback | None = None
) -> list[LevelSuggestion]:
    """:func:`~skillmap.levels_suggest.suggest_level` of every ``(title, outcomes)`` pair, in order.

    ``workers`` > 1 suggests in that many forked processes when there are at least :data:`PARALLEL_MIN_TEXTS`
    pairs (same results). ``progress(done, total)`` is called as chunks finish.
    """
    import contextlib
    import multiprocessing

    from skillmap.levels_suggest.learned import bundled_model
    from skillmap.levels_suggest.suggestion import combination

    bundled_model(), combination()  # loaded here, so forked workers inherit them instead of reading them again
    chunks = [list(pairs[start : start + _CHUNK]) for start in range(0, len(pairs), _CHUNK)]
    total, results = len(pairs), []
    if progress:
        progress(0, total)
    parallel = workers > 1 and total >= PARALLEL_MIN_TEXTS and "fork" in multiprocessing.get_all_start_methods()
    with contextlib.ExitStack() as stack:
        if parallel:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            found = pool.imap(_suggest_chunk, chunks)
        else:
            found = map(_suggest_chunk, chunks)
        for chunk in found:
            results.extend(chunk)
            if progress:
                progress(len(results), total)
    return results
