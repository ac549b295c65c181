"""Counts over an alignment: rows per EQF level and level status, rows to review and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from skillmap.align.review import reason_kind
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.model import LEVEL_STATUSES, ROW_LEVEL_STATUSES, SUGGESTED, Alignment

EQF_LEVEL_KEYS = (*(str(n) for n in range(1, 9)), "none")
SUGGESTED_COUNT = "rows with a suggested EQF level (a suggestion, not a level)"  # the reports' count line


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
    # EQF level → matched skills, and how many of them are in the ESCO digital / green collections
    collections_by_level: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def suggested(self) -> int:
        """Rows whose EQF level was only suggested (level status ``suggested``, ``align --suggest-levels``)."""
        return self.by_status.get(SUGGESTED, 0)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, count) lines the reports show first: rows, rows to review, with skills, with occupations, and the
        rows with a suggested level when there are any."""
        return [
            ("rows", self.rows),
            ("rows needing review", self.needs_review),
            ("rows with an ESCO skill", self.with_skills),
            ("rows with an ESCO occupation", self.with_occupations),
            *([(SUGGESTED_COUNT, self.suggested)] if self.suggested else []),
        ]

    @property
    def statuses(self) -> tuple[str, ...]:
        """The level statuses the reports show: :data:`~skillmap.model.LEVEL_STATUSES`, and ``suggested`` when some
        row has that status (so a run without suggestions reports as before)."""
        return ROW_LEVEL_STATUSES if self.suggested else LEVEL_STATUSES

    @property
    def has_digital_or_green(self) -> bool:
        """True when some matched skill is digital or green (the reports then show their shares per level)."""
        return any(counts["digital"] or counts["green"] for counts in self.collections_by_level.values())


def summarise(alignments: Sequence[Alignment]) -> AlignmentSummary:
    """Count rows per EQF level and status, rows needing review and the most common review reasons."""
    counts = SummaryCounts()
    counts.add(alignments)
    return counts.summary()


class SummaryCounts:
    """The counts of :func:`summarise`, added up batch by batch (a streamed file adds one chunk at a time)."""

    def __init__(self) -> None:
        self.rows = self.needs_review = self.with_skills = self.with_occupations = 0
        self.by_status: Counter[str] = Counter()
        self.by_level: dict[str, Counter[str]] = {}
        self.reasons: Counter[str] = Counter()
        self.collections: dict[str, Counter[str]] = {}

    def add(self, alignments: Sequence[Alignment]) -> None:
        """Count these alignments in."""
        for a in alignments:
            self.rows += 1
            self.needs_review += bool(a.review)
            self.with_skills += bool(a.skills)
            self.with_occupations += bool(a.occupations)
            self.by_status[a.level.status] += 1
            level_key = str(a.level.eqf_level) if a.level.eqf_level is not None else "none"
            self.by_level.setdefault(level_key, Counter())[a.level.status] += 1
            self.reasons.update(reason_kind(reason) for reason in a.review)
            if a.skills:  # the digital / green shares of the matched skills per level
                counts = self.collections.setdefault(level_key, Counter())
                counts["skills"] += len(a.skills)
                counts["digital"] += sum(1 for m in a.skills if "digital" in m.collections)
                counts["green"] += sum(1 for m in a.skills if "green" in m.collections)

    def summary(self) -> AlignmentSummary:
        """The summary of everything counted so far."""
        return AlignmentSummary(
            rows=self.rows,
            needs_review=self.needs_review,
            with_skills=self.with_skills,
            with_occupations=self.with_occupations,
            by_status={s: self.by_status[s] for s in ROW_LEVEL_STATUSES if self.by_status[s]},
            by_level={
                level: {s: self.by_level[level][s] for s in ROW_LEVEL_STATUSES if self.by_level[level][s]}
                for level in EQF_LEVEL_KEYS
                if level in self.by_level
            },
            review_reasons=dict(sorted(self.reasons.items(), key=lambda item: (-item[1], item[0]))),
            collections_by_level={
                level: {name: self.collections[level][name] for name in ("skills", "digital", "green")}
                for level in EQF_LEVEL_KEYS
                if level in self.collections
            },
        )


@dataclass(frozen=True, slots=True)
class LevelStatusInfo:
    """What a level status means for a reader, and its colour in the reports."""

    status: str
    colour: str
    meaning: str


@lru_cache(maxsize=4)
def level_status_legend(statuses: tuple[str, ...] = LEVEL_STATUSES) -> tuple[LevelStatusInfo, ...]:
    """The legend of these level statuses (default :data:`~skillmap.model.LEVEL_STATUSES`; a summary's
    ``statuses`` add ``suggested``), in that order (``data/align/level_statuses.csv``)."""
    rows = {r["status"]: r for r in read_data_rows(bundled_data_dir() / "align" / "level_statuses.csv")}
    return tuple(LevelStatusInfo(s, rows[s]["colour"], rows[s]["meaning"]) for s in statuses)
