"""`skillmap frameworks list|show|compare` and `skillmap level` as a user runs them."""

from __future__ import annotations

import csv
import io
import json


def test_level_json_has_the_interface_fields(run_cli) -> None:
    code, out, err = run_cli("level", "GB-SCT", "SCQF 11", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {k: data[k] for k in ("country", "framework", "nqf_level", "eqf_level", "status")} == {
        "country": "GB-SCT",
        "framework": "SCQF",
        "nqf_level": "SCQF 11",
        "eqf_level": 7,
        "status": "ok",
    }
    assert "source:" in data["reason"]


def test_level_csv_is_one_row_with_the_candidates_joined(run_cli) -> None:
    code, out, err = run_cli("level", "GB-ENG", "Entry Level", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert (rows[0]["country"], rows[0]["status"], rows[0]["eqf_level"]) == ("GB-ENG", "ambiguous", "")
    assert rows[0]["candidates"] == "Entry 1 | Entry 2 | Entry 3"


def test_level_table_shows_ambiguity_with_candidates(run_cli) -> None:
    code, out, _ = run_cli("level", "GB-ENG", "Entry Level")
    assert code == 0
    assert "ambiguous" in out and "Entry 1, Entry 2, Entry 3" in out


def test_level_that_matches_nothing_is_not_an_error(run_cli) -> None:
    code, out, _ = run_cli("level", "DE", "Meisterbrief", "--format", "json")
    assert code == 0
    assert json.loads(out)["status"] == "unknown"


def test_unknown_country_exits_2_with_suggestions(run_cli) -> None:
    code, out, err = run_cli("level", "DX", "4")
    assert code == 2 and out == ""
    assert err.startswith("skillmap: error: unknown country code 'DX'") and "DE" in err
    assert "Traceback" not in err
    code, _, err = run_cli("level", "UK", "Level 3")
    assert code == 2 and "GB-ENG" in err and "GB-SCT" in err


def test_level_with_title_says_where_the_sub_level_came_from(run_cli) -> None:
    code, out, _ = run_cli("level", "GB-ENG", "Entry Level", "--title", "Certificate in Maths (Entry 3)", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["status"], data["eqf_level"], data["from_title"]) == ("ok", 1, True)


def test_frameworks_list_covers_every_framework(run_cli) -> None:
    code, out, _ = run_cli("frameworks", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 47
    assert {"country": "GB-SCT", "framework": "SCQF", "eqf_levels": "1–8"}.items() <= next(
        r for r in rows if r["country"] == "GB-SCT"
    ).items()
    assert next(r for r in rows if r["country"] == "BA")["eqf_levels"] == "not referenced"
    code, out, _ = run_cli("frameworks", "list", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 47
    assert next(r for r in rows if r["country"] == "DE")["name_native"] == "Deutscher Qualifikationsrahmen"
    code, out, _ = run_cli("frameworks", "list")
    assert code == 0 and "47 frameworks" in out and "Scottish Credit and Qualifications Framework" in out


def test_frameworks_show_levels_with_eqf_and_sources(run_cli) -> None:
    code, out, _ = run_cli("frameworks", "show", "GB-SCT")
    assert code == 0
    assert "SCQF 11" in out and "c_517309ca" in out and "sources (framework: " in out
    code, out, _ = run_cli("frameworks", "show", "GB-ENG")
    assert "also has: FHEQ" in out and "ambiguous: Entry 1, Entry 2, Entry 3" in out
    code, out, _ = run_cli("frameworks", "show", "fr", "--framework", "NIV-1969", "--format", "json")
    data = json.loads(out)
    assert data["acronym"] == "NIV-1969"
    assert [lv["nqf_level"] for lv in data["levels"]][:3] == ["VI", "Vbis", "V"]


def test_frameworks_show_unknown_framework_exits_2(run_cli) -> None:
    code, _, err = run_cli("frameworks", "show", "DE", "--framework", "RQF")
    assert code == 2 and "DE has no framework 'RQF'" in err


def test_frameworks_compare_ie_fr_side_by_side(run_cli) -> None:
    code, out, _ = run_cli("frameworks", "compare", "IE", "FR")
    assert code == 0
    lines = [line for line in out.splitlines() if "│" in line]
    cells = [[c.strip() for c in line.strip("│ ").split("│")] for line in lines]
    assert ["1, 2", "1", "1"] in cells
    assert ["7, 8", "6", "6"] in cells
    assert ["10", "8", "8"] in cells
    assert "FR also has NIV-1969" in out
    code, out, _ = run_cli("frameworks", "compare", "IE", "FR", "--right-framework", "NIV-1969", "--format", "json")
    rows = json.loads(out)
    assert next(r for r in rows if r["eqf_level"] == 3)["right"] == ["V"]
    assert rows[-1]["eqf_level"] is None and rows[-1]["right"] == ["VI (unsure)", "Vbis (unsure)"]
    assert next(r for r in rows if r["eqf_level"] == 8)["right"] == ["I-Doctorat"]
