"""Statement splitting and word normalisation: what the matcher sees of a text."""

from __future__ import annotations

import csv

import pytest

from skillmap.text import fold, has_stemmer, light_stem, split_statements, stem_words, words
from tests.conftest import SHARED, needs_shared


def test_paragraph_of_learning_outcomes_is_split_into_statements() -> None:
    text = (
        "Learning outcomes: A1C1. Install photovoltaic panels on roofs. A1C2. Check wiring; test inverters.\n"
        "- Use measuring tools\n"
        "• Keep a logbook\n"
        "2) Communicate with clients. The learner plans the work."
    )
    assert split_statements(text) == [
        "Learning outcomes",
        "Install photovoltaic panels on roofs",
        "Check wiring",
        "test inverters",
        "Use measuring tools",
        "Keep a logbook",
        "Communicate with clients",
        "The learner plans the work",
    ]


def test_abbreviations_decimals_and_titles_do_not_end_a_statement() -> None:
    assert split_statements("Use tools, e.g. Multimeters and testers") == ["Use tools, e.g. Multimeters and testers"]
    assert split_statements("Apply standard EN 62446 version 2.5 of the norm") == [
        "Apply standard EN 62446 version 2.5 of the norm"
    ]
    assert split_statements("Work with Dr. Smith on site") == ["Work with Dr. Smith on site"]


def test_words_ending_like_an_abbreviation_still_end_a_sentence() -> None:
    # "book." / "piano." end in "ok." / "no." but are words, not abbreviations
    assert split_statements("Read the handbook. Write a report. Tune the piano. Play it.") == [
        "Read the handbook",
        "Write a report",
        "Tune the piano",
        "Play it",
    ]


def test_spaced_and_national_abbreviations_do_not_end_a_statement() -> None:
    assert split_statements("Sie installieren z. B. PV-Anlagen bzw. Wärmepumpen gem. DIN VDE 0100. Sie prüfen.") == [
        "Sie installieren z. B. PV-Anlagen bzw. Wärmepumpen gem. DIN VDE 0100",
        "Sie prüfen",
    ]
    assert split_statements("Poser des panneaux, p. ex. photovoltaïques (cf. art. 3).") == [
        "Poser des panneaux, p. ex. photovoltaïques (cf. art. 3)"
    ]


def test_a_single_statement_comes_back_whole() -> None:
    assert split_statements("install solar panels") == ["install solar panels"]
    assert split_statements("   ") == []
    assert split_statements("-- ; •") == []


@needs_shared
def test_statements_never_cut_a_word_on_real_texts() -> None:
    """Every word of every statement is a whole word of the input, in order (only list markers are dropped)."""
    with (SHARED / "eval" / "skillskape-dev.gold.csv").open(encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    texts.append("A1C1. Install panels; A1C2. Check wiring\n1. Plan work 2. Report results")
    for text in texts:
        original = words(text)
        pieces = [w for statement in split_statements(text) for w in words(statement)]
        position = 0
        for word in pieces:  # each piece word appears, whole, at or after the previous one
            position = original.index(word, position) + 1


def test_words_keep_language_names_and_drop_placeholders_and_gender_markers() -> None:
    assert words("Strong C#, C++ and .NET skills at <ORGANIZATION>") == [
        "strong",
        "c#",
        "c++",
        "and",
        "net",
        "skills",
        "at",
    ]
    assert words("Elektriker (m/w/d)") == ["elektriker"]
    assert fold("Électricienne") == "electricienne"


def test_plural_s_is_dropped_but_not_from_short_words_or_ss() -> None:
    assert light_stem("Executives") == "executive"
    assert light_stem("business") == "business"
    assert light_stem("bus") == "bus"


@pytest.mark.parametrize("lang", ["en", "fr", "de", "pl"])
def test_languages_of_the_eval_sets_have_a_snowball_stemmer(lang: str) -> None:
    assert has_stemmer(lang)
    assert stem_words(["installing"], "en") == ["instal"]


def test_language_without_stemmer_falls_back_to_a_light_prefix() -> None:
    assert not has_stemmer("mt")
    assert stem_words(["elettriċisti"], "mt") == ["elettr"]


def test_word_hyphenated_across_a_line_break_stays_one_word() -> None:
    text = "Carry out electrical instal-\nlation work on PV-\r\nAnlagen\n- communicate with customers"
    assert split_statements(text) == [
        "Carry out electrical installation work on PV-Anlagen",
        "communicate with customers",
    ]
