"""Occupation titles as classifications write them: plural group names and "except" clauses."""

from __future__ import annotations

import pytest

from skillmap.match import ConceptIndex, match_occupations
from skillmap.model import Classification, Concept, Label
from skillmap.text import drop_exclusions, lower_case_title, occupation_title_for_matching, singular_title


def concept(uri: str, *labels: tuple[str, str]) -> Concept:
    return Concept(uri=uri, kind="occupation", labels=tuple(Label(text, "en", role) for text, role in labels))


@pytest.fixture(scope="module")
def occupations() -> ConceptIndex:
    return _occupations()


@pytest.fixture(scope="module")
def embedded_occupations() -> ConceptIndex:
    index = _occupations()
    assert index.embed(), index.semantic_note
    return index


def _occupations() -> ConceptIndex:
    concepts = [
        # an ISCO-style group, named in the plural, sorts before its occupations (…/isco/ < …/occupation/)
        concept("http://x/isco/C2142", ("Civil engineers", "pref")),
        concept("http://x/occupation/architect", ("architect", "pref")),
        concept("http://x/occupation/civil-engineer", ("civil engineer", "pref")),
        concept("http://x/occupation/landscape-architect", ("landscape architect", "pref")),
        concept("http://x/occupation/naval-architect", ("naval architect", "pref")),
        concept("http://x/occupation/secretary", ("secretary", "pref")),
    ]
    return ConceptIndex.build(Classification("test", "1", ("en",), tuple(sorted(concepts, key=lambda c: c.uri))))


def test_a_plural_title_finds_the_occupation_not_only_the_group_named_in_the_plural(occupations) -> None:
    hits = occupations.search("Civil Engineers", kind="occupation", top=2, method="lexical")
    assert hits[0].uri == "http://x/occupation/civil-engineer"
    assert hits[0].score == pytest.approx(1.0)
    assert hits[0].statement == "Civil Engineers"  # the hit names the title as written


def test_what_a_title_excludes_does_not_rank_above_what_it_names(occupations) -> None:
    hits = match_occupations(occupations, "Architects, Except Landscape and Naval", top=3)
    assert hits[0].uri == "http://x/occupation/architect"
    assert hits[0].score > hits[1].score


def test_evaluation_scores_titles_the_same_way_as_a_search(occupations) -> None:
    scores, positions = occupations.score_matrix(["Secretaries"], kind="occupation", method="lexical")
    best = occupations.uris(positions)[int(scores[0].argmax())]
    assert best == "http://x/occupation/secretary"
    assert float(scores[0].max()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("title", "lang", "expected"),
    [
        ("Architects, Except Landscape and Naval", "en", "Architects"),
        (
            "Mail Clerks and Mail Machine Operators, Except Postal Service",
            None,
            "Mail Clerks and Mail Machine Operators",
        ),
        ("CURTIDORES (EXCEPTO PIEL Y CUERO)", "es", "CURTIDORES"),
        (
            "Operatori di macchinari per prodotti chimici (farmaci esclusi)",
            "it",
            "Operatori di macchinari per prodotti chimici",
        ),
        ("Except", "en", "Except"),  # nothing would be left: kept
        ("Software developer", "en", "Software developer"),
    ],
)
def test_exclusion_clauses_are_dropped(title: str, lang: str | None, expected: str) -> None:
    assert drop_exclusions(title, lang) == expected


def test_plural_words_are_put_in_the_singular_keeping_their_case() -> None:
    assert singular_title("Waiters and Waitresses", "en") == "Waiter and Waitress"
    assert singular_title("SECRETARIES", "en") == "SECRETARY"
    assert singular_title("Coaches and Scouts", "en") == "Coach and Scout"
    # words that only end like plurals stay as they are
    assert singular_title("Sales Analysts, Physics, Bus", "en") == "Sales Analyst, Physics, Bus"
    # a language without plural endings in the data is left alone
    assert singular_title("Ingenieros civiles", "es") == "Ingenieros civiles"


def test_titles_are_read_in_lower_case_and_across_languages_keep_their_number() -> None:
    assert occupation_title_for_matching("Civil Engineers", "en", same_language=False) == "civil engineers"
    assert occupation_title_for_matching("Civil Engineers, Except Naval", "en", same_language=True) == "civil engineer"
    # acronyms and names with a capital inside keep their case
    assert lower_case_title("ICT Security Managers at McDonald's") == "ICT security managers at McDonald's"


def test_title_case_title_finds_the_lower_case_occupation_semantically(embedded_occupations) -> None:
    hits = embedded_occupations.search("Civil Engineers", kind="occupation", top=2, method="semantic")
    assert hits[0].uri == "http://x/occupation/civil-engineer"
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)
