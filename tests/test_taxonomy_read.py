"""Custom taxonomies as match targets: the eval CSV format, roles, SKOS files, and bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.taxonomy import read_classification, read_taxonomy
from tests.conftest import SHARED, needs_shared


def test_first_label_of_a_uri_is_preferred_when_there_is_no_role_column(tmp_path: Path) -> None:
    path = tmp_path / "trades.csv"
    path.write_text(
        "uri,label,kind,lang\n"
        "urn:t:1,electrician,occupation,en\n"
        "urn:t:1,sparky,occupation,en\n"
        "urn:t:1,électricien,occupation,fr\n"
        "urn:t:2,solar installer,occupation,en\n",
        encoding="utf-8",
    )
    result = read_taxonomy(path)
    first = result.concepts[0]
    assert [(lab.text, lab.lang, lab.role) for lab in first.labels] == [
        ("electrician", "en", "pref"),
        ("électricien", "fr", "pref"),
        ("sparky", "en", "alt"),
    ]
    assert result.origin == "custom" and result.counts() == {"occupation": 2}


def test_role_column_and_any_column_order_are_honoured(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text(
        "lang,label,role,kind,uri\nen,PV,hidden,skill,urn:s:1\nen,photovoltaics,pref,skill,urn:s:1\n",
        encoding="utf-8",
    )
    (concept,) = read_taxonomy(path).concepts
    assert concept.pref_label() == "photovoltaics"
    assert [(lab.text, lab.role) for lab in concept.labels] == [("photovoltaics", "pref"), ("PV", "hidden")]


def test_taxonomy_csv_without_required_columns_names_them(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("uri,name\nurn:x,thing\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="missing column"):
        read_taxonomy(path)


def test_semicolon_taxonomy_saved_by_a_european_spreadsheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "kompetenzen.csv"
    path.write_text(
        "URI;Label;Kind;Lang\r\nurn:k:1;Solaranlagen installieren, warten;skill;de\r\n", encoding="utf-8-sig"
    )
    (concept,) = read_classification([path]).concepts  # detected as a taxonomy without --taxonomy
    assert (concept.uri, concept.kind, concept.pref_label()) == (
        "urn:k:1",
        "skill",
        "Solaranlagen installieren, warten",
    )


def test_unknown_role_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("uri,label,kind,lang,role\nurn:x,thing,skill,en,main\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="line 2: role must be"):
        read_taxonomy(path)


def test_skos_turtle_taxonomy_is_detected_without_the_esco_model(tmp_path: Path) -> None:
    path = tmp_path / "courses.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:c:1> a skos:Concept ; skos:prefLabel "robotics"@en ; skos:altLabel "robot programming"@en .\n'
        '<urn:c:2> a skos:Concept ; skos:prefLabel "coaching"@en .\n',
        encoding="utf-8",
    )
    result = read_classification([path])
    assert result.origin == "custom"
    assert [(c.uri, c.kind, c.pref_label()) for c in result.concepts] == [
        ("urn:c:1", "concept", "robotics"),
        ("urn:c:2", "concept", "coaching"),
    ]


@needs_shared
def test_eval_taxonomy_reads_every_uri_with_its_kind() -> None:
    result = read_taxonomy(SHARED / "eval" / "melo-usa-en-en.taxonomy.csv")
    counts = result.counts()
    assert set(counts) <= {"occupation", "skill"} and counts["occupation"] > 1000
    by_uri = {c.uri: c for c in result.concepts}
    assert by_uri["http://data.europa.eu/esco/isco/C01"].pref_label() == "Commissioned armed forces officers"
    assert result.languages == ("en",)


def test_excel_workbook_is_refused_with_what_to_do_instead(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "competences.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["uri", "label", "kind", "lang"])
    workbook.active.append(["urn:k:1", "install solar panels", "skill", "en"])
    workbook.save(path)
    for read in (lambda: read_classification([path]), lambda: read_taxonomy(path)):
        with pytest.raises(SkillmapError, match=r"is a spreadsheet workbook; save the sheet as CSV"):
            read()
