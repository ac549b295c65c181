"""Matching and evaluation on the real ESCO v1.1.1 (English) and the dev gold sets of ../shared/eval.

The full index is built once per session straight from the ESCO zip (a few seconds).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from skillmap.evaluation import evaluate
from skillmap.match import ConceptIndex
from tests.conftest import ESCO_EN_ZIP, SHARED, needs_shared

pytestmark = needs_shared

EVAL = SHARED / "eval"
# rapidfuzz token_set_ratio baseline, from ../shared/eval/BASELINES.md: (MRR, RP@5)
BASELINE = {
    "decorte-tech-validation": (0.4831, 0.4760),
    "decorte-house-validation": (0.3916, 0.3962),
    "melo-pol-pl-pl": (0.5058, 0.6283),
}
PV_INSTALL = "http://data.europa.eu/esco/skill/18d3f89a-6ac5-4ca6-bf93-0baec4e13bcd"  # install photovoltaic systems
PV_MOUNT = "http://data.europa.eu/esco/skill/08a5f6dd-d3dd-4371-9919-6d730f34499c"  # mount photovoltaic panels
ELECTRICIAN = "http://data.europa.eu/esco/occupation/4910419f-b4af-4f59-b544-9dbebc8a74f0"  # electrician


@pytest.fixture(scope="session")
def esco_index() -> ConceptIndex:
    from skillmap.sources.esco_csv import read_esco_csv

    return ConceptIndex.build(read_esco_csv([ESCO_EN_ZIP]))


def test_photovoltaic_text_finds_the_solar_panel_installation_skills(esco_index: ConceptIndex) -> None:
    top = [h.uri for h in esco_index.search("photovoltaic", top=5)]
    assert PV_INSTALL in top and PV_MOUNT in top
    hit = esco_index.search("solar panel installation", top=1)[0]
    assert (hit.uri, hit.label) == (PV_MOUNT, "mount photovoltaic panels")


def test_occupation_title_finds_the_occupation(esco_index: ConceptIndex) -> None:
    hits = esco_index.search("Electricians", kind="occupation", top=3)
    assert hits[0].uri == ELECTRICIAN
    assert all(h.kind == "occupation" for h in hits)


def test_learning_outcomes_paragraph_matches_each_statement(esco_index: ConceptIndex) -> None:
    text = (
        "A1C1. Install photovoltaic systems on residential roofs.\n"
        "A1C2. Communicate with customers about maintenance; keep records of the work."
    )
    hits = esco_index.search(text, top=10)
    by_uri = {h.uri: h for h in hits}
    assert PV_INSTALL in by_uri
    assert by_uri[PV_INSTALL].statement == "Install photovoltaic systems on residential roofs"
    assert {h.statement for h in hits} >= {
        "Install photovoltaic systems on residential roofs",
        "Communicate with customers about maintenance",
    }


def test_one_letter_skill_does_not_win_inside_a_sentence(esco_index: ConceptIndex) -> None:
    hits = esco_index.search("Experience with statistical analysis in R and SQL databases", top=5)
    assert hits[0].matched_label != "R"
    assert esco_index.search("R", top=1)[0].label == "R"


def test_ranking_is_reproducible_and_ties_go_to_the_smaller_uri(esco_index: ConceptIndex) -> None:
    text = "cooperate with colleagues"  # an alternative label of several skills: they tie
    first = esco_index.search(text, top=20)
    assert first == esco_index.search(text, top=20)
    for a, b in itertools.pairwise(first):
        assert (a.score > b.score) or (a.score == b.score and a.uri < b.uri)
    assert first[0].matched_label == first[0].label == "cooperate with colleagues"
    tied = [h for h in first if h.matched_label == "cooperate with colleagues"][1:]
    assert len(tied) >= 2 and len({h.score for h in tied}) == 1


@pytest.mark.parametrize("name", ["decorte-tech-validation", "decorte-house-validation"])
def test_dev_set_beats_the_rapidfuzz_baseline(esco_index: ConceptIndex, name: str) -> None:
    result = evaluate(EVAL / f"{name}.gold.csv", esco_index)
    mrr, rp5 = BASELINE[name]
    assert result.missing_uris == 0
    assert result.mrr > mrr
    assert result.rp_at_5 > rp5


def test_polish_occupation_titles_beat_the_baseline_on_their_taxonomy() -> None:
    from skillmap.sources.taxonomy import read_taxonomy

    taxonomy = read_taxonomy(EVAL / "melo-pol-pl-pl.taxonomy.csv")
    result = evaluate(EVAL / "melo-pol-pl-pl.gold.csv", taxonomy)
    mrr, rp5 = BASELINE["melo-pol-pl-pl"]
    assert result.n == 1937
    assert result.mrr > mrr and result.rp_at_5 > rp5


def test_batch_hits_agree_with_the_full_score_matrix(esco_index: ConceptIndex) -> None:
    # search_many keeps only each statement's top concepts and scores a repeated statement once; the full
    # matrix of evaluation scores every concept: both must give the same ranking (score desc, URI asc).
    texts = [
        "Electrician. Install and maintain photovoltaic systems on residential roofs; wire electrical panels",
        "Bake bread and pastries. Install and maintain photovoltaic systems on residential roofs",
        "Electrician",
        "teach mathematics to secondary school pupils",
    ]
    for kind in ("skill", "occupation"):
        hits = esco_index.search_many(texts, kind=kind, top=10)
        scores, positions = esco_index.score_matrix(texts, kind=kind)
        for text_hits, row in zip(hits, scores, strict=True):
            order = np.argsort(-row, kind="stable")[:10]  # columns are in URI order: ties go to the smaller URI
            assert [h.uri for h in text_hits] == esco_index.uris(positions[order])
            assert [h.score for h in text_hits] == pytest.approx(row[order].tolist(), abs=1e-6)


def test_one_kind_scores_like_that_kind_among_all_concepts(esco_index: ConceptIndex) -> None:
    # scoring one kind reads only that kind's postings; the scores must not change (a text that reads the same as
    # an occupation title: titles matched to occupations have their plural words put in the singular)
    text = "install and repair electrical wiring in a building"
    everything = [h for h in esco_index.search(text, kind=None, top=300) if h.kind == "occupation"]
    assert len(everything) >= 10
    assert esco_index.search(text, kind="occupation", top=10) == everything[:10]
