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
# A title-only top match at or above this score was right 95.6% of the time (91 of 590 MELO usa-en-en job titles
# → ESCO occupations; 89.8% of 147 at ≥ 0.90, 85.6% of 229 at ≥ 0.80): the lowest score with ≥ 90% right.
# Measured by benchmarks/calibrate_review.py (full ESCO v1.1.1 en). A title-only row whose best match reaches it
# is not reviewed for its title alone: 211 of England's 8,092 rows pass (233 reach it; the rest have another reason).
TITLE_ONLY_NEAR_EXACT = 0.92


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the review rules need to know about the run: whether skills were matched, and the thresholds."""

    skills_matched: bool
    min_score: float
    confident_score: float
    near_exact_score: float = TITLE_ONLY_NEAR_EXACT


def review_reasons(
    *,
    title: str,
    level: LevelResolution,
    skills: Sequence[Match],
    formula_headers: Sequence[str],
    settings: ReviewSettings,
    skills_from_title_alone: bool = False,
) -> list[str]:
    """The reasons a human should look at one row, in a fixed order; empty when none.

    ``skills_from_title_alone``: no listed skill came from learning-outcome text. A title says little ("AAT Level 1
    Award in Bookkeeping" → "actuarial science 0.80"), so such a row is reviewed unless its best match is a
    near-exact one (score ≥ ``settings.near_exact_score``: "… Diploma in Journalism" → journalism 0.99)."""
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
        elif skills_from_title_alone:
            reasons.extend(_title_alone_reason(skills, settings.near_exact_score))
    for header in formula_headers:
        reasons.append(f"formula in {header!r}: its saved result was used")
    return reasons


def _title_alone_reason(skills: Sequence[Match], near_exact: float) -> list[str]:
    """'skills from the title alone: best match actuarial science 0.80 under the near-exact 0.92', or nothing when
    the best match is near-exact (a near-exact title match was right 95.6% of the time: see TITLE_ONLY_NEAR_EXACT)."""
    best = skills[0]
    if best.score >= near_exact:
        return []
    return [
        f"skills from the title alone: best match {best.label} {best.score:.2f} under the near-exact {near_exact:.2f}"
    ]


def reason_kind(reason: str) -> str:
    """Group reasons for counting: 'low confidence: best skill score 0.52 < 0.70' → 'low confidence'."""
    return reason.split(":", 1)[0]
