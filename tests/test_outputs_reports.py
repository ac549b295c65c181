"""The xlsx and HTML reports: the sheets an analyst hands on, a self-contained page, identical bytes every run."""

from __future__ import annotations

import io
import re
import time
import zipfile

import openpyxl
import pytest

from skillmap.model import LEVEL_STATUSES
from skillmap.outputs import ReportTooLarge
from skillmap.outputs.html import render_html
from skillmap.outputs.xlsx import render_xlsx
from tests.test_outputs_tables import ALIGNMENTS, HEADERS, _alignment

FACTS = [("input", "register.xlsx"), ("run date", "2026-01-01 00:00 UTC"), ("reading note", "1 merged cell range(s)")]


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    return render_xlsx(ALIGNMENTS, HEADERS, code_column="Code", title_column="Title", facts=FACTS)


@pytest.fixture(scope="module")
def workbook(workbook_bytes: bytes):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes))


def test_workbook_has_the_four_sheets(workbook) -> None:
    assert workbook.sheetnames == ["Summary", "Alignment", "Skills", "Review"]


def test_alignment_sheet_shows_results_first_under_readable_headers(workbook) -> None:
    sheet = workbook["Alignment"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "Code",
        "Title",
        "Country code",
        "EQF level",
        "Level status",
        "Needs review",
        "Review reasons",
        "ESCO skills",
        "Skill scores",
    ]
    assert header[-2:] == ["country (input)", "Level"]  # then the input columns
    assert sheet.freeze_panes == "C2"  # header row and code + title columns stay in view
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["EQF level"] == 4 and first["ESCO skills"] == "install wiring | test | measure"
    assert first["Needs review"] == "no"
    assert 8 <= sheet.column_dimensions["B"].width <= 60


def test_rows_needing_review_are_tinted_across_the_whole_row(workbook) -> None:
    sheet = workbook["Alignment"]
    tinted = [{c.fill.fgColor.rgb for c in row} for row in sheet.iter_rows(min_row=2)]
    assert tinted[0] == {"00000000"}  # no fill
    assert tinted[1] == {"00FCE8D5"}  # every cell of the review row


def test_formula_text_is_stored_as_text_without_an_apostrophe(workbook) -> None:
    sheet = workbook["Alignment"]
    title = sheet.cell(row=3, column=2)
    assert title.value == '=HYPERLINK("http://evil")'
    assert title.data_type == "s"  # a string, not a formula


@pytest.mark.parametrize(
    "cell,stored",
    [("-5", -5), ("12", 12), ("2.5", 2.5), ("+44 20 7946 0000", "+44 20 7946 0000"), ("0713", "0713"), ("@x", "@x")],
)
def test_numbers_are_numbers_and_phone_numbers_are_plain_text(cell: str, stored) -> None:
    data = render_xlsx([_alignment(1, cell, "t")], HEADERS, code_column="Code")
    value = openpyxl.load_workbook(io.BytesIO(data))["Alignment"].cell(row=2, column=1).value
    assert value == stored and type(value) is type(stored)


def test_summary_states_the_run_the_versions_the_reading_notes_and_a_legend(workbook) -> None:
    values = [row[:2] for row in workbook["Summary"].iter_rows(values_only=True)]
    assert ("rows", 2) in values and ("rows needing review", 1) in values  # numbers, not text
    assert ("run date", "2026-01-01 00:00 UTC") in values
    assert ("reading note", "1 merged cell range(s)") in values
    legend = dict(values[values.index(("level status", "meaning")) + 1 :])
    assert set(LEVEL_STATUSES) <= set(legend) and "not guessed" in legend["ambiguous"]


def test_a_table_wider_than_xlsx_is_refused_with_the_limit() -> None:
    headers = tuple(f"c{i}" for i in range(16_400))
    with pytest.raises(ReportTooLarge, match="16,384 columns"):
        render_xlsx([], headers)


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
    assert rows[0][:5] == ("Row", "Code", "Title", "Kind", "Rank")
    assert len(rows) == 1 + 2 * 3  # two rows × (2 skills + 1 occupation)
    assert rows[1][4:9] == (1, "http://data.europa.eu/esco/skill/s1", "install wiring", "wiring", 0.8765)


def test_review_sheet_lists_only_rows_needing_review(workbook) -> None:
    rows = list(workbook["Review"].iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == 2 and rows[1][-1] == "ambiguous level"


def test_workbook_bytes_are_identical_across_runs(workbook_bytes: bytes) -> None:
    time.sleep(1.1)  # zip entries and document properties carry the time of writing unless fixed
    again = render_xlsx(ALIGNMENTS, HEADERS, code_column="Code", title_column="Title", facts=FACTS)
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
