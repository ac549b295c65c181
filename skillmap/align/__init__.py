"""Aligning registers: every row of a table → its EQF level, its ESCO skills and occupations, and why a human
should look.

- :func:`align_file` — the file job: read a register, map its columns, align it → :class:`AlignRun`
  (``skillmap.align.job``)
- :func:`check_alignment` — compare a run with a table written earlier → ``TableDiff`` (``skillmap.align.check``)
- :func:`align_table` — row alignment of a table already read (``skillmap.align.rows``), with the review rules in
  ``skillmap.align.review``, title cleaning in ``skillmap.text.titles``, batched matching in
  ``skillmap.align.batches`` and the counts in ``skillmap.align.summary`` (:func:`summarise`).
"""

from __future__ import annotations

from skillmap.align.batches import PARALLEL_MIN_TEXTS, SearchIndex
from skillmap.align.check import check_alignment
from skillmap.align.job import AlignRun, align_file
from skillmap.align.rows import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_CONFIDENT_SCORE,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP_OCCUPATIONS,
    DEFAULT_TOP_SKILLS,
    align_table,
)
from skillmap.align.summary import AlignmentSummary, summarise
from skillmap.text.titles import title_for_matching

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_CONFIDENT_SCORE",
    "DEFAULT_MIN_SCORE",
    "DEFAULT_TOP_OCCUPATIONS",
    "DEFAULT_TOP_SKILLS",
    "PARALLEL_MIN_TEXTS",
    "AlignRun",
    "AlignmentSummary",
    "SearchIndex",
    "align_file",
    "align_table",
    "check_alignment",
    "summarise",
    "title_for_matching",
]
