"""Suggested levels in align (``suggest_levels``): a row whose level is missing, unknown or not referenced gets an
EQF level suggested from its learning outcomes and title (``skillmap.levels_suggest``).

A suggestion is labelled one everywhere: the row's level status becomes ``suggested`` (never ``ok``), the level goes
to ``suggested_eqf`` (never ``eqf_level``) and the row is always reviewed. A row with too little text keeps its status
and says so. Each distinct (title, outcomes) pair is suggested once, also across the chunks of a streamed file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from skillmap.model import SUGGESTED, LevelResolution, ProgressCallback, SuggestedLevel

if TYPE_CHECKING:
    from skillmap.align.memo import SearchMemo
    from skillmap.levels_suggest.suggestion import LevelSuggestion

SUGGEST_FOR = ("missing", "unknown", "not_referenced")  # the level statuses a suggestion is made for
MAX_EVIDENCE = 4  # evidence lines in `suggested_evidence`; `skillmap suggest-level` shows them all
MAX_STATEMENTS = 2  # of which at most this many outcome statements (the rest: cue phrases, title words)
EVIDENCE_WIDTH = 70  # characters of a quoted phrase or statement, so the cell stays readable
MEMO_KIND = "level suggestion"  # the memo's kind for suggestions (the others are the concept kinds)
REVIEW_KIND = "suggested level"  # how the review reason of a suggested row starts (and is counted)
NO_SUGGESTION = SuggestedLevel()  # a row whose level needed none

Pair = tuple[str, str]  # (title, outcomes)


def needs_suggestion(level: LevelResolution) -> bool:
    """True for a level that is missing, unknown or not referenced to the EQF."""
    return level.status in SUGGEST_FOR


def cells(suggestion: LevelSuggestion) -> SuggestedLevel:
    """What the alignment table shows of a :class:`~skillmap.levels_suggest.LevelSuggestion`."""
    if suggestion.level is None:
        return SuggestedLevel(reason=suggestion.reason)
    cues = [e for e in suggestion.evidence if e.source != "learned model"]
    statements = [e for e in suggestion.evidence if e.source == "learned model"][:MAX_STATEMENTS]
    chosen = [*cues[: MAX_EVIDENCE - len(statements)], *statements]
    evidence = tuple(dataclasses.replace(e, text=_shorten(e.text)).describe() for e in chosen)
    return SuggestedLevel(suggestion.level, round(suggestion.confidence, 4), suggestion.strength, evidence)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EVIDENCE_WIDTH else text[: EVIDENCE_WIDTH - 1].rstrip() + "…"


def _key(pair: Pair) -> str:
    return f"{pair[0]}\x1f{pair[1]}"


class RowSuggestions:
    """The suggestions of one table's rows: the pairs to suggest are known first (for one progress bar over the
    matching and the suggestions), then :meth:`run` suggests the ones the memo does not hold."""

    def __init__(self, pairs: Sequence[Pair], memo: SearchMemo | None = None) -> None:
        self._memo = memo
        self.found: dict[Pair, SuggestedLevel] = {}
        for pair in dict.fromkeys(pairs):
            remembered = memo.get(MEMO_KIND, _key(pair)) if memo is not None else None
            if remembered is not None:
                self.found[pair] = remembered
        self.pending = [pair for pair in dict.fromkeys(pairs) if pair not in self.found]

    def run(self, *, workers: int = 1, progress: ProgressCallback | None = None) -> dict[Pair, SuggestedLevel]:
        """Suggest the pending pairs; every pair's suggestion. ``workers`` is accepted for symmetry with matching:
        :func:`~skillmap.levels_suggest.suggestion.suggest_levels` encodes the texts in one batch and picks its own
        processes."""
        from skillmap.levels_suggest.suggestion import suggest_levels

        if self.pending:
            for pair, found in zip(self.pending, suggest_levels(self.pending, progress=progress), strict=True):
                self.found[pair] = cells(found)
                if self._memo is not None:
                    self._memo.put(MEMO_KIND, _key(pair), self.found[pair])
            self.pending = []
        return self.found


def apply_suggestion(level: LevelResolution, suggestion: SuggestedLevel, reasons: list[str]) -> LevelResolution:
    """The row's level with its suggestion: status ``suggested`` (``eqf_level`` stays empty) and a review reason
    saying it is a suggestion to check; without a suggestion the level as it was, and the reason why none. The
    reason goes right after the level's own review reason ("no level given")."""
    from skillmap.align.review import LEVEL_REVIEW

    level_reason = LEVEL_REVIEW.get(level.status)
    at = reasons.index(level_reason) + 1 if level_reason in reasons else len(reasons)
    if suggestion.eqf_level is None:
        if suggestion.reason:
            reasons.insert(at, suggestion.reason)
        return level
    reasons.insert(
        at,
        f"{REVIEW_KIND}: EQF {suggestion.eqf_level} ({suggestion.strength}, confidence {suggestion.confidence:.2f}), "
        "a suggestion to check, not a referenced level",
    )
    return dataclasses.replace(level, status=SUGGESTED)


class StepProgress:
    """One progress bar over two steps: the matching, then the suggestions (``later`` texts)."""

    def __init__(self, progress: ProgressCallback | None, later: int) -> None:
        self._progress, self._later, self._first = progress, later, 0

    def first(self, done: int, total: int) -> None:
        """Progress of the first step."""
        self._first = total
        if self._progress:
            self._progress(done, total + self._later)

    def second(self, done: int, total: int) -> None:
        """Progress of the second step."""
        if self._progress:
            self._progress(self._first + done, self._first + total)
