"""`skillmap gap`: what evidence covers of an occupation's skills, on the bundled sample."""

from __future__ import annotations

import json

import pytest

import skillmap
from skillmap.errors import SkillmapError

PV_EVIDENCE = "I install PV panels on roofs; I install circuit breakers; I read electrical wiring plans"
TARGET = ("--occupation", "solar energy technician")


def test_gap_against_an_occupation_lists_covered_and_missing_skills_with_statements() -> None:
    result = skillmap.gap(text=PV_EVIDENCE, occupation="solar energy technician")
    covered = {s.label: s for s in result.skills if s.status == "covered"}
    assert "mount photovoltaic panels" in covered
    assert covered["mount photovoltaic panels"].statement == "I install PV panels on roofs"
    assert any(s.status == "missing" and s.statement == "" for s in result.skills)
    assert 0 < result.share("essential") < 1
    assert result.target == "solar energy technician"


def test_gap_json_has_shares_skills_and_evidence(run_cli) -> None:
    code, out, _err = run_cli("gap", "--text", PV_EVIDENCE, *TARGET, "--format", "json")
    payload = json.loads(out)
    assert code == 0
    assert {"essential_coverage", "optional_coverage", "skills", "evidence", "qualifications"} <= set(payload)
    assert payload["covered"] == sum(1 for s in payload["skills"] if s["status"] == "covered") >= 2


def test_gap_csv_is_one_row_per_target_skill(run_cli) -> None:
    code, out, _err = run_cli("gap", "--text", PV_EVIDENCE, *TARGET, "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "uri,label,relation,status,score,statement,collections"
    assert len(lines) == 1 + 88


def test_an_occupation_without_relations_asks_for_the_relations_zip(run_cli) -> None:
    code, _out, err = run_cli("gap", "--text", PV_EVIDENCE, "--occupation", "electrician")
    assert code == 2 and err.count("\n") == 1 and "relations zip" in err


def test_a_title_naming_several_occupations_lists_the_candidates_unless_picked(run_cli) -> None:
    code, _out, err = run_cli("gap", "--text", PV_EVIDENCE, "--occupation", "solar power")
    assert code == 2 and "1. " in err and "--pick" in err
    with pytest.raises(SkillmapError, match="candidate occupations; pick 1"):
        skillmap.gap(text=PV_EVIDENCE, occupation="solar power", pick=99)


def test_gap_needs_evidence_and_one_target() -> None:
    with pytest.raises(SkillmapError, match="no evidence"):
        skillmap.gap(occupation="solar energy technician")
    with pytest.raises(SkillmapError, match="one target"):
        skillmap.gap(text=PV_EVIDENCE)


def test_a_file_of_statements_is_evidence(tmp_path) -> None:
    evidence = tmp_path / "cv.txt"
    evidence.write_text("install PV panels\ninstall circuit breakers\n", encoding="utf-8")
    result = skillmap.gap(file=evidence, occupation="solar energy technician")
    assert result.evidence == ("install PV panels", "install circuit breakers")
    assert any(s.status == "covered" for s in result.skills)


def test_gap_html_view_is_a_self_contained_page(run_cli, tmp_path) -> None:
    page_path = tmp_path / "gap.html"
    code, _out, err = run_cli("gap", "--text", PV_EVIDENCE, *TARGET, "--html", str(page_path), "--format", "csv")
    page = page_path.read_text(encoding="utf-8")
    assert code == 0 and "wrote" in err
    assert page.startswith("<!DOCTYPE html>") and "mount photovoltaic panels" in page and "<script" not in page
