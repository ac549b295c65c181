"""The check: compare a new alignment with a table written earlier (``align --check`` in CI)."""

from __future__ import annotations

from pathlib import Path

from skillmap.align.job import AlignRun
from skillmap.alignment_table import (
    PreviousTable,
    TableDiff,
    compare_tables,
    output_headers,
    read_alignment_table,
    table_as_read,
)


def check_alignment(run: AlignRun, previous: str | Path | PreviousTable) -> TableDiff:
    """Compare ``run`` with an alignment table written earlier (a ``.csv`` or ``.json`` path, or one already read
    with :func:`skillmap.alignment_table.read_alignment_table`).

    The new table is compared as it would read back from a file of the previous table's format, so an unchanged
    alignment is ``identical``. Rows are matched by the code column, else the title column, when its values are
    unique in both tables, else by position.
    """
    if not isinstance(previous, PreviousTable):
        previous = read_alignment_table(previous)
    headers = run.table.headers
    actual = table_as_read(run.alignments, headers, previous.format, suggested=run.suggest_levels)
    names = output_headers(headers, suggested=run.suggest_levels)
    keys = [names[headers.index(column)] for column in (run.columns.code, run.columns.title) if column]
    return compare_tables((previous.columns, previous.rows), actual, key_candidates=keys)
