"""The alignment report as an Excel workbook an analyst can hand on.

Sheets: **Summary** (counts per EQF level and level status with a bar chart, review reasons, run facts),
**Alignment** (the alignment table of docs/ARCHITECTURE.md: input columns, then the added fields; frozen header,
auto-filter), **Skills** (one row per input row × matched skill or occupation, with score and matched label) and
**Review** (the rows a human should look at, and why). Text that a spreadsheet would run as a formula is prefixed
with ``'``. The bytes are identical across runs: fixed document dates and zip entry times.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from skillmap.align.summary import summarise
from skillmap.alignment_table import alignment_records, csv_cell, neutralise, output_headers
from skillmap.model import LEVEL_STATUSES, Alignment

XLSX_MAX_CELL = 32_767  # Excel's limit on characters in one cell
_FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # control characters XML 1.0 cannot hold


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    if len(value) > XLSX_MAX_CELL:
        value = value[: XLSX_MAX_CELL - 1] + "…"
    return neutralise(value)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return _text(csv_cell(value))
    return _text(str(value))


def render_xlsx(
    alignments: Sequence[Alignment],
    input_headers: Sequence[str],
    *,
    code_column: str | None = None,
    facts: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Build the report workbook and return its bytes (identical for identical inputs).

    ``facts`` are (label, value) lines shown on the Summary sheet: input file, sheet, columns used, index version.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    review_fill = PatternFill("solid", fgColor="FCE8D5")
    wrap_top = CellAlignment(vertical="top", wrap_text=True)
    summary = summarise(alignments)
    # Write-only mode streams rows to the file: several times faster on large registers, and the same features
    # (frozen panes, auto-filter, widths, charts) as long as they are set before the rows are appended.
    workbook = Workbook(write_only=True)

    def styled(sheet: Any, value: Any, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def table_sheet(
        name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], highlight: int | None = None, cap: int = 60
    ) -> None:
        sheet = workbook.create_sheet(name)
        widths: dict[int, int] = {}
        for row in [headers, *rows[:500]]:
            for column, value in enumerate(row, start=1):
                text = "" if value is None else str(value)
                widths[column] = max(widths.get(column, 0), max(len(part) for part in text.split("\n")))
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = max(8, min(cap, width + 2))
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        header_cells = []
        for name_ in headers:
            cell = styled(sheet, _text(name_), bold, header_fill)
            cell.alignment = wrap_top
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            if highlight is not None and row[highlight] == "yes":
                row = list(row)
                row[highlight] = styled(sheet, "yes", fill=review_fill)
            sheet.append(row)

    # Summary -------------------------------------------------------------------------------------------
    sheet = workbook.create_sheet("Summary")
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 16
    sheet.append([styled(sheet, "skillmap alignment report", Font(bold=True, size=14))])
    sheet.append([])
    line = 2
    for label, value in [
        ("rows", str(summary.rows)),
        ("rows needing review", str(summary.needs_review)),
        ("rows with an ESCO skill", str(summary.with_skills)),
        ("rows with an ESCO occupation", str(summary.with_occupations)),
        *facts,
    ]:
        sheet.append([styled(sheet, _text(label), bold), _text(value)])
        line += 1
    sheet.append([])
    line += 2
    table_top = line
    statuses = list(LEVEL_STATUSES)
    sheet.append([styled(sheet, name, bold, header_fill) for name in ["EQF level", *statuses, "total"]])
    for level, counts in summary.by_level.items():
        label = f"EQF {level}" if level != "none" else "no EQF level"
        sheet.append([label, *[counts.get(status, 0) for status in statuses], sum(counts.values())])
        line += 1
    table_bottom = line
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
    sheet.append([])
    sheet.append([styled(sheet, "review reason", bold), styled(sheet, "rows", bold)])
    for reason, count in summary.review_reasons.items():
        sheet.append([_text(reason), count])

    # Alignment -----------------------------------------------------------------------------------------
    headers = output_headers(input_headers)
    records = alignment_records(alignments, input_headers)
    table_sheet(
        "Alignment",
        headers,
        [[_cell(v) for v in record.values()] for record in records],
        highlight=headers.index("needs_review"),
    )

    # Skills (long) -------------------------------------------------------------------------------------
    code = (lambda a: [_text(a.row.get(code_column, ""))]) if code_column else (lambda a: [])
    long_rows = [
        [
            a.row_number,
            *code(a),
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
    table_sheet(
        "Skills",
        [
            "row",
            *(["code"] if code_column else []),
            "title",
            "kind",
            "rank",
            "uri",
            "label",
            "matched_label",
            "score",
            "statement",
        ],
        long_rows,
    )

    # Review --------------------------------------------------------------------------------------------
    review_rows = [
        [
            a.row_number,
            *code(a),
            _text(a.title),
            _text(a.level.country),
            _text(a.level.input or ""),
            a.level.status,
            _text(a.level.reason),
            _text(csv_cell(list(a.review))),
        ]
        for a in alignments
        if a.review
    ]
    table_sheet(
        "Review",
        [
            "row",
            *(["code"] if code_column else []),
            "title",
            "country",
            "level as written",
            "level_status",
            "level_reason",
            "review_reasons",
        ],
        review_rows,
    )

    workbook.properties.creator = "skillmap"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_xlsx_bytes(buffer.getvalue())


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
