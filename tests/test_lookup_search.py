"""Looking qualifications up by the title written on the paper: messy, abbreviated, upper case, gendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.registers import import_register, lookup
from skillmap.text import normalise_title, title_tokens
from tests.conftest import SHARED, needs_shared

RNCP_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RS_fixture.xml"
DFE_CSV = SHARED / "registers" / "uk_dfe" / "approved.csv"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SKILLMAP_HOME with the RNCP and RS fixtures and the England list imported once for this module."""
    folder = tmp_path_factory.mktemp("lookup-home")
    store = folder / "registers.sqlite"
    import_register(RNCP_XML, country="FR", name="rncp", store_path=store)
    import_register(RS_XML, country="FR", name="rs", store_path=store)
    import_register(DFE_CSV, country="GB-ENG", name="dfe", store_path=store)
    return folder


@pytest.fixture
def store(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SKILLMAP_HOME", str(home))
    return home / "registers.sqlite"


def test_german_gender_forms_and_markers_are_dropped() -> None:
    assert title_tokens("Elektroniker/-in Energie- und Gebäudetechnik") == [
        "elektroniker", "energie", "und", "gebaudetechnik",
    ]  # fmt: skip
    assert normalise_title("ElektronikerIn (m/w/d)") == "elektroniker"
    assert normalise_title("Kaufmann/-frau im Einzelhandel") == "kaufmann im einzelhandel"
    assert normalise_title("Fachkraft*in für Lagerlogistik") == "fachkraft fur lagerlogistik"


def test_french_gender_forms_accents_and_case_are_dropped() -> None:
    assert normalise_title("BP ÉLECTRICIEN (BP)") == "bp electricien bp"
    assert normalise_title("Électricien(ne)") == "electricien"
    assert normalise_title("Développeur·euse web") == "developpeur web"
    assert normalise_title("Assistant/e en ressources humaines") == "assistant en ressources humaines"
    assert normalise_title("C.A.P. ÉLECTRICIEN(NE)") == "cap electricien"


@needs_shared
@pytest.mark.parametrize(
    "query,code",
    [
        ("BTS FINITION AMENAGEMENT DES BATIMENTS", "RNCP35809"),
        ("Brevet de technicien supérieur finition aménagement bâtiments", "RNCP35809"),
        ("DEVELOPPEUR WEB", "RNCP35959"),
        ("Développeur/-euse web et web mobile (TP)", "RNCP37674"),
        ("TP CONCEPTEUR DEVELOPPEUR D APPLICATIONS", "RNCP37873"),
        ("CYBERSECURITE (CS)", "RNCP37488"),
        ("auxiliaire specialisee veterinaire", "RNCP40344"),
        ("ASSISTANT(E) RESSOURCES HUMAINES", "RNCP36612"),
        ("expert ingenierie logiciel", "RNCP35419"),
        ("referent cybersecurite tpe pme", "RS5568"),
        ("premiers secours equipe niveau 1", "RS5719"),
    ],
)
def test_messy_french_titles_find_their_fiche(store: Path, query: str, code: str) -> None:
    matches = lookup(query, country="FR", top=3, store_path=store)
    assert matches[0].record.code == code, [(m.record.code, m.score) for m in matches]


@needs_shared
@pytest.mark.parametrize(
    "query,code",
    [
        ("AAT LEVEL 1 AWARD IN BOOKKEEPING", "61008187"),  # upper case
        ("Level 1 Award in Business Skills", "61008199"),  # awarding body stripped
        ("city and guilds level 1 award in computerised accounts", "50042932"),  # "&" written out, lower case
        ("CITY GUILDS LEVEL 1 AWARD BOOK KEEPING ACCOUNTS", "5004767X"),  # punctuation and small words gone
        ("Highfield Level 1 Award in Accounting", "60313286"),  # "(RQF)" dropped
        ("EAL Level 3 Advanced Diploma in Electrical Installation", "60145638"),
        ("NEBOSH International Diploma for Occupational Health and Safety Management Professionals", "61022305"),
    ],
)
def test_messy_england_titles_find_their_qualification(store: Path, query: str, code: str) -> None:
    matches = lookup(query, country="GB-ENG", top=5, store_path=store)
    assert matches[0].record.code == code, [(m.record.code, m.record.title, m.score) for m in matches]


@needs_shared
def test_the_level_number_decides_between_otherwise_equal_titles(store: Path) -> None:
    matches = lookup("City & Guilds Level 3 Diploma in Electrical Installations", country="GB", top=5, store_path=store)
    assert matches[0].record.eqf_level == 4  # RQF 3
    assert all("Level 3" in m.record.title for m in matches[:2])


@needs_shared
def test_typos_are_corrected_against_the_register_vocabulary(store: Path) -> None:
    matches = lookup("electrican instalation level 2 diploma EAL", country="GB-ENG", top=3, store_path=store)
    assert matches[0].record.code == "6006724X"  # EAL Level 2 Diploma In Electrical Installation
    assert "electrican~electrical" in matches[0].why


@needs_shared
def test_ranking_is_stable_and_scores_are_floats_in_range(store: Path) -> None:
    first = lookup("diploma in electrical installation", country="GB-ENG", top=10, store_path=store)
    second = lookup("diploma in electrical installation", country="GB-ENG", top=10, store_path=store)
    assert [m.record.code for m in first] == [m.record.code for m in second]
    scores = [m.score for m in first]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)


@needs_shared
def test_uk_and_gb_reach_the_england_register(store: Path) -> None:
    assert lookup("AAT bookkeeping", country="UK", top=1, store_path=store)[0].record.country == "GB-ENG"
    assert lookup("AAT bookkeeping", country="gb", top=1, store_path=store)[0].record.country == "GB-ENG"


@needs_shared
def test_country_spellings_are_those_of_the_frameworks(store: Path) -> None:
    # the same spellings every other command accepts: any case, "_" or " " for "-"
    for spelling in ("gb-eng", "GB_ENG", "gb eng"):
        assert {m.record.country for m in lookup("electrical installation", country=spelling, top=3)} == {"GB-ENG"}


@needs_shared
def test_an_unknown_country_code_is_named_with_the_closest_codes(store: Path) -> None:
    with pytest.raises(SkillmapError, match="unknown country code 'ZZ'"):
        lookup("electrical installation", country="ZZ")


@needs_shared
def test_cli_lookup_shows_matches_then_level_and_competences(store: Path, run_cli) -> None:
    code, out, err = run_cli("lookup", "BTS FINITION AMENAGEMENT DES BATIMENTS", "--country", "FR", "--top", "3")
    assert code == 0, err
    assert "RNCP35809" in out
    assert "EQF level 5" in out
    assert "RNCP35809BC01: Répondre à un projet" in out
    assert "Conduite de travaux du BTP" in out


@needs_shared
def test_cli_lookup_json_lists_matches_with_the_documented_fields(store: Path, run_cli) -> None:
    code, out, err = run_cli("lookup", "developpeur web", "--country", "FR", "--top", "2", "--format", "json")
    assert code == 0, err
    matches = json.loads(out)
    assert [m["code"] for m in matches] == ["RNCP35959", "RNCP37674"]
    for key in ("code", "title", "country", "score", "eqf_level"):
        assert key in matches[0]
    assert matches[0]["eqf_level"] == 5 and matches[0]["country"] == "FR"


@needs_shared
def test_lookup_in_a_country_without_register_names_the_imported_ones(store: Path, run_cli) -> None:
    code, out, err = run_cli("lookup", "Elektroniker", "--country", "DE")
    assert code == 2
    assert "no register for country 'DE'" in err and "rncp (FR)" in err and "dfe (GB-ENG)" in err
    assert "Traceback" not in err and out == ""


def test_lookup_with_nothing_imported_says_how_to_import(run_cli) -> None:
    code, out, err = run_cli("lookup", "CAP ELECTRICIEN", "--country", "FR")
    assert code == 2
    assert "no register imported yet" in err and "skillmap registers import" in err
    assert out == ""
