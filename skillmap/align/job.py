"""The file job: read a register file, map its columns, align every row, and keep what a report needs."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.align.options import AlignOptions, live_index
from skillmap.align.rows import (
    DEFAULT_CONFIDENT_SCORE,
    DEFAULT_MIN_SCORE,
    DEFAULT_TOP_OCCUPATIONS,
    DEFAULT_TOP_SKILLS,
    align_table,
)
from skillmap.align.summary import AlignmentSummary, summarise
from skillmap.model import Alignment, ProgressCallback
from skillmap.sources.spreadsheets import ColumnMap, InputTable

if TYPE_CHECKING:
    from skillmap.align.batches import SearchIndex
    from skillmap.store import IndexInfo

MAX_DEFAULT_WORKERS = 4
SUGGESTIONS_FACT = (
    "on: rows without a referenced level get an EQF level suggested from their learning outcomes "
    "(a suggestion to check, never an EQF level)"
)  # matching processes when none are asked for; more rarely pays on a shared machine


@dataclass(frozen=True)
class AlignRun:
    """One alignment of one file: the table read, its column map and reading notes, the alignments, the summary.

    ``index_info`` describes the live concept index matched against (None with ``levels_only`` or a given index);
    ``index_description`` says it in one line. ``notices`` are lines worth telling the user (the bundled-sample
    notice).
    """

    table: InputTable
    columns: ColumnMap
    alignments: tuple[Alignment, ...]
    summary: AlignmentSummary
    index_info: IndexInfo | None
    index_description: str
    min_score: float
    confident_score: float
    notices: tuple[str, ...] = ()
    run_date: str = ""
    method: str = ""  # the matching method used (lexical, semantic, hybrid; "" when nothing was matched)
    suggest_levels: bool = False  # levels were suggested: the table has the suggested_* columns

    @property
    def title_column(self) -> str | None:
        """The input column holding the titles."""
        return self.columns.title

    @property
    def notes(self) -> tuple[str, ...]:
        """What the reader noticed in the file (encoding guessed, merged cells, skipped rows…)."""
        return self.table.notes

    @property
    def input_name(self) -> str:
        """The input file name, with the sheet when one was read."""
        return Path(self.table.path).name + (f" (sheet {self.table.sheet})" if self.table.sheet else "")

    @property
    def report_title(self) -> str:
        """The heading of the reports: "Alignment of <file name>"."""
        return f"Alignment of {Path(self.table.path).name}"

    @property
    def facts(self) -> list[tuple[str, str]]:
        """(label, value) lines the reports show about the run: input, run date, versions, columns used, index,
        thresholds, then what the reader noticed in the file (header row, merged cells, formulas…)."""
        from skillmap import __version__

        facts = [
            ("input", self.input_name),
            ("run date", self.run_date),
            ("skillmap version", __version__),
            ("concept index", self.index_description),
            *([("matching method", self.method)] if self.method else []),
            ("columns", ", ".join(f"{role}={name}" for role, name, _ in self.columns.used())),
            ("min score / confident score", f"{self.min_score:.2f} / {self.confident_score:.2f}"),
            *([("level suggestions", SUGGESTIONS_FACT)] if self.suggest_levels else []),
            ("header row", f"row {self.table.header_row}"),
        ]
        return facts + [("reading note", note) for note in self.notes] + [("notice", line) for line in self.notices]


def align_file(
    path: str | Path,
    *,
    country: str | None = None,
    lang: str | Sequence[str] | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
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
    index: SearchIndex | None = None,
    progress: ProgressCallback | None = None,
    on_read: Callable[[InputTable, ColumnMap], None] | None = None,
) -> AlignRun:
    """Align the register at ``path`` (.xlsx, .csv, .tsv) and return the :class:`AlignRun`.

    Columns are recognised from their headers unless named (``title_col``, ``level_col``, ``text_col`` (several),
    ``code_col``, ``country_col``); ``sheet`` picks an xlsx sheet by name or 1-based number; ``encoding`` forces
    the code page of a csv (otherwise detected, preferring the one of ``country``). ``country`` is the
    default country for rows without one; ``lang`` (``"en"``, ``"en,fr"`` or a list) limits matching to labels in
    those languages; ``method`` is the matching method (``lexical``, ``semantic`` or ``hybrid``; default: hybrid
    when the index has its semantic matrix). Rows whose text looks written in a language the index has no labels
    in are flagged for review and a notice says so once.
    The live concept index is used unless ``index`` is given or ``levels_only`` skips matching.
    ``workers`` 0 uses one process per CPU (at most :data:`MAX_DEFAULT_WORKERS`). ``on_read(table, columns)`` is
    called once the file is read and its columns are known, before the long part. The input is never modified.
    ``suggest_levels``: rows whose level is missing, unknown or not referenced get an EQF level suggested from their
    learning outcomes and title (columns ``suggested_eqf``, ``suggested_confidence``, ``suggested_evidence``; level
    status ``suggested``, always reviewed, never written as ``eqf_level``).
    """
    options = AlignOptions.pick(locals())
    from skillmap.sources.frameworks import load_frameworks
    from skillmap.sources.spreadsheets import read_table

    langs = options.languages()
    table = read_table(path, sheet=sheet, encoding=encoding, country=country)
    columns = options.columns(table.headers)
    frameworks = load_frameworks()
    country = options.default_country(frameworks, columns)
    if on_read is not None:
        on_read(table, columns)
    live = live_index(levels_only, index)
    index, index_info, index_description, notices = live.index, live.info, live.description, list(live.notices)
    if index is not None and hasattr(index, "resolve_method"):
        resolved = index.resolve_method(method)  # an unknown or unavailable method fails here, before any work
        if method is None and resolved == "lexical" and getattr(index, "semantic_note", ""):
            notices.append(index.semantic_note)
        method = resolved
    workers = workers or min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1)
    alignments = align_table(
        table,
        columns,
        country=country,
        frameworks=frameworks,
        index=index,
        langs=langs,
        workers=workers,
        method=method,
        progress=progress,
        **options.table_keywords(),
    )
    notices.extend(_language_notice(alignments, method))
    return AlignRun(
        table=table,
        columns=columns,
        alignments=tuple(alignments),
        summary=summarise(alignments),
        index_info=index_info,
        index_description=index_description,
        min_score=min_score,
        confident_score=confident_score,
        notices=tuple(notices),
        run_date=run_date(),
        method=method or "",
        suggest_levels=suggest_levels,
    )


def _language_notice(alignments: Sequence[Alignment], method: str | None) -> list[str]:
    """One notice for the rows flagged "language without labels": how many, which languages, what to do."""
    import re

    from skillmap.languages import language_name

    langs: dict[str, int] = {}
    index_langs = ""
    for alignment in alignments:
        for reason in alignment.review:
            found = re.match(r"language without labels: text looks .+? \((\w+)\); the index has (.+) labels", reason)
            if found:
                langs[found.group(1)] = langs.get(found.group(1), 0) + 1
                index_langs = found.group(2)
    if not langs:
        return []
    looks = ", ".join(f"{language_name(code)} ({code})" for code in sorted(langs, key=lambda c: (-langs[c], c)))
    advice = (
        "they were matched across languages by the semantic matcher, which is weaker: import ESCO in that language"
        if method in ("semantic", "hybrid")
        else "import ESCO in that language, or use the semantic matcher"
    )
    return [
        f"texts look {looks} in {sum(langs.values()):,} of {len(alignments):,} rows; the index has {index_langs} "
        f"labels: {advice}; those rows are flagged for review"
    ]


def run_date() -> str:
    """The date and time of this run in UTC ("2026-12-03 07:45 UTC"), shown in the reports.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, the reproducible-builds convention) fixes it, so a rerun can give
    byte-identical reports; the data tables (csv/json) carry no date at all.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc) if epoch else datetime.now(timezone.utc)
    except (ValueError, OverflowError, OSError):
        moment = datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
