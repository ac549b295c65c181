"""The streamed file job: read a register in chunks, align each chunk, append it to the tables, with bounded memory.

For registers of 10^5–10^6 rows: memory holds one chunk of rows and their alignments (plus the memory-mapped index
and a bounded memo of hits), whatever the file's length. Hits of a text are remembered across chunks
(:class:`~skillmap.align.memo.SearchMemo`), so a title repeated all over the file is searched once. The tables
are byte-identical to those :func:`~skillmap.align.align_file` + :func:`~skillmap.outputs.write_all` write for the
same file (``.csv``, ``.json``); ``.jsonl`` and ``.parquet`` are streamed only.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.align.memo import DEFAULT_MEMO_TEXTS, SearchMemo
from skillmap.align.options import AlignOptions, live_index
from skillmap.align.rows import (
    DEFAULT_CONFIDENT_SCORE,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP_OCCUPATIONS,
    DEFAULT_TOP_SKILLS,
    align_table,
)
from skillmap.align.summary import AlignmentSummary, SummaryCounts
from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback
from skillmap.sources.spreadsheets import ColumnMap

if TYPE_CHECKING:
    from skillmap.align.batches import SearchIndex
    from skillmap.sources.chunks import ChunkedTable

DEFAULT_CHUNK_ROWS = 20_000  # rows and their alignments held at a time (benchmarks/bench_align_scale.py)
MAX_DEFAULT_WORKERS = 4


@dataclass(frozen=True)
class StreamedRun:
    """What :func:`align_stream` did: the file read (``table``: headers, row count, notes), the columns used, the
    counts of the whole run, the files written, and how many chunks and texts remembered across them."""

    table: ChunkedTable
    columns: ColumnMap
    summary: AlignmentSummary
    written: tuple[Path, ...]
    index_description: str
    chunks: int
    reused_hits: int
    notices: tuple[str, ...] = ()


def _check_targets(targets: Sequence[str | os.PathLike[str]], source: Path) -> list[Path]:
    from skillmap.outputs.streaming import check_stream_format

    if not targets:
        raise SkillmapError("a streamed alignment needs at least one table to write", hint="targets")
    paths, seen = [Path(t) for t in targets], set()
    for path in paths:
        check_stream_format(path.suffix.lower())
        resolved = path.resolve()
        if source.exists() and resolved == source.resolve():
            raise SkillmapError(f"{path} is the input file; the input is never overwritten: choose another")
        if resolved in seen:
            raise SkillmapError(f"{path} is given twice as a report")
        if path.is_dir():
            raise SkillmapError(f"{path} is a folder; give a file name such as {path / 'table.csv'}")
        seen.add(resolved)
    return paths


def align_stream(
    path: str | Path,
    targets: Sequence[str | os.PathLike[str]],
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    country: str | None = None,
    lang: str | Sequence[str] | None = None,
    sheet: str | None = None,
    title_col: str | None = None,
    level_col: str | None = None,
    text_col: Sequence[str] | None = None,
    code_col: str | None = None,
    country_col: str | None = None,
    framework: str | None = None,
    top_skills: int = DEFAULT_TOP_SKILLS,
    top_occupations: int = DEFAULT_TOP_OCCUPATIONS,
    min_score: float = DEFAULT_MIN_SCORE,
    confident_score: float = DEFAULT_CONFIDENT_SCORE,
    level_from_title: bool = False,
    levels_only: bool = False,
    suggest_levels: bool = False,
    workers: int = 0,
    method: str | None = None,
    encoding: str | None = None,
    memo_texts: int = DEFAULT_MEMO_TEXTS,
    index: SearchIndex | None = None,
    progress: ProgressCallback | None = None,
    on_read: Callable[[ChunkedTable, ColumnMap], None] | None = None,
) -> StreamedRun:
    """Align the register at ``path`` ``chunk_rows`` rows at a time and write the alignment table to every file of
    ``targets`` (``.csv``, ``.json``, ``.jsonl``, ``.parquet``) as it goes; return the :class:`StreamedRun`.

    The other keywords mean what they mean for :func:`~skillmap.align.align_file`; ``memo_texts`` bounds the hits
    remembered across chunks. ``progress(rows done, rows in the file)`` is called after every chunk (and within
    it while matching). Every target is written atomically: on an error none is left, half-written or not. An
    ``.xlsx``, ``.md`` or ``.html`` report needs the whole table in memory and is refused here.
    """
    options = AlignOptions.pick(locals())
    from skillmap.alignment_table import alignment_records
    from skillmap.fileio import atomic_path
    from skillmap.outputs.streaming import open_stream
    from skillmap.sources.chunks import open_chunks
    from skillmap.sources.frameworks import load_frameworks

    if chunk_rows < 1:
        raise SkillmapError(f"chunk_rows must be 1 or more, not {chunk_rows}", hint="chunk_rows")
    source = Path(path)
    paths = _check_targets(targets, source)
    langs = options.languages()
    table = open_chunks(source, sheet=sheet, encoding=encoding, country=country)
    columns = options.columns(table.headers)
    frameworks = load_frameworks()
    default_country = options.default_country(frameworks, columns)
    if on_read is not None:
        on_read(table, columns)
    live = live_index(levels_only, index)
    index, index_description, notices = live.index, live.description, list(live.notices)
    workers = workers or min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)
    memo = SearchMemo(memo_texts)
    counts = SummaryCounts()
    chunks = 0
    total = table.row_count
    if progress:
        progress(0, total)
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(atomic_path(target)) for target in paths]
        files = [stack.enter_context(open(handle, "wb")) for handle in handles]
        writers = [
            open_stream(target.suffix.lower(), file, table.headers, suggested=suggest_levels)
            for target, file in zip(paths, files, strict=True)
        ]
        for piece in table.chunks(chunk_rows):
            done = counts.rows

            def within(matched: int, to_match: int, done: int = done, rows: int = len(piece.rows)) -> None:
                if progress and to_match:
                    progress(done + rows * matched // to_match, total)

            gc.freeze()  # forked matching workers then leave the memo's pages shared: the collector never writes them
            try:
                alignments = align_table(
                    piece,
                    columns,
                    country=default_country,
                    frameworks=frameworks,
                    index=index,
                    method=method,
                    langs=langs,
                    workers=workers,
                    progress=within,
                    memo=memo,
                    **options.table_keywords(),
                )
            finally:
                gc.unfreeze()
            records = alignment_records(alignments, table.headers, suggested=suggest_levels)
            for writer in writers:
                writer.write(records)
            counts.add(alignments)
            chunks += 1
            if progress:
                progress(counts.rows, total)
        for writer in writers:
            writer.close()
    return StreamedRun(
        table=table,
        columns=columns,
        summary=counts.summary(),
        written=tuple(paths),
        index_description=index_description,
        chunks=chunks,
        reused_hits=memo.reused,
        notices=tuple(notices),
    )
