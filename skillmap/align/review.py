"""Why a human should look at an aligned row: every review rule in one place.

A rule reads what the row alignment found (title, level, skills, formulas) and returns a short reason; the
reasons are shown in reports and counted in the summary by their kind (the text before the first colon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from skillmap.model import LevelResolution, Match

LEVEL_REVIEW = {
    "missing": "no level given",
    "ambiguous": "ambiguous level",
    "not_referenced": "level not referenced to the EQF",
    "unknown": "level not recognised",
}


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the review rules need to know about the run: whether skills were matched, and the thresholds."""

    skills_matched: bool
    min_score: float
    confident_score: float


def review_reasons(
    *,
    title: str,
    level: LevelResolution,
    skills: Sequence[Match],
    formula_headers: Sequence[str],
    settings: ReviewSettings,
) -> list[str]:
    """The reasons a human should look at one row, in a fixed order; empty when none."""
    reasons: list[str] = []
    if not title:
        reasons.append("no title")
    if level.status != "ok":
        reasons.append(LEVEL_REVIEW.get(level.status, f"level {level.status}"))
    elif level.from_title:
        reasons.append("level sub-level read from the title")
    elif level.unsure:
        reasons.append("level mapping marked unsure in the framework data")
    if settings.skills_matched:
        if not skills:
            reasons.append(f"no ESCO skill scored {settings.min_score:.2f} or more")
        elif skills[0].score < settings.confident_score:
            reasons.append(f"low confidence: best skill score {skills[0].score:.2f} < {settings.confident_score:.2f}")
    for header in formula_headers:
        reasons.append(f"formula in {header!r}: its saved result was used")
    return reasons


def reason_kind(reason: str) -> str:
    """Group reasons for counting: 'low confidence: best skill score 0.52 < 0.70' → 'low confidence'."""
    return reason.split(":", 1)[0]
