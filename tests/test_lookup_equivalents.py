"""Equivalents across countries (level, shared ESCO skills and occupations, titles) and side-by-side comparison."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from skillmap.registers import compare, find_equivalents, import_register
from skillmap.registers.equivalents import rank_equivalents
from skillmap.registers.store import open_store
from tests.conftest import SHARED, imported_home, needs_shared

RNCP_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RS_fixture.xml"
DFE_CSV = SHARED / "registers" / "uk_dfe" / "approved.csv"
ESCO = "http://data.europa.eu/esco/"
ALIGN_FIELDS = [
    "Title", "Code", "country", "framework", "nqf_level", "eqf_level", "level_status", "level_reason", "skills",
    "skill_labels", "skill_scores", "occupations", "occupation_labels", "occupation_scores", "needs_review",
    "review_reasons",
]  # fmt: skip


def _aligned(path: Path, rows: list[tuple[str, str, str, int | None, list[str], list[str]]]) -> Path:
    """Write an `align`-style CSV: (title, code, country, eqf, skill ids, occupation ids)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ALIGN_FIELDS)
        for title, code, country, eqf, skills, occupations in rows:
            writer.writerow([
                title, code, country, "", eqf or "", eqf or "", "ok" if eqf else "missing", "",
                " | ".join(f"{ESCO}skill/{s}" for s in skills), " | ".join(skills), " | ".join("0.9" for _ in skills),
                " | ".join(f"{ESCO}occupation/{o}" for o in occupations), " | ".join(occupations),
                " | ".join("0.9" for _ in occupations), "no", "",
            ])  # fmt: skip
    return path


@pytest.fixture
def aligned_store(tmp_path: Path) -> Path:
    """Two `align` outputs imported as registers: German and French electrical qualifications with ESCO skills."""
    store = tmp_path / "registers.sqlite"
    german = _aligned(tmp_path / "de.csv", [
        ("Elektroniker/-in für Energie- und Gebäudetechnik", "DE-EG", "DE", 4,
         ["install-wiring", "test-circuits", "read-plans", "install-lighting"], ["electrician"]),
        ("Kaufmann/-frau im Einzelhandel", "DE-KE", "DE", 4, ["sell-products", "advise-customers"], ["shop-assistant"]),
    ])  # fmt: skip
    french = _aligned(tmp_path / "fr.csv", [
        ("Électricien", "FR-BP-EL", "FR", 4, ["install-wiring", "test-circuits", "read-plans"], ["electrician"]),
        ("Électricien", "FR-CAP-EL", "FR", 3, ["install-wiring", "read-plans"], ["electrician"]),
        ("Vendeur conseil en magasin", "FR-VCM", "FR", 4, ["sell-products", "advise-customers"], ["shop-assistant"]),
        ("Plombier chauffagiste", "FR-PC", "FR", 4, ["install-pipes", "read-plans"], ["plumber"]),
        ("Technicien réseaux électriques", "FR-TRE", "FR", 5, ["install-wiring", "test-circuits"], ["electrician"]),
    ])  # fmt: skip
    import_register(german, name="de-aligned", store_path=store)
    import_register(french, name="fr-aligned", store_path=store)
    return store


def test_equivalents_rank_same_level_and_shared_skills_first(aligned_store: Path) -> None:
    source, found = find_equivalents(
        "ELEKTRONIKER/IN ENERGIE UND GEBAEUDETECHNIK (m/w/d)", country="DE", to_country="FR", top=5,
        store_path=aligned_store,
    )  # fmt: skip
    assert source.record.code == "DE-EG"
    codes = [e.record.code for e in found]
    assert codes[0] == "FR-BP-EL"  # same EQF level, 3 of 3 skills and the occupation shared
    assert codes.index("FR-PC") > codes.index("FR-BP-EL")
    best = found[0]
    assert best.level_relation == "same" and not best.thin
    assert set(best.shared_skill_labels) == {"install-wiring", "test-circuits", "read-plans"}
    assert any("3 shared ESCO skill" in line for line in best.evidence)
    lower = next(e for e in found if e.record.code == "FR-CAP-EL")
    assert lower.level_relation == "lower"
    # the lower-level electrician shares more than the same-level plumber: evidence, not the level alone, orders
    assert codes.index("FR-CAP-EL") < codes.index("FR-PC")


def test_equivalents_without_shared_evidence_are_flagged_thin(aligned_store: Path) -> None:
    _, found = find_equivalents("Kaufmann im Einzelhandel", country="DE", to_country="FR", top=10,
                                store_path=aligned_store)  # fmt: skip
    assert found[0].record.code == "FR-VCM"  # shares two skills and the occupation, titles in other languages
    thin = {e.record.code for e in found if e.thin}
    assert "FR-PC" in thin and "FR-VCM" not in thin


def test_same_level_only_candidate_scores_low_and_sits_below_the_thin_evidence_line(
    aligned_store: Path, monkeypatch, run_cli
) -> None:
    """Issue 14 item 3: a candidate sharing nothing but the EQF level was scored 0.6 next to a real match at 0.74."""
    _, found = find_equivalents("Kaufmann im Einzelhandel", country="DE", to_country="FR", top=5,
                                store_path=aligned_store)  # fmt: skip
    real = found[0]
    assert real.record.code == "FR-VCM" and not real.thin
    same_only = [e for e in found if e.thin and e.level_relation == "same"]
    assert same_only, "the same-level electricians share nothing with a retail qualification"
    assert all(e.score < 0.2 for e in same_only)  # level alone is not evidence of equivalence
    assert all(e.score < real.score / 3 for e in same_only)
    assert found.index(same_only[0]) > max(found.index(e) for e in found if not e.thin)
    monkeypatch.setenv("SKILLMAP_HOME", str(aligned_store.parent))
    code, out, err = run_cli("lookup", "Kaufmann im Einzelhandel", "-c", "DE", "--to", "FR")
    assert code == 0, err
    line = out.index("— thin evidence below:")
    assert out.index("FR-VCM") < line < out.index(same_only[0].record.code)
    code, out, err = run_cli("lookup", "Kaufmann im Einzelhandel", "-c", "DE", "--to", "FR", "--format", "json")
    strength = {e["code"]: e["evidence_strength"] for e in json.loads(out)["equivalents"]}
    assert strength["FR-VCM"] == "content" and strength[same_only[0].record.code] == "thin"


def test_level_less_certificate_finds_its_pv_neighbour_first_on_the_same_scale(tmp_path: Path) -> None:
    """Issue 14 item 3: the right PV neighbour of a certificate no framework has levelled was scored 0.066."""
    store = tmp_path / "registers.sqlite"
    pv = ["mount-pv-panels", "install-pv-systems", "maintain-pv-systems"]
    certificate = _aligned(tmp_path / "cert.csv", [
        ("Solarteur (Zertifikatslehrgang)", "DE-SOLAR", "DE", None, pv, ["solar-installer"]),
    ])  # fmt: skip
    french = _aligned(tmp_path / "fr.csv", [
        ("Installateur en systèmes photovoltaïques", "FR-PV", "FR", 3, pv, ["solar-installer"]),
        ("Électricien", "FR-EL", "FR", 3, ["install-wiring"], ["electrician"]),
        ("Vendeur conseil en magasin", "FR-VCM", "FR", 4, ["sell-products"], ["shop-assistant"]),
    ])  # fmt: skip
    levelled = _aligned(tmp_path / "levelled.csv", [
        ("Solarteur (Zertifikatslehrgang)", "DE-SOLAR-3", "DE", 3, pv, ["solar-installer"]),
    ])  # fmt: skip
    for path, name in ((certificate, "cert"), (french, "fr"), (levelled, "levelled")):
        import_register(path, name=name, store_path=store)
    with open_store(store) as opened:
        found = rank_equivalents(opened, opened.record("DE-SOLAR"), to_country="FR", top=3)
        same_level = rank_equivalents(opened, opened.record("DE-SOLAR-3"), to_country="FR", top=1)[0]
    assert found[0].record.code == "FR-PV" and found[0].level_relation == "unknown" and not found[0].thin
    assert found[0].score >= 0.5  # shares every skill and the occupation: a strong candidate, level or not
    assert all(e.score < found[0].score / 3 for e in found[1:])
    # the same evidence with the level agreeing reads higher, but on the same scale: within a factor of two
    assert same_level.record.code == "FR-PV" and found[0].score <= same_level.score < 2 * found[0].score


def test_compare_lists_shared_and_missing_skills(aligned_store: Path, monkeypatch, run_cli) -> None:
    monkeypatch.setenv("SKILLMAP_HOME", str(aligned_store.parent))
    comparison = compare("DE-EG", "FR-CAP-EL", store_path=aligned_store)
    assert comparison.level_relation == "lower"
    assert [label for _, label in comparison.shared_skills] == ["install-wiring", "read-plans"]
    assert {label for _, label in comparison.only_first} == {"test-circuits", "install-lighting"}
    assert comparison.only_second == ()
    code, out, err = run_cli("compare", "DE-EG", "FR-CAP-EL", "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    assert payload["level_relation"] == "lower"
    assert payload["first"]["eqf_level"] == 4 and payload["second"]["eqf_level"] == 3
    code, out, err = run_cli("compare", "DE-EG", "NOPE")
    assert code == 2 and "no qualification with code 'NOPE'" in err


@pytest.fixture(scope="module")
def fr_gb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("fr-gb-home")
    import_register(RNCP_XML, name="rncp", store_path=home / "registers.sqlite")
    import_register(DFE_CSV, name="dfe", store_path=home / "registers.sqlite")
    return home


@needs_shared
def test_french_fiche_to_england_puts_same_level_and_similar_titles_first(fr_gb_home: Path) -> None:
    source, found = find_equivalents("CS CYBERSECURITE", country="FR", to_country="GB", top=5,
                                     store_path=fr_gb_home / "registers.sqlite")  # fmt: skip
    assert source.record.code == "RNCP37488" and source.record.eqf_level == 4
    assert all(e.record.eqf_level == 4 and e.level_relation == "same" for e in found)
    assert all("cyber" in e.record.title.lower() for e in found)
    assert [e.score for e in found] == sorted((e.score for e in found), reverse=True)


@needs_shared
def test_england_to_france_says_plainly_when_evidence_is_thin(fr_gb_home: Path, monkeypatch, run_cli) -> None:
    monkeypatch.setenv("SKILLMAP_HOME", str(fr_gb_home))
    code, out, err = run_cli("lookup", "LEVEL 3 DIPLOMA IN WEB DEVELOPMENT", "--country", "GB-ENG", "--to", "FR",
                             "--format", "json")  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)
    assert payload["source"]["eqf_level"] == 4
    same = [e for e in payload["equivalents"] if e["level_relation"] == "same"]
    assert {e["code"] for e in same} == {"RNCP37488", "RNCP40344"}  # the two EQF 4 fiches of the fixture
    assert all(e["thin_evidence"] for e in same)  # nothing but the level links them
    web = next(e for e in payload["equivalents"] if e["code"] == "RNCP35959")
    assert web["level_relation"] == "higher" and not web["thin_evidence"]
    assert payload["equivalents"][0]["code"] == "RNCP35959"  # the web fiche a level up, above the level-only ones
    code, out, err = run_cli("lookup", "LEVEL 3 DIPLOMA IN WEB DEVELOPMENT", "-c", "GB-ENG", "--to", "FR", "--top", "2")
    assert code == 0 and out.index("RNCP35959") < out.index("— thin evidence below:")


def test_top_n_says_when_the_country_holds_fewer_qualifications(aligned_store: Path, monkeypatch, run_cli) -> None:
    _, found = find_equivalents("Kaufmann im Einzelhandel", country="DE", to_country="FR", top=10,
                                store_path=aligned_store)  # fmt: skip
    assert len(found) == 5  # every French qualification of the store, the thin ones below the line
    monkeypatch.setenv("SKILLMAP_HOME", str(aligned_store.parent))
    code, _, err = run_cli("lookup", "Kaufmann im Einzelhandel", "-c", "DE", "--to", "FR", "--top", "10")
    assert code == 0 and "5 of the 10 asked: FR holds no other qualification" in err


@pytest.fixture(scope="module")
def rs_gb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """France's Répertoire spécifique (certificates without a level) and England's list (8,092 records)."""
    rs = (RS_XML, {"name": "rs", "country": "FR"})
    return imported_home(tmp_path_factory, "rs-gb-home", rs, (DFE_CSV, {"name": "dfe"}))


@needs_shared
def test_top_5_of_a_level_less_certificate_in_a_large_register_returns_5(
    rs_gb_home: Path, monkeypatch, run_cli
) -> None:
    """Issue 14 item 3: `--top 5` returned one candidate (none for this RS certificate): a level-less source in a
    large register had only the few title hits; now the closest titles fill up to N, below the thin line."""
    _, found = find_equivalents("Premiers secours en équipe de niveau 1", country="FR", to_country="GB-ENG", top=5,
                                store_path=rs_gb_home / "registers.sqlite")  # fmt: skip
    assert len(found) == 5
    assert all(e.level_relation == "unknown" for e in found)
    monkeypatch.setenv("SKILLMAP_HOME", str(rs_gb_home))
    code, out, err = run_cli("lookup", "Premiers secours en équipe de niveau 1", "-c", "FR", "--to", "GB-ENG")
    assert code == 0, err
    assert "— thin evidence below:" in out and "asked" not in err


@needs_shared
def test_equivalents_in_a_country_without_register_fail_clearly(fr_gb_home: Path, monkeypatch, run_cli) -> None:
    monkeypatch.setenv("SKILLMAP_HOME", str(fr_gb_home))
    code, out, err = run_cli("lookup", "Cybersécurité", "--country", "FR", "--to", "DE")
    assert code == 2 and "no register for country 'DE'" in err and out == ""
