"""The alignment report as an Excel workbook an analyst can hand on.

Sheets: **Summary** (what was read and when, versions, reading notes, counts per EQF level and level status with a
bar chart, review reasons, a legend of the statuses), **Alignment** (the results first — code, title, country, EQF
level, status, review, skills — then the other added fields and the input columns, under readable headers; the
header row and the title column frozen; rows that need review tinted), **Skills** (one row per input row × matched
skill or occupation, with score and matched label) and **Review** (the rows a human should look at, and why).

Cells are data, never formulas: text starting with ``=`` is stored as text (no visible apostrophe), numbers
(``-5``) as numbers, phone-like text (``+44 20 …``) as text. The bytes are identical across runs with the same run
date: fixed document dates and zip entry times. A table beyond Excel's limits (:data:`XLSX_MAX_ROWS` rows,
:data:`XLSX_MAX_COLUMNS` columns) raises :class:`~skillmap.outputs.ReportTooLarge` before any work.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from skillmap.align.summary import AlignmentSummary, level_status_legend, summarise
from skillmap.alignment_table import alignment_records, csv_cell, workbook_layout
from skillmap.model import Alignment
from skillmap.outputs.limits import ReportTooLarge

XLSX_MAX_CELL = 32_767  # Excel's limit on characters in one cell
XLSX_MAX_ROWS = 1_048_576  # Excel's limits on one sheet
XLSX_MAX_COLUMNS = 16_384
WIDTH_SAMPLE_ROWS = 500  # column widths are fitted to the header and the first rows
_FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # control characters XML 1.0 cannot hold
_PLAIN_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,14})(\.[0-9]+)?")  # "-5", "12", "2.5"; not "0713", "1e5", "+44"

HEADER_COLOUR = "DDE5F0"
REVIEW_COLOUR = "FCE8D5"


def _text(value: str) -> str:
    """Text an xlsx cell can hold: no XML-illegal control characters, at most :data:`XLSX_MAX_CELL` characters."""
    value = _ILLEGAL.sub("", value)
    if len(value) > XLSX_MAX_CELL:
        value = value[: XLSX_MAX_CELL - 1] + "…"
    return value


def workbook_value(value: Any) -> Any:
    """The value of a table field as the workbook stores it: numbers (also text that is a plain number) as
    numbers, booleans as ``yes``/``no``, lists joined as in the CSV, other text as text."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, (bool, list, tuple)):
        return _text(csv_cell(value))
    text = _text(str(value))
    if _PLAIN_NUMBER.fullmatch(text):
        if "." not in text:
            return int(text)
        if repr(float(text)) == text:  # "2.5" reads back as "2.5"; "2.50" stays text
            return float(text)
    return text


class _SheetWriter:
    """Appends rows to one write-only sheet; every string is stored as a string (never run as a formula)."""

    def __init__(self, workbook: Any, name: str) -> None:
        from openpyxl.cell import WriteOnlyCell

        self._cell_type = WriteOnlyCell
        self.sheet = workbook.create_sheet(name)
        self.rows = 0

    def cell(self, value: Any, *, font: Any = None, fill: Any = None, alignment: Any = None) -> Any:
        cell = self._cell_type(self.sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # "=HYPERLINK(…)" stays text
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def append(self, values: Sequence[Any], **style: Any) -> int:
        """Append one row; strings that a spreadsheet would run become text cells. Returns the row number."""
        if style:
            row = [self.cell(v, **style) for v in values]
        else:
            row = [self.cell(v) if isinstance(v, str) and v.startswith("=") else v for v in values]
        self.sheet.append(row)
        self.rows += 1
        return self.rows


def _table_sheet(
    workbook: Any,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    frozen_columns: int = 0,
    tinted: Sequence[bool] = (),
    cap: int = 60,
) -> None:
    """One table: bold tinted header, frozen header row and ``frozen_columns`` first columns, auto-filter,
    fitted widths; rows whose ``tinted`` flag is set are filled with the review colour."""
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    writer = _SheetWriter(workbook, name)
    sheet = writer.sheet
    widths: dict[int, int] = {}
    for row in [headers, *rows[:WIDTH_SAMPLE_ROWS]]:
        for column, value in enumerate(row, start=1):
            text = "" if value is None else str(value)
            widths[column] = max(widths.get(column, 0), max(len(part) for part in text.split("\n")))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(8, min(cap, width + 2))
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    header_style = {
        "font": Font(bold=True),
        "fill": PatternFill("solid", fgColor=HEADER_COLOUR),
        "alignment": CellAlignment(vertical="top", wrap_text=True),
    }
    writer.append([_text(h) for h in headers], **header_style)
    review_fill = PatternFill("solid", fgColor=REVIEW_COLOUR)
    for number, row in enumerate(rows):
        if number < len(tinted) and tinted[number]:
            writer.append(row, fill=review_fill)
        else:
            writer.append(row)


def check_limits(alignments: Sequence[Alignment], columns: int) -> None:
    """Raise :class:`ReportTooLarge` when a sheet would not fit in xlsx."""
    matches = sum(len(a.skills) + len(a.occupations) for a in alignments)
    rows = max(len(alignments), matches) + 1
    if columns > XLSX_MAX_COLUMNS or rows > XLSX_MAX_ROWS:
        raise ReportTooLarge(
            f"an xlsx sheet holds at most {XLSX_MAX_ROWS:,} rows and {XLSX_MAX_COLUMNS:,} columns; this report needs "
            f"{rows:,} rows and {columns:,} columns: write .csv or .json instead"
        )


def _summary_sheet(workbook: Any, summary: AlignmentSummary, title: str, facts: Sequence[tuple[str, Any]]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    header_style = {"font": bold, "fill": PatternFill("solid", fgColor=HEADER_COLOUR)}
    writer = _SheetWriter(workbook, "Summary")
    sheet = writer.sheet
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 16
    writer.append(["skillmap alignment report"], font=Font(bold=True, size=14))
    writer.append([_text(title)])
    writer.append([])
    counts: list[tuple[str, Any]] = list(summary.counts)
    for label, value in [*counts, *facts]:
        writer.append([writer.cell(_text(label), font=bold), _fact_value(value)])
    writer.append([])
    statuses = list(summary.statuses)
    table_top = writer.append(["EQF level", *statuses, "total"], **header_style)
    for level, level_counts in summary.by_level.items():
        label = f"EQF {level}" if level != "none" else "no EQF level"
        writer.append([label, *[level_counts.get(status, 0) for status in statuses], sum(level_counts.values())])
    table_bottom = writer.rows
    if table_bottom > table_top:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Rows per EQF level and level status"
        chart.y_axis.title = "rows"
        chart.x_axis.title = "EQF level"
        data = Reference(sheet, min_col=2, max_col=len(statuses) + 1, min_row=table_top, max_row=table_bottom)
        categories = Reference(sheet, min_col=1, min_row=table_top + 1, max_row=table_bottom)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.width, chart.height = 18, 9
        sheet.add_chart(chart, f"J{table_top}")
    writer.append([])
    writer.append(["review reason", "rows"], **header_style)
    for reason, count in summary.review_reasons.items():
        writer.append([_text(reason), count])
    writer.append([])
    writer.append(["level status", "meaning"], **header_style)
    for info in level_status_legend(summary.statuses):
        writer.append([info.status, info.meaning])
    writer.append(["needs review", "the row is tinted in the Alignment sheet and listed in the Review sheet"])
    if summary.has_digital_or_green:
        _collections_table(writer, summary, header_style)


def _collections_table(writer: _SheetWriter, summary: AlignmentSummary, header_style: dict[str, Any]) -> None:
    """Matched skills per EQF level and the shares in the ESCO digital and green collections, with a bar chart."""
    from openpyxl.chart import BarChart, Reference

    writer.append([])
    top = writer.append(
        ["EQF level (skills)", "matched skills", "digital", "green", "digital share", "green share"], **header_style
    )
    for level, counts in summary.collections_by_level.items():
        skills = counts["skills"]
        label = f"EQF {level}" if level != "none" else "no EQF level"
        writer.append(
            [label, skills, counts["digital"], counts["green"],
             round(counts["digital"] / skills, 4), round(counts["green"] / skills, 4)]
        )  # fmt: skip
    bottom = writer.rows
    chart = BarChart()
    chart.type = "col"
    chart.title = "Digital and green shares of the matched skills per EQF level"
    chart.y_axis.title = "share of matched skills"
    chart.x_axis.title = "EQF level"
    sheet = writer.sheet
    chart.add_data(Reference(sheet, min_col=5, max_col=6, min_row=top, max_row=bottom), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=top + 1, max_row=bottom))
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"J{top}")


def _fact_value(value: Any) -> Any:
    return _text(value) if isinstance(value, str) else value


def render_xlsx(
    alignments: Sequence[Alignment],
    input_headers: Sequence[str],
    *,
    code_column: str | None = None,
    title_column: str | None = None,
    facts: Sequence[tuple[str, Any]] = (),
    title: str = "Alignment",
    suggested: bool = False,
) -> bytes:
    """Build the report workbook and return its bytes (identical for identical inputs).

    ``facts`` are (label, value) lines shown on the Summary sheet: input file, run date, versions, columns used,
    reading notes. ``code_column`` and ``title_column`` (input headers) lead the Alignment sheet. ``suggested``:
    levels were suggested; their columns join the results (Alignment sheet) and the rows to review (Review sheet).
    """
    from openpyxl import Workbook

    first = [c for c in (code_column, title_column) if c]
    layout = workbook_layout(input_headers, first=first, suggested=suggested)
    check_limits(alignments, len(layout))
    summary = summarise(alignments)
    # Write-only mode streams rows to the file: several times faster on large registers, and the same features
    # (frozen panes, auto-filter, widths, charts) as long as they are set before the rows are appended.
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, summary, title, facts)

    records = alignment_records(alignments, input_headers, suggested=suggested)
    leading = sum(1 for c in (code_column, title_column) if c and c in input_headers)
    _table_sheet(
        workbook,
        "Alignment",
        [label for _, label in layout],
        [[workbook_value(record[name]) for name, _ in layout] for record in records],
        frozen_columns=leading,
        tinted=[bool(a.review) for a in alignments],
    )

    def code_cells(a: Alignment) -> list[Any]:
        return [workbook_value(a.row.get(code_column, ""))] if code_column else []

    code_header = ["Code"] if code_column else []
    long_rows = [
        [
            a.row_number,
            *code_cells(a),
            _text(a.title),
            kind,
            rank,
            match.uri,
            _text(match.label),
            _text(match.matched_label),
            round(match.score, 4),
            _text(match.statement),
        ]
        for a in alignments
        for kind, matches in (("skill", a.skills), ("occupation", a.occupations))
        for rank, match in enumerate(matches, start=1)
    ]
    skills_headers = ["Row", *code_header, "Title", "Kind", "Rank", "ESCO URI", "ESCO label", "Matched label"]
    _table_sheet(
        workbook, "Skills", [*skills_headers, "Score", "Statement"], long_rows, frozen_columns=2 + len(code_header)
    )

    review_rows = [
        [
            a.row_number,
            *code_cells(a),
            _text(a.title),
            _text(a.level.country),
            workbook_value(a.level.input or ""),
            a.level.status,
            _text(a.level.reason),
            _text(csv_cell(list(a.review))),
            *(_suggestion_cells(a) if suggested else []),
        ]
        for a in alignments
        if a.review
    ]
    review_headers = ["Row", *code_header, "Title", "Country code", "Level as written", "Level status"]
    suggestion_headers = ["Suggested EQF level (a suggestion, not a level)", "Suggestion evidence"] if suggested else []
    _table_sheet(
        workbook,
        "Review",
        [*review_headers, "Level reason", "Review reasons", *suggestion_headers],
        review_rows,
        frozen_columns=2 + len(code_header),
    )

    workbook.properties.creator = "skillmap"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_xlsx_bytes(buffer.getvalue())


def _suggestion_cells(alignment: Alignment) -> list[Any]:
    """The suggested level and its evidence of a row on the Review sheet (empty cells when none)."""
    suggestion = alignment.suggestion
    if suggestion is None or suggestion.eqf_level is None:
        return [None, None]
    return [suggestion.eqf_level, _text(csv_cell(list(suggestion.evidence)))]


def normalise_xlsx_bytes(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed entry times and fixed document dates, so equal workbooks are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + _FIXED_DOC_TIME.encode() + m.group(3),
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()
