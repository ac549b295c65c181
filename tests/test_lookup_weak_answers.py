"""Issue 14 item 2, on the real England list: a weak lookup is not an answer, and a French title says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED, imported_home, needs_shared

DFE_CSV = SHARED / "registers" / "uk_dfe" / "approved.csv"


@pytest.fixture(scope="module")
def england_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return imported_home(tmp_path_factory, "england-only", (DFE_CSV, {"name": "dfe"}))


@needs_shared
def test_bac_pro_electricien_against_england_only_is_no_confident_match_and_looks_french(
    england_home: Path, monkeypatch, run_cli
) -> None:
    """It showed an English fire-alarm NVQ at 0.43 with "EQF level 4 (ok)" in the detail block."""
    monkeypatch.setenv("SKILLMAP_HOME", str(england_home))
    code, out, err = run_cli("lookup", "bac pro electricien")
    assert code == 0, err
    assert out.startswith("no confident match for 'bac pro electricien'; closest titles: ")
    assert "level:" not in out and "EQF level 4 (ok)" not in out  # no detail block for a suggestion
    assert "looks like a qualification of France" in err and "import a FR register" in err
    code, out, err = run_cli("lookup", "bac pro electricien", "--format", "json")
    assert all(match["weak"] for match in json.loads(out))


@needs_shared
def test_an_english_title_against_england_is_a_confident_answer_with_its_level(
    england_home: Path, monkeypatch, run_cli
) -> None:
    monkeypatch.setenv("SKILLMAP_HOME", str(england_home))
    code, out, err = run_cli("lookup", "City & Guilds Level 3 Diploma in Electrical Installations")
    assert code == 0, err
    assert "no confident match" not in out and "level:" in out and "looks like" not in err
