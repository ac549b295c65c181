"""Ranking concepts for free text on small classifications written here (no reference data needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.match import ConceptIndex, match_occupations, match_skills
from skillmap.model import Classification, Concept, Label


def concept(uri: str, kind: str, *labels: tuple[str, str, str]) -> Concept:
    return Concept(uri=uri, kind=kind, labels=tuple(Label(text, lang, role) for text, lang, role in labels))


@pytest.fixture(scope="module")
def small_index() -> ConceptIndex:
    concepts = [
        concept("http://x/skill/b-bread", "skill", ("bake bread", "en", "pref"), ("cuire du pain", "fr", "pref")),
        concept("http://x/skill/a-bread", "skill", ("bake bread", "en", "pref")),
        concept(
            "http://x/skill/solar",
            "skill",
            ("install solar panels", "en", "pref"),
            ("mount photovoltaic modules", "en", "alt"),
            ("installer des panneaux solaires", "fr", "pref"),
        ),
        concept("http://x/skill/r", "skill", ("R", "en", "pref")),
        concept("http://x/skill/stats", "skill", ("perform statistical analysis", "en", "pref")),
        concept("http://x/skill/weld", "skill", ("weld steel pipes", "en", "pref"), ("weld", "en", "hidden")),
        concept("http://x/skill/customers", "skill", ("communicate with customers", "en", "pref")),
        concept("http://x/occupation/baker", "occupation", ("baker", "en", "pref"), ("boulanger", "fr", "pref")),
        concept("http://x/occupation/electrician", "occupation", ("electrician", "en", "pref")),
    ]
    classification = Classification("test", "1", ("en", "fr"), tuple(sorted(concepts, key=lambda c: c.uri)))
    return ConceptIndex.build(classification)


def test_exact_label_scores_one_and_ranks_first(small_index: ConceptIndex) -> None:
    hits = small_index.search("install solar panels")
    assert hits[0].uri == "http://x/skill/solar"
    assert hits[0].score == pytest.approx(1.0)
    assert hits[0].matched_label == "install solar panels"
    assert all(0.0 <= h.score <= 1.0 for h in hits)


def test_alternative_label_is_reported_as_the_matched_label(small_index: ConceptIndex) -> None:
    hit = small_index.search("mounting photovoltaic modules", top=1)[0]
    assert (hit.uri, hit.label, hit.matched_label) == (
        "http://x/skill/solar",
        "install solar panels",
        "mount photovoltaic modules",
    )


def test_ties_are_broken_by_ascending_uri(small_index: ConceptIndex) -> None:
    hits = small_index.search("bake bread", langs=["en"], top=2)
    assert [h.uri for h in hits] == ["http://x/skill/a-bread", "http://x/skill/b-bread"]
    assert hits[0].score == hits[1].score


def test_one_letter_label_does_not_win_inside_a_long_text(small_index: ConceptIndex) -> None:
    hits = small_index.search("We expect strong statistical analysis skills in R for this role")
    assert hits[0].uri == "http://x/skill/stats"
    r_hit = next(h for h in hits if h.uri == "http://x/skill/r")
    assert r_hit.score < hits[0].score
    # ... but the letter alone is an exact match
    assert small_index.search("R", top=1)[0].uri == "http://x/skill/r"


def test_paragraph_hits_name_the_statement_that_produced_them(small_index: ConceptIndex) -> None:
    text = "A1C1. Install solar panels on roofs. A1C2. Communicate with customers about the installation."
    hits = {h.uri: h for h in small_index.search(text, top=5)}
    assert hits["http://x/skill/solar"].statement == "Install solar panels on roofs"
    assert hits["http://x/skill/customers"].statement == "Communicate with customers about the installation"


def test_kind_and_language_restrict_what_is_matched(small_index: ConceptIndex) -> None:
    assert [h.uri for h in match_occupations(small_index, "baker", top=1)] == ["http://x/occupation/baker"]
    assert all(h.kind == "skill" for h in match_skills(small_index, "baker"))
    french = small_index.search("installer des panneaux solaires", langs=["fr"], top=3)
    assert french[0].uri == "http://x/skill/solar"
    assert {h.lang for h in french} == {"fr"}
    assert french[0].label == "installer des panneaux solaires"  # preferred label in the matched language


def test_min_score_and_top_limit_the_hits(small_index: ConceptIndex) -> None:
    assert len(small_index.search("weld steel pipes and bake bread", top=2)) == 2
    hits = small_index.search("weld steel pipes and bake bread", min_score=0.5)
    assert hits and all(h.score >= 0.5 for h in hits)


def test_text_without_words_has_no_hits(small_index: ConceptIndex) -> None:
    assert small_index.search("") == []
    assert small_index.search(" ;;; ") == []
    assert small_index.search("zzzzqqq") == []


def test_search_many_gives_the_same_hits_as_search(small_index: ConceptIndex) -> None:
    texts = ["bake bread", "", "install solar panels; talk to customers", "electrician"] * 30
    many = small_index.search_many(texts, kind="skill", top=4)
    assert len(many) == len(texts)
    for text, hits in zip(texts, many, strict=True):
        assert hits == small_index.search(text, kind="skill", top=4)


def test_saved_index_loads_and_ranks_identically(small_index: ConceptIndex, tmp_path: Path) -> None:
    small_index.save(tmp_path)
    assert all(p.name.startswith("match-") for p in tmp_path.iterdir())
    loaded = ConceptIndex.load(tmp_path)
    assert loaded.kinds() == ["occupation", "skill"]
    text = "Install solar panels. Weld steel pipes. Bake bread."
    assert loaded.search(text, top=6) == small_index.search(text, top=6)
    meta = json.loads((tmp_path / "match-meta.json").read_text(encoding="utf-8"))
    assert meta["concepts"] == 9


def test_building_twice_gives_byte_identical_index(small_index: ConceptIndex, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    small_index.save(first)
    ConceptIndex.load(first).save(second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_unknown_kind_or_language_is_a_clear_error(small_index: ConceptIndex) -> None:
    with pytest.raises(SkillmapError, match="no concepts of kind 'qualification'"):
        small_index.search("baker", kind="qualification")
    with pytest.raises(SkillmapError, match="no labels in de"):
        small_index.search("Bäcker", langs=["de"])


def test_damaged_index_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SkillmapError, match="re-run `skillmap esco import`"):
        ConceptIndex.load(tmp_path)


def test_empty_classification_builds_and_finds_nothing() -> None:
    index = ConceptIndex.build(Classification("empty", "0", (), ()))
    assert index.kinds() == []
    assert index.search("anything", kind=None) == []


def test_a_very_long_text_is_scored_in_chunks_with_the_same_hits(small_index: ConceptIndex) -> None:
    filler = [f"item {n} of the inventory" for n in range(150)]
    statements = [*filler[:120], "mount photovoltaic modules", *filler[120:], "bake bread"]
    hits = small_index.search("\n".join(statements), top=3)
    solar = next(h for h in hits if h.uri == "http://x/skill/solar")
    assert (solar.statement, solar.matched_label) == ("mount photovoltaic modules", "mount photovoltaic modules")
    short = small_index.search("mount photovoltaic modules\nbake bread", top=3)
    assert [(h.uri, h.score) for h in hits] == [(h.uri, h.score) for h in short]


def test_a_statement_repeated_across_texts_gives_each_text_its_own_statement(small_index: ConceptIndex) -> None:
    texts = ["weld steel pipes\nbake bread", "bake bread", "install solar panels\nbake bread\nbake bread"]
    many = small_index.search_many(texts, top=3)
    assert [[(h.uri, h.statement) for h in hits] for hits in many] == [
        [(h.uri, h.statement) for h in small_index.search(text, top=3)] for text in texts
    ]
    bread = [h for h in many[2] if h.uri == "http://x/skill/a-bread"]
    assert bread and bread[0].statement == "bake bread" and bread[0].score == pytest.approx(1.0)


def test_a_huge_word_is_matched_without_widening_the_vocabulary() -> None:
    import tracemalloc

    # 600 distinct words: comparing a 40,000-letter word to them as equals once took 600 × 160 kB ≈ 96 MB
    words_ = [f"word{n:03d}" for n in range(600)]
    concepts = [concept(f"http://x/skill/{w}", "skill", (f"{w} skill", "en", "pref")) for w in words_]
    index = ConceptIndex.build(Classification("test", "1", ("en",), tuple(concepts)))
    tracemalloc.start()
    try:
        hits = index.search("x" * 40_000 + " word007", kind="skill", top=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert hits[0].uri == "http://x/skill/word007"
    assert peak < 30_000_000
