"""Reading the spreadsheets users bring (xlsx, csv, tsv) and finding which column holds what.

Public surface (also used by the registers reader):

* :func:`read_table` — one sheet or text file → :class:`InputTable` (headers + rows of strings). Handles title rows
  above the header, merged cells, formulas (their cached values are read, never evaluated, and the cells are
  flagged), UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"), the Windows code pages (cp1250 for Central
  Europe, cp1252…: chosen by country and by the decoded text, see :mod:`skillmap.sources.encodings`) and any of
  ``, ; TAB |`` as delimiter. Only regular files are read, within the input cap
  (:func:`skillmap.fileio.max_input_bytes`): a small xlsx that unpacks to gigabytes, a merged range over a million
  rows or a stray cell at XFD1048576 costs no more than its real content, or is refused with one line.
* :func:`detect_columns` — header names in the major EU languages → :class:`ColumnMap` (title, level, text, code,
  country, awarding body, field), with explicit overrides.

Every problem a user can fix raises :class:`~skillmap.errors.SkillmapError` with one line saying what and how.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.fileio import (
    bundled_data_dir,
    check_zip_sizes,
    max_input_bytes,
    read_data_rows,
    read_input_bytes,
)
from skillmap.sources.encodings import CODE_PAGES, decode_text, utf8_inside
from skillmap.text import fold

MAX_CELL_CHARS = 100_000  # a cell longer than this is a document, not a register entry
# A sheet cell costs ~100 bytes in memory and at least ~30 bytes of sheet XML: the cap on cells (values, merged
# fills included) follows the input cap, 16.8 million cells for the default 512 MiB.
BYTES_PER_CELL = 32
HEADER_SCAN_ROWS = 30  # title rows above the header are looked for in this many first rows
ROLES: tuple[str, ...] = ("title", "level", "text", "code", "country", "awarding_body", "field")
ROLE_FLAGS: dict[str, str] = {
    "title": "--title-col",
    "level": "--level-col",
    "text": "--text-col",
    "code": "--code-col",
    "country": "--country-col",
}
TEXT_SUFFIXES = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": ""}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: legacy .xls, or an encrypted (password) xlsx
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class InputTable:
    """One table read from a file: its header names and its data rows, every cell a string.

    ``rows`` holds only data rows (rows below the header that are not completely empty), each as long as
    ``headers``. ``header_row`` is the 1-based row (xlsx) or record (csv) number of the header in the file, so a
    data row ``i`` (1-based) sits at file row ``header_row + i`` plus any skipped empty rows.
    ``formula_cells`` lists the data cells that held a formula, as (data row number, header): their cached value
    was read, never evaluated. ``notes`` are things worth telling the user (skipped rows, encoding guessed, ...).
    """

    path: str
    format: str  # "xlsx", "csv" or "tsv"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sheet: str = ""
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""
    formula_cells: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()

    def records(self) -> Iterator[dict[str, str]]:
        """Yield each data row as a dict keyed by header, in column order."""
        for row in self.rows:
            yield dict(zip(self.headers, row, strict=False))

    def column(self, header: str) -> list[str]:
        """Return every value of the column ``header``."""
        position = self.headers.index(header)
        return [row[position] for row in self.rows]


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which input column holds each kind of information (None / empty when the table has none).

    ``detected`` names the roles that were recognised from header names; the others were given as overrides.
    """

    title: str | None
    level: str | None = None
    text: tuple[str, ...] = ()
    code: str | None = None
    country: str | None = None
    awarding_body: str | None = None
    field: str | None = None
    detected: tuple[str, ...] = ()

    def used(self) -> list[tuple[str, str, str]]:
        """Return (role, column, "detected"/"given") for every role that has a column, in role order."""
        found: list[tuple[str, str, str]] = []
        for role in ROLES:
            value = getattr(self, role)
            names = value if isinstance(value, tuple) else ((value,) if value else ())
            for name in names:
                found.append((role, name, "detected" if role in self.detected else "given"))
        return found


# --- reading ---------------------------------------------------------------------------------------------


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    country: str | None = None,
    max_input_mb: float | None = None,
) -> InputTable:
    """Read the table in ``path`` (.xlsx/.xlsm, or .csv/.tsv/.txt text) and find its header row.

    ``sheet`` picks an xlsx sheet by name (case-insensitive) or 1-based number; by default the first visible sheet
    that has data (a hidden sheet, when read, is noted). ``encoding`` forces the text encoding of a csv/tsv;
    otherwise it is detected, with ``country`` (e.g. ``CZ``) naming the code page to prefer when the file is not
    UTF-8. ``max_input_mb`` raises the cap on what the file may hold or unpack to. NUL characters in a text file
    are removed (and noted). The input file is only read, never modified.
    """
    path = check_table_path(path)
    raw = read_input_bytes(path, max_input_mb=max_input_mb)
    suffix = path.suffix.lower()
    if raw.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in raw:
            raise SkillmapError(
                f"{path} is password-protected; open it in Excel, remove the password (File > Info > Protect "
                f"Workbook) and save it again, or export the sheet as CSV"
            )
        raise SkillmapError(f"{path} is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or export it as CSV")
    if suffix in XLSX_SUFFIXES or (raw.startswith(_ZIP_MAGIC) and suffix not in TEXT_SUFFIXES):
        if not raw.startswith(_ZIP_MAGIC):
            raise SkillmapError(f"{path} is not an .xlsx workbook (it is not a zip archive); is it a CSV file?")
        limit = max_input_bytes(max_input_mb)
        grid, merged_notes, sheet_name, formulas, columns = _read_xlsx_grid(path, raw, sheet, limit)
        return _build_table(
            path, "xlsx", grid, sheet=sheet_name, formulas=formulas, notes=merged_notes, column_numbers=columns
        )
    if suffix not in TEXT_SUFFIXES:
        raise SkillmapError(f"{path}: unsupported file type {suffix or '(none)'}; give a .xlsx, .csv or .tsv file")
    if sheet is not None:
        raise SkillmapError(f"{path} is a text file: only .xlsx workbooks have sheets to choose", hint="sheet")
    if raw.startswith(_ZIP_MAGIC):
        raise SkillmapError(f"{path} is a zip archive (an .xlsx workbook?), not a text CSV; rename it to .xlsx")
    text, used, note = _decode(path, raw, encoding=encoding, country=country)
    notes = [note] if note else []
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        notes.append(nul_note(text.count("\x00"), line))
        text = text.replace("\x00", "")
    delimiter = _sniff_delimiter(text, TEXT_SUFFIXES[suffix])
    grid = list(csv_rows(path, io.StringIO(text, newline=""), delimiter))
    fmt = "tsv" if delimiter == "\t" else "csv"
    return _build_table(path, fmt, grid, encoding=used, delimiter=delimiter, notes=notes)


def check_table_path(path: str | Path) -> Path:
    """``path`` as a Path, refused in one line when it is missing or a folder."""
    path = Path(path)
    if not path.exists():
        raise SkillmapError(f"{path}: no such file")
    if path.is_dir():
        raise SkillmapError(f"{path} is a folder; give a .xlsx, .csv or .tsv file")
    return path


def nul_note(count: int, line: int) -> str:
    """The note for NUL characters removed from a text table."""
    return f"removed {count:,} NUL character(s), the first on line {line:,} (a damaged or binary file?)"


def mixed_encoding_error(path: Path, code_page: str, offset: int, text: str) -> SkillmapError:
    """A file read as ``code_page`` that holds UTF-8 text from byte ``offset`` on (``text`` starts there)."""
    sample = text[:30].encode(code_page, errors="replace").decode("utf-8", errors="replace").split("\n")[0]
    return SkillmapError(
        f"{path} mixes encodings: it reads as {code_page}, but the text at byte {offset:,} ({sample!r}) is UTF-8; "
        "save the file in one encoding, or give its encoding",
        hint="encoding",
    )


def _decode(path: Path, raw: bytes, *, encoding: str | None = None, country: str | None = None) -> tuple[str, str, str]:
    """Decode a text table → (text, encoding, note); a binary file (NULs or control bytes up front) is refused, and
    so is a file whose code page text holds UTF-8 text (two encodings in one file: it would read garbled)."""
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (encoding or "").lower().replace("-", "").startswith("utf16")
    if not utf16 and b"\x00" in raw[:65536]:
        raise SkillmapError(f"{path} is a binary file, not a text CSV; export the table as CSV or .xlsx")
    text, used, note = decode_text(raw, str(path), encoding=encoding, country=country)
    if used not in ("utf-8", "utf-8-sig", "utf-16") and not encoding:
        controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
        if controls > 8:
            raise SkillmapError(f"{path} is a binary file, not a text CSV; export the table as CSV or .xlsx")
    if used in CODE_PAGES and not encoding:
        offset = utf8_inside(text, used)
        if offset is not None:
            raise mixed_encoding_error(path, used, offset, text[offset:])
    return text, used, note


def _sniff_delimiter(text: str, preferred: str) -> str:
    sample_lines = text[:200_000].splitlines()[:200]
    sample = "\n".join(sample_lines)
    best: tuple[float, int, int] | None = None
    chosen = preferred or ","
    for rank, delimiter in enumerate([preferred] + [d for d in ",;\t|" if d != preferred] if preferred else ",;\t|"):
        try:
            rows = [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in row)]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = Counter(len(row) for row in rows)
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if width < 2:
            continue
        score = (count / len(rows), width, -rank)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


def csv_rows(path: Path, lines: Iterable[str], delimiter: str) -> Iterator[list[str]]:
    """The records of CSV ``lines`` (line ends kept, as from a file opened with ``newline=""``)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_CELL_CHARS * 20))  # read huge cells so they can be reported, not crash
    try:
        yield from csv.reader(lines, delimiter=delimiter, strict=False)
    except csv.Error as exc:
        raise SkillmapError(f"{path} is not a readable CSV file ({exc}); check quotes and the delimiter") from exc
    finally:
        csv.field_size_limit(limit)


def _read_xlsx_grid(
    path: Path, raw: bytes, sheet: str | None, limit: int
) -> tuple[list[list[str]], tuple[str, ...], str, dict[tuple[int, int], bool], list[int]]:
    """Return the chosen sheet as a grid of strings (merged ranges filled down), notes, its name, formula cells
    and the 1-based sheet column number of each grid column.

    The grid holds only the columns that have a value and shares one empty list for every empty row, so a stray
    cell at XFD1048576 costs nothing; a merged range is filled down only as far as the sheet has data.
    """
    import openpyxl

    has_formulas = _check_workbook_parts(path, raw, limit)
    max_cells = max(1, limit // BYTES_PER_CELL)
    try:
        with _merged_ranges_kept_as_ranges():
            workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=True, read_only=False)
    except SkillmapError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files; all mean the same to the user
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise SkillmapError(f"{path} is not a valid .xlsx workbook ({detail}); open and re-save it in Excel") from exc
    try:
        names = workbook.sheetnames
        worksheet = _choose_sheet(path, workbook, sheet)
        cells = worksheet._cells  # {(row, col): Cell}; iterating it avoids creating the empty cells of a huge range
        if len(cells) > max_cells:
            raise _too_many_cells(path, worksheet.title, len(cells), max_cells, limit)
        values: dict[tuple[int, int], str] = {}
        for (row, col), cell in cells.items():
            text = _cell_text(cell.value)
            if text != "":
                values[(row, col)] = text
        notes: list[str] = []
        if worksheet.sheet_state != "visible":
            why = "it was asked for" if sheet is not None else "no visible sheet has data"
            notes.append(f"sheet {worksheet.title!r} is {worksheet.sheet_state} in the workbook; read because {why}")
        last_row = max((r for r, _ in values), default=0)
        filled = len(values)
        for merged in worksheet.merged_cells.ranges:
            # Down, not across: a cell merged over rows (a country for several qualifications) belongs to each
            # row; one merged across columns (a header over two sub-columns) names only its first column.
            top_left = values.get((merged.min_row, merged.min_col), "")
            if top_left:
                bottom = min(merged.max_row, last_row)  # rows below the last data row hold nothing to fill
                filled += max(0, bottom - merged.min_row)
                if filled > max_cells:
                    raise _too_many_cells(path, worksheet.title, filled, max_cells, limit)
                for row in range(merged.min_row + 1, bottom + 1):
                    values[(row, merged.min_col)] = top_left
        if worksheet.merged_cells.ranges:
            notes.append(f"{len(worksheet.merged_cells.ranges)} merged cell range(s): values given to every row")
        title = worksheet.title
    finally:
        workbook.close()
    if not values:
        others = ", ".join(repr(n) for n in names)
        raise SkillmapError(
            f"sheet {title!r} of {path} is empty; choose another sheet (sheets: {others})", hint="sheet"
        )
    try:
        formulas = _formula_cells(raw, title) if has_formulas else {}
    except Exception as exc:  # the second (formula) read of a workbook the first read accepted
        raise SkillmapError(f"{path} is not a valid .xlsx workbook ({exc}); open and re-save it in Excel") from exc
    for coordinate in formulas:
        formulas[coordinate] = coordinate in values
    columns = sorted({c for _, c in values})
    position = {col: index for index, col in enumerate(columns)}
    by_row: dict[int, list[str]] = {}
    for (row, col), text in values.items():
        cells_of_row = by_row.get(row)
        if cells_of_row is None:
            cells_of_row = by_row[row] = [""] * len(columns)
        cells_of_row[position[col]] = text
    empty: list[str] = []
    grid = [by_row.get(row, empty) for row in range(1, max(by_row) + 1)]
    return grid, tuple(notes), title, formulas, columns


_OPENPYXL_PATCH = threading.Lock()


@contextlib.contextmanager
def _merged_ranges_kept_as_ranges() -> Iterator[None]:
    """While loading, stop openpyxl from creating one object per merged cell (minutes for a million-row range):
    the ranges are kept, and the reader fills the values it needs itself."""
    from openpyxl.worksheet.worksheet import Worksheet

    with _OPENPYXL_PATCH:
        original = Worksheet._clean_merge_range
        Worksheet._clean_merge_range = lambda self, mcr: None  # type: ignore[method-assign]
        try:
            yield
        finally:
            Worksheet._clean_merge_range = original  # type: ignore[method-assign]


def _too_many_cells(path: Path, title: str, count: int, max_cells: int, limit: int) -> SkillmapError:
    return SkillmapError(
        f"sheet {title!r} of {path} has {count:,} cells (merged ranges filled in), over the {max_cells:,} skillmap "
        f"reads with its {limit / 1024**2:,.0f} MiB input limit; raise the limit with max_input_mb (or the "
        f"environment variable SKILLMAP_MAX_INPUT_MB) if the sheet is genuine",
        hint="max_input_mb",
    )


_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_workbook_parts(path: Path, raw: bytes, limit: int) -> bool:
    """Before openpyxl unpacks anything: refuse a workbook that expands beyond ``limit`` bytes or whose merged
    ranges cover more cells than a sheet may hold (openpyxl creates an object for every merged cell).

    Returns whether any sheet holds a formula. The sheet parts are streamed, never held whole.
    """
    max_cells = max(1, limit // BYTES_PER_CELL)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            check_zip_sizes(archive, limit, str(path))
            has_formulas = False
            for info in archive.infolist():
                if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                    continue
                merged = 0
                tail = b""
                with archive.open(info) as part:
                    while True:
                        chunk = part.read(1 << 20)
                        block = tail + chunk
                        # a tag cut by the chunk boundary is counted in the next block (tags are < 256 bytes)
                        cut = max(0, len(block) - 256) if chunk else len(block)
                        has_formulas = has_formulas or bool(_FORMULA_TAG.search(block))
                        for found in _MERGE_REF.finditer(block):
                            if found.start() >= cut:
                                break
                            first_col, first_row, last_col, last_row = found.groups()
                            rows = abs(int(last_row) - int(first_row)) + 1
                            cols = abs(_column_number(last_col) - _column_number(first_col)) + 1
                            merged += rows * cols
                        if merged > max_cells:
                            raise SkillmapError(
                                f"{path} merges {merged:,} cells in {info.filename.rsplit('/', 1)[-1]}, over the "
                                f"{max_cells:,} skillmap reads with its {limit / 1024**2:,.0f} MiB input limit; "
                                "unmerge the cells, or raise the limit with max_input_mb (or SKILLMAP_MAX_INPUT_MB)",
                                hint="max_input_mb",
                            )
                        if not chunk:
                            break
                        tail = block[cut:]
    except SkillmapError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        # zlib.error: a damaged deflate stream inside the zip (found by tests/test_properties.py)
        raise SkillmapError(f"{path} is not a valid .xlsx workbook ({exc}); open and re-save it in Excel") from exc
    return has_formulas


def _choose_sheet(path: Path, workbook: Any, sheet: str | None) -> Any:
    names = workbook.sheetnames
    if sheet is None:
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state == "visible" and worksheet._cells:
                return worksheet
        return workbook.worksheets[0]
    for name in names:
        if name == sheet:
            return workbook[name]
    for name in names:
        if name.casefold() == sheet.strip().casefold():
            return workbook[name]
    if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
        return workbook.worksheets[int(sheet) - 1]
    listed = ", ".join(repr(n) for n in names)
    raise SkillmapError(f"{path} has no sheet {sheet!r}; its sheets are {listed} (give a name or a number)")


def _formula_cells(raw: bytes, title: str) -> dict[tuple[int, int], bool]:
    """Find the cells of sheet ``title`` that hold a formula (a second, formula-preserving read)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(raw), data_only=False, read_only=True)
    try:
        found: dict[tuple[int, int], bool] = {}
        for row in workbook[title].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found[(cell.row, cell.column)] = False
        return found
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _build_table(
    path: Path,
    fmt: str,
    grid: list[list[str]],
    *,
    sheet: str = "",
    encoding: str = "",
    delimiter: str = "",
    formulas: Mapping[tuple[int, int], bool] | None = None,
    notes: Sequence[str] = (),
    column_numbers: Sequence[int] | None = None,
) -> InputTable:
    """``column_numbers`` gives the 1-based sheet column of each grid column (xlsx grids skip empty columns)."""

    def number(col: int) -> int:
        return column_numbers[col] if column_numbers is not None else col + 1

    where = f"sheet {sheet!r} of {path}" if sheet else str(path)
    if not any(any(cell.strip() for cell in row) for row in grid):
        raise empty_table(where)
    header_index = _find_header_row(grid)
    width = max(len(row) for row in grid)
    body = grid[header_index + 1 :]
    keep, headers = named_columns(
        where, grid[header_index], width, lambda col: any(col < len(row) and row[col].strip() for row in body), number
    )
    rows: list[tuple[str, ...]] = []
    formula_cells: list[tuple[int, str]] = []
    empty_rows = 0
    for offset, row in enumerate(body):
        if not row:  # the shared empty row of a sparse xlsx grid
            empty_rows += 1
            continue
        values = tuple(row[col] if col < len(row) else "" for col in keep)
        if not any(v.strip() for v in values):
            empty_rows += 1
            continue
        rows.append(values)
        file_row = header_index + 2 + offset  # 1-based row in the file
        for col, value, name in zip(keep, values, headers, strict=False):
            if len(value) > MAX_CELL_CHARS:
                raise cell_too_long(where, file_row, name, len(value))
            if formulas and (file_row, number(col)) in formulas:
                formula_cells.append((len(rows), name))
    if not rows:
        raise no_data_rows(where, header_index)
    all_notes = [*notes, *layout_notes(header_index, empty_rows)]
    if formula_cells:
        uncached = sum(1 for value in (formulas or {}).values() if not value)
        extra = f", {uncached} without a cached value (read as empty)" if uncached else ""
        all_notes.append(f"{len(formula_cells)} formula cell(s): their saved results were used, never evaluated{extra}")
    return InputTable(
        path=str(path),
        format=fmt,
        headers=tuple(headers),
        rows=tuple(rows),
        sheet=sheet,
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        formula_cells=tuple(formula_cells),
        notes=tuple(all_notes),
    )


def named_columns(
    where: str, header_row: Sequence[str], width: int, has_data: Callable[[int], bool], number: Callable[[int], int]
) -> tuple[list[int], list[str]]:
    """The columns a table keeps (a header, or data under it) and their names (``column X`` for a column with data
    but no header; ``number`` gives a column's 1-based sheet number); a name given twice is refused."""
    header_cells = [_clean_header(c) for c in header_row] + [""] * (width - len(header_row))
    keep = [col for col, name in enumerate(header_cells) if name or has_data(col)]
    headers = [header_cells[col] or f"column {_column_letter(number(col))}" for col in keep]
    seen: dict[str, int] = {}
    for col, name in zip(keep, headers, strict=True):
        key = name.casefold()
        if key in seen:
            first = _column_letter(number(seen[key]))
            raise SkillmapError(
                f"{where} has the column header {name!r} twice (columns {first} and {_column_letter(number(col))}); "
                f"rename one of them so every column has its own name"
            )
        seen[key] = col
    return keep, headers


def cell_too_long(where: str, file_row: int, name: str, length: int) -> SkillmapError:
    """A cell over ``MAX_CELL_CHARS``: a document pasted in a cell, or an unclosed quote."""
    return SkillmapError(
        f"{where}, row {file_row}, column {name!r} holds {length:,} characters (the limit is {MAX_CELL_CHARS:,}); "
        "an unclosed quote or a document pasted in a cell? Fix or remove it"
    )


def empty_table(where: str) -> SkillmapError:
    """A file or sheet with no value at all."""
    return SkillmapError(f"{where} is empty; give a file with a header row and at least one data row")


def no_data_rows(where: str, header_index: int) -> SkillmapError:
    """A header row and nothing under it."""
    return SkillmapError(f"{where} has a header row ({header_index + 1}) but no data rows")


def layout_notes(header_index: int, empty_rows: int) -> list[str]:
    """What reading skipped: title rows above the header, empty rows."""
    notes = []
    if header_index:
        notes.append(f"header found on row {header_index + 1} ({header_index} title row(s) above it skipped)")
    if empty_rows:
        notes.append(f"{empty_rows} empty row(s) skipped")
    return notes


def _find_header_row(grid: list[list[str]]) -> int:
    """Pick the header among the first rows: the row naming most known columns, else the first wide row."""
    scan = grid[:HEADER_SCAN_ROWS]
    best_index, best_key = -1, (0, 0)
    for index, row in enumerate(scan):
        distinct = {c.strip() for c in row if c.strip()}
        if len(distinct) < 2 and any(len({c.strip() for c in r if c.strip()}) >= 2 for r in scan):
            continue
        recognised = len(_roles_named_exactly(distinct))
        key = (recognised, len(distinct))
        if recognised and key > best_key:
            best_index, best_key = index, key
    if best_index >= 0:
        return best_index
    widest = max(len({c.strip() for c in row if c.strip()}) for row in scan)
    for index, row in enumerate(scan):
        if len({c.strip() for c in row if c.strip()}) >= max(1, (widest + 1) // 2):
            return index
    return 0


def _clean_header(text: str) -> str:
    return " ".join(text.split())


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- column detection ------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Header name → the form the vocabulary uses: camelCase split, accents and punctuation removed, lower case."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(spaced)).split())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """Load data/columns/header_names.csv: role → known header names, and the excluding words."""
    names: dict[str, set[str]] = {role: set() for role in ROLES}
    excluded: set[str] = set()
    for record in read_data_rows(bundled_data_dir() / "columns" / "header_names.csv"):
        name = normalise_header(record["name"])
        if record["role"] == "exclude":
            excluded.add(name)
        elif record["role"] in names:
            names[record["role"]].add(name)
    return {role: frozenset(v) for role, v in names.items()}, frozenset(excluded)


def _roles_named_exactly(cells: set[str]) -> set[str]:
    names, _ = _vocabulary()
    found = set()
    for cell in cells:
        normal = normalise_header(cell)
        for role, known in names.items():
            if normal in known:
                found.add(role)
    return found


def _score(role: str, header: str) -> float:
    """How strongly ``header`` names ``role``: exact name > name as whole words inside a longer header > 0."""
    names, excluded = _vocabulary()
    normal = normalise_header(header)
    if not normal:
        return 0.0
    if normal in names[role]:
        return 100.0 + len(normal)
    words = normal.split()
    if role not in ("country", "awarding_body", "field") and excluded.intersection(words):
        return 0.0
    padded = f" {normal} "
    best = 0.0
    for name in names[role]:
        if f" {name} " in padded:
            best = max(best, 50.0 + len(name) - (len(words) - len(name.split())))
    return best


def _resolve_override(headers: Sequence[str], wanted: str, role: str) -> str:
    if wanted in headers:
        return wanted
    folded = {h.casefold(): h for h in headers}
    key = " ".join(wanted.split()).casefold()
    if key in folded:
        return folded[key]
    flag = ROLE_FLAGS.get(role, role)
    listed = ", ".join(repr(h) for h in headers)
    raise SkillmapError(f"{flag} {wanted!r}: the table has no such column; its columns are {listed}")


def detect_columns(
    headers: Sequence[str],
    overrides: Mapping[str, str | Sequence[str] | None] | None = None,
    *,
    require_title: bool = True,
) -> ColumnMap:
    """Decide which header holds the title, level, learning-outcome text, code, country, awarding body, field.

    ``overrides`` maps a role (``title``, ``level``, ``text``, ``code``, ``country``, ``awarding_body``, ``field``)
    to a header name (``text`` may take several); names are matched exactly, then case-insensitively. The rest are
    recognised from header names in the major EU languages (``data/columns/header_names.csv``): an exact name
    beats a name found inside a longer header, and each column serves one role. Raises SkillmapError when an
    override names no column, or — with ``require_title`` — when no title column is found.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    unknown_roles = set(overrides) - set(ROLES)
    if unknown_roles:
        raise ValueError(f"unknown column roles: {sorted(unknown_roles)}")
    chosen: dict[str, list[str]] = {}
    taken: set[str] = set()
    for role in ROLES:
        if role not in overrides:
            continue
        given = overrides[role]
        wanted = [given] if isinstance(given, str) else list(given)
        chosen[role] = [_resolve_override(headers, name, role) for name in wanted]
        taken.update(chosen[role])
    candidates: list[tuple[float, int, int, str, str]] = []
    for role_rank, role in enumerate(ROLES):
        if role in chosen:
            continue
        for position, header in enumerate(headers):
            if header in taken:
                continue
            score = _score(role, header)
            if score > 0:
                candidates.append((-score, role_rank, position, role, header))
    detected: list[str] = []
    for _, _, _, role, header in sorted(candidates):
        if role in chosen or header in taken:
            continue
        chosen[role] = [header]
        taken.add(header)
        detected.append(role)
    if require_title and "title" not in chosen:
        listed = ", ".join(repr(h) for h in headers)
        raise SkillmapError(
            f"no title column recognised among the headers {listed}; name it with --title-col "
            f"(and --level-col, --text-col, --code-col, --country-col for the others)"
        )
    return ColumnMap(
        title=chosen.get("title", [None])[0],
        level=chosen.get("level", [None])[0],
        text=tuple(chosen.get("text", ())),
        code=chosen.get("code", [None])[0],
        country=chosen.get("country", [None])[0],
        awarding_body=chosen.get("awarding_body", [None])[0],
        field=chosen.get("field", [None])[0],
        detected=tuple(role for role in ROLES if role in detected),
    )
