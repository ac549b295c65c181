"""Counts over an alignment: rows per EQF level and level status, rows to review and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from skillmap.align.review import reason_kind
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.model import LEVEL_STATUSES, Alignment

EQF_LEVEL_KEYS = (*(str(n) for n in range(1, 9)), "none")


@dataclass(frozen=True, slots=True)
class AlignmentSummary:
    """Counts for the summary sheet, the HTML report and the terminal.

    ``by_level`` maps an EQF level ("1"…"8", or "none") to counts per level status; keys are sorted.
    """

    rows: int
    needs_review: int
    with_skills: int
    with_occupations: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, dict[str, int]] = field(default_factory=dict)
    review_reasons: dict[str, int] = field(default_factory=dict)


def summarise(alignments: Sequence[Alignment]) -> AlignmentSummary:
    """Count rows per EQF level and status, rows needing review and the most common review reasons."""
    by_status = Counter(a.level.status for a in alignments)
    by_level: dict[str, Counter[str]] = {}
    reasons: Counter[str] = Counter()
    for alignment in alignments:
        level_key = str(alignment.level.eqf_level) if alignment.level.eqf_level is not None else "none"
        by_level.setdefault(level_key, Counter())[alignment.level.status] += 1
        reasons.update(reason_kind(reason) for reason in alignment.review)
    return AlignmentSummary(
        rows=len(alignments),
        needs_review=sum(1 for a in alignments if a.review),
        with_skills=sum(1 for a in alignments if a.skills),
        with_occupations=sum(1 for a in alignments if a.occupations),
        by_status={status: by_status[status] for status in LEVEL_STATUSES if by_status[status]},
        by_level={
            level: {s: by_level[level][s] for s in LEVEL_STATUSES if by_level[level][s]}
            for level in EQF_LEVEL_KEYS
            if level in by_level
        },
        review_reasons=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
    )


@dataclass(frozen=True, slots=True)
class LevelStatusInfo:
    """What a level status means for a reader, and its colour in the reports."""

    status: str
    colour: str
    meaning: str


@lru_cache(maxsize=1)
def level_status_legend() -> tuple[LevelStatusInfo, ...]:
    """The legend of the level statuses, in :data:`~skillmap.model.LEVEL_STATUSES` order
    (``data/align/level_statuses.csv``)."""
    rows = {r["status"]: r for r in read_data_rows(bundled_data_dir() / "align" / "level_statuses.csv")}
    return tuple(LevelStatusInfo(s, rows[s]["colour"], rows[s]["meaning"]) for s in LEVEL_STATUSES)
