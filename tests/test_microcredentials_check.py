"""`skillmap check microcredential`: what each micro-credential states, lacks or states unusably, per Annex I."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from skillmap.microcredentials import check_microcredentials
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "microcredentials.xlsx"
COMPLETE = {
    "Title": "Install photovoltaic systems",
    "Country": "DE",
    "Awarding body": "Solar Academy",
    "Date of issuing": "2025-05-02",
    "Identification of the learner": "name and date of birth",
    "Learning outcomes": "Install photovoltaic systems on roofs.",
    "ECTS": "3",
    "EQF level": "4",
    "Type of assessment": "practical assessment",
    "Form of participation": "onsite",
    "Type of quality assurance": "programme accreditation",
}


def _sheet(tmp_path: Path, rows: list[dict[str, str]], name: str = "mc.csv") -> Path:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _status(result, row: int = 0) -> dict[str, str]:
    return {e.element: e.status for e in result.credentials[row].elements}


def test_the_example_sheet_lists_what_each_credential_lacks_and_exits_1(run_cli) -> None:
    code, out, _ = run_cli("check", "microcredential", str(EXAMPLES), "--format", "json")
    assert code == 1
    lacking = {c["title"]: [e["element"] for e in c["elements"] if e["status"] != "present"]
               for c in json.loads(out)["credentials"]}  # fmt: skip
    assert lacking == {
        "Micro-credential in Solution-Focused Coaching": [
            "level", "assessment", "quality_assurance", "prerequisites", "further_information"
        ],
        "Zertifikat Fachkraft für Photovoltaik-Installation": ["issue_date"],
        "Microcredenziale in intelligenza artificiale applicata": ["learner"],
    }  # fmt: skip


def test_the_terminal_table_shows_sixteen_elements_per_credential_within_80_columns(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli("check", "microcredential", str(EXAMPLES))
    assert code == 1 and max(len(line) for line in out.splitlines()) <= 80
    assert out.count("16 further") == 3 and "lacks issue date" in out and "invalid" in out


def test_a_credential_with_every_mandatory_element_exits_0(run_cli, tmp_path) -> None:
    code, out, err = run_cli("check", "microcredential", str(_sheet(tmp_path, [COMPLETE])), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 16 and {r["status"] for r in rows if r["requirement"] == "mandatory"} == {"present"}
    assert next(r for r in rows if r["element"] == "level")["elm_property"].startswith("elm:EQFLevel")


@pytest.mark.parametrize(
    "column, value, element, reason",
    [
        ("ECTS", "five", "workload", "not a positive number"),
        ("EQF level", "9", "level", "not an EQF level 1–8"),
        ("Type of assessment", "hackathon", "assessment", "not in the EU list"),
        ("Form of participation", "telepathy", "participation", "not in the EU list"),
        ("Date of issuing", "sometime in May", "issue_date", "is not a date"),
        ("Country", "Atlantis", "issuer_country", "not a country"),
    ],
)
def test_an_unusable_value_is_invalid_with_the_reason(tmp_path, column, value, element, reason) -> None:
    result = check_microcredentials(_sheet(tmp_path, [{**COMPLETE, column: value}]))
    found = next(e for e in result.credentials[0].elements if e.element == element)
    assert found.status == "invalid" and reason in found.detail and not result.complete


def test_headers_are_recognised_in_the_eu_languages(tmp_path) -> None:
    german = {
        "Titel": "Photovoltaik-Fachkraft", "Land": "DE", "Anbieter": "Solarschule", "Ausstellungsdatum": "02.05.2025",
        "Teilnehmer": "Name", "Lernergebnisse": "PV-Anlagen montieren", "ECTS-Punkte": "3", "EQR-Niveau": "4",
        "Prüfungsform": "schriftliche Prüfung", "Lernform": "blended", "Qualitätssicherung": "Programmakkreditierung",
        "Voraussetzungen": "Elektroausbildung", "Stapelbarkeit": "stapelbar",
    }  # fmt: skip
    french = {"Intitulé": "Installateur PV", "Pays": "FR", "Crédits ECTS": "2,5", "Volume horaire": "60",
              "Type d'évaluation": "portfolio", "Assurance qualité": "Qualiopi"}  # fmt: skip
    for row, expected in ((german, 13), (french, 6)):
        result = check_microcredentials(_sheet(tmp_path, [row]))
        columns = {c for found in result.columns.values() for c in found}
        assert columns == set(row), set(row) - columns
        assert len([e for e in result.credentials[0].elements if e.status != "missing"]) >= expected - 3


def test_a_suggested_level_is_not_taken_for_a_level(tmp_path) -> None:
    row = {**COMPLETE, "EQF level": "", "suggested_eqf": "4"}
    result = check_microcredentials(_sheet(tmp_path, [row]))
    level = next(e for e in result.credentials[0].elements if e.element == "level")
    assert level.status == "missing" and "suggested level only" in level.detail


def test_not_applicable_is_accepted_where_the_recommendation_allows_it_only(tmp_path) -> None:
    result = check_microcredentials(_sheet(tmp_path, [{**COMPLETE, "EQF level": "n/a", "Type of assessment": "n/a"}]))
    assert _status(result)["level"] == "present" and _status(result)["assessment"] == "missing"


def test_a_sheet_without_a_title_column_names_its_columns_and_exits_2(run_cli, tmp_path) -> None:
    sheet = _sheet(tmp_path, [{"Provider": "X", "ECTS": "3"}])
    code, _, err = run_cli("check", "microcredential", str(sheet))
    assert code == 2 and "no title column" in err and "'Provider', 'ECTS'" in err and len(err.splitlines()) == 1
