"""`skillmap esco import|info|reset` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.test_esco_csv import write_esco_folder


def test_info_without_import_shows_the_sample_and_says_so(run_cli) -> None:
    code, out, err = run_cli("esco", "info", "--format", "json")
    info = json.loads(out)
    assert code == 0 and info["origin"] == "sample"
    assert set(info["languages"]) == {"en", "es", "fr"}
    assert isinstance(info["counts"]["skill"], int) and isinstance(info["counts"]["occupation"], int)
    assert "using the bundled ESCO sample" in " ".join(err.split())


def test_import_prints_what_was_imported_and_info_agrees(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("esco", "import", str(write_esco_folder(tmp_path / "esco")), "--format", "json")
    assert code == 0, err
    imported = json.loads(out)
    code, out, err = run_cli("esco", "info", "--format", "json")
    assert json.loads(out) == imported and "bundled" not in err
    assert imported["counts"] == {"isco_group": 1, "occupation": 1, "skill": 2}
    assert imported["relations"] == 2


def test_info_csv_lists_counts_per_kind(tmp_path: Path, run_cli) -> None:
    run_cli("esco", "import", str(write_esco_folder(tmp_path / "esco")))
    code, out, _err = run_cli("esco", "info", "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out))) == [
        ["kind", "count"],
        ["isco_group", "1"],
        ["occupation", "1"],
        ["skill", "2"],
    ]


def test_taxonomy_csv_is_detected_and_becomes_the_index(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "courses.csv"
    path.write_text("uri,label,kind,lang\nurn:c:1,robot programming,skill,en\n", encoding="utf-8")
    code, out, _err = run_cli("esco", "import", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["origin"] == "custom"
    _code, _out, err = run_cli("esco", "info")
    assert "custom taxonomy courses.csv" in " ".join(err.split())


def test_taxonomy_flag_on_an_esco_folder_is_refused(tmp_path: Path, run_cli) -> None:
    code, _out, err = run_cli("esco", "import", "--taxonomy", str(write_esco_folder(tmp_path / "esco")))
    assert code == 2 and "taxonomy must be a file" in err


def test_reset_goes_back_to_the_sample(tmp_path: Path, run_cli) -> None:
    run_cli("esco", "import", str(write_esco_folder(tmp_path / "esco")))
    assert run_cli("esco", "reset")[0] == 0
    code, out, _err = run_cli("esco", "info", "--format", "json")
    assert code == 0 and json.loads(out)["origin"] == "sample"
