"""The `skillmap skills` and `skillmap occupations` commands, on a custom taxonomy and the bundled sample."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

TAXONOMY_CSV = """uri,label,kind,lang
http://x/skill/solar,install solar panels,skill,en
http://x/skill/solar,mount photovoltaic modules,skill,en
http://x/skill/customers,communicate with customers,skill,en
http://x/skill/weld,weld steel pipes,skill,en
http://x/occupation/electrician,electrician,occupation,en
"""


@pytest.fixture
def taxonomy(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(TAXONOMY_CSV, encoding="utf-8")
    return path


def test_skills_json_lists_hits_with_uri_labels_and_float_score(run_cli, taxonomy: Path) -> None:
    code, out, err = run_cli("skills", "mounting photovoltaic modules", "--taxonomy", str(taxonomy), "-f", "json")
    assert code == 0, err
    hits = json.loads(out)
    assert hits[0]["uri"] == "http://x/skill/solar"
    assert hits[0]["label"] == "install solar panels"
    assert hits[0]["matched_label"] == "mount photovoltaic modules"
    assert isinstance(hits[0]["score"], float) and 0 < hits[0]["score"] <= 1
    assert all(h["uri"].startswith("http://x/skill/") for h in hits)


def test_paragraph_csv_names_the_statement_of_each_hit(run_cli, taxonomy: Path) -> None:
    text = "1. Install solar panels on roofs\n2. Communicate with customers"
    code, out, _ = run_cli("skills", text, "--taxonomy", str(taxonomy), "--format", "csv", "--top", "2")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["uri"], r["statement"]) for r in rows] == [
        ("http://x/skill/customers", "Communicate with customers"),
        ("http://x/skill/solar", "Install solar panels on roofs"),
    ]


def test_same_command_prints_byte_identical_output(run_cli, taxonomy: Path) -> None:
    args = ("skills", "install panels and weld pipes", "--taxonomy", str(taxonomy), "-f", "csv")
    assert run_cli(*args)[1] == run_cli(*args)[1]


def test_occupations_command_matches_occupations(run_cli, taxonomy: Path) -> None:
    code, out, _ = run_cli("occupations", "Electricians", "--taxonomy", str(taxonomy), "-f", "json")
    assert code == 0
    assert [h["uri"] for h in json.loads(out)] == ["http://x/occupation/electrician"]


def test_min_score_can_leave_no_hits(run_cli, taxonomy: Path) -> None:
    code, out, err = run_cli("skills", "weld", "--taxonomy", str(taxonomy), "--min-score", "1", "-f", "json")
    assert code == 0
    assert json.loads(out) == []
    assert "no concept matched" in err


@pytest.mark.parametrize("text", ["", "   ", "?!"])
def test_empty_text_exits_2_with_a_clear_message(run_cli, text: str) -> None:
    code, out, err = run_cli("skills", text)
    assert code == 2
    assert out == ""
    assert "empty text" in err and "Traceback" not in err


def test_missing_taxonomy_file_exits_2(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("skills", "weld", "--taxonomy", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "not found" in err


def test_without_an_import_the_bundled_sample_is_used_with_a_notice(run_cli) -> None:
    code, out, err = run_cli("occupations", "ICT security administrator", "-f", "json")
    assert code == 0
    assert "bundled ESCO sample" in err
    assert json.loads(out)[0]["label"] == "ICT security administrator"


def test_unknown_language_exits_2(run_cli, taxonomy: Path) -> None:
    code, _, err = run_cli("skills", "weld", "--taxonomy", str(taxonomy), "--lang", "xx")
    assert code == 2
    assert "no labels in xx" in err


def test_exact_french_label_of_the_sample_scores_near_one(run_cli) -> None:
    code, out, _ = run_cli("occupations", "électricien", "--lang", "fr", "--top", "1", "-f", "json")
    assert code == 0
    hit = json.loads(out)[0]
    assert (hit["matched_label"], hit["lang"]) == ("électricien", "fr")
    assert hit["label"] == "électricien/électricienne"
    assert hit["score"] >= 0.97  # an alternative label matched exactly (preferred labels weigh 1, alternatives 0.97)


def test_lang_accepts_upper_case_and_comma_separated_codes(run_cli) -> None:
    code, out, err = run_cli("occupations", "électricien", "--lang", "FR,en", "--top", "1", "-f", "json")
    assert code == 0, err
    assert json.loads(out)[0]["matched_label"] == "électricien"
