"""Clauses of a statement, for the semantic matcher's clause views: split at "and" words, labels kept whole."""

from __future__ import annotations

import pytest

from skillmap.text.clauses import conjunctions, split_clauses


def test_german_pv_sentence_splits_into_its_two_tasks() -> None:
    assert split_clauses("Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen", "de") == (
        "Photovoltaikanlagen montieren",
        "Wechselrichter in Betrieb nehmen",
    )


@pytest.mark.parametrize(
    ("statement", "lang"),
    [
        ("health and safety", "en"),
        ("research and development", "en"),
        ("Forschung und Entwicklung", "de"),
        ("Kierownik działu sprzedaży i marketingu", "pl"),  # "marketingu" alone is one word: kept with its side
        ("install solar panels", "en"),
    ],
)
def test_coordinated_labels_and_plain_statements_are_not_split(statement: str, lang: str) -> None:
    assert split_clauses(statement, lang) == ()


def test_one_word_side_stays_with_its_neighbour() -> None:
    assert split_clauses("plan research and development and install solar panels", "en") == (
        "plan research and development",
        "install solar panels",
    )


def test_the_words_of_the_statements_language_are_used() -> None:
    assert split_clauses("installare pannelli solari e collaudare gli inverter", "it") == (
        "installare pannelli solari",
        "collaudare gli inverter",
    )
    # Italian "e" is no break in English, nor "and" in an unknown language
    assert split_clauses("installare pannelli solari e collaudare gli inverter", "en") == ()
    assert split_clauses("install solar panels and test inverters", None) == ()
    assert split_clauses("install solar panels and test inverters", "en-GB") == (
        "install solar panels",
        "test inverters",
    )


def test_every_language_of_the_word_list_has_words() -> None:
    words = conjunctions()
    assert {"en", "de", "fr", "es", "it", "pl"} <= set(words)
    assert all(words.values())
