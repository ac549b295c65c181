"""Reading a register in chunks of rows, with bounded memory: the streaming side of ``read_table``.

:func:`open_chunks` gives the same headers, rows, notes and errors as
:func:`skillmap.sources.spreadsheets.read_table`, but a csv/tsv file is never held in memory whole: one pass over
the file finds the header, the columns and the number of rows (so progress has a total), a second pass yields the
rows ``chunk_rows`` at a time. An .xlsx workbook (at most 1,048,576 rows, and capped on reading) is read whole,
then handed out in chunks.

The encoding and the delimiter are decided on the first MiB of the file, and the first pass checks the encoding on
all of it before any row is handed out: when a later byte does not decode (a file ASCII for a MiB, then cp1252),
the encoding is decided again on the first MiB and the text around that byte, and the pass starts over; a file of
two encodings (UTF-8 text inside a code page file) is refused naming the byte, and so is a byte that does not fit
the encoding the caller gave. Text is never handed out garbled.
"""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import check_regular_file
from skillmap.sources.encodings import CODE_PAGES, decode_text, utf8_inside
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
    cell_too_long,
    check_table_path,
    csv_rows,
    empty_table,
    layout_notes,
    mixed_encoding_error,
    named_columns,
    no_data_rows,
    nul_note,
    read_table,
)

HEAD_BYTES = 1024 * 1024  # the encoding and the delimiter are decided on this much of the file
READ_BUFFER = 1024 * 1024
WINDOW_BYTES = 1024 * 1024  # when a later byte does not decode, the encoding is decided again on this much from it


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
        for number, row in enumerate(_records(Path(self.path), self.encoding, self.delimiter, [], False)):
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
    path = check_table_path(path)
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
    tried = {used}
    while True:
        try:
            return _scan(path, used, delimiter, [note] if note else [], not encoding and used in CODE_PAGES)
        except _Undecodable as bad:
            if encoding:
                raise SkillmapError(
                    f"{path}: the byte at offset {bad.offset:,} is not {used} text; give the file's real encoding",
                    hint="encoding",
                ) from None
            _, again, note = decode_text(head + _window(path, bad.offset), str(path), country=country)
            if again in tried:  # cannot happen (the window holds the byte that failed), but never loop
                raise SkillmapError(
                    f"{path}: the byte at offset {bad.offset:,} is not {used} text, and no other encoding fits; "
                    "give the file's real encoding",
                    hint="encoding",
                ) from None
            tried.add(again)
            used = again


class _Undecodable(Exception):
    """A byte of the file that the chosen encoding does not decode, at ``offset`` from the start."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _window(path: Path, offset: int) -> bytes:
    """``WINDOW_BYTES`` of the file from the start of the line holding byte ``offset``, whole lines."""
    with path.open("rb") as handle:
        handle.seek(max(0, offset - 64 * 1024))
        before = handle.read(offset - handle.tell())
        window = before[before.rfind(b"\n") + 1 :] + handle.read(WINDOW_BYTES)
    return window[: window.rindex(b"\n") + 1] if b"\n" in window[1:] else window


def _first_bad_byte(path: Path, encoding: str) -> int:
    """The offset of the first byte of ``path`` that ``encoding`` does not decode (the file's size if none)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as raw:
        while True:
            block = raw.read(READ_BUFFER)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                skipped = 3 if offset == 0 and encoding == "utf-8-sig" and block.startswith(codecs.BOM_UTF8) else 0
                return offset - pending + exc.start + skipped
            if not block:
                return offset
            offset += len(block)


def _lines(path: Path, encoding: str, nuls: list[int], check_utf8: bool) -> Iterator[str]:
    """The file's lines decoded (line ends kept, as the csv module wants them), NUL characters removed and
    counted in ``nuls`` (count, first line). A byte the encoding does not decode raises :class:`_Undecodable`;
    with ``check_utf8`` (a code page was chosen, so a character is a byte), UTF-8 text is refused."""
    offset = 0
    try:
        with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            for number, line in enumerate(text, start=1):
                if check_utf8 and not line.isascii():
                    inside = utf8_inside(line, encoding)
                    if inside is not None:
                        raise mixed_encoding_error(path, encoding, offset + inside, line[inside:])
                offset += len(line)
                if "\x00" in line:
                    if not nuls:
                        nuls.extend((0, number))
                    nuls[0] += line.count("\x00")
                    line = line.replace("\x00", "")
                yield line
    except UnicodeDecodeError:
        raise _Undecodable(_first_bad_byte(path, encoding)) from None


def _records(path: Path, encoding: str, delimiter: str, nuls: list[int], check_utf8: bool) -> Iterator[list[str]]:
    return csv_rows(path, _lines(path, encoding, nuls, check_utf8), delimiter)


def _scan(path: Path, encoding: str, delimiter: str, notes: list[str], check_utf8: bool) -> ChunkedTable:
    """The first pass: header row, kept columns and their names, data and empty row counts, over-long cells."""
    nuls: list[int] = []
    head: list[list[str]] = []
    records = _records(path, encoding, delimiter, nuls, check_utf8)
    for row in records:
        head.append(row)
        if len(head) == HEADER_SCAN_ROWS:
            break
    if not any(any(cell.strip() for cell in row) for row in head):
        raise empty_table(str(path))
    header_index = _find_header_row(head)
    width = max((len(row) for row in head), default=0)
    used_columns: set[int] = set()
    data_rows = empty_rows = 0
    for offset, row in enumerate(itertools.chain(head[header_index + 1 :], records)):
        width = max(width, len(row))
        if not any(cell.strip() for cell in row):
            empty_rows += 1
            continue
        data_rows += 1
        for col, cell in enumerate(row):
            if cell.strip():
                used_columns.add(col)
            if len(cell) > MAX_CELL_CHARS:
                header = head[header_index]
                name = (_clean_header(header[col]) if col < len(header) else "") or _column_letter(col + 1)
                raise cell_too_long(str(path), header_index + 2 + offset, name, len(cell))
    keep, headers = named_columns(str(path), head[header_index], width, used_columns.__contains__, lambda c: c + 1)
    if not data_rows:
        raise no_data_rows(str(path), header_index)
    if nuls:
        notes.append(nul_note(nuls[0], nuls[1]))
    notes.extend(layout_notes(header_index, empty_rows))
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
