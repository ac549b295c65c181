"""Reading a register in chunks of rows, with bounded memory: the streaming side of ``read_table``.

:func:`open_chunks` gives the same headers, rows, notes and errors as
:func:`skillmap.sources.spreadsheets.read_table`, but a csv/tsv file is never held in memory whole: one pass over
the file finds the header, the columns and the number of rows (so progress has a total), a second pass yields the
rows ``chunk_rows`` at a time. The encoding and delimiter are decided from the first MiB of the file. An .xlsx
workbook (at most 1,048,576 rows, and capped on reading) is read whole, then handed out in chunks.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import check_regular_file
from skillmap.sources.spreadsheets import (
    _OLE_MAGIC,
    _ZIP_MAGIC,
    HEADER_SCAN_ROWS,
    MAX_CELL_CHARS,
    TEXT_SUFFIXES,
    InputTable,
    _clean_header,
    _column_letter,
    _decode,
    _find_header_row,
    _sniff_delimiter,
    read_table,
)

HEAD_BYTES = 1024 * 1024  # the encoding and the delimiter are decided on this much of the file
READ_BUFFER = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ChunkedTable:
    """A table read in chunks: what :class:`~skillmap.sources.spreadsheets.InputTable` says about the file, with
    ``row_count`` data rows handed out by :meth:`chunks`."""

    path: str
    format: str
    headers: tuple[str, ...]
    row_count: int
    sheet: str = ""
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""
    notes: tuple[str, ...] = ()
    _whole: InputTable | None = None  # an xlsx workbook, read whole
    _keep: tuple[int, ...] = ()
    _header_index: int = 0

    def chunks(self, chunk_rows: int) -> Iterator[InputTable]:
        """Yield the data rows as :class:`InputTable` pieces of at most ``chunk_rows`` rows, in file order; the
        formula cells of each piece are numbered within the piece."""
        size = max(1, chunk_rows)
        if self._whole is not None:
            formulas = sorted(self._whole.formula_cells)
            for start in range(0, len(self._whole.rows), size):
                rows = self._whole.rows[start : start + size]
                cells = tuple((n - start, h) for n, h in formulas if start < n <= start + len(rows))
                yield self._piece(rows, cells)
            return
        batch: list[tuple[str, ...]] = []
        for values in self._data_rows():
            batch.append(values)
            if len(batch) == size:
                yield self._piece(tuple(batch))
                batch = []
        if batch:
            yield self._piece(tuple(batch))

    def _piece(self, rows: tuple[tuple[str, ...], ...], formulas: tuple[tuple[int, str], ...] = ()) -> InputTable:
        return InputTable(
            path=self.path,
            format=self.format,
            headers=self.headers,
            rows=rows,
            sheet=self.sheet,
            header_row=self.header_row,
            encoding=self.encoding,
            delimiter=self.delimiter,
            formula_cells=formulas,
        )

    def _data_rows(self) -> Iterator[tuple[str, ...]]:
        keep = self._keep
        for number, row in enumerate(_records(Path(self.path), self.encoding, self.delimiter)):
            if number <= self._header_index or not row:
                continue
            values = tuple(row[col] if col < len(row) else "" for col in keep)
            if any(v.strip() for v in values):
                yield values


def open_chunks(
    path: str | Path, *, sheet: str | None = None, encoding: str | None = None, country: str | None = None
) -> ChunkedTable:
    """Open the table in ``path`` for reading in chunks (see the module docstring); raises what
    :func:`~skillmap.sources.spreadsheets.read_table` raises for the same file."""
    path = Path(path)
    if not path.exists():
        raise SkillmapError(f"{path}: no such file")
    if path.is_dir():
        raise SkillmapError(f"{path} is a folder; give a .xlsx, .csv or .tsv file")
    check_regular_file(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        more = bool(handle.read(1))
    suffix = path.suffix.lower()
    if head.startswith(_OLE_MAGIC) or suffix not in TEXT_SUFFIXES or head.startswith(_ZIP_MAGIC) or sheet:
        table = read_table(path, sheet=sheet, encoding=encoding, country=country)
        return ChunkedTable(
            path=table.path,
            format=table.format,
            headers=table.headers,
            row_count=len(table.rows),
            sheet=table.sheet,
            header_row=table.header_row,
            encoding=table.encoding,
            delimiter=table.delimiter,
            notes=table.notes,
            _whole=table,
        )
    if more and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]  # never cut a character in two
    text, used, note = _decode(path, head, encoding=encoding, country=country)
    delimiter = _sniff_delimiter(text, TEXT_SUFFIXES[suffix])
    return _scan(path, used, delimiter, [note] if note else [])


def _lines(path: Path, encoding: str, nuls: list[int]) -> Iterator[str]:
    """The file's lines decoded (line ends kept, as the csv module wants them), NUL characters removed and
    counted in ``nuls`` (count, first line)."""
    try:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            for number, line in enumerate(text, start=1):
                if "\x00" in line:
                    if not nuls:
                        nuls.extend((0, number))
                    nuls[0] += line.count("\x00")
                    line = line.replace("\x00", "")
                yield line
    except UnicodeDecodeError as exc:
        raise SkillmapError(
            f"{path} is not {codecs.lookup(encoding).name} text throughout (a byte that does not fit at position "
            f"{exc.start:,} of a read block, after the first MiB the encoding was chosen on); give its encoding",
            hint="encoding",
        ) from exc


def _records(path: Path, encoding: str, delimiter: str, nuls: list[int] | None = None) -> Iterator[list[str]]:
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_CELL_CHARS * 20))  # read huge cells so they can be reported, not crash
    try:
        yield from csv.reader(_lines(path, encoding, [] if nuls is None else nuls), delimiter=delimiter, strict=False)
    except csv.Error as exc:
        raise SkillmapError(f"{path} is not a readable CSV file ({exc}); check quotes and the delimiter") from exc
    finally:
        csv.field_size_limit(limit)


def _scan(path: Path, encoding: str, delimiter: str, notes: list[str]) -> ChunkedTable:
    """The first pass: header row, kept columns and their names, data and empty row counts, over-long cells."""
    nuls: list[int] = []
    head: list[list[str]] = []
    records = _records(path, encoding, delimiter, nuls)
    for row in records:
        head.append(row)
        if len(head) == HEADER_SCAN_ROWS:
            break
    header_index = _find_header_row(head)
    width = max((len(row) for row in head), default=0)
    used_columns: set[int] = set()
    data_rows = empty_rows = 0

    def body() -> Iterator[tuple[int, list[str]]]:
        for offset, row in enumerate(head[header_index + 1 :]):
            yield offset, row
        start = len(head) - header_index - 1
        for offset, row in enumerate(records, start=start):
            yield offset, row

    for offset, row in body():
        width = max(width, len(row))
        if not any(cell.strip() for cell in row):
            empty_rows += 1
            continue
        data_rows += 1
        for col, cell in enumerate(row):
            if cell.strip():
                used_columns.add(col)
            if len(cell) > MAX_CELL_CHARS:
                name = _clean_header(head[header_index][col]) if col < len(head[header_index]) else ""
                raise SkillmapError(
                    f"{path}, row {header_index + 2 + offset}, column {name or _column_letter(col + 1)!r} holds "
                    f"{len(cell):,} characters (the limit is {MAX_CELL_CHARS:,}); an unclosed quote or a document "
                    f"pasted in a cell? Fix or remove it"
                )
    header_cells = [_clean_header(c) for c in head[header_index]] + [""] * (width - len(head[header_index]))
    keep = [col for col, name in enumerate(header_cells) if name or col in used_columns]
    headers = [header_cells[col] or f"column {_column_letter(col + 1)}" for col in keep]
    seen: dict[str, int] = {}
    for col, name in zip(keep, headers, strict=False):
        if name.casefold() in seen:
            raise SkillmapError(
                f"{path} has the column header {name!r} twice (columns {_column_letter(seen[name.casefold()] + 1)} "
                f"and {_column_letter(col + 1)}); rename one of them so every column has its own name"
            )
        seen[name.casefold()] = col
    if not data_rows and not any(any(cell.strip() for cell in row) for row in head):
        raise SkillmapError(f"{path} is empty; give a file with a header row and at least one data row")
    if not data_rows:
        raise SkillmapError(f"{path} has a header row ({header_index + 1}) but no data rows")
    if nuls:
        notes.append(f"removed {nuls[0]:,} NUL character(s), the first on line {nuls[1]:,} (a damaged or binary file?)")
    if header_index:
        notes.append(f"header found on row {header_index + 1} ({header_index} title row(s) above it skipped)")
    if empty_rows:
        notes.append(f"{empty_rows} empty row(s) skipped")
    return ChunkedTable(
        path=str(path),
        format="tsv" if delimiter == "\t" else "csv",
        headers=tuple(headers),
        row_count=data_rows,
        header_row=header_index + 1,
        encoding=encoding,
        delimiter=delimiter,
        notes=tuple(notes),
        _keep=tuple(keep),
        _header_index=header_index,
    )
