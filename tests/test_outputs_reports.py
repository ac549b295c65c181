"""The xlsx and HTML reports: the sheets an analyst hands on, a self-contained page, identical bytes every run."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest

from skillmap.outputs.html import render_html
from skillmap.outputs.xlsx import render_xlsx
from tests.test_outputs_tables import ALIGNMENTS, HEADERS


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    return render_xlsx(ALIGNMENTS, HEADERS, code_column="Code", facts=[("input", "register.xlsx")])


@pytest.fixture(scope="module")
def workbook(workbook_bytes: bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def test_workbook_has_the_four_sheets(workbook) -> None:
    assert workbook.sheetnames == ["Summary", "Alignment", "Skills", "Review"]


def test_alignment_sheet_is_the_alignment_table_with_frozen_header_and_filter(workbook) -> None:
    sheet = workbook["Alignment"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Code", "Title", "country (input)", "Level"]
    assert header[4:7] == ["country", "framework", "nqf_level"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["eqf_level"] == 4 and first["skill_labels"] == "install wiring | test | measure"
    assert first["needs_review"] == "no"
    assert 8 <= sheet.column_dimensions["B"].width <= 60


def test_formula_text_is_neutralised_in_the_workbook(workbook) -> None:
    sheet = workbook["Alignment"]
    title = sheet.cell(row=3, column=2)
    assert title.value == '\'=HYPERLINK("http://evil")'
    assert title.data_type == "s"  # a string, not a formula


def test_summary_has_counts_per_eqf_level_and_a_bar_chart(workbook) -> None:
    sheet = workbook["Summary"]
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if row[0] == "EQF level")
    assert values[header_at][1:7] == ("ok", "ambiguous", "not_referenced", "unknown", "missing", "total")
    assert values[header_at + 1][:7] == ("EQF 4", 1, 0, 0, 0, 0, 1)
    assert values[header_at + 2][:7] == ("no EQF level", 0, 1, 0, 0, 0, 1)
    assert ("input", "register.xlsx") in [row[:2] for row in values]
    assert len(sheet._charts) == 1


def test_skills_sheet_has_one_row_per_row_and_match(workbook) -> None:
    rows = list(workbook["Skills"].iter_rows(values_only=True))
    assert rows[0][:5] == ("row", "code", "title", "kind", "rank")
    assert len(rows) == 1 + 2 * 3  # two rows × (2 skills + 1 occupation)
    assert rows[1][4:9] == (1, "http://data.europa.eu/esco/skill/s1", "install wiring", "wiring", 0.8765)


def test_review_sheet_lists_only_rows_needing_review(workbook) -> None:
    rows = list(workbook["Review"].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == 2 and rows[1][-1] == "ambiguous level"


def test_workbook_bytes_are_identical_across_runs(workbook_bytes: bytes) -> None:
    time.sleep(1.1)  # zip entries and document properties carry the time of writing unless fixed
    again = render_xlsx(ALIGNMENTS, HEADERS, code_column="Code", facts=[("input", "register.xlsx")])
    assert again == workbook_bytes
    core = zipfile.ZipFile(io.BytesIO(again)).read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_html_report_is_self_contained_with_an_inline_chart() -> None:
    page = render_html(ALIGNMENTS, code_column="Code", facts=[("input", "register.xlsx")])
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\bsrc=", page) and "@import" not in page and "url(" not in page
    assert "&lt;" not in page or "=HYPERLINK(&quot;http://evil&quot;)" in page
    assert "=HYPERLINK(&quot;http://evil&quot;)" in page  # escaped, never raw markup
    assert page == render_html(list(ALIGNMENTS), code_column="Code", facts=[("input", "register.xlsx")])
