"""Texts in a language the index has no labels in: said once, in the report, and the rows go to review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmap.align import align_file
from skillmap.languages import language_without_labels
from skillmap.match import ConceptIndex
from tests.test_semantic_matching import ENGLISH


@pytest.fixture(scope="module")
def lexical_english() -> ConceptIndex:
    return ConceptIndex.build(ENGLISH)


@pytest.fixture
def german_register(tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text(
        "title,level,learning outcomes\n"
        "Elektroinstallateur,4,Die Absolventen montieren und prüfen elektrische Anlagen in Gebäuden\n"
        "Bäcker,3,Sie backen Brot und Brötchen und beraten die Kunden\n"
        "Install solar panels,4,Install solar panels on roofs and commission the inverters\n",
        encoding="utf-8",
    )
    return path


def test_german_rows_against_english_labels_are_flagged_for_review(
    german_register: Path, lexical_english: ConceptIndex
) -> None:
    run = align_file(german_register, country="DE", index=lexical_english, method="lexical")
    flagged = [a.title for a in run.alignments if any(r.startswith("language without labels") for r in a.review)]
    assert flagged == ["Elektroinstallateur", "Bäcker"]
    assert "text looks German (de); the index has en labels" in run.alignments[0].review[-1]


def test_the_language_notice_is_said_once_and_is_in_the_report(
    german_register: Path, lexical_english: ConceptIndex
) -> None:
    run = align_file(german_register, country="DE", index=lexical_english, method="lexical")
    language_notices = [line for line in run.notices if "texts look German (de)" in line]
    assert len(language_notices) == 1
    assert "2 of 3 rows" in language_notices[0]
    assert "import ESCO in that language, or use the semantic matcher" in language_notices[0]
    assert ("notice", language_notices[0]) in run.facts
    assert ("matching method", "lexical") in run.facts


def test_a_text_in_the_index_language_or_of_unknown_language_is_not_flagged() -> None:
    assert language_without_labels("Install electrical equipment in buildings and test the wiring", ["en"]) == ""
    assert language_without_labels("CAP", ["en"]) == ""
    assert language_without_labels("Photovoltaikanlagen montieren und prüfen", ["en", "fr"]) == (
        "text looks German (de); the index has en, fr labels"
    )


def test_skills_in_another_language_say_they_were_matched_across_languages(run_cli) -> None:
    code, _out, err = run_cli("skills", "Photovoltaikanlagen montieren und Wechselrichter prüfen", "--lang", "en")
    assert code == 0
    assert "texts look German (de); the index has en labels" in " ".join(err.split())


def test_evaluate_json_says_which_method_ranked(run_cli, tmp_path: Path) -> None:
    taxonomy = tmp_path / "taxonomy.csv"
    taxonomy.write_text(
        "uri,label,kind,lang\nhttp://x/1,baker,occupation,en\nhttp://x/2,electrician,occupation,en\n",
        encoding="utf-8",
    )
    gold = tmp_path / "gold.csv"
    gold.write_text("id,text,expected,kind,lang\n1,bakery worker,http://x/1,occupation,en\n", encoding="utf-8")
    code, out, _err = run_cli(
        "evaluate", str(gold), "--taxonomy", str(taxonomy), "--method", "lexical", "--format", "json"
    )
    assert code == 0
    result = json.loads(out)
    assert result["method"] == "lexical"
    assert result["mrr"] == 1.0


def test_the_readme_lang_de_example_works_as_written(run_cli) -> None:
    """Issue 14 item 1: the README's `--lang de` example must work as written (the sample has no German labels)."""
    import re
    import shlex

    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^skillmap occupations .*--lang de.*$", readme, flags=re.M)
    code, out, err = run_cli(*shlex.split(line)[1:], "--format", "json")
    assert code == 0, err
    hits = json.loads(out)
    assert "electrician" in {hit["label"] for hit in hits[:3]}  # not "pastry chef"
    assert "the index has no de labels" in " ".join(err.split())


@pytest.mark.parametrize(
    "title",
    ["AAT Level 1 Award in Bookkeeping", "City & Guilds Level 2 Diploma in Women's Hairdressing",
     "Open Awards Level 1 Award in E-Safety (RQF)", "OCN NI Level 2 Award in Modern Languages"],
)  # fmt: skip
def test_an_english_title_with_a_foreign_looking_word_is_not_flagged(title: str) -> None:
    """Issue 14 item 1, on the England list: these 55 English titles were flagged as Dutch, Slovenian, Italian…"""
    assert language_without_labels(title, ["en"]) == ""


def test_german_and_french_titles_are_still_flagged_against_english_labels() -> None:
    assert "German (de)" in language_without_labels("Kaufmann im Einzelhandel", ["en"])
    assert "French (fr)" in language_without_labels("Vendeur conseil en magasin", ["en"])
