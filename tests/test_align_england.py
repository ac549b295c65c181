"""The real England funding list (../shared/registers/uk_dfe/approved.csv, 8,092 rows) aligned end to end.

Levels are what is checked against an official source: Ofqual's RQF → EQF table (../shared/nqf/qualification-level.tsv).
The full run resolves levels only (--levels-only); skill matching is exercised on a slice against the bundled sample
index, since matching 8k titles on the full ESCO is the benchmark's job (benchmarks/bench_align.py), not a unit test's.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SHARED, needs_shared, run_skillmap

pytestmark = needs_shared

APPROVED = SHARED / "registers" / "uk_dfe" / "approved.csv"
OFQUAL = SHARED / "nqf" / "qualification-level.tsv"


def _ofqual_eqf_by_level_name() -> dict[str, int | None]:
    """Ofqual's table: register level name ("Level 3") → EQF level (None when it gives none or a range)."""
    expected: dict[str, int | None] = {}
    with OFQUAL.open(encoding="ascii", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["qualification-sub-level"] or row["end-date"]:
                continue  # sub-levels and the retired key: the register writes "Entry Level" without them
            eqf = row["european-qualification-framework-level"]
            single = re.fullmatch(r"Level (\d)", eqf)
            expected[row["name"]] = int(single.group(1)) if single else None
    return expected


@pytest.fixture(scope="module")
def england(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("england")
    args = ["align", str(APPROVED), "--country", "GB-ENG", "--levels-only", "--quiet"]
    run_skillmap(
        [*args, "--out", str(out / "england.xlsx"), "--out", str(out / "england.csv")], tmp_path_factory.mktemp("home")
    )
    return {"xlsx": out / "england.xlsx", "csv": out / "england.csv"}


@pytest.fixture(scope="module")
def england_rows(england: dict[str, Path]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(england["csv"].read_text(encoding="utf-8"), newline="")))


def test_every_register_row_is_in_the_table(england_rows: list[dict[str, str]]) -> None:
    assert len(england_rows) == 8092
    assert len({r["QualificationNumber"] for r in england_rows}) == 8092


def test_eqf_levels_agree_with_ofqual(england_rows: list[dict[str, str]]) -> None:
    ofqual = _ofqual_eqf_by_level_name()
    assert set(ofqual) >= {r["Level"] for r in england_rows} - {"Entry Level"}
    checked = Counter()
    for row in england_rows:
        expected = ofqual.get(row["Level"])  # "Entry Level": Ofqual maps only its sub-levels
        if expected is None:
            continue
        assert row["eqf_level"] == str(expected), (row["QualificationNumber"], row["Level"], row["eqf_level"])
        assert row["level_status"] == "ok"
        checked[row["Level"]] += 1
    assert checked == {"Level 1": 1501, "Level 2": 2243, "Level 3": 2075, "Level 4": 523, "Level 5": 203, "Level 6": 86}


def test_entry_level_and_level_1_2_are_flagged_not_guessed(england_rows: list[dict[str, str]]) -> None:
    open_rows = [r for r in england_rows if r["Level"] in ("Entry Level", "Level 1/2")]
    assert len(open_rows) == 1213 + 248
    for row in open_rows:
        assert (row["eqf_level"], row["level_status"], row["needs_review"]) == ("", "ambiguous", "yes")
        assert "ambiguous level" in row["review_reasons"]


def test_england_workbook_opens_with_its_sheets(england: dict[str, Path]) -> None:
    workbook = openpyxl.load_workbook(england["xlsx"], read_only=True)
    assert workbook.sheetnames == ["Summary", "Alignment", "Skills", "Review"]
    alignment = workbook["Alignment"]
    header = next(alignment.iter_rows(max_row=1, values_only=True))
    assert header[:4] == ("QualificationNumber", "QualificationName", "Country code", "EQF level")
    assert sum(1 for _ in alignment.iter_rows(min_row=2)) == 8092
    assert sum(1 for _ in workbook["Review"].iter_rows(min_row=2)) == 1213 + 248
    summary = {row[0]: row[1:7] for row in workbook["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["EQF 4"] == (2075, 0, 0, 0, 0, 2075)  # RQF Level 3 → EQF 4
    assert summary["no EQF level"][1] == 1461


def test_check_passes_then_catches_a_changed_level(england: dict[str, Path], run_cli, tmp_path: Path) -> None:
    args = ["align", str(APPROVED), "--country", "GB-ENG", "--levels-only", "--quiet"]
    code, out, _ = run_cli(*args, "--check", str(england["csv"]))
    assert code == 0, out
    text = england["csv"].read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    target = next(i for i, r in enumerate(rows) if r[header.index("QualificationNumber")] == "60054980")
    rows[target][header.index("eqf_level")] = "7"
    previous = tmp_path / "previous.csv"
    with previous.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    code, out, _ = run_cli(*args, "--check", str(previous))
    assert code == 1
    assert "0 row(s) added, 0 removed, 1 changed" in out and "rows matched by QualificationNumber" in out
    assert "changed QualificationNumber 60054980: eqf_level: '7' →" in out


def test_entry_sub_levels_named_in_titles_follow_ofqual_when_asked(run_cli) -> None:
    code, out, _ = run_cli(
        "align",
        str(APPROVED),
        "--country",
        "GB-ENG",
        "--levels-only",
        "--level-from-title",
        "--quiet",
        "--format",
        "json",
    )
    assert code == 0
    rows = [r for r in json.loads(out) if r["Level"] == "Entry Level"]
    entry3 = [r for r in rows if re.search(r"\bEntry 3\b", r["QualificationName"])]
    assert len(entry3) >= 500
    assert all(r["eqf_level"] == 1 and r["needs_review"] for r in entry3)  # Ofqual: Entry 3 → EQF 1, still flagged
    entry1 = [r for r in rows if re.search(r"\bEntry 1\b", r["QualificationName"])]
    assert entry1 and all(r["eqf_level"] is None for r in entry1)  # Entry 1 is not referenced


def test_matching_titles_of_a_slice_against_the_sample(tmp_path: Path, run_cli) -> None:
    with APPROVED.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    chosen = [r for r in records if re.search(r"Electrical Installation|Programming|Coaching", r["QualificationName"])]
    with (tmp_path / "slice.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(chosen)
    code, out, _ = run_cli("align", str(tmp_path / "slice.csv"), "--country", "GB-ENG", "--quiet", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == len(chosen) > 30
    installation = [r for r in rows if "Diploma In Electrical Installation" in r["QualificationName"]]
    assert installation
    for row in installation:  # "Level 2 Diploma In Electrical Installation" is matched by its subject only
        labels = row["skill_labels"] + row["occupation_labels"]
        assert labels and "electric" in labels[0]
    programming = [r for r in rows if r["QualificationName"].endswith("Award in Computer Programming")]
    assert programming and all("programming" in r["skill_labels"][0] for r in programming)
    for row in rows:
        assert row["skill_scores"] == sorted(row["skill_scores"], reverse=True)
        assert all(score >= 0.4 for score in row["skill_scores"])  # the default --min-score
        assert bool(row["skills"]) != any(r.startswith("no ESCO skill") for r in row["review_reasons"])
