"""The signals of `suggest_level` beyond cue phrases: resembling register records, the multilingual model, decoding."""

from __future__ import annotations

import json
from pathlib import Path

import skillmap

PV_OUTCOMES = (
    "Install and commission photovoltaic systems under the supervision of a qualified electrician; follow safety rules"
)
REGISTER_ROWS = [
    ("RNCP35001", "BTS Électrotechnique", "5", "Concevoir et mettre en service des installations électriques"),
    ("RNCP35002", "CAP Installateur photovoltaïque", "3", "Installer et raccorder des modules photovoltaïques"),
    ("RNCP35003", "Master Droit des affaires", "7", "Conseiller les entreprises en droit des contrats"),
    ("RNCP35004", "Titre Cuisinier", "3", "Préparer des plats en cuisine"),
]


def _import_register(home: Path) -> Path:
    path = home / "levelled.csv"
    lines = ["Code,Title,Level,Learning outcomes", *(",".join(f'"{c}"' for c in row) for row in REGISTER_ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skillmap.import_register(path, country="FR", name="demo")
    return path


def test_pv_installer_outcomes_suggest_level_3_or_4() -> None:
    result = skillmap.suggest_level(outcomes=PV_OUTCOMES)
    assert result.status == "suggested" and result.level in (3, 4)
    assert any(e.source.startswith("cue") for e in result.evidence)


def test_suggestion_cites_nearest_levelled_register_record(isolated_home: Path) -> None:
    _import_register(isolated_home)
    outcomes = "Installer et raccorder des modules photovoltaïques sur les toitures; respecter les consignes"
    result = skillmap.suggest_level(outcomes=outcomes)
    cited = [e for e in result.evidence if e.source.startswith("resembles")]
    assert cited, [e.describe() for e in result.evidence]
    assert cited[0].text == "RNCP35002 CAP Installateur photovoltaïque"
    assert (cited[0].low, cited[0].high) == (3, 3)
    assert "similarity 0." in cited[0].describe()
    assert not any("Droit" in e.text or "Cuisinier" in e.text for e in cited)  # unrelated records are not cited


def test_an_imported_register_pulls_the_suggestion_towards_its_resembling_records(isolated_home: Path) -> None:
    outcomes = "Installer et raccorder des modules photovoltaïques sur les toitures; respecter les consignes"
    before = skillmap.suggest_level(outcomes=outcomes)
    _import_register(isolated_home)
    after = skillmap.suggest_level(outcomes=outcomes)
    assert after.probabilities[3] > before.probabilities[3]
    unaided = skillmap.suggest_level(outcomes=outcomes, registers=False)
    assert json.dumps(unaided.to_dict()) == json.dumps(before.to_dict())


def test_another_registers_store_can_be_named(isolated_home: Path, tmp_path: Path) -> None:
    _import_register(isolated_home)
    store = isolated_home / "registers.sqlite"
    moved = tmp_path / "elsewhere.sqlite"
    store.rename(moved)
    outcomes = "Installer et raccorder des modules photovoltaïques sur les toitures"
    assert not any(e.source.startswith("resembles") for e in skillmap.suggest_level(outcomes=outcomes).evidence)
    named = skillmap.suggest_level(outcomes=outcomes, store_path=moved)
    assert any(e.source.startswith("resembles") for e in named.evidence)


def test_without_imported_registers_no_register_evidence_is_shown(run_cli) -> None:
    code, out, err = run_cli("suggest-level", "--outcomes", PV_OUTCOMES, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert not any(item["source"].startswith("resembles") for item in data["evidence"])
    assert "resembles" not in out + err


def test_the_suggestion_note_names_the_registers_only_when_their_records_were_used(isolated_home: Path) -> None:
    outcomes = "Installer et raccorder des modules photovoltaïques sur les toitures; respecter les consignes"
    alone = skillmap.suggest_level(outcomes=outcomes)
    assert not any("register" in note for note in alone.notes)  # nothing imported: the note does not claim it
    _import_register(isolated_home)
    aided = skillmap.suggest_level(outcomes=outcomes)
    assert any(e.source.startswith("resembles") for e in aided.evidence)
    assert any("imported registers" in note for note in aided.notes)


def test_german_outcomes_get_a_suggestion_from_the_multilingual_model() -> None:
    outcomes = "Forschungsprojekte leiten, neue wissenschaftliche Methoden entwickeln und Doktoranden betreuen"
    multilingual = skillmap.suggest_level(outcomes=outcomes)
    ngrams_only = skillmap.suggest_level(outcomes=outcomes, semantic=False)
    assert multilingual.status == "suggested"
    assert multilingual.probabilities != ngrams_only.probabilities  # the sentence vector was read
    assert multilingual.level >= 6
    assert not any("not used" in note for note in multilingual.notes)


def test_text_in_a_language_without_cue_data_gets_a_suggestion_and_a_note() -> None:
    result = skillmap.suggest_level(
        outcomes="Asenna ja ota käyttöön aurinkosähköjärjestelmiä pätevän sähköasentajan valvonnassa"
    )
    assert result.status == "suggested" and result.level is not None
    assert any("no cue data for" in note for note in result.notes), result.notes


def test_the_suggested_level_is_the_median_of_the_probabilities() -> None:
    from skillmap.levels_suggest.suggestion import median_level

    # most probable is 3, but more than half of the probability lies at 5 or above: 5 errs least on average
    assert median_level({1: 0.0, 2: 0.0, 3: 0.4, 4: 0.05, 5: 0.3, 6: 0.25, 7: 0.0, 8: 0.0}) == 5
    result = skillmap.suggest_level(outcomes=PV_OUTCOMES)
    assert result.level == median_level(result.probabilities)
