"""Matching free text to concepts: an index over every label, candidate retrieval, reranking.

PLACEHOLDER implementation (a full rapidfuzz scan) that fixes the public interface; the matching issue
replaces the internals with sparse retrieval + reranking. Callers rely only on the names below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from skillmap.model import Classification, Match

ProgressCallback = Callable[[int, int], None]  # (done, total)


class ConceptIndex:
    """A searchable index over the labels of a :class:`Classification`."""

    def __init__(self, uris: list[str], kinds: list[str], prefs: list[str],
                 labels: list[tuple[int, str, str]]) -> None:
        self._uris = uris
        self._kinds = kinds
        self._prefs = prefs
        self._labels = labels  # (concept position, label text, lang)

    @classmethod
    def build(cls, classification: Classification, progress: ProgressCallback | None = None) -> ConceptIndex:
        """Build the index for every label of every concept in ``classification``."""
        uris, kinds, prefs, labels = [], [], [], []
        for position, concept in enumerate(classification.concepts):
            uris.append(concept.uri)
            kinds.append(concept.kind)
            prefs.append(concept.pref_label())
            for label in concept.labels:
                labels.append((position, label.text, label.lang))
        return cls(uris, kinds, prefs, labels)

    def save(self, folder: Path) -> None:
        """Write the index into ``folder`` (which exists and is empty)."""
        payload = {"uris": self._uris, "kinds": self._kinds, "prefs": self._prefs, "labels": self._labels}
        (folder / "match-index.json").write_text(json.dumps(payload), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> ConceptIndex:
        """Load an index written by :meth:`save`."""
        payload = json.loads((folder / "match-index.json").read_text(encoding="utf-8"))
        return cls(payload["uris"], payload["kinds"], payload["prefs"], [tuple(x) for x in payload["labels"]])

    def kinds(self) -> list[str]:
        """Return the concept kinds present, sorted."""
        return sorted(set(self._kinds))

    def search(self, text: str, *, kind: str | None = "skill", langs: Sequence[str] | None = None,
               top: int = 10, min_score: float = 0.0) -> list[Match]:
        """Rank concepts of ``kind`` for ``text``; best first, ties by ascending URI."""
        return self.search_many([text], kind=kind, langs=langs, top=top, min_score=min_score)[0]

    def search_many(self, texts: Sequence[str], *, kind: str | None = "skill",
                    langs: Sequence[str] | None = None, top: int = 10,
                    min_score: float = 0.0) -> list[list[Match]]:
        """Batch version of :meth:`search` (one result list per text, in input order)."""
        rows = [x for x in self._labels
                if (kind is None or self._kinds[x[0]] == kind) and (not langs or x[2] in langs)]
        choices = [x[1] for x in rows]
        results: list[list[Match]] = []
        for text in texts:
            best: dict[int, tuple[float, str, str]] = {}
            for _choice, score, i in process.extract(text, choices, scorer=fuzz.token_set_ratio,
                                                     processor=utils.default_process, limit=None):
                position, label, lang = rows[i]
                value = score / 100.0
                if value > best.get(position, (-1.0, "", ""))[0]:
                    best[position] = (value, label, lang)
            ranked = sorted(best.items(), key=lambda item: (-item[1][0], self._uris[item[0]]))
            results.append([
                Match(uri=self._uris[p], label=self._prefs[p], matched_label=lab, score=round(s, 6),
                      kind=self._kinds[p], lang=lang, statement=text)
                for p, (s, lab, lang) in ranked[:top] if s >= min_score
            ])
        return results
