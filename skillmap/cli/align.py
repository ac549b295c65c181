"""CLI command ``skillmap align``: a register spreadsheet in, an alignment report out (or a CI check)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.align import DEFAULT_CONFIDENT_SCORE, DEFAULT_MIN_SCORE, DEFAULT_TOP_OCCUPATIONS, DEFAULT_TOP_SKILLS
from skillmap.cli.common import (
    EXIT_DIFFERENT,
    FormatOption,
    OutputFormat,
    emit,
    notice,
    open_index_with_notice,
    progress_bar,
    stderr_console,
)
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from skillmap.model import Alignment, ProgressCallback
    from skillmap.sources.spreadsheets import ColumnMap, InputTable

OUTPUT_SUFFIXES = (".xlsx", ".csv", ".json", ".md", ".html")

ALIGN_HELP = """Align a register (xlsx/csv/tsv) to EQF levels and ESCO skills and occupations; write a report.

Columns are recognised from their headers in the major EU languages (title, level, learning outcomes, code,
country, awarding body, field); name them with --title-col etc. when they are not. The level of each row is
resolved through the country's framework; skills come from the learning outcomes and the title, occupations from
the title. Rows that need a human (no or ambiguous level, no confident skill, formulas) are flagged, never dropped.

--out picks the format by extension: .xlsx (Summary with chart, Alignment, Skills, Review sheets), .csv/.json
(the alignment table, a stable schema), .md (a table for code review), .html (a self-contained report). Several
--out are allowed. Without --out the table is printed (--format table|json|csv).

Exit codes: 0 done (or --check found no change), 1 --check found changed rows, 2 unusable input or usage error
(nothing is written).
"""


def register(app: typer.Typer) -> None:
    """Add ``skillmap align`` to ``app``."""

    @app.command("align", help=ALIGN_HELP)
    def align_command(
        path: Annotated[
            Path, typer.Argument(help="The register to align: .xlsx, .csv or .tsv.", metavar="FILE", show_default=False)
        ],
        country: Annotated[
            str | None,
            typer.Option(
                "--country",
                "-c",
                help="Country code of the register (GB-ENG, DE, FR…); the default for "
                "rows with no country column value.",
                show_default=False,
            ),
        ] = None,
        out: Annotated[
            list[Path] | None,
            typer.Option(
                "--out",
                "-o",
                help="Write the report here; format by extension: .xlsx .csv .json .md .html. Repeat for several.",
                show_default=False,
            ),
        ] = None,
        check: Annotated[
            Path | None,
            typer.Option(
                "--check",
                help="Compare the new table with this previous one (.csv or .json); exit 1 "
                "and print what changed when rows differ.",
                show_default=False,
            ),
        ] = None,
        sheet: Annotated[
            str | None,
            typer.Option(
                "--sheet",
                help="xlsx sheet to read, by name or 1-based number (default: the first one with data).",
                show_default=False,
            ),
        ] = None,
        title_col: Annotated[
            str | None, typer.Option("--title-col", help="Header of the title column.", show_default=False)
        ] = None,
        level_col: Annotated[
            str | None,
            typer.Option("--level-col", help="Header of the national level column.", show_default=False),
        ] = None,
        text_col: Annotated[
            list[str] | None,
            typer.Option(
                "--text-col", help="Header of a learning-outcome/description column (repeatable).", show_default=False
            ),
        ] = None,
        code_col: Annotated[
            str | None,
            typer.Option(
                "--code-col",
                help="Header of the qualification code column (also the row key of --check).",
                show_default=False,
            ),
        ] = None,
        country_col: Annotated[
            str | None,
            typer.Option("--country-col", help="Header of the country column.", show_default=False),
        ] = None,
        framework: Annotated[
            str | None,
            typer.Option(
                "--framework",
                help="Force a framework acronym when the country has several (e.g. FHEQ).",
                show_default=False,
            ),
        ] = None,
        top_skills: Annotated[
            int, typer.Option("--top-skills", help="ESCO skills kept per row.", min=0)
        ] = DEFAULT_TOP_SKILLS,
        top_occupations: Annotated[
            int, typer.Option("--top-occupations", help="ESCO occupations kept per row.", min=0)
        ] = DEFAULT_TOP_OCCUPATIONS,
        min_score: Annotated[
            float, typer.Option("--min-score", help="Drop matches scoring below this (0–1).", min=0.0, max=1.0)
        ] = DEFAULT_MIN_SCORE,
        confident_score: Annotated[
            float,
            typer.Option(
                "--confident-score", help="Flag rows whose best skill scores below this (0–1).", min=0.0, max=1.0
            ),
        ] = DEFAULT_CONFIDENT_SCORE,
        lang: Annotated[
            list[str] | None,
            typer.Option(
                "--lang",
                help="Only match labels in this language (repeatable; default: all imported).",
                show_default=False,
            ),
        ] = None,
        level_from_title: Annotated[
            bool,
            typer.Option(
                "--level-from-title",
                help="Let the title settle a level the level field leaves open "
                '("Entry Level" + "Entry 3" in the title); such rows are still flagged.',
            ),
        ] = False,
        levels_only: Annotated[
            bool, typer.Option("--levels-only", help="Resolve levels only; skip ESCO skill/occupation matching.")
        ] = False,
        workers: Annotated[
            int,
            typer.Option(
                "--workers",
                help="Processes for ESCO matching on large registers (0: one per CPU, at most 4; 1: none).",
                min=0,
            ),
        ] = 0,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="No progress bar, column report or summary on stderr.")
        ] = False,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        from skillmap.align import align_table

        outputs = list(out or [])
        _check_outputs(path, outputs, check)
        expected = None
        if check is not None:
            from skillmap.outputs.tables import read_table_file

            expected = read_table_file(check)  # a broken --check file fails before the long part

        from skillmap.sources.spreadsheets import detect_columns, read_table

        table = read_table(path, sheet=sheet)
        overrides = {
            "title": title_col,
            "level": level_col,
            "text": text_col or None,
            "code": code_col,
            "country": country_col,
        }
        columns = detect_columns(table.headers, overrides)

        from skillmap.sources.frameworks import load_frameworks

        frameworks = load_frameworks()
        if country:
            country = frameworks.normalise_country(country)
        elif columns.country is None:
            raise SkillmapError(
                "no country: give --country CODE (e.g. --country GB-ENG) or a country column (--country-col NAME)"
            )
        console = stderr_console()
        if not quiet:
            _report_input(console, table, columns)
        if columns.level is None:
            notice("no level column found: every row will be flagged (name it with --level-col)")
        index = None
        facts_index = "none (--levels-only)"
        if not levels_only:
            loaded = open_index_with_notice()
            index = loaded.index
            facts_index = f"{loaded.info.name} {loaded.info.version} ({loaded.info.origin})"

        alignments = _run(
            console,
            quiet,
            table,
            lambda progress: align_table(
                table,
                columns,
                country=country,
                frameworks=frameworks,
                index=index,
                framework=framework,
                top_skills=top_skills,
                top_occupations=top_occupations,
                min_score=min_score,
                confident_score=confident_score,
                langs=lang or None,
                level_from_title=level_from_title,
                workers=workers or min(4, os.cpu_count() or 1),
                progress=progress,
            ),
        )
        facts = [
            ("input", Path(table.path).name + (f" (sheet {table.sheet})" if table.sheet else "")),
            ("columns", ", ".join(f"{role}={name}" for role, name, _ in columns.used())),
            ("concept index", facts_index),
            ("min score / confident score", f"{min_score:.2f} / {confident_score:.2f}"),
        ]
        from skillmap.fileio import atomic_write_bytes

        rendered = [(target, _render(target, alignments, table, columns, facts)) for target in outputs]
        for target, data in rendered:  # everything is rendered before the first file is written
            atomic_write_bytes(target, data)
        if not quiet:
            _print_summary(console, alignments, outputs)
        if expected is not None and check is not None:
            from skillmap.outputs.tables import compare_tables, output_headers, parse_table

            suffix = check.suffix.lower()
            actual = parse_table(
                _render(Path("new" + suffix), alignments, table, columns, facts).decode("utf-8"), suffix, "new table"
            )
            keys = [output_headers(table.headers)[table.headers.index(c)] for c in (columns.code, columns.title) if c]
            diff = compare_tables(expected, actual, key_candidates=keys)
            if diff.identical:
                if not quiet:
                    console.print(f"--check {check}: {diff.describe()}")
                return
            typer.echo(f"--check {check}: {diff.describe()}")
            raise typer.Exit(EXIT_DIFFERENT)
        if not outputs:
            _print_table(alignments, table, fmt)


def _check_outputs(path: Path, outputs: list[Path], check: Path | None) -> None:
    seen: set[Path] = set()
    for target in outputs:
        if target.suffix.lower() not in OUTPUT_SUFFIXES:
            raise SkillmapError(
                f"--out {target}: unknown format {target.suffix or '(no extension)'}; use one of "
                f"{', '.join(OUTPUT_SUFFIXES)}"
            )
        resolved = target.resolve()
        if path.exists() and resolved == path.resolve():
            raise SkillmapError(f"--out {target} is the input file; the input is never overwritten: choose another")
        if resolved in seen:
            raise SkillmapError(f"--out {target} is given twice")
        if target.is_dir():
            raise SkillmapError(f"--out {target} is a folder; give a file name such as {target / 'report.xlsx'}")
        seen.add(resolved)
    if check is not None and check.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"--check {check}: compare with a .csv or .json alignment table")


def _report_input(console: Console, table: InputTable, columns: ColumnMap) -> None:
    where = f"sheet {table.sheet!r}, " if table.sheet else ""
    encoding = f", {table.encoding}" if table.encoding else ""
    console.print(f"read {table.path}: {where}{len(table.rows):,} rows, header on row {table.header_row}{encoding}")
    for note in table.notes:
        console.print(f"  [yellow]note:[/yellow] {note}")
    used = ", ".join(
        f"{role} = {name!r}" + ("" if how == "detected" else " (given)") for role, name, how in columns.used()
    )
    console.print(f"columns: {used}")


def _run(
    console: Console, quiet: bool, table: InputTable, work: Callable[[ProgressCallback | None], list[Alignment]]
) -> list[Alignment]:
    """Run ``work(progress)`` under a progress bar on stderr (none with --quiet or when nothing is matched)."""
    if quiet:
        return work(None)
    description = f"matching {len(table.rows):,} rows to ESCO"
    with progress_bar(description, counts=True, unit="distinct texts", console=console) as progress:
        return work(progress)


def _render(
    target: Path, alignments: list[Alignment], table: InputTable, columns: ColumnMap, facts: list[tuple[str, str]]
) -> bytes:
    from skillmap.outputs import tables

    suffix = target.suffix.lower()
    code_column = columns.code
    if suffix == ".csv":
        return tables.render_csv(alignments, table.headers).encode("utf-8")
    if suffix == ".json":
        return tables.render_json(alignments, table.headers).encode("utf-8")
    if suffix == ".md":
        title = f"Alignment of {Path(table.path).name}"
        return tables.render_markdown(alignments, code_column=code_column, title=title).encode("utf-8")
    if suffix == ".html":
        from skillmap.outputs.html import render_html

        title = f"Alignment of {Path(table.path).name}"
        return render_html(alignments, code_column=code_column, title=title, facts=facts).encode("utf-8")
    from skillmap.outputs.xlsx import render_xlsx

    return render_xlsx(alignments, table.headers, code_column=code_column, facts=facts)


def _print_summary(console: Console, alignments: list[Alignment], outputs: list[Path]) -> None:
    from rich.table import Table

    from skillmap.align import summarise
    from skillmap.model import LEVEL_STATUSES

    summary = summarise(alignments)
    grid = Table(title=f"{summary.rows:,} rows aligned, {summary.needs_review:,} need review", header_style="bold")
    grid.add_column("EQF level")
    for status in LEVEL_STATUSES:
        grid.add_column(status, justify="right")
    grid.add_column("total", justify="right")
    for level, counts in summary.by_level.items():
        grid.add_row(level, *[str(counts.get(s, 0) or "") for s in LEVEL_STATUSES], str(sum(counts.values())))
    console.print(grid)
    for reason, count in list(summary.review_reasons.items())[:8]:
        console.print(f"  {count:>6,}  {reason}")
    for target in outputs:
        console.print(f"wrote {target}")


def _print_table(alignments: list[Alignment], table: InputTable, fmt: OutputFormat) -> None:
    import sys

    from skillmap.outputs import tables

    if fmt == OutputFormat.csv:
        sys.stdout.write(tables.render_csv(alignments, table.headers))
        return
    if fmt == OutputFormat.json:
        sys.stdout.write(tables.render_json(alignments, table.headers))
        return
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
    emit(rows, fmt, columns=columns)
