"""`align --check` on list fields (skills, labels, scores, review reasons): what was added and removed, not two cuts."""

from __future__ import annotations

from dataclasses import replace

from skillmap.alignment_table import compare_tables, parse_table
from skillmap.model import Match
from skillmap.outputs.tables import render_csv
from tests.test_outputs_tables import HEADERS, SKILL, _alignment

COACH = Match(uri=SKILL + "coach", label="coach clients", matched_label="coach clients", score=0.61, kind="skill")


def _describe(old_rows, new_rows) -> str:
    old = parse_table(render_csv(old_rows, HEADERS), ".csv")
    new = parse_table(render_csv(new_rows, HEADERS), ".csv")
    return compare_tables(old, new, key_candidates=["Code"]).describe()


def test_check_names_the_skills_added_and_removed() -> None:
    before = _alignment(1, "Q1", "Electrical installation")
    after = replace(before, skills=(COACH, before.skills[1]))
    text = _describe([before], [after])
    assert "skill_labels: added 'coach clients'; removed 'install wiring'" in text
    assert f"skills: added '{SKILL}coach'; removed '{SKILL}'" in text


def test_check_says_when_only_the_order_of_skills_changed() -> None:
    before = _alignment(1, "Q1", "Electrical installation")
    after = replace(before, skills=tuple(reversed(before.skills)))
    assert "skill_labels: same items, new order" in _describe([before], [after])


def test_check_shows_a_new_review_reason() -> None:
    before = _alignment(1, "Q1", "Electrical installation")
    after = replace(before, review=("low confidence: best skill score 0.52 < 0.60",))
    assert "review_reasons: added 'low confidence: best skill score 0.52 < 0.60'" in _describe([before], [after])
