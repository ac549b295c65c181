"""`skillmap registers import|list|remove` and `lookup --batch`: the store is replaced whole or not at all."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import SHARED, needs_shared

RNCP_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"
RS_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RS_fixture.xml"
DFE_CSV = SHARED / "registers" / "uk_dfe" / "approved.csv"


def _registers(run_cli) -> dict[str, dict]:
    code, out, err = run_cli("registers", "list", "--format", "json")
    assert code == 0, err
    return {r["name"]: r for r in json.loads(out)}


@needs_shared
def test_import_list_and_remove(run_cli) -> None:
    code, _, err = run_cli("registers", "import", str(RNCP_XML), "--country", "FR", "--name", "rncp")
    assert code == 0, err
    assert "12 qualifications" in err
    code, _, err = run_cli("registers", "import", str(RS_XML), "--name", "rs")
    assert code == 0, err
    registers = _registers(run_cli)
    assert {name: r["records"] for name, r in registers.items()} == {"rncp": 12, "rs": 8}
    assert registers["rncp"]["format"] == "rncp-xml" and registers["rncp"]["countries"] == ["FR"]
    code, _, err = run_cli("registers", "remove", "rs")
    assert code == 0, err
    assert list(_registers(run_cli)) == ["rncp"]
    code, _, err = run_cli("lookup", "premiers secours", "--country", "FR", "--format", "json")
    assert code == 0 and "RS5719" not in _  # the removed register is no longer searched
    code, _, err = run_cli("registers", "remove", "rs")
    assert code == 2 and "no register named 'rs'" in err and "rncp (FR)" in err


@needs_shared
def test_reimporting_the_same_name_replaces_the_register(run_cli, tmp_path: Path) -> None:
    assert run_cli("registers", "import", str(RNCP_XML), "--name", "fr")[0] == 0
    assert run_cli("registers", "import", str(RS_XML), "--name", "fr")[0] == 0
    assert _registers(run_cli)["fr"]["records"] == 8
    code, out, _ = run_cli("lookup", "cybersecurite", "--country", "FR", "--format", "json")
    assert code == 0
    assert "RNCP37488" not in {m["code"] for m in json.loads(out)}  # the RNCP fiches were replaced


@needs_shared
def test_a_failed_import_leaves_the_previous_register_intact(run_cli, isolated_home: Path, tmp_path: Path) -> None:
    assert run_cli("registers", "import", str(RNCP_XML), "--name", "fr")[0] == 0
    store = isolated_home / "registers.sqlite"
    before = store.read_bytes()
    bad = tmp_path / "fr.xml"
    bad.write_text("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>x</FICHE>", encoding="utf-8")
    code, _out, err = run_cli("registers", "import", str(bad), "--name", "fr")
    assert code == 2 and "not well-formed XML" in err and "Traceback" not in err
    assert store.read_bytes() == before
    assert _registers(run_cli)["fr"]["records"] == 12


@needs_shared
def test_an_import_failing_while_writing_rolls_back(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import skillmap.registers.store

    assert run_cli("registers", "import", str(RNCP_XML), "--name", "fr")[0] == 0
    calls = {"n": 0}
    original = skillmap.registers.store.record_to_json

    def fail_half_way(record):
        calls["n"] += 1
        if calls["n"] > 4:
            raise OSError("disk full")
        return original(record)

    monkeypatch.setattr(skillmap.registers.store, "record_to_json", fail_half_way)
    with pytest.raises(OSError):
        run_cli("registers", "import", str(RS_XML), "--name", "fr")
    monkeypatch.setattr(skillmap.registers.store, "record_to_json", original)
    assert _registers(run_cli)["fr"]["records"] == 12
    _code, out, _ = run_cli("lookup", "cybersecurite", "-c", "FR", "--format", "json", "--top", "1")
    assert json.loads(out)[0]["code"] == "RNCP37488"


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--format", "pdf"], "unknown register format 'pdf'"),
        (["--country", "XX"], "unknown country code 'XX'"),
        (["--country", "UK"], "several frameworks by region"),
    ],
)
@needs_shared
def test_bad_import_options_exit_2_and_import_nothing(run_cli, isolated_home: Path, args, expected) -> None:
    code, _out, err = run_cli("registers", "import", str(RNCP_XML), *args)
    assert code == 2 and expected in err, err
    assert not (isolated_home / "registers.sqlite").exists()


def test_missing_file_and_unknown_extension_exit_2(run_cli, tmp_path: Path, isolated_home: Path) -> None:
    code, _, err = run_cli("registers", "import", str(tmp_path / "nope.xml"), "--country", "FR")
    assert code == 2 and "not found" in err
    odd = tmp_path / "register.pdf"
    odd.write_bytes(b"%PDF-1.4")
    code, _, err = run_cli("registers", "import", str(odd), "--country", "FR")
    assert code == 2 and "--input-format" in err  # the register kind; --format is the output
    assert not (isolated_home / "registers.sqlite").exists()


def test_register_without_titles_exits_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("code,level\nA1,4\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "DE")
    assert code == 2 and "title" in err


def test_register_without_titles_points_to_a_fix_this_command_offers(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("Foo,Bar\nA1,4\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "DE")
    assert code == 2 and "'Foo', 'Bar'" in err
    assert "(use --title-col)" in err and err.count("--title-col") == 1
    assert len(err.strip().splitlines()) == 1


def test_column_overrides_name_the_title_code_and_level_columns(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("Foo,Bar,Baz\nElektriker,4,DE-1\nMaurer,3,DE-2\n", encoding="utf-8")
    code, out, err = run_cli(
        "registers", "import", str(path), "--country", "DE", "--title-col", "Foo", "--level-col", "Bar",
        "--code-col", "Baz", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["records"] == 2
    code, out, _ = run_cli("lookup", "Elektriker", "--country", "DE", "--format", "json")
    assert json.loads(out)[0]["code"] == "DE-1"


def test_rows_without_a_code_are_listed_and_skipped(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Title,Code\nElektriker,DE-1\nMaurer,\nTischler,DE-3\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "DE")
    assert code == 0 and "1 row(s) left out for lack of a title or code (data rows 2)" in err
    code, out, _ = run_cli("registers", "import", str(path), "--country", "DE", "--format", "json")
    summary = json.loads(out)
    assert code == 0 and summary["records"] == 2 and summary["skipped_rows"] == [2]


def test_a_register_without_any_usable_row_leaves_the_store_unchanged(run_cli, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("Title,Code\nElektriker,DE-1\n", encoding="utf-8")
    assert run_cli("registers", "import", str(good), "--country", "DE", "--name", "reg")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("Title,Code\nMaurer,\n,DE-9\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(bad), "--country", "DE", "--name", "reg")
    assert code == 2 and err.startswith("skillmap: error:")
    code, out, _ = run_cli("registers", "list", "--format", "json")
    assert json.loads(out)[0]["source_file"] == "good.csv"


def test_unsafe_xml_exits_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "lol.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>&b;</INTITULE></FICHE></FICHES>",
        encoding="utf-8",
    )
    code, _, err = run_cli("registers", "import", str(path), "--country", "FR")
    assert code == 2 and "unsafe XML" in err


def test_list_with_nothing_imported_says_how_to_import(run_cli) -> None:
    code, out, err = run_cli("registers", "list")
    assert code == 0 and "skillmap registers import" in err
    code, out, err = run_cli("registers", "list", "--format", "json")
    assert code == 0 and json.loads(out) == []


@needs_shared
def test_batch_lookup_writes_best_match_and_next_candidates(run_cli, tmp_path: Path) -> None:
    assert run_cli("registers", "import", str(DFE_CSV), "--name", "dfe")[0] == 0
    titles = tmp_path / "titles.csv"
    titles.write_text(
        "query,note\nAAT LEVEL 1 AWARD IN BOOKKEEPING,a\n,empty\nHIGHFIELD LEVEL 1 AWARD IN ACCOUNTING,c\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    code, _, err = run_cli("lookup", "--batch", str(titles), "--country", "GB-ENG", "--out", str(out), "--top", "3")
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["code"] for r in rows] == ["61008187", "", "60313286"]
    assert rows[0]["eqf_level"] == "2" and float(rows[0]["score"]) > 0.9
    assert len(rows[0]["next_codes"].split(" | ")) == 2
    assert "2 matched, 1 without a match" in err
    again = tmp_path / "again.csv"
    run_cli("lookup", "--batch", str(titles), "--country", "GB-ENG", "--out", str(again), "--top", "3")
    assert again.read_bytes() == out.read_bytes()  # deterministic


@needs_shared
def test_batch_lookup_bad_input_writes_nothing(run_cli, tmp_path: Path) -> None:
    assert run_cli("registers", "import", str(RNCP_XML), "--name", "fr")[0] == 0
    titles = tmp_path / "titles.csv"
    titles.write_text("title,other\nCAP ELECTRICIEN,x\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    code, _, err = run_cli("lookup", "--batch", str(titles), "--out", str(out))
    assert code == 2 and "--query-col" in err and not out.exists()
    code, _, err = run_cli("lookup", "--batch", str(titles), "--query-col", "title")
    assert code == 2 and "--out" in err
    code, _, err = run_cli("lookup", "--batch", str(titles), "--query-col", "title", "--out", str(out), "-c", "DE")
    assert code == 2 and "no register for country 'DE'" in err and not out.exists()
    code, _, err = run_cli("lookup", "--batch", str(titles), "--query-col", "title", "--out", str(out), "-c", "FR")
    assert code == 0 and out.exists()


def test_a_damaged_store_is_reported_not_overwritten(run_cli, isolated_home: Path, tmp_path: Path) -> None:
    store = isolated_home / "registers.sqlite"
    store.write_bytes(b"this is not a database" * 100)
    code, out, err = run_cli("lookup", "CAP ELECTRICIEN", "--country", "FR")
    assert code == 2 and "registers store" in err and "import again" in err and out == ""
    register = tmp_path / "fr.csv"
    register.write_text("title,code,level\nÉlectricien,FR-1,3\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(register), "--country", "FR")
    assert code == 2 and "registers store" in err
    assert store.read_bytes() == b"this is not a database" * 100


def test_import_with_skills_matches_esco_skills_to_learning_outcomes(run_cli, tmp_path: Path) -> None:
    register = tmp_path / "gb.csv"
    register.write_text(
        "Qualification title,Code,Level,Learning outcomes\n"
        "Level 2 Award in Solar Photovoltaic Installation,GB-PV,Level 2,"
        "Mount photovoltaic panels and solar panel mounting systems. Install inverter and connect to the grid.\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("registers", "import", str(register), "--country", "GB-ENG", "--skills")
    assert code == 0, err
    code, out, err = run_cli("lookup", "SOLAR PV INSTALLATION", "--country", "GB-ENG", "--format", "json")
    assert code == 0, err
    best = json.loads(out)[0]
    assert best["code"] == "GB-PV" and best["eqf_level"] == 3
    assert best["skills"] and all(uri.startswith("http://data.europa.eu/esco/") for uri in best["skills"])
    assert any("photovoltaic" in label or "solar" in label for label in best["skill_labels"])


def test_xlsx_register_with_german_headers(run_cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Kennung", "Bezeichnung", "DQR-Niveau"])
    sheet.append(["DE-EGT", "Elektroniker/-in für Energie- und Gebäudetechnik", "4"])
    sheet.append(["DE-KE", "Kaufmann/-frau im Einzelhandel", "4"])
    path = tmp_path / "dqr.xlsx"
    workbook.save(path)
    code, _, err = run_cli("registers", "import", str(path), "--country", "de", "--name", "dqr")
    assert code == 0, err
    code, out, err = run_cli("lookup", "ELEKTRONIKERIN ENERGIE GEBAEUDETECHNIK", "-c", "DE", "--format", "json")
    assert code == 0, err
    best = json.loads(out)[0]
    assert (best["code"], best["eqf_level"], best["register"]) == ("DE-EGT", 4, "dqr")


def test_register_name_must_be_a_plain_word(run_cli, tmp_path: Path, isolated_home: Path) -> None:
    path = tmp_path / "fr.csv"
    path.write_text("title,code\nÉlectricien,FR-1\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "FR", "--name", "../../etc")
    assert code == 2 and "--name" in err
    assert not (isolated_home / "registers.sqlite").exists()


@needs_shared
def test_skills_at_import_keep_the_rome_codes_of_rncp_fiches(run_cli) -> None:
    code, _, err = run_cli("registers", "import", str(RNCP_XML), "--name", "rncp", "--skills")
    assert code == 0, err
    code, out, err = run_cli("lookup", "developpeur web", "-c", "FR", "--top", "1", "--format", "json")
    assert code == 0, err
    (best,) = json.loads(out)
    assert best["code"] == "RNCP35959"
    assert best["occupations"][:3] == ["E1103", "E1104", "E1205"]  # the register's ROME codes stay first
    assert best["occupation_labels"][0] == "Communication"
    added = best["occupations"][3:]
    assert all(uri.startswith("http://data.europa.eu/esco/occupation/") for uri in added)
    assert len(best["occupation_labels"]) == len(best["occupations"])


@needs_shared
def test_batch_lookup_writes_json_too(run_cli, tmp_path: Path) -> None:
    assert run_cli("registers", "import", str(RNCP_XML), "--name", "fr")[0] == 0
    titles = tmp_path / "titles.csv"
    titles.write_text("intitulé\nDEVELOPPEUR WEB\nCYBERSECURITE\n", encoding="utf-8")  # one column: no name needed
    out = tmp_path / "results.json"
    code, _, err = run_cli("lookup", "--batch", str(titles), "--out", str(out), "--top", "2")
    assert code == 0, err
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["query"], r["code"]) for r in rows] == [("DEVELOPPEUR WEB", "RNCP35959"), ("CYBERSECURITE", "RNCP37488")]
    assert rows[0]["eqf_level"] == 5 and rows[0]["next_codes"] == "RNCP37674"


def test_a_store_from_another_version_or_program_is_refused(run_cli, isolated_home: Path) -> None:
    import sqlite3

    store = isolated_home / "registers.sqlite"
    with sqlite3.connect(store) as connection:
        connection.execute("PRAGMA user_version = 99")
    code, _, err = run_cli("registers", "list")
    assert code == 2 and "another skillmap version" in err
    store.unlink()
    with sqlite3.connect(store) as connection:
        connection.execute("CREATE TABLE notes (x)")
    code, _, err = run_cli("lookup", "x", "-c", "FR")
    assert code == 2 and "not a skillmap registers store" in err


def test_rows_without_a_title_are_reported_not_dropped_silently(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "dqr.csv"
    path.write_text("Bezeichnung,Niveau\nElektroniker/-in,4\n,3\nSolarteur,4\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "DE")
    assert code == 0, err
    assert "2 qualifications" in err
    assert "1 row(s) left out for lack of a title or code (data rows 2)" in " ".join(err.split())


def test_import_input_format_names_the_kind_and_format_is_the_summary_output(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register.txt"
    path.write_text("title,code\nÉlectricien,FR-1\nPlombier,FR-2\n", encoding="utf-8")
    code, out, err = run_cli(
        "registers", "import", str(path), "-c", "FR", "--input-format", "csv", "--format", "json", "--name", "fr"
    )
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["name"], summary["format"], summary["records"], summary["skipped_rows"]) == ("fr", "csv", 2, [])


def test_import_format_with_a_register_kind_still_works_and_says_it_is_deprecated(run_cli, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["title", "code"])
    workbook.active.append(["Électricien", "FR-1"])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    code, _out, err = run_cli("registers", "import", str(path), "-c", "FR", "--format", "xlsx")
    assert code == 0, err
    assert "deprecated" in err and "--input-format xlsx" in err and "1 qualifications" in err
    assert _registers(run_cli)["register"]["format"] == "xlsx"


def test_import_format_csv_is_the_summary_output(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("title,code\nÉlectricien,FR-1\n", encoding="utf-8")
    code, out, err = run_cli("registers", "import", str(path), "-c", "FR", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0].startswith("name,format,countries,records") and "deprecated" not in err


def test_a_record_without_skills_says_what_happened_not_to_import_with_skills_again(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Title,Code\nZzyzx qwrtp,X1\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--country", "DE", "--skills")
    assert code == 0, err
    code, out, _ = run_cli("lookup", "Zzyzx qwrtp", "--country", "DE")
    assert "skills were matched at import" in out and "import it with --skills" not in out


GERMAN_PV_REGISTER = (
    "Qualification title,Code,Level,Learning outcomes\n"
    "Fachkraft für Solartechnik,DE-PV,DQR 4,"
    "Photovoltaikmodule auf Dächern montieren. Wechselrichter installieren.\n"
)


@pytest.mark.parametrize(
    ("method", "said"),
    [
        (None, "matched across languages by the semantic matcher"),
        ("lexical", "import ESCO in that language, or use the semantic matcher"),
    ],
)
def test_import_with_skills_matches_a_german_register_with_the_chosen_method(
    run_cli, tmp_path: Path, method: str | None, said: str
) -> None:
    register = tmp_path / "de.csv"
    register.write_text(GERMAN_PV_REGISTER, encoding="utf-8")
    chosen = ["--method", method] if method else []
    code, _, err = run_cli("registers", "import", str(register), "--country", "DE", "--skills", *chosen)
    assert code == 0, err
    assert said in " ".join(err.split())
    if method is None:  # hybrid: the German outcomes get the English PV skills
        code, out, err = run_cli("lookup", "Fachkraft für Solartechnik", "--country", "DE", "--format", "json")
        assert code == 0, err
        assert any("photovolta" in label for label in json.loads(out)[0]["skill_labels"])  # the PV skills


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--skills", "--method", "neural"], "unknown matching method"),
        (["--method", "semantic"], "--skills"),
    ],
)
def test_import_method_is_checked_and_goes_with_skills(run_cli, tmp_path: Path, args: list[str], expected: str) -> None:
    register = tmp_path / "de.csv"
    register.write_text(GERMAN_PV_REGISTER, encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(register), "--country", "DE", *args)
    assert code == 2 and expected in err and "Traceback" not in err
    code, out, _ = run_cli("registers", "list", "--format", "json")
    assert "DE-PV" not in out
