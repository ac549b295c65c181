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


class FixedIndex:
    """An index answering the bookkeeping title with the matches the full ESCO gives, and outcome text with wiring."""

    def kinds(self) -> list[str]:
        return ["skill"]

    def search_many(self, texts: Sequence[str], **options: object) -> list[list[Match]]:
        def hits(text: str) -> list[Match]:
            if "bookkeeping" in text.lower():
                return [ACCOUNTING, ACTUARIAL]
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


def test_aat_bookkeeping_title_listing_actuarial_science_is_flagged_for_review(frameworks) -> None:
    (row,) = _align(frameworks, [["AAT Level 1 Award in Bookkeeping", "Level 1", ""]])
    assert [m.label for m in row.skills] == ["accounting", "actuarial science"]
    assert row.review == (
        f"skills from the title alone: actuarial science 0.80 under the near-exact {TITLE_ONLY_NEAR_EXACT:.2f}",
    )
    assert reason_kind(row.review[0]) == "skills from the title alone"


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
