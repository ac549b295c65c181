"""France's open-data RNCP CSV as a recognition officer meets it: duplicates merged, messy titles found, measured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED, needs_shared

HEADER = (
    "CodeRNCP;intituleDiplome;date_fin_validite_enregistrement;ActiveInactive;EtatFiche;NiveauEurope;"
    "CodeTypeCertif;TypeCertif;AncienneFiche;NouvelleFiche;TypeEnregistrement"
)
ROWS = [  # invented fiches in the export's format
    "RNCP90001;Administration publique (fiche nationale);8/31/24;ACTIVE;Publiée;niveau7;MASTER;Master;;;Enregistrement de droit",  # noqa: E501
    "RNCP90002;Administration publique;10/31/19;INACTIVE;Publiée;niveau7;MASTER;Master;;;Enregistrement de droit",
    "RNCP90003;Administration et échanges internationaux;;ACTIVE;Publiée;niveau7;MASTER;Master;;;Enregistrement de droit",  # noqa: E501
    "RNCP90004;Assistant de gestion de PME et de PMI;;INACTIVE;Publiée;niveau5;BTS;Brevet de technicien supérieur;;RNCP90005;Enregistrement de droit",  # noqa: E501
    "RNCP90004;Assistant de gestion de PME et de PMI;;INACTIVE;Publiée;niveau5;BTS;Brevet de technicien supérieur;;RNCP90006;Enregistrement de droit",  # noqa: E501
    "RNCP90005;Gestion de la PME;1/1/24;ACTIVE;Publiée;niveau5;BTS;Brevet de technicien supérieur;RNCP90004;;Enregistrement de droit",  # noqa: E501
    "RNCP90006;Assistant de manager;1/1/19;INACTIVE;Publiée;niveau5;BTS;Brevet de technicien supérieur;;;Enregistrement de droit",  # noqa: E501
    "RNCP90007;Analyste informaticien;5/12/16;INACTIVE;Publiée;niveau6;;;;RNCP90008;Enregistrement sur demande",
    "RNCP90008;Analyste informaticien(ne);6/7/21;ACTIVE;Publiée;niveau6;;;RNCP90007;;Enregistrement sur demande",
    "RNCP90009;Agencement;;ACTIVE;Publiée;niveau6;Licence Professionnelle;Licence Professionnelle;;;Enregistrement de droit",  # noqa: E501
    "RNCP90009;Agencement;;ACTIVE;Publiée;niveau6;Licence Professionnelle;Licence Professionnelle;;;Enregistrement de droit",  # noqa: E501
    "RNCP90010;Électricien;1/1/18;INACTIVE;Publiée;niveau3;CAP;Certificat d'aptitude professionnelle;;;Enregistrement de droit",  # noqa: E501
    "RNCP90010;Électricien;1/1/25;ACTIVE;Publiée;niveau3;CAP;Certificat d'aptitude professionnelle;;;Enregistrement de droit",  # noqa: E501
    ";Titre sans code;;ACTIVE;Publiée;niveau4;;;;;Enregistrement sur demande",
    'RNCP90011;"Technicien\nde maintenance";;ACTIVE;Publiée;niveau4;BAC PRO;Baccalauréat professionnel;;;Enregistrement de droit',  # noqa: E501
]


@pytest.fixture(scope="module")
def rncp_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rncp") / "rncp_info.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def imported(rncp_csv: Path, run_cli, tmp_path: Path) -> tuple[dict, str, Path]:
    report = tmp_path / "duplicates.json"
    code, out, err = run_cli("registers", "import", str(rncp_csv), "--format", "json", "--report", str(report))
    assert code == 0, err
    return json.loads(out), err, report


def test_the_open_data_export_imports_with_no_options_and_merges_duplicate_codes(imported) -> None:
    summary, err, _ = imported
    assert summary["format"] == "rncp-csv" and summary["countries"] == ["FR"]
    assert summary["records"] == 11  # 15 rows: one without code, one identical, one link row, one conflict
    assert summary["skipped_rows"] == [14]
    note = next(n for n in summary["notes"] if n.startswith("duplicate codes merged"))
    assert "1 identical row(s)" in note and "1 row(s) listing another predecessor/successor" in note
    assert "1 code(s) with conflicting rows" in note and "duplicate codes merged" in err


def test_the_report_lists_each_conflicting_code_with_the_row_kept(imported) -> None:
    _, _, report = imported
    payload = json.loads(report.read_text(encoding="utf-8"))
    (conflict,) = payload["conflicts"]
    assert conflict["code"] == "RNCP90010" and conflict["kept_row"] == 13 and conflict["dropped_rows"] == [12]
    assert "ActiveInactive" in conflict["columns"]
    assert payload["merged_codes"] == ["RNCP90004", "RNCP90009", "RNCP90010"]


def test_a_typed_messy_title_finds_the_fiche_nationale_and_says_why(imported, run_cli) -> None:
    _code, out, _ = run_cli(
        "lookup", "ADMINISTRATION PUBLIQUE (MASTER LIMOGES )", "--country", "FR", "--format", "json"
    )
    best, second = json.loads(out)[:2]
    assert best["code"] == "RNCP90001" and "type MASTER = MASTER" in best["why"] and "fiche nationale" in best["why"]
    assert best["status"] == "active" and not best["weak"]
    assert second["code"] == "RNCP90002" and "inactive" in second["why"]


def test_an_old_fiche_leads_to_its_successor_and_says_so(imported, run_cli) -> None:
    _code, out, _ = run_cli(
        "lookup", "ASSISTANT DE GESTION DE PME ET DE PMI (BTS)", "--country", "FR", "--format", "json"
    )
    hits = json.loads(out)
    assert hits[0]["code"] == "RNCP90005" and "successor of RNCP90004" in hits[0]["why"]
    old = next(h for h in hits if h["code"] == "RNCP90004")
    assert "inactive, replaced by RNCP90005 RNCP90006" in old["why"]


def test_active_only_leaves_inactive_fiches_out(imported, run_cli) -> None:
    _, out, _ = run_cli(
        "lookup", "ANALYSTE INFORMATICIEN (AFCEPF)", "--country", "FR", "--active-only", "--format", "json"
    )
    assert [h["status"] for h in json.loads(out)] == ["active"] * len(json.loads(out))
    _code, out, _ = run_cli("lookup", "ANALYSTE INFORMATICIEN (AFCEPF)", "--country", "FR", "--format", "json")
    assert [h["code"] for h in json.loads(out)][:2] == ["RNCP90008", "RNCP90007"]


def test_a_query_of_stop_words_is_no_match(imported, run_cli) -> None:
    code, out, err = run_cli("lookup", "de la (et) ...", "--country", "FR")
    assert code == 0 and "no match" in err and "RNCP" not in out


def test_a_weak_best_match_is_not_shown_as_the_answer(imported, run_cli) -> None:
    code, out, _ = run_cli("lookup", "boulanger patissier", "--country", "FR")
    assert code == 0 and ("no confident match" in out or "RNCP" not in out)
    assert "level:" not in out


def test_evaluate_lookup_reports_top1_top5_mrr_seconds_and_misses(imported, run_cli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "query_id,query,acceptable_codes\nQ1,AGENCEMENT (LP),RNCP90009\nQ2,GESTION DE LA PME (BTS),RNCP90005|RNCP90004\n"  # noqa: E501
        "Q3,ANALYSTE INFORMATICIEN,RNCP90007\n",
        encoding="utf-8",
    )
    code, out, err = run_cli("evaluate-lookup", str(gold), "--country", "FR", "--format", "json")
    result = json.loads(out)
    assert code == 0, err
    assert {"n", "top1", "top5", "mrr", "seconds"} <= set(result) and result["n"] == 3
    assert result["top1"] == pytest.approx(2 / 3, abs=1e-3) and result["top5"] == 1.0
    assert [m["query"] for m in result["misses"]] == ["ANALYSTE INFORMATICIEN"] and result["misses"][0]["rank"] == 2


def test_a_french_type_against_an_english_register_says_to_import_a_french_one(run_cli, tmp_path: Path) -> None:
    register = tmp_path / "england.csv"
    register.write_text(
        "Title,Code\nLevel 2 Award in Fire Safety,E1\nLevel 3 Diploma in Plumbing,E2\n", encoding="utf-8"
    )
    assert run_cli("registers", "import", str(register), "--country", "GB-ENG")[0] == 0
    code, out, err = run_cli("lookup", "bac pro electricien plombier")
    assert code == 0 and "level:" not in out
    assert "import a FR register" in err


REAL_RNCP = SHARED / "registers" / "fr_rncp_2021" / "rncp_info.csv"


@needs_shared
def test_the_real_export_reads_with_its_duplicate_codes_merged() -> None:
    from skillmap.sources.registers import DuplicateReport, read_register

    if not REAL_RNCP.is_file():
        pytest.skip(f"{REAL_RNCP} not found")
    duplicates = DuplicateReport()
    records = read_register(REAL_RNCP, duplicates=duplicates)
    assert len(records) > 17_000 and len({r.code for r in records}) == len(records)
    assert duplicates.links_merged > 0 and duplicates.note().startswith("duplicate codes merged")


def test_a_batch_says_which_best_matches_are_weak_and_why(imported, run_cli, tmp_path: Path) -> None:
    import csv

    titles = tmp_path / "titles.csv"
    titles.write_text("query\nAGENCEMENT (LP)\nboulanger patissier\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run_cli("lookup", "--batch", str(titles), "--country", "FR", "--out", str(out))
    assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["code"] == "RNCP90009" and rows[0]["weak"] == "no" and "type" in rows[0]["why"]
    assert rows[1]["weak"] in ("yes", "")
