"""Reading national registers into RegisterRecords: RNCP/RS XML, the DfE list, generic sheets, align outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.registers import detect_format, read_register
from tests.conftest import SHARED, needs_shared

RNCP_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RS_fixture.xml"
DFE_CSV = SHARED / "registers" / "uk_dfe" / "approved.csv"


@pytest.fixture(scope="module")
def rncp() -> dict[str, object]:
    return {r.code: r for r in read_register(RNCP_XML, country="FR")}


@pytest.fixture(scope="module")
def dfe() -> dict[str, object]:
    return {r.code: r for r in read_register(DFE_CSV, country="GB-ENG")}


@needs_shared
def test_rncp_fiches_become_records_with_levels_from_nomenclature_europe(rncp) -> None:
    assert len(rncp) == 12
    bts = rncp["RNCP35809"]
    assert bts.title == "Finition, aménagement des bâtiments : conception et réalisation"
    assert (bts.nqf_level, bts.eqf_level, bts.level_status) == ("5", 5, "ok")
    assert bts.country == "FR" and bts.language == "fr" and bts.status == "active"
    levels = sorted(r.eqf_level for r in rncp.values())
    assert levels == [4, 4, 5, 5, 5, 5, 6, 6, 7, 7, 7, 7]


@needs_shared
def test_rncp_abbreviation_gives_the_titles_written_on_certificates(rncp) -> None:
    bts = rncp["RNCP35809"]
    assert "BTS Finition, aménagement des bâtiments : conception et réalisation" in bts.titles
    assert any(t.startswith("Brevet de technicien supérieur") for t in bts.titles)
    assert rncp["RNCP35419"].titles == ()  # no ABREGE on this fiche


@needs_shared
def test_rncp_keeps_rome_codes_certifiers_and_competence_blocks(rncp) -> None:
    web = rncp["RNCP37674"]
    assert web.occupations == ("M1805",)
    assert web.occupation_labels == ("Études et développement informatique",)
    assert web.extra["competence_blocks"].count(" | ") == 1  # two blocks
    assert web.learning_outcomes
    assert "ETABLISSEMENT D'ENSEIGNEMENT SUPERIEUR CONSULAIRE GRENOBLE" in rncp["RNCP34762"].awarding_body
    inactive = sorted(code for code, r in rncp.items() if r.status == "inactive")
    assert inactive == ["RNCP34762", "RNCP35419", "RNCP35625"]


@needs_shared
def test_rs_fiches_have_no_level_and_say_why() -> None:
    records = read_register(RS_XML, country="FR")
    assert len(records) == 8
    assert {r.level_status for r in records} == {"missing"}
    assert all(r.eqf_level is None for r in records)
    assert "not levelled" in records[0].extra["level_reason"]


@needs_shared
def test_dfe_list_is_detected_and_read_with_qualification_numbers(dfe) -> None:
    assert detect_format(DFE_CSV) == "dfe"
    assert len(dfe) == 8092
    record = dfe["61008187"]
    assert record.title == "AAT Level 1 Award in Bookkeeping"  # trailing space of the register trimmed
    assert record.awarding_body == "Association of Accounting Technicians"
    assert (record.nqf_level, record.eqf_level, record.level_status) == ("1", 2, "ok")
    assert record.country == "GB-ENG"


@needs_shared
def test_dfe_level_1_2_has_no_single_eqf_level(dfe) -> None:
    cross = [r for r in dfe.values() if r.extra.get("level_text") == "Level 1/2"]
    assert len(cross) == 248
    assert {r.eqf_level for r in cross} == {None}
    assert {r.level_status for r in cross} == {"ambiguous"}


@needs_shared
def test_dfe_entry_level_takes_the_sub_level_from_the_title_and_says_so(dfe) -> None:
    entry = [r for r in dfe.values() if r.extra.get("level_text") == "Entry Level"]
    assert len(entry) == 1213
    entry3 = [r for r in entry if "(Entry 3)" in r.title]
    assert entry3 and all(r.eqf_level == 1 for r in entry3)
    assert "taken from the title" in entry3[0].extra["level_reason"]
    entry1 = [r for r in entry if "(Entry 1)" in r.title]
    assert entry1 and all(r.eqf_level is None for r in entry1)  # Entry 1 is not referenced to the EQF
    no_sub_level = [r for r in entry if not re.search(r"\bentry\s*(level\s*)?[123]\b", r.title, re.IGNORECASE)]
    assert no_sub_level and all(r.level_status == "ambiguous" for r in no_sub_level)


def _write_alignment_csv(path: Path) -> Path:
    header = (
        "Qualification,Code,Awarding body,country,framework,nqf_level,eqf_level,level_status,level_reason,skills,"
        "skill_labels,skill_scores,occupations,occupation_labels,occupation_scores,needs_review,review_reasons\n"
    )
    rows = (
        "Elektroniker/-in für Energie- und Gebäudetechnik,DE-1,HWK,DE,DQR,4,4,ok,DQR 4 = EQF 4,"
        "http://data.europa.eu/esco/skill/a | http://data.europa.eu/esco/skill/b,install wiring | test circuits,"
        "0.9 | 0.8,http://data.europa.eu/esco/occupation/e,electrician,0.9,no,\n"
        "Solarteur,DE-2,HWK,DE,DQR,,,missing,no level,,,,,,,yes,no level\n"
    )
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_alignment_csv_is_recognised_and_keeps_levels_and_skills(tmp_path: Path) -> None:
    path = _write_alignment_csv(tmp_path / "aligned.csv")
    assert detect_format(path) == "alignment"
    first, second = read_register(path)
    assert first.code == "DE-1" and first.country == "DE" and first.eqf_level == 4
    assert first.skills == ("http://data.europa.eu/esco/skill/a", "http://data.europa.eu/esco/skill/b")
    assert first.skill_labels == ("install wiring", "test circuits")
    assert first.occupations == ("http://data.europa.eu/esco/occupation/e",)
    assert first.awarding_body == "HWK"
    assert (second.eqf_level, second.level_status) == (None, "missing")


def test_alignment_json_lists_are_read(tmp_path: Path) -> None:
    rows = [
        {"title": "Electrician", "country": "FR", "framework": "CNCP", "nqf_level": "3", "eqf_level": 3,
         "level_status": "ok", "level_reason": "", "skills": ["http://data.europa.eu/esco/skill/a"],
         "skill_labels": ["install wiring"], "skill_scores": [0.9], "occupations": [], "occupation_labels": [],
         "occupation_scores": [], "needs_review": False, "review_reasons": []},
    ]  # fmt: skip
    path = tmp_path / "aligned.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    (record,) = read_register(path, name="demo")
    assert (record.title, record.eqf_level, record.register, record.code) == ("Electrician", 3, "demo", "demo-1")
    assert record.skills == ("http://data.europa.eu/esco/skill/a",)


@pytest.mark.parametrize(
    "payload,expected",
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
            "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&lol2;</INTITULE></FICHE></FICHES>",
            "unsafe XML",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&xxe;</INTITULE></FICHE></FICHES>",
            "unsafe XML",
        ),
        ("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>x</FICHE></FICHES>", "not well-formed XML"),
        ("<catalog><item/></catalog>", "not an RNCP/RS export"),
        ("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE></FICHES>", "no qualification"),
    ],
    ids=["billion-laughs", "external-entity", "malformed", "other-xml", "no-titles"],
)
def test_bad_xml_is_refused_with_a_clear_message(tmp_path: Path, payload: str, expected: str) -> None:
    path = tmp_path / "register.xml"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(SkillmapError, match=expected):
        read_register(path, country="FR")


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("title\nElectrician\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="unknown register format 'pdf'"):
        read_register(path, country="FR", fmt="pdf")
    pdf = tmp_path / "register.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(SkillmapError, match="cannot tell the register format"):
        read_register(pdf, country="FR")


def test_generic_csv_register_uses_the_align_column_detection(tmp_path: Path) -> None:
    path = tmp_path / "de_register.csv"
    path.write_text(
        "Bezeichnung;DQR-Niveau;Kennung\nElektroniker/-in für Energie- und Gebäudetechnik;4;DE-EL\n;;DE-EMPTY\n",
        encoding="utf-8",
    )
    (record,) = read_register(path, country="DE")
    assert (record.code, record.title, record.country) == (
        "DE-EL",
        "Elektroniker/-in für Energie- und Gebäudetechnik",
        "DE",
    )
    assert record.eqf_level == 4 and record.level_status == "ok"


def test_sheet_without_a_title_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="title"):
        read_register(path, country="FR")


def test_a_filled_country_cell_wins_over_the_default_country(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("title,code,country\nÉlectricien,FR-1,fr\nElektroniker,DE-1,\n", encoding="utf-8")
    records = read_register(path, country="DE")
    assert [(r.code, r.country) for r in records] == [("FR-1", "FR"), ("DE-1", "DE")]
    with pytest.raises(SkillmapError, match="row 2 has no country"):
        read_register(path)
    path.write_text("title,code,country\nÉlectricien,FR-1,Atlantis\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"mixed\.csv row 1: unknown country code 'Atlantis'"):
        read_register(path, country="DE")
