"""read_table: xlsx and csv/tsv as users export them — title rows, merged cells, formulas, encodings, delimiters."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.spreadsheets import MAX_CELL_CHARS, read_table
from tests.conftest import REPO, SHARED, needs_shared

EXAMPLE_XLSX = REPO / "examples" / "certificates.xlsx"
EXAMPLE_CSV = REPO / "examples" / "certificates.csv"
ROWS = [
    ["Intitulé", "Niveau", "Code RNCP"],
    ["Électricien d'équipement", "niveau 3", "RNCP1"],
    ["Installateur thermique – façade", "niveau 4", "RNCP2"],
]


def _write_text(path: Path, rows: list[list[str]], delimiter: str, encoding: str, bom: bytes = b"") -> Path:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    return path


# --- xlsx --------------------------------------------------------------------------------------------------


def test_example_workbook_header_is_found_below_the_title_rows() -> None:
    table = read_table(EXAMPLE_XLSX)
    assert table.sheet == "Certificates"
    assert table.header_row == 4
    assert table.headers[:4] == ("Code", "Country", "Qualification title", "Level (as written)")
    assert len(table.rows) == 12
    assert any("title row" in note for note in table.notes)


def test_merged_country_cell_gives_its_value_to_every_row_it_covers() -> None:
    records = list(read_table(EXAMPLE_XLSX).records())
    assert records[2]["Country"] == "GB-ENG"
    assert records[3]["Country"] == "GB-ENG"  # the second row of the merged cell is empty in the file


def test_header_merged_across_two_columns_names_only_the_first(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Title", "Level", None])
    sheet.merge_cells("B1:C1")  # "Level" over the national and the EQF column
    sheet.append(["Roofing", "Level 2", "3"])
    workbook.save(tmp_path / "m.xlsx")
    table = read_table(tmp_path / "m.xlsx")
    assert table.headers == ("Title", "Level", "column C")
    assert table.rows == (("Roofing", "Level 2", "3"),)


def test_formula_is_read_as_its_cached_value_and_flagged() -> None:
    table = read_table(EXAMPLE_XLSX)
    assert list(table.records())[3]["Code"] == "GB-L2-PV"
    assert table.formula_cells == ((4, "Code"),)
    assert any("never evaluated" in note for note in table.notes)


def test_formula_without_cached_value_reads_empty_not_the_formula(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Title", "Level"])
    workbook.active.append(["=1+1", "Level 2"])  # openpyxl stores no result: Excel never calculated it
    workbook.save(tmp_path / "f.xlsx")
    table = read_table(tmp_path / "f.xlsx")
    assert table.rows == (("", "Level 2"),)
    assert table.formula_cells == ((1, "Title"),)
    assert any("without a cached value" in note for note in table.notes)


def test_sheet_is_chosen_by_name_or_number(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["read me"])
    data = workbook.create_sheet("Register")
    data.append(["Title", "Level"])
    data.append(["Plumbing", "Level 2"])
    workbook.save(tmp_path / "two.xlsx")
    assert read_table(tmp_path / "two.xlsx", sheet="register").sheet == "Register"
    assert read_table(tmp_path / "two.xlsx", sheet="2").rows == (("Plumbing", "Level 2"),)
    with pytest.raises(SkillmapError, match=r"no sheet 'Data'.*'Notes', 'Register'"):
        read_table(tmp_path / "two.xlsx", sheet="Data")


def test_numbers_and_dates_become_plain_text(tmp_path: Path) -> None:
    import datetime

    workbook = openpyxl.Workbook()
    workbook.active.append(["Title", "Level", "Valid from", "Credits"])
    workbook.active.append(["Welding", 3, datetime.datetime(2024, 9, 1), 12.5])
    workbook.save(tmp_path / "n.xlsx")
    assert read_table(tmp_path / "n.xlsx").rows == (("Welding", "3", "2024-09-01", "12.5"),)


def test_empty_sheet_is_refused_naming_the_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blank"
    workbook.save(tmp_path / "empty.xlsx")
    with pytest.raises(SkillmapError, match=r"sheet 'Blank' of .*empty\.xlsx is empty"):
        read_table(tmp_path / "empty.xlsx")


def test_header_without_data_rows_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Title", "Level"])
    workbook.save(tmp_path / "header.xlsx")
    with pytest.raises(SkillmapError, match=r"no data rows"):
        read_table(tmp_path / "header.xlsx")


def test_corrupt_workbook_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(EXAMPLE_XLSX.read_bytes()[:3000])  # truncated download
    with pytest.raises(SkillmapError, match=r"not a valid .xlsx workbook"):
        read_table(broken)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (tmp_path / "z.xlsx").write_bytes(buffer.getvalue())
    with pytest.raises(SkillmapError, match=r"not a valid .xlsx workbook"):
        read_table(tmp_path / "z.xlsx")


def test_password_protected_workbook_is_refused_with_how_to_fix(tmp_path: Path) -> None:
    # Excel saves an encrypted workbook as a compound file holding an "EncryptionInfo" stream (MS-OFFCRYPTO).
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    (tmp_path / "secret.xlsx").write_bytes(header + directory + b"\x00" * 1024)
    with pytest.raises(SkillmapError, match=r"password-protected; .*remove the password"):
        read_table(tmp_path / "secret.xlsx")


def test_old_xls_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with pytest.raises(SkillmapError, match=r"Excel 97-2003 \(.xls\)"):
        read_table(tmp_path / "old.xls")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SkillmapError, match=r"no such file"):
        read_table(tmp_path / "nope.xlsx")


def test_duplicate_headers_are_refused_naming_the_columns(tmp_path: Path) -> None:
    path = _write_text(tmp_path / "dup.csv", [["Title", "Level", "level"], ["A", "1", "2"]], ",", "utf-8")
    with pytest.raises(SkillmapError, match=r"'level' twice \(columns B and C\)"):
        read_table(path)


def test_column_without_header_but_with_data_gets_its_letter(tmp_path: Path) -> None:
    path = _write_text(tmp_path / "blank.csv", [["Title", "", "Level"], ["A", "x", "1"]], ",", "utf-8")
    assert read_table(path).headers == ("Title", "column B", "Level")


# --- csv/tsv ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,bom,expected",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1252", b"", "cp1252"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, bom: bytes, expected: str) -> None:
    path = _write_text(tmp_path / "enc.csv", ROWS, ";", encoding, bom)
    table = read_table(path)
    assert table.encoding == expected
    assert table.headers == ("Intitulé", "Niveau", "Code RNCP")
    assert table.rows[1][0] == "Installateur thermique – façade"


def test_latin1_bytes_outside_cp1252_still_decode(tmp_path: Path) -> None:
    path = tmp_path / "l1.csv"
    path.write_bytes(b"Title,Level\nCaf\xe9 \x81 owner,3\n")  # 0x81 is undefined in cp1252
    table = read_table(path)
    assert table.encoding == "latin-1"
    assert table.rows[0][0].startswith("Café")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["Title", "Level", "Outcomes"], ["Roofer, slate", "2", "fix slates; read plans"], ["Tiler", "3", "x"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in rows) + "\n"
    path = tmp_path / "d.txt"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == delimiter
    assert table.rows[0][0] == "Roofer, slate"


def test_example_csv_reads_like_the_workbook() -> None:
    csv_table, xlsx_table = read_table(EXAMPLE_CSV), read_table(EXAMPLE_XLSX)
    assert csv_table.delimiter == ";" and csv_table.encoding == "utf-8-sig"
    assert csv_table.headers == xlsx_table.headers
    assert csv_table.rows == xlsx_table.rows


def test_title_rows_above_a_csv_header_are_skipped(tmp_path: Path) -> None:
    rows = [["Liste des certifications (export du 3 mars)"], [""], *ROWS]
    table = read_table(_write_text(tmp_path / "t.csv", rows, ";", "utf-8"))
    assert table.header_row == 3
    assert table.headers == ("Intitulé", "Niveau", "Code RNCP")


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(SkillmapError, match=r"binary file, not a text CSV"):
        read_table(path)


def test_workbook_renamed_to_csv_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(EXAMPLE_XLSX.read_bytes())
    with pytest.raises(SkillmapError, match=r"rename it to .xlsx"):
        read_table(path)


def test_huge_cell_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Title,Level\nA,1\nB," + "x" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"row 3, column 'Level' holds 100,001 characters"):
        read_table(path)


def test_unclosed_quote_is_reported_as_a_huge_cell(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('Title,Level\n"A,1\n' + "B,2\n" * 30_000, encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"unclosed quote"):
        read_table(path)


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMAP_MAX_INPUT_MB", "0.001")
    path = tmp_path / "big.csv"
    path.write_text("Title,Level\n" + "Plumbing,2\n" * 200, encoding="utf-8")
    with pytest.raises(SkillmapError, match="raise the limit with max_input_mb"):
        read_table(path)
    assert read_table(path, max_input_mb=1).rows[0] == ("Plumbing", "2")


def test_unsupported_extension_is_refused(tmp_path: Path) -> None:
    (tmp_path / "register.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(SkillmapError, match=r"unsupported file type .pdf"):
        read_table(tmp_path / "register.pdf")


def test_input_file_is_never_modified(tmp_path: Path) -> None:
    copy = tmp_path / "certificates.xlsx"
    copy.write_bytes(EXAMPLE_XLSX.read_bytes())
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    read_table(copy)
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before


@needs_shared
def test_england_register_reads_every_record_despite_line_breaks_in_cells() -> None:
    table = read_table(SHARED / "registers" / "uk_dfe" / "approved.csv")
    assert table.encoding == "utf-8-sig"
    assert len(table.rows) == 8092  # 8,097 physical lines: two URLs contain line breaks
    assert table.headers[1] == "QualificationName"
    levels = table.column("Level")
    assert levels.count("Entry Level") == 1213 and levels.count("Level 1/2") == 248
