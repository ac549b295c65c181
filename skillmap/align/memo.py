"""Hits remembered across the chunks of one streamed alignment: a text repeated in a later chunk is not searched
again (registers repeat titles and outcome statements across the whole file, not only within a chunk)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

# ~3.4 KiB per remembered text (its hits: full ESCO en, top 5, 2.6 hits on average; measured with tracemalloc on 300
# outcome texts of benchmarks/bench_align_scale.py) plus the text: 250,000 texts stay under ~0.9 GiB. That holds every
# distinct text of the 1,000,000-row benchmark (200,000 qualifications, 8,000 titles); with 100,000 about 60% of the
# repeats of a text would come after it was forgotten, and be searched again.
DEFAULT_MEMO_TEXTS = 250_000


class SearchMemo:
    """The hits of the most recently used ``max_texts`` (kind, text) pairs; searching is deterministic, so a
    remembered hit list is the one a new search would return. A suggested level is remembered the same way, under
    its own kind (``skillmap.align.suggested.MEMO_KIND``)."""

    def __init__(self, max_texts: int = DEFAULT_MEMO_TEXTS) -> None:
        self.max_texts = max(0, max_texts)
        self._hits: OrderedDict[tuple[str, str], Any] = OrderedDict()  # hits, or a SuggestedLevel
        self.reused = 0

    def get(self, kind: str, text: str) -> Any:
        """The remembered hits (or suggestion) of ``text`` for ``kind``, or None."""
        key = (kind, text)
        found = self._hits.get(key)
        if found is not None:
            self._hits.move_to_end(key)
            self.reused += 1
        return found

    def put(self, kind: str, text: str, hits: Any) -> None:
        """Remember the hits of ``text``; forgets the least recently used text beyond ``max_texts``."""
        if not self.max_texts:
            return
        self._hits[(kind, text)] = hits
        self._hits.move_to_end((kind, text))
        while len(self._hits) > self.max_texts:
            self._hits.popitem(last=False)

    def __len__(self) -> int:
        return len(self._hits)
