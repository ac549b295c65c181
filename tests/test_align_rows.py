"""align_table: each row gets a level, ESCO skills and occupations, and review reasons; nothing is dropped."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from skillmap.align import DEFAULT_MIN_SCORE, align_table, summarise, title_for_matching
from skillmap.errors import SkillmapError
from skillmap.model import Match
from skillmap.sources.frameworks import load_frameworks
from skillmap.sources.spreadsheets import InputTable, detect_columns, read_table
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "certificates.xlsx"


@pytest.fixture(scope="module")
def frameworks():
    return load_frameworks()


@pytest.fixture(scope="module")
def sample_index():
    """The bundled ESCO sample index (what `skillmap align` uses before any import)."""
    import os
    import tempfile

    from skillmap.store import open_index

    previous = os.environ.get("SKILLMAP_HOME")
    with tempfile.TemporaryDirectory() as home:
        os.environ["SKILLMAP_HOME"] = home
        try:
            loaded = open_index()
        finally:
            if previous is None:
                os.environ.pop("SKILLMAP_HOME", None)
            else:
                os.environ["SKILLMAP_HOME"] = previous
    assert loaded.info.origin == "sample"
    return loaded.index


class CountingIndex:
    """Wraps an index and records every batch of texts searched."""

    def __init__(self, index) -> None:
        self.index = index
        self.calls: list[tuple[str, list[str]]] = []

    def search_many(self, texts: Sequence[str], **options) -> list[list[Match]]:
        self.calls.append((options["kind"], list(texts)))
        return self.index.search_many(texts, **options)


def _table(rows: list[list[str]], headers: Sequence[str] = ("Title", "Level", "Learning outcomes")) -> InputTable:
    return InputTable(path="t.csv", format="csv", headers=tuple(headers), rows=tuple(tuple(r) for r in rows))


@pytest.fixture(scope="module")
def example_alignments(frameworks, sample_index):
    table = read_table(EXAMPLE)
    return align_table(table, detect_columns(table.headers), country=None, frameworks=frameworks, index=sample_index)


def test_every_example_row_comes_back_in_order(example_alignments) -> None:
    assert [a.row_number for a in example_alignments] == list(range(1, 13))
    assert example_alignments[0].title == "Elektroniker/-in für Energie- und Gebäudetechnik"


def test_national_levels_resolve_to_eqf_levels(example_alignments) -> None:
    levels = {a.row["Code"]: (a.level.country, a.level.eqf_level, a.level.status) for a in example_alignments}
    assert levels["DE-EGT-4"] == ("DE", 4, "ok")
    assert levels["FR-CAP-ELEC"] == ("FR", 3, "ok")
    assert levels["GB-L3-ELEC"] == ("GB-ENG", 4, "ok")  # RQF 3 is EQF 4
    assert levels["IE-ELEC-6"] == ("IE", 5, "ok")  # lower-case "ie" in the sheet; NFQ 6 is EQF 5


def test_ambiguous_and_missing_levels_are_flagged_not_guessed(example_alignments) -> None:
    by_code = {a.row["Code"]: a for a in example_alignments}
    for code in ("GB-EL-DIG", "GB-L12-ROBO"):
        assert by_code[code].level.status == "ambiguous"
        assert by_code[code].level.eqf_level is None
        assert "ambiguous level" in by_code[code].review
    assert by_code["IT-AI-MC"].level.status == "missing"
    assert "no level given" in by_code["IT-AI-MC"].review


def test_skills_come_from_the_learning_outcomes(example_alignments) -> None:
    by_code = {a.row["Code"]: a for a in example_alignments}
    pv_labels = [m.label for m in by_code["NL-PV-2"].skills]
    assert any("photovoltaic" in label or "solar" in label for label in pv_labels)
    ai_labels = [m.label for m in by_code["IT-AI-MC"].skills]
    assert any("machine learning" in label or "neural" in label for label in ai_labels)
    for alignment in example_alignments:
        scores = [m.score for m in alignment.skills]
        assert scores == sorted(scores, reverse=True) and all(DEFAULT_MIN_SCORE <= s <= 1 for s in scores)
        assert len(alignment.skills) <= 5


def test_formula_cell_is_a_review_reason(example_alignments) -> None:
    pv = next(a for a in example_alignments if a.row["Code"] == "GB-L2-PV")
    assert any(reason.startswith("formula in 'Code'") for reason in pv.review)


def test_identical_texts_are_searched_once(frameworks, sample_index) -> None:
    rows = [["Solar installer", "Level 2", "Install photovoltaic systems."]] * 50
    index = CountingIndex(sample_index)
    alignments = align_table(
        _table(rows),
        detect_columns(("Title", "Level", "Learning outcomes")),
        country="GB-ENG",
        frameworks=frameworks,
        index=index,
    )
    searched = [text for _, texts in index.calls for text in texts]
    assert sorted(searched) == sorted(["Solar installer", "Install photovoltaic systems.", "Solar installer"])
    assert len({a.skills for a in alignments}) == 1 and len(alignments) == 50


def test_progress_reports_every_text(frameworks, sample_index) -> None:
    seen: list[tuple[int, int]] = []
    rows = [[f"Course {i}", "Level 2", f"Install heat pump number {i}"] for i in range(7)]
    align_table(
        _table(rows),
        detect_columns(("Title", "Level", "Learning outcomes")),
        country="GB-ENG",
        frameworks=frameworks,
        index=sample_index,
        batch_size=4,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[0] == (0, 21) and seen[-1] == (21, 21)


def test_row_without_any_skill_above_threshold_is_flagged(frameworks, sample_index) -> None:
    table = _table([["Zzyzx qwv", "Level 2", "Xqj vvkz plorb."]])
    (alignment,) = align_table(
        table, detect_columns(table.headers), country="GB-ENG", frameworks=frameworks, index=sample_index, min_score=0.9
    )
    assert alignment.skills == ()
    assert "no ESCO skill scored 0.90 or more" in alignment.review


def test_unknown_country_in_a_row_flags_that_row_only(frameworks) -> None:
    table = _table(
        [["Plumber", "Level 2", "FR"], ["Baker", "niveau 3", "Atlantis"]], headers=("Title", "Level", "Country")
    )
    first, second = align_table(table, detect_columns(table.headers), country=None, frameworks=frameworks, index=None)
    assert first.level.status == "ok" and first.level.eqf_level == 2
    assert second.level.status == "unknown" and "Atlantis" in second.level.reason
    assert second.review


def test_empty_country_cell_falls_back_to_the_given_country(frameworks) -> None:
    table = _table([["Plumber", "Level 2", ""]], headers=("Title", "Level", "Country"))
    (alignment,) = align_table(
        table, detect_columns(table.headers), country="GB-ENG", frameworks=frameworks, index=None
    )
    assert (alignment.level.country, alignment.level.eqf_level) == ("GB-ENG", 3)


def test_unknown_given_country_is_an_error(frameworks) -> None:
    table = _table([["Plumber", "Level 2", ""]])
    with pytest.raises(SkillmapError, match="XY"):
        align_table(table, detect_columns(table.headers), country="XY", frameworks=frameworks, index=None)


def test_no_country_at_all_is_an_error(frameworks) -> None:
    table = _table([["Plumber", "Level 2", ""]])
    with pytest.raises(SkillmapError, match="no country: give the country code"):
        align_table(table, detect_columns(table.headers), country=None, frameworks=frameworks, index=None)


def test_entry_level_sub_level_from_the_title_only_when_asked(frameworks) -> None:
    table = _table([["Entry 3 Award in Employability", "Entry Level", ""]])
    columns = detect_columns(table.headers)
    (plain,) = align_table(table, columns, country="GB-ENG", frameworks=frameworks, index=None)
    assert plain.level.status == "ambiguous" and plain.level.eqf_level is None
    (hinted,) = align_table(table, columns, country="GB-ENG", frameworks=frameworks, index=None, level_from_title=True)
    assert hinted.level.eqf_level == 1 and hinted.level.from_title
    assert "level sub-level read from the title" in hinted.review


@pytest.mark.parametrize(
    "title,level,body,expected",
    [
        ("City & Guilds Level 2 Award in Plumbing (RQF)", "Level 2", "City & Guilds", "Plumbing"),
        ("BTEC Level 3 National Extended Diploma in Electrical Engineering", "Level 3", "", "Electrical Engineering"),
        ("CAP Électricien de maintenance", "niveau 3", "", "Électricien de maintenance"),
        ("Técnico Superior en Automatización", "nivel 5", "", "Automatización"),
        (
            "Elektroniker/-in für Energie- und Gebäudetechnik",
            "DQR 4",
            "",
            "Elektroniker/-in für Energie- und Gebäudetechnik",
        ),
        ("Level 3", "Level 3", "", "Level 3"),  # nothing would be left: keep the title
    ],
)
def test_title_for_matching_keeps_the_subject(title: str, level: str, body: str, expected: str) -> None:
    assert title_for_matching(title, level, body) == expected


def test_summary_counts_levels_and_statuses(example_alignments) -> None:
    summary = summarise(example_alignments)
    assert summary.rows == 12
    assert summary.by_status["ambiguous"] == 2 and summary.by_status["missing"] == 1
    assert summary.by_level["none"] == {"ambiguous": 2, "missing": 1}
    assert sum(sum(c.values()) for c in summary.by_level.values()) == 12
    assert summary.needs_review == sum(1 for a in example_alignments if a.review)


def test_alignment_is_deterministic(frameworks, sample_index, example_alignments) -> None:
    table = read_table(Path(EXAMPLE))
    again = align_table(table, detect_columns(table.headers), country=None, frameworks=frameworks, index=sample_index)
    assert again == example_alignments


def test_parallel_matching_gives_the_same_alignments(frameworks, sample_index, monkeypatch) -> None:
    import skillmap.align.batches

    monkeypatch.setattr(skillmap.align.batches, "PARALLEL_MIN_TEXTS", 10)
    rows = [[f"Solar installer {i}", "Level 2", f"Install photovoltaic systems and inverter {i}."] for i in range(40)]
    table = _table(rows)
    columns = detect_columns(table.headers)
    seen: list[tuple[int, int]] = []
    options = {"country": "GB-ENG", "frameworks": frameworks, "index": sample_index, "batch_size": 8}
    one = align_table(table, columns, workers=1, **options)
    two = align_table(table, columns, workers=2, progress=lambda d, t: seen.append((d, t)), **options)
    assert one == two and any(a.skills for a in two)
    assert seen[-1] == (120, 120)


def test_an_index_without_occupations_still_aligns_skills(frameworks, sample_index) -> None:
    class SkillsOnly(CountingIndex):
        def kinds(self) -> list[str]:
            return ["skill"]

    index = SkillsOnly(sample_index)
    table = _table([["Solar installer", "Level 2", "Install photovoltaic systems."]])
    (alignment,) = align_table(
        table, detect_columns(table.headers), country="GB-ENG", frameworks=frameworks, index=index
    )
    assert alignment.skills and alignment.occupations == ()
    assert {kind for kind, _ in index.calls} == {"skill"}


def test_unknown_match_language_fails_before_any_work(frameworks, sample_index) -> None:
    table = _table([["Solar installer", "Level 2", "Install photovoltaic systems."]])
    with pytest.raises(SkillmapError, match="no labels in xx"):
        align_table(
            table,
            detect_columns(table.headers),
            country="GB-ENG",
            frameworks=frameworks,
            index=sample_index,
            langs=["xx"],
        )
