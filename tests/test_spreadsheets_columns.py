"""detect_columns: header names in the major EU languages, and explicit overrides."""

from __future__ import annotations

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.spreadsheets import detect_columns, normalise_header

DFE_HEADERS = [
    "DateOfOfqualDataSnapshot",
    "QualificationName",
    "AwardingOrganisation",
    "QualificationNumber",
    "Level",
    "QualificationType",
    "Subcategory",
    "SectorSubjectArea",
    "Status",
    "Age1416_FundingAvailable",
    "AwardingOrganisationURL",
]


def test_england_funding_list_columns_are_recognised() -> None:
    columns = detect_columns(DFE_HEADERS)
    assert columns.title == "QualificationName"
    assert columns.level == "Level"
    assert columns.code == "QualificationNumber"
    assert columns.awarding_body == "AwardingOrganisation"  # not the ...URL column
    assert columns.field == "SectorSubjectArea"
    assert columns.text == () and columns.country is None


@pytest.mark.parametrize(
    "headers,expected",
    [
        (
            ["Code RNCP", "Intitulé de la certification", "Niveau", "Compétences attestées", "Certificateur"],
            ("Intitulé de la certification", "Niveau", ("Compétences attestées",), "Code RNCP", "Certificateur"),
        ),
        (
            ["Kennziffer", "Bezeichnung", "DQR-Niveau", "Lernergebnisse", "Zuständige Stelle"],
            ("Bezeichnung", "DQR-Niveau", ("Lernergebnisse",), "Kennziffer", "Zuständige Stelle"),
        ),
        (
            ["Codice", "Titolo", "Livello QNQ", "Competenze", "Ente titolare"],
            ("Titolo", "Livello QNQ", ("Competenze",), "Codice", "Ente titolare"),
        ),
        (
            ["Código", "Denominación", "Nivel", "Resultados de aprendizaje", "Entidad certificadora"],
            ("Denominación", "Nivel", ("Resultados de aprendizaje",), "Código", "Entidad certificadora"),
        ),
        (
            ["Código", "Designação", "Nível QNQ", "Resultados de aprendizagem", "Entidade certificadora"],
            ("Designação", "Nível QNQ", ("Resultados de aprendizagem",), "Código", "Entidade certificadora"),
        ),
        (
            ["Crebo", "Naam", "NLQF niveau", "Leerresultaten", "Aanbieder"],
            ("Naam", "NLQF niveau", ("Leerresultaten",), "Crebo", "Aanbieder"),
        ),
    ],
    ids=["fr", "de", "it", "es", "pt", "nl"],
)
def test_headers_in_other_languages_are_recognised(headers: list[str], expected: tuple) -> None:
    columns = detect_columns(headers)
    assert (columns.title, columns.level, columns.text, columns.code, columns.awarding_body) == expected


def test_country_and_isced_columns_are_recognised() -> None:
    columns = detect_columns(["Pays", "Titre", "ISCED-F", "Niveau"])
    assert columns.country == "Pays" and columns.field == "ISCED-F" and columns.title == "Titre"


def test_exact_header_beats_a_longer_header_containing_the_name() -> None:
    columns = detect_columns(["Name of awarding body", "Name", "Level"])
    assert columns.title == "Name"
    assert columns.awarding_body == "Name of awarding body"


def test_type_and_url_columns_are_never_taken_for_the_title() -> None:
    columns = detect_columns(["Qualification type", "Qualification URL", "Qualification"], require_title=True)
    assert columns.title == "Qualification"


def test_overrides_win_and_are_matched_case_insensitively() -> None:
    columns = detect_columns(
        ["Beruf", "Stufe", "Notiz", "Inhalt A", "Inhalt B"],
        {"title": "beruf", "level": "Stufe", "text": ["Inhalt A", "Inhalt B"]},
    )
    assert columns.title == "Beruf" and columns.level == "Stufe" and columns.text == ("Inhalt A", "Inhalt B")
    assert "title" not in columns.detected
    assert ("title", "Beruf", "given") in columns.used()


def test_override_naming_no_column_lists_the_columns() -> None:
    with pytest.raises(SkillmapError, match=r"--level-col 'Niveau': the table has no such column; .*'Stufe'"):
        detect_columns(["Titel", "Stufe"], {"level": "Niveau"})


def test_no_title_column_lists_headers_and_override_flags() -> None:
    with pytest.raises(SkillmapError, match=r"no title column recognised among the headers 'A1', 'B2'.*--title-col"):
        detect_columns(["A1", "B2"])


def test_header_normalisation_splits_camel_case_and_removes_accents() -> None:
    assert normalise_header("QualificationName") == "qualification name"
    assert normalise_header("AwardingOrganisationURL") == "awarding organisation url"
    assert normalise_header("  Intitulé\nde la  certification ") == "intitule de la certification"
    assert normalise_header("Zuständige Stelle") == "zustandige stelle"
