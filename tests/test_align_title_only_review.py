"""A row whose skills come from its title alone goes to review unless every skill is a near-exact match."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from skillmap.align import align_table
from skillmap.align.review import TITLE_ONLY_NEAR_EXACT, reason_kind
from skillmap.model import Match
from skillmap.sources.frameworks import load_frameworks
from skillmap.sources.spreadsheets import InputTable, detect_columns

SKILL = "http://data.europa.eu/esco/skill/"
ACCOUNTING = Match(SKILL + "accounting", "accounting", "bookkeeping", 0.9637, "skill", "en")
ACTUARIAL = Match(SKILL + "actuarial", "actuarial science", "bookkeeping science", 0.7963, "skill", "en")
WIRING = Match(SKILL + "wiring", "install electrical wiring", "install electrical wiring", 0.97, "skill", "en")


BURIAL = Match(SKILL + "burial", "maintain burial records", "bookkeeping records", 0.6878, "skill", "en")


class FixedIndex:
    """An index answering a bookkeeping title as the full ESCO did when issue 14 was filed (actuarial science 0.80
    first), an accounting title with a near-exact match (accounting 0.96 first), and outcome text with wiring."""

    def kinds(self) -> list[str]:
        return ["skill"]

    def search_many(self, texts: Sequence[str], **options: object) -> list[list[Match]]:
        def hits(text: str) -> list[Match]:
            if "accounting" in text.lower():
                return [ACCOUNTING, ACTUARIAL]
            if "bookkeeping" in text.lower():
                return [ACTUARIAL, BURIAL]
            return [WIRING] if "wiring" in text.lower() else []

        return [hits(text) for text in texts]


@pytest.fixture(scope="module")
def frameworks():
    return load_frameworks()


def _align(frameworks, rows: list[list[str]]):
    table = InputTable(
        path="t.csv",
        format="csv",
        headers=("QualificationName", "Level", "Learning outcomes"),
        rows=tuple(tuple(r) for r in rows),
    )
    columns = detect_columns(table.headers)
    return align_table(table, columns, country="GB-ENG", frameworks=frameworks, index=FixedIndex())


def test_bookkeeping_title_whose_best_match_is_actuarial_science_is_flagged_for_review(frameworks) -> None:
    """Issue 14 item 4: "actuarial science 0.80, maintain burial records 0.69" with needs_review: no."""
    (row,) = _align(frameworks, [["Level 1 Award in Bookkeeping", "Level 1", ""]])
    assert [m.label for m in row.skills] == ["actuarial science", "maintain burial records"]
    assert row.review == (
        "skills from the title alone: best match actuarial science 0.80 under the near-exact "
        f"{TITLE_ONLY_NEAR_EXACT:.2f}",
    )
    assert reason_kind(row.review[0]) == "skills from the title alone"


def test_a_near_exact_title_match_does_not_need_review(frameworks) -> None:
    """→ accounting 0.96: near-exact title matches were right 95.6% of the time (benchmarks/calibrate_review.py)."""
    (row,) = _align(frameworks, [["AAT Level 1 Award in Accounting", "Level 1", ""]])
    assert row.skills[0].label == "accounting" and row.review == (), row.review


def test_title_only_row_with_only_near_exact_skills_is_not_flagged(frameworks) -> None:
    (row,) = _align(frameworks, [["Award in Electrical Wiring", "Level 2", ""]])
    assert [m.label for m in row.skills] == ["install electrical wiring"] and row.review == ()


def test_skills_from_the_learning_outcomes_are_not_flagged_as_title_only(frameworks) -> None:
    (row,) = _align(frameworks, [["AAT Level 1 Award in Bookkeeping", "Level 1", "Install wiring safely."]])
    assert "install electrical wiring" in [m.label for m in row.skills]
    assert not any(reason.startswith("skills from the title alone") for reason in row.review)


def test_near_exact_score_is_stricter_than_the_confident_score() -> None:
    from skillmap.align import DEFAULT_CONFIDENT_SCORE

    assert DEFAULT_CONFIDENT_SCORE < TITLE_ONLY_NEAR_EXACT <= 1.0
