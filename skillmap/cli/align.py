"""CLI command ``skillmap align``: a register spreadsheet in, an alignment report out (or a CI check)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from skillmap.align import DEFAULT_CONFIDENT_SCORE, DEFAULT_MIN_SCORE, DEFAULT_TOP_OCCUPATIONS, DEFAULT_TOP_SKILLS
from skillmap.cli.common import EXIT_DIFFERENT, emit, notice, progress_bar, stderr_console
from skillmap.cli.options import (
    CountryOption,
    EncodingOption,
    FormatOption,
    LangOption,
    MethodOption,
    OutputFormat,
    QuietOption,
)
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from skillmap.align import AlignmentSummary, AlignRun
    from skillmap.alignment_table import TableDiff
    from skillmap.model import ProgressCallback
    from skillmap.sources.chunks import ChunkedTable
    from skillmap.sources.spreadsheets import ColumnMap, InputTable

ALIGN_HELP = """Align a register (xlsx/csv/tsv) to EQF levels and ESCO skills and occupations; write a report.

Columns are recognised from their headers in the major EU languages (title, level, learning outcomes, code,
country, awarding body, field); name them with --title-col etc. when they are not. The level of each row is
resolved through the country's framework; skills come from the learning outcomes and the title, occupations from
the title. Rows that need a human (no or ambiguous level, no confident skill, formulas) are flagged, never dropped.

--out picks the format by extension: .xlsx (Summary with chart, Alignment, Skills, Review sheets), .csv/.json
(the alignment table, a stable schema), .md (a table for code review), .html (a self-contained report). Several
--out are allowed. Without --out the table is printed (--format table|json|csv).

Exit codes: 0 done (or --check found no change), 1 --check found changed rows, 2 unusable input or usage error
(nothing is written; only a table too large for .xlsx still gets its other reports).
"""


def _named_option(flag: str, help_text: str) -> typer.models.OptionInfo:
    return typer.Option(flag, help=help_text, show_default=False)


PathArgument = Annotated[
    Path, typer.Argument(help="The register to align: .xlsx, .csv or .tsv.", metavar="FILE", show_default=False)
]
ReportsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--out",
        "-o",
        help="Write the report here; format by extension: .xlsx .csv .json .md .html. Repeat for several.",
        show_default=False,
    ),
]
CheckOption = Annotated[
    Path | None,
    _named_option(
        "--check",
        "Compare the new table with this previous one (.csv or .json); exit 1 and print what changed when rows differ.",
    ),
]
SheetOption = Annotated[
    str | None,
    _named_option("--sheet", "xlsx sheet to read, by name or 1-based number (default: the first one with data)."),
]
TitleColOption = Annotated[str | None, _named_option("--title-col", "Header of the title column.")]
LevelColOption = Annotated[str | None, _named_option("--level-col", "Header of the national level column.")]
TextColOption = Annotated[
    list[str] | None,
    _named_option("--text-col", "Header of a learning-outcome/description column (repeatable)."),
]
CodeColOption = Annotated[
    str | None,
    _named_option("--code-col", "Header of the qualification code column (also the row key of --check)."),
]
CountryColOption = Annotated[str | None, _named_option("--country-col", "Header of the country column.")]
FrameworkOption = Annotated[
    str | None, _named_option("--framework", "Force a framework acronym when the country has several (e.g. FHEQ).")
]
TopSkillsOption = Annotated[int, typer.Option("--top-skills", help="ESCO skills kept per row.", min=0)]
TopOccupationsOption = Annotated[int, typer.Option("--top-occupations", help="ESCO occupations kept per row.", min=0)]
MinScoreOption = Annotated[
    float, typer.Option("--min-score", help="Drop matches scoring below this (0–1).", min=0.0, max=1.0)
]
ConfidentScoreOption = Annotated[
    float,
    typer.Option("--confident-score", help="Flag rows whose best skill scores below this (0–1).", min=0.0, max=1.0),
]
LevelFromTitleOption = Annotated[
    bool,
    typer.Option(
        "--level-from-title",
        help='Let the title settle a level the level field leaves open ("Entry Level" + "Entry 3" in the title); '
        "such rows are still flagged.",
    ),
]
LevelsOnlyOption = Annotated[
    bool, typer.Option("--levels-only", help="Resolve levels only; skip ESCO skill/occupation matching.")
]
SuggestLevelsOption = Annotated[
    bool,
    typer.Option(
        "--suggest-levels",
        help="Rows whose level is missing, unknown or not referenced get an EQF level suggested from their learning "
        "outcomes (suggested_eqf, suggested_confidence, suggested_evidence; status 'suggested', always to review, "
        "never written as eqf_level).",
    ),
]
WorkersOption = Annotated[
    int,
    typer.Option(
        "--workers",
        "--jobs",
        "-j",
        help="Processes for ESCO matching and level suggestions on large registers (0: one per CPU, at most 4; "
        "1: none).",
        min=0,
    ),
]
ChunkRowsOption = Annotated[
    int,
    typer.Option(
        "--chunk-rows",
        help="Read, align and write this many rows at a time, with bounded memory, for tables of 10^5+ rows "
        "(0: the whole file at once; .jsonl and .parquet always stream). Writes .csv .json .jsonl .parquet only.",
        min=0,
    ),
]


def align_command(
    path: PathArgument,
    country: CountryOption = None,
    out: ReportsOption = None,
    check: CheckOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    title_col: TitleColOption = None,
    level_col: LevelColOption = None,
    text_col: TextColOption = None,
    code_col: CodeColOption = None,
    country_col: CountryColOption = None,
    framework: FrameworkOption = None,
    top_skills: TopSkillsOption = DEFAULT_TOP_SKILLS,
    top_occupations: TopOccupationsOption = DEFAULT_TOP_OCCUPATIONS,
    min_score: MinScoreOption = DEFAULT_MIN_SCORE,
    confident_score: ConfidentScoreOption = DEFAULT_CONFIDENT_SCORE,
    lang: LangOption = None,
    level_from_title: LevelFromTitleOption = False,
    levels_only: LevelsOnlyOption = False,
    suggest_levels: SuggestLevelsOption = False,
    workers: WorkersOption = 0,
    chunk_rows: ChunkRowsOption = 0,
    method: MethodOption = None,
    quiet: QuietOption = False,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    from skillmap.align.options import file_keywords

    options = file_keywords(locals())
    from skillmap.align import align_file, check_alignment
    from skillmap.alignment_table import read_alignment_table
    from skillmap.outputs import check_targets, write_all

    targets = list(out or [])
    if chunk_rows or any(target.suffix.lower() in STREAMED_ONLY for target in targets):
        _align_in_chunks(path, targets, options, chunk_rows=chunk_rows, check=check, quiet=quiet)
        return
    check_targets(targets, source=path)
    previous = read_alignment_table(check) if check is not None else None  # a broken file fails before the work
    console = stderr_console()
    with _progress(path, console, quiet) as progress:
        run = align_file(
            path,
            **options,
            progress=progress,
            on_read=lambda table, columns: _report_input(console, table, columns, quiet),
        )
    for line in run.notices:
        notice(line)
    reports = write_all(run, targets)
    if not quiet:
        _print_summary(console, run.summary, reports.written)
    for target, reason in reports.skipped:
        raise SkillmapError(f"{target} not written: {reason}; the other reports were written")
    if previous is not None:
        _report_check(check_alignment(run, previous), check, console, quiet)
    elif not targets:
        _print_table(run, output_format)


def _report_check(diff: TableDiff, check: Path | None, console: Console, quiet: bool) -> None:
    """``--check``: say what changed and exit 1, or confirm the table is unchanged."""
    if not diff.identical:
        typer.echo(f"--check {check}: {diff.describe()}")
        raise typer.Exit(EXIT_DIFFERENT)
    if not quiet:
        console.print(f"--check {check}: {diff.describe()}")


STREAMED_ONLY = (".jsonl", ".parquet")  # formats only the streamed path writes


def _align_in_chunks(
    path: Path, targets: list[Path], options: dict, *, chunk_rows: int, check: Path | None, quiet: bool
) -> None:
    """``--chunk-rows``: read, align and write in chunks (``align_stream``), with a progress bar and ETA."""
    from skillmap.align.stream import DEFAULT_CHUNK_ROWS, align_stream

    if check is not None:
        raise SkillmapError("--check compares whole tables: run it without --chunk-rows (or .jsonl/.parquet)")
    if not targets:
        raise SkillmapError("--chunk-rows writes files: give --out table.csv (or .json, .jsonl, .parquet)")
    console = stderr_console()
    bar = nullcontext(None) if quiet else progress_bar(f"aligning {path.name}", counts=True, unit="rows", eta=True)
    with bar as progress:
        run = align_stream(
            path,
            targets,
            chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS,
            **options,
            progress=progress,
            on_read=lambda table, columns: _report_input(console, table, columns, quiet, rows=table.row_count),
        )
    for line in run.notices:
        notice(line)
    if not quiet:
        _print_summary(console, run.summary, run.written)


def _progress(path: Path, console: Console, quiet: bool) -> AbstractContextManager[ProgressCallback | None]:
    """A progress bar on stderr for the matching (none with --quiet)."""
    if quiet:
        return nullcontext(None)
    return progress_bar(f"matching {path.name} to ESCO", counts=True, unit="distinct texts", console=console)


def register(app: typer.Typer) -> None:
    """Add ``skillmap align`` to ``app``."""
    app.command("align", help=ALIGN_HELP)(align_command)


def _report_input(
    console: Console, table: InputTable | ChunkedTable, columns: ColumnMap, quiet: bool, rows: int | None = None
) -> None:
    if not quiet:
        where = f"sheet {table.sheet!r}, " if table.sheet else ""
        encoding = f", {table.encoding}" if table.encoding else ""
        count = rows if rows is not None else len(table.rows)  # type: ignore[union-attr]
        rows_read = f"{count:,} rows, header on row {table.header_row}"
        console.print(Text(f"read {table.path}: {where}{rows_read}{encoding}"))
        for note in table.notes:
            console.print(Text.assemble("  ", ("note:", "yellow"), f" {note}"))
        used = ", ".join(
            f"{role} = {name!r}" + ("" if how == "detected" else " (given)") for role, name, how in columns.used()
        )
        console.print(f"columns: {used}")
    if columns.level is None:
        notice("no level column found: every row will be flagged (name it with --level-col)")


def _print_summary(console: Console, summary: AlignmentSummary, written: Sequence[Path]) -> None:
    from rich.table import Table

    grid = Table(title=f"{summary.rows:,} rows aligned, {summary.needs_review:,} need review", header_style="bold")
    grid.add_column("EQF level")
    for status in summary.statuses:
        grid.add_column(status, justify="right")
    grid.add_column("total", justify="right")
    for level, counts in summary.by_level.items():
        cells = [f"{counts.get(s, 0):,}" if counts.get(s) else "" for s in summary.statuses]
        grid.add_row(level, *cells, f"{sum(counts.values()):,}")
    console.print(grid)
    for reason, count in list(summary.review_reasons.items())[:8]:
        console.print(f"  {count:>6,}  {reason}")
    for target in written:
        console.print(f"wrote {target}")


def _print_table(run: AlignRun, output_format: OutputFormat) -> None:
    import sys

    from skillmap.outputs import render

    if output_format in (OutputFormat.csv, OutputFormat.json):
        sys.stdout.write(render(run, output_format.value).decode("utf-8"))
        return
    alignments = run.alignments
    rows = [
        {
            "row": a.row_number,
            "title": a.title,
            "country": a.level.country,
            "level": a.level.input or "",
            "EQF": "" if a.level.eqf_level is None else str(a.level.eqf_level),
            "status": a.level.status,
            "best skill": f"{a.skills[0].label} ({a.skills[0].score:.2f})" if a.skills else "",
            "review": "; ".join(a.review),
        }
        for a in alignments
    ]
    columns = [c for c in (rows[0] if rows else {}) if c != "best skill" or any(a.skills for a in alignments)]
    emit(rows, output_format, columns=columns, droppable=["country", "level"])
