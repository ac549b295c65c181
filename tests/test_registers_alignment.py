"""An `align` output is itself a register: align the bundled example certificates, import, look up, compare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "certificates.xlsx"


@pytest.fixture(params=[".json", ".csv"])
def aligned_register(run_cli, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    out = tmp_path / f"aligned{request.param}"
    code, _, err = run_cli("align", str(EXAMPLES), "--out", str(out))
    assert code == 0, err
    code, _, err = run_cli("registers", "import", str(out), "--name", "certificates")
    assert code == 0, err
    return out


def test_align_output_imports_with_levels_skills_and_countries(aligned_register: Path, run_cli) -> None:
    from skillmap.outputs.tables import read_table_file

    _, rows = read_table_file(aligned_register)  # the CSV has "Country" (input) and "country" (added)
    code, out, _ = run_cli("registers", "list", "--format", "json")
    (info,) = json.loads(out)
    assert info["format"] == "alignment" and info["records"] == len(rows)
    assert {"DE", "FR", "GB-ENG"} <= set(info["countries"])
    code, out, err = run_cli("lookup", "C.A.P. ÉLECTRICIEN(NE)", "--country", "FR", "--format", "json")
    assert code == 0, err
    best = json.loads(out)[0]
    aligned = next(r for r in rows if r["Code"] == "FR-CAP-ELEC")
    assert best["code"] == "FR-CAP-ELEC" and best["score"] == 1.0
    assert best["eqf_level"] == int(aligned["eqf_level"]) == 3
    assert best["skills"] == aligned["skills"].split(" | ")  # the ESCO skills found by align travel with the record


def test_equivalents_of_the_german_electrician_in_england(aligned_register: Path, run_cli) -> None:
    code, out, err = run_cli(
        "lookup", "ELEKTRONIKER/IN ENERGIE UND GEBAEUDETECHNIK (m/w/d)", "--country", "DE", "--to", "GB-ENG",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    payload = json.loads(out)
    assert payload["source"]["code"] == "DE-EGT-4"
    first = payload["equivalents"][0]
    assert first["code"] == "GB-L3-ELEC" and first["level_relation"] == "same"  # RQF 3 = EQF 4 = DQR 4
    assert first["evidence"][0] == "same EQF level (4)"
    assert all(e["level_relation"] != "same" for e in payload["equivalents"][1:])


def test_an_align_xlsx_report_reads_as_the_same_register_as_its_json_table(run_cli, tmp_path: Path) -> None:
    # the report's Alignment sheet holds "Country" (input) and "country" (added): it must still be read as a table
    from dataclasses import replace

    from skillmap.sources.registers import read_register

    xlsx, table = tmp_path / "aligned.xlsx", tmp_path / "aligned.json"
    code, _, err = run_cli("align", str(EXAMPLES), "--out", str(xlsx), "--out", str(table))
    assert code == 0, err
    from_xlsx, from_json = read_register(xlsx), read_register(table)
    assert [replace(r, source_file="") for r in from_xlsx] == [replace(r, source_file="") for r in from_json]
    assert any(r.skills for r in from_xlsx) and any(r.eqf_level for r in from_xlsx)
    code, _, err = run_cli("registers", "import", str(xlsx), "--name", "certificates")
    assert code == 0, err
    code, out, _ = run_cli("registers", "list", "--format", "json")
    assert json.loads(out)[0]["format"] == "alignment"


def test_a_row_align_found_no_skill_for_says_what_align_found_not_to_import_it_again(run_cli, tmp_path: Path) -> None:
    """Issue 14 item 5: the hint said "import an align output" for a record that came from one."""
    table = tmp_path / "aligned.csv"
    reasons = (
        "no ESCO skill scored 0.40 or more | language without labels: text looks French (fr); the index has en labels"
    )
    table.write_text(
        "Title,Code,country,eqf_level,level_status,skills,needs_review,review_reasons\n"
        f'Boulanger,FR-BOUL,FR,3,ok,,yes,"{reasons}"\n',
        encoding="utf-8",
    )
    code, _, err = run_cli("registers", "import", str(table), "--name", "aligned")
    assert code == 0, err
    code, out, err = run_cli("lookup", "Boulanger", "--country", "FR")
    assert code == 0, err
    said = " ".join(out.split())
    assert "ESCO skills: none: align found none for this row" in said
    assert "no ESCO skill scored 0.40 or more" in said and "text looks French (fr); the index has en labels" in said
    assert "import it with --skills" not in said and "import its `align` output" not in said
