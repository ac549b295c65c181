"""The alignment table written piece by piece (streamed ``align``): ``.csv``, ``.json``, ``.jsonl``, ``.parquet``.

Each writer takes the table's records chunk by chunk and writes them to an open binary file, so memory holds one
chunk. ``.csv`` and ``.json`` are byte-identical to :func:`skillmap.outputs.tables.render_csv` /
``render_json`` of the whole table; ``.jsonl`` is one JSON row object per line (the ``.json`` values); ``.parquet``
(needs pyarrow, which the ``[dask]`` extra brings) holds the CSV cells as string columns.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import IO, Any, Protocol

from skillmap.alignment_table import csv_text, neutralise, output_headers, write_csv_rows
from skillmap.errors import SkillmapError

STREAM_FORMATS = (".csv", ".json", ".jsonl", ".parquet")


class TableStream(Protocol):
    """A writer of the alignment table in chunks."""

    def write(self, records: Sequence[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class CsvStream:
    """CSV, as :func:`~skillmap.outputs.tables.render_csv` writes it."""

    def __init__(self, handle: IO[bytes], input_headers: Sequence[str], *, suggested: bool = False) -> None:
        self._handle = handle
        header = [neutralise(h.replace("\x00", "")) for h in output_headers(input_headers, suggested=suggested)]
        self._emit([header])

    def _emit(self, rows: list[list[str]]) -> None:
        buffer = io.StringIO()
        write_csv_rows(buffer, rows)
        self._handle.write(buffer.getvalue().encode("utf-8"))

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Append the CSV lines of ``records``."""
        self._emit([[csv_text(v) for v in record.values()] for record in records])

    def close(self) -> None:
        """Nothing to finish: every line is complete."""


class JsonStream:
    """A JSON list of row objects, as :func:`~skillmap.outputs.tables.render_json` writes it (two-space indent)."""

    def __init__(self, handle: IO[bytes], input_headers: Sequence[str], *, suggested: bool = False) -> None:
        self._handle = handle
        self._rows = 0

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Append ``records`` to the list."""
        parts = []
        for record in records:
            body = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            parts.append(("[\n  " if self._rows == 0 else ",\n  ") + body)
            self._rows += 1
        self._handle.write("".join(parts).encode("utf-8"))

    def close(self) -> None:
        """Close the list."""
        self._handle.write(b"\n]\n" if self._rows else b"[]\n")


class JsonLinesStream:
    """JSON lines: one row object per line, values as in ``.json``."""

    def __init__(self, handle: IO[bytes], input_headers: Sequence[str], *, suggested: bool = False) -> None:
        self._handle = handle

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Append one line per record."""
        lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        self._handle.write(lines.encode("utf-8"))

    def close(self) -> None:
        """Nothing to finish."""


class ParquetStream:
    """Parquet: one string column per table column (the CSV cells), one row group per chunk."""

    def __init__(self, handle: IO[bytes], input_headers: Sequence[str], *, suggested: bool = False) -> None:
        pa, pq = _pyarrow()
        self._pa = pa
        self._names = output_headers(input_headers, suggested=suggested)
        self._schema = pa.schema([(name, pa.string()) for name in self._names])
        self._writer = pq.ParquetWriter(handle, self._schema)

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Append ``records`` as one row group."""
        if not records:
            return
        columns = list(zip(*([csv_text(v) for v in record.values()] for record in records), strict=True))
        arrays = [self._pa.array(column, type=self._pa.string()) for column in columns]
        self._writer.write_table(self._pa.Table.from_arrays(arrays, schema=self._schema))

    def close(self) -> None:
        """Write the Parquet footer."""
        self._writer.close()


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SkillmapError(
            "writing .parquet needs pyarrow, which is not installed: pip install pyarrow (or skillmap-eqf[dask]); "
            "or write .csv, .json or .jsonl",
            hint="targets",
        ) from None
    return pa, pq


_WRITERS = {".csv": CsvStream, ".json": JsonStream, ".jsonl": JsonLinesStream, ".parquet": ParquetStream}


def open_stream(
    suffix: str, handle: IO[bytes], input_headers: Sequence[str], *, suggested: bool = False
) -> TableStream:
    """The writer for a target with this extension (one of :data:`STREAM_FORMATS`); ``suggested``: the table has
    the suggested-level columns."""
    return _WRITERS[suffix](handle, input_headers, suggested=suggested)


def check_stream_format(suffix: str) -> None:
    """Refuse, before any work, a target whose format cannot be streamed (or Parquet without pyarrow)."""
    if suffix in STREAM_FORMATS:
        if suffix == ".parquet":
            _pyarrow()
        return
    if suffix in (".xlsx", ".md", ".html"):
        raise SkillmapError(
            f"a {suffix} report needs the whole table in memory, so it is not written in chunks (an .xlsx sheet "
            f"also holds at most 1,048,576 rows): write it in a run without chunks, or stream "
            f"{', '.join(STREAM_FORMATS)}",
            hint="targets",
        )
    raise SkillmapError(
        f"unknown format {suffix or '(no extension)'} for a streamed table; use one of {', '.join(STREAM_FORMATS)}",
        hint="targets",
    )
