"""`skillmap align` end to end: the example register, every output format, --check both ways, bad input."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import REPO, run_skillmap

EXAMPLE = REPO / "examples" / "certificates.xlsx"
FORMATS = ("xlsx", "csv", "json", "md", "html")
RUN_EPOCH = "1767225600"  # 2026-01-01 00:00 UTC


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run the demo command once (bundled ESCO sample, fresh home) and keep every report."""
    out = tmp_path_factory.mktemp("reports")
    args = ["align", str(EXAMPLE), "--quiet"]
    for ext in FORMATS:
        args += ["--out", str(out / f"report.{ext}")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", RUN_EPOCH)  # the reports' run date, so reruns are byte-identical
        run_skillmap(args, tmp_path_factory.mktemp("home"))
    return {ext: out / f"report.{ext}" for ext in FORMATS}


def test_every_format_is_written(reports: dict[str, Path]) -> None:
    for path in reports.values():
        assert path.is_file() and path.stat().st_size > 0
    assert not list(reports["csv"].parent.glob(".*.tmp"))  # no temporary files left behind


def test_csv_report_has_every_row_and_the_contract_columns(reports: dict[str, Path]) -> None:
    rows = list(csv.DictReader(io.StringIO(reports["csv"].read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 12
    assert list(rows[0])[:7] == [
        "Code",
        "Country",
        "Qualification title",
        "Level (as written)",
        "Awarding body",
        "Learning outcomes",
        "ISCED-F",
    ]
    by_code = {r["Code"]: r for r in rows}
    assert by_code["DE-EGT-4"]["eqf_level"] == "4" and by_code["DE-EGT-4"]["framework"] == "DQR"
    assert by_code["GB-EL-DIG"]["level_status"] == "ambiguous" and by_code["GB-EL-DIG"]["needs_review"] == "yes"
    # a learning-outcome list starting with "- " would be a formula in a spreadsheet: neutralised
    assert by_code["GB-L3-ELEC"]["Learning outcomes"].startswith("'- design electrical systems")


def test_xlsx_report_opens_with_its_sheets(reports: dict[str, Path]) -> None:
    workbook = openpyxl.load_workbook(reports["xlsx"])
    assert workbook.sheetnames == ["Summary", "Alignment", "Skills", "Review"]
    assert workbook["Alignment"].max_row == 13
    review_titles = [row[2] for row in workbook["Review"].iter_rows(min_row=2, values_only=True)]
    assert "Entry Level Award in Digital Skills" in review_titles
    assert "Microcredenziale in intelligenza artificiale applicata" in review_titles


def test_json_html_and_markdown_reports(reports: dict[str, Path]) -> None:
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    assert len(data) == 12 and data[0]["eqf_level"] == 4 and isinstance(data[0]["skills"], list)
    assert "<svg" in reports["html"].read_text(encoding="utf-8")
    assert reports["md"].read_text(encoding="utf-8").count("\n| ") == 13


def test_reports_are_byte_identical_across_runs(
    reports: dict[str, Path], tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", RUN_EPOCH)
    args = ["align", str(EXAMPLE), "--quiet"]
    for ext in FORMATS:
        args += ["--out", str(tmp_path / f"again.{ext}")]
    code, _, _ = run_cli(*args)
    assert code == 0
    for ext in FORMATS:
        assert (tmp_path / f"again.{ext}").read_bytes() == reports[ext].read_bytes(), ext


def test_columns_used_and_sample_notice_are_reported_on_stderr(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("align", str(EXAMPLE), "--out", str(tmp_path / "r.csv"))
    assert code == 0 and out == ""
    assert "title = 'Qualification title'" in err and "level = 'Level (as written)'" in err
    assert "bundled ESCO sample" in err
    assert "12 rows aligned" in err and "need review" in err


def test_without_out_the_table_goes_to_stdout(run_cli) -> None:
    code, out, _ = run_cli("align", str(REPO / "examples" / "certificates.csv"), "--quiet", "--format", "json")
    assert code == 0
    assert [row["eqf_level"] for row in json.loads(out)][:3] == [4, 3, 4]


@pytest.mark.parametrize("ext", ["csv", "json"])
def test_check_passes_on_an_unchanged_table(reports: dict[str, Path], run_cli, ext: str) -> None:
    code, out, err = run_cli("align", str(EXAMPLE), "--quiet", "--check", str(reports[ext]))
    assert code == 0, out + err
    assert out == ""


def test_check_fails_with_a_readable_diff_when_rows_changed(reports: dict[str, Path], run_cli, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(reports["csv"].read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    rows[1][header.index("eqf_level")] = "5"  # DE-EGT-4 was expected at EQF 5
    rows = [r for r in rows if r[0] != "IT-AI-MC"]  # and the AI micro-credential was not there
    previous = tmp_path / "previous.csv"
    with previous.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    new_table = tmp_path / "table.csv"
    code, out, _ = run_cli("align", str(EXAMPLE), "--quiet", "--out", str(new_table), "--check", str(previous))
    assert code == 1
    assert "1 row(s) added, 0 removed, 1 changed" in out
    assert "changed Code DE-EGT-4: eqf_level: '5' → '4'" in out
    assert "added Code IT-AI-MC" in out
    assert new_table.read_bytes() == reports["csv"].read_bytes()  # the new table is still written for CI


def test_check_against_json_detects_a_changed_skill(reports: dict[str, Path], run_cli, tmp_path: Path) -> None:
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    data[1]["skill_labels"][0] = "something else"
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    code, out, _ = run_cli("align", str(EXAMPLE), "--quiet", "--check", str(previous))
    assert code == 1 and "changed Code FR-CAP-ELEC: skill_labels" in out


def test_help_documents_exit_codes(run_cli) -> None:
    code, out, _ = run_cli("align", "--help")
    assert code == 0
    assert "Exit codes: 0" in out and "1 --check found changed rows" in out and "2 unusable input" in out


# --- bad input: one line on stderr, exit 2, nothing written ---------------------------------------------------


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    corrupt = tmp / "corrupt.xlsx"
    corrupt.write_bytes(EXAMPLE.read_bytes()[:2000])
    protected = tmp / "protected.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le"))
    empty = tmp / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    no_title = tmp / "no_title.csv"
    no_title.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    duplicate = tmp / "duplicate.csv"
    duplicate.write_text("Title,Level,Level\nA,1,2\n", encoding="utf-8")
    huge = tmp / "huge.csv"
    huge.write_text("Title,Level\n" + "x" * 200_000 + ",2\n", encoding="utf-8")
    binary = tmp / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    not_zip = tmp / "fake.xlsx"
    not_zip.write_text("Title,Level\nA,1\n", encoding="utf-8")
    good = tmp / "good.csv"
    good.write_text("Title,Level\nPlumbing,Level 2\n", encoding="utf-8")
    return {
        "missing file": ([str(tmp / "nope.xlsx"), "--country", "GB-ENG"], "no such file"),
        "corrupt xlsx": ([str(corrupt), "--country", "DE"], "not a valid .xlsx workbook"),
        "password-protected xlsx": ([str(protected), "--country", "DE"], "password-protected"),
        "xlsx that is text": ([str(not_zip), "--country", "DE"], "not an .xlsx workbook"),
        "empty sheet": ([str(empty), "--country", "DE"], "is empty"),
        "no title column": (
            [str(no_title), "--country", "DE"],
            "no title column recognised among the headers 'Foo', 'Bar'; name it with --title-col",
        ),
        "duplicate headers": ([str(duplicate), "--country", "DE"], "'Level' twice"),
        "unknown country": ([str(good), "--country", "Atlantis"], "ATLANTIS"),
        "no country": ([str(good)], "no country: give the country code"),
        "huge cell": ([str(huge), "--country", "DE"], "200,000 characters"),
        "binary csv": ([str(binary), "--country", "DE"], "binary file"),
        "unknown sheet": ([str(EXAMPLE), "--sheet", "Nope"], "no sheet 'Nope'"),
        "unknown column override": ([str(good), "--country", "DE", "--level-col", "Niveau"], "--level-col 'Niveau'"),
        "unknown output format": ([str(good), "--country", "DE", "--out", str(tmp / "r.pdf")], "unknown format .pdf"),
        "check file missing": ([str(good), "--country", "DE", "--check", str(tmp / "old.csv")], "no such file"),
        "output is the input": ([str(good), "--country", "DE", "--out", str(good)], "is the input file"),
    }


CASES = [
    "missing file",
    "corrupt xlsx",
    "password-protected xlsx",
    "xlsx that is text",
    "empty sheet",
    "no title column",
    "duplicate headers",
    "unknown country",
    "no country",
    "huge cell",
    "binary csv",
    "unknown sheet",
    "unknown column override",
    "unknown output format",
    "check file missing",
    "output is the input",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_and_nothing_written(case: str, tmp_path: Path, run_cli) -> None:
    args, message = _bad_inputs(tmp_path)[case]
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    out_dir = tmp_path / "out"
    extra = [] if "--out" in args else ["--out", str(out_dir / "report.xlsx"), "--out", str(out_dir / "table.csv")]
    code, out, err = run_cli("align", *args, *extra)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("skillmap: error: "), err
    assert message.lower() in lines[0].lower()
    assert "Traceback" not in err
    assert not out_dir.exists()
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p != out_dir} == before  # inputs untouched


def test_rows_that_cannot_be_aligned_are_reported_not_dropped(tmp_path: Path, run_cli) -> None:
    register = tmp_path / "mixed.csv"
    register.write_text(
        "Title,Level,Country\nPlumbing,Level 2,GB-ENG\n,,\nBaking,niveau 3,Atlantis\n,Level 9,FR\n", encoding="utf-8"
    )
    code, out, _ = run_cli("align", str(register), "--quiet", "--levels-only", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 3  # the blank line is not a row; every other row is there
    assert [r["level_status"] for r in rows] == ["ok", "unknown", "unknown"]
    assert rows[2]["review_reasons"] == ["no title", "level not recognised"]


def test_xlsx_written_is_a_valid_zip_even_when_an_earlier_output_exists(tmp_path: Path, run_cli) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    code, _, _ = run_cli("align", str(EXAMPLE), "--quiet", "--levels-only", "--out", str(target))
    assert code == 0 and zipfile.is_zipfile(target)


def test_check_against_the_file_being_rewritten_compares_with_its_old_content(
    reports: dict[str, Path], run_cli, tmp_path: Path
) -> None:
    table = tmp_path / "table.csv"
    table.write_text(
        reports["csv"].read_text(encoding="utf-8").replace("DQR 4 → EQF 4", "DQR 4 → EQF 4 (old)"), encoding="utf-8"
    )
    code, out, _ = run_cli("align", str(EXAMPLE), "--quiet", "--out", str(table), "--check", str(table))
    assert code == 1 and "changed Code DE-EGT-4: level_reason" in out
    assert table.read_bytes() == reports["csv"].read_bytes()  # now the new table
    code, _, _ = run_cli("align", str(EXAMPLE), "--quiet", "--out", str(table), "--check", str(table))
    assert code == 0
