"""Aligning one pandas DataFrame partition: the distributed path on an existing engine.

:func:`align_frame` takes the rows of one partition (a Dask ``map_partitions`` call, a Spark ``apply_batch`` or
``mapInPandas`` batch, or a plain DataFrame) and returns them with the alignment table's columns appended, every
cell the text the CSV writer writes. The concept index is opened once per process (memory-mapped, so the worker
processes of one machine share its pages) and the framework registry is read once per process; nothing is
scheduled here, the engine does that.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from skillmap.align.options import AlignOptions
from skillmap.align.rows import (
    DEFAULT_CONFIDENT_SCORE,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP_OCCUPATIONS,
    DEFAULT_TOP_SKILLS,
    align_table,
)
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    import pandas as pd

    from skillmap.align.batches import SearchIndex
    from skillmap.sources.frameworks import FrameworkRegistry

FRAME_SOURCE = "<DataFrame>"  # the "path" of a table that came from a DataFrame
_LOCK = threading.Lock()  # Dask runs several partitions in threads of one process
_INDEXES: dict[tuple[str, str], SearchIndex] = {}  # (SKILLMAP_HOME, live index folder) -> the opened index
_FRAMEWORKS: list[FrameworkRegistry] = []


def process_index() -> SearchIndex:
    """The live concept index, opened once per process (and again only when the live index changes)."""
    from skillmap.store import current_index_folder, skillmap_home

    key = (str(skillmap_home()), str(current_index_folder() or "sample"))
    with _LOCK:
        if key not in _INDEXES:
            from skillmap.store import open_index

            _INDEXES[key] = open_index().index
        return _INDEXES[key]


def process_frameworks() -> FrameworkRegistry:
    """The bundled framework registry, read once per process."""
    with _LOCK:
        if not _FRAMEWORKS:
            from skillmap.sources.frameworks import load_frameworks

            _FRAMEWORKS.append(load_frameworks())
        return _FRAMEWORKS[0]


def frame_cell(value: Any) -> str:
    """The text of one DataFrame value, as a CSV reader would have given it: missing values (None, NaN, NA) → "",
    whole floats without ".0" (a code column pandas made float because of a gap), anything else ``str``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return str(value)


def align_frame(
    frame: pd.DataFrame,
    *,
    country: str | None = None,
    lang: str | Sequence[str] | None = None,
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
    index: SearchIndex | None = None,
) -> pd.DataFrame:
    """Align the rows of ``frame`` (one partition) and return them with the alignment table's columns appended.

    The result has one row per input row, the same index, the input columns first (renamed ``<name> (input)`` on
    a clash with an added field) and then ``skillmap.alignment_table.ADDED_FIELDS`` (and ``SUGGESTED_FIELDS`` with
    ``suggest_levels``); every cell is the string the
    CSV writer writes for that row (lists joined by " | ", scores with 4 decimals, formula-like text prefixed with
    ``'``), so concatenated partitions equal the ``.csv`` table of the same rows aligned in one process. Keywords
    mean what they mean for :func:`~skillmap.align.align_file`. Read the input as text (``dtype=str``,
    ``keep_default_na=False``) to keep codes such as "0713" as they are; other values are turned to text.

    The live concept index is opened once per process (memory-mapped) unless ``index`` is given or
    ``levels_only`` skips matching. An empty frame returns the empty result with its columns, without opening the
    index (what Dask's ``meta`` needs).
    """
    options = AlignOptions.pick(locals())
    import pandas as pd

    from skillmap.alignment_table import alignment_records, csv_text, output_headers
    from skillmap.sources.spreadsheets import InputTable

    headers = tuple(str(c) for c in frame.columns)
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    if duplicated:
        raise SkillmapError(f"the DataFrame has the column {duplicated[0]!r} twice; give every column its own name")
    columns = options.columns(headers)
    langs = options.languages()
    frameworks = process_frameworks()
    default_country = options.default_country(frameworks, columns)
    result_columns = output_headers(headers, suggested=suggest_levels)
    if len(frame) == 0:
        return pd.DataFrame({name: pd.Series([], dtype=object) for name in result_columns}, index=frame.index)
    rows = tuple(tuple(frame_cell(v) for v in row) for row in frame.itertuples(index=False, name=None))
    table = InputTable(path=FRAME_SOURCE, format="frame", headers=headers, rows=rows)
    if not levels_only and index is None:
        index = process_index()
    alignments = align_table(
        table,
        columns,
        country=default_country,
        frameworks=frameworks,
        index=None if levels_only else index,
        langs=langs,
        workers=1,  # the engine runs the partitions in parallel
        **options.table_keywords(),
    )
    records = alignment_records(alignments, headers, suggested=suggest_levels)
    cells = [[csv_text(v) for v in record.values()] for record in records]
    return pd.DataFrame(cells, columns=result_columns, index=frame.index, dtype=object)
