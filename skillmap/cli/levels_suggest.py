"""CLI commands: ``skillmap suggest-level`` and ``skillmap evaluate-levels``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skillmap.cli.common import emit, notice, progress_bar
from skillmap.cli.options import FormatOption, OutputFormat, QuietOption

TitleOption = Annotated[
    str, typer.Option("--title", "-t", help="The qualification's title (- reads it from standard input).")
]
OutcomesOption = Annotated[
    str,
    typer.Option(
        "--outcomes", help="Its learning outcomes, one statement a line or separated by ; (- reads standard input)."
    ),
]
TableOption = Annotated[
    Path | None,
    typer.Option(
        "--table",
        help="Suggest a level for every row of this xlsx/csv/tsv (columns detected as align detects them).",
        show_default=False,
    ),
]
SemanticOption = Annotated[
    bool,
    typer.Option(
        "--semantic/--no-semantic",
        help="Read the text with the multilingual sentence model too (other languages than French; slower).",
    ),
]
RegistersOption = Annotated[
    bool,
    typer.Option(
        "--registers/--no-registers",
        help="Compare with the levelled records of the imported registers and cite the closest.",
    ),
]
OutcomesOnlyOption = Annotated[bool, typer.Option("--outcomes-only", help="Ignore the titles of the gold file.")]
LevelGoldArgument = Annotated[
    Path,
    typer.Argument(
        help="Gold CSV with the columns id, title, outcomes, expected_eqf (or the RNCP dev file's own columns).",
        show_default=False,
    ),
]
SUGGESTION_COLUMNS = ("status", "suggested_eqf", "confidence", "strength", "reason")
ROW_COLUMNS = ("row", "code", "title", "status", "suggested_eqf", "confidence", "strength", "evidence", "reason")


def suggest_level_command(
    title: TitleOption = "",
    outcomes: OutcomesOption = "",
    table: TableOption = None,
    semantic: SemanticOption = True,
    registers: RegistersOption = True,
    quiet: QuietOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Suggest an EQF level (1–8) from learning outcomes and/or a title, with the evidence behind it.

    A suggestion is never a referenced level: check the evidence before using it.
    """
    from skillmap.levels_suggest.suggestion import suggest_level
    from skillmap.levels_suggest.tables import suggest_table_levels

    if table is not None:
        with progress_bar("suggesting levels", counts=True, unit="rows", quiet=quiet) as progress:
            rows = suggest_table_levels(table, progress=progress, semantic=semantic, registers=registers)
        records = [r.record() for r in rows]
        if fmt == OutputFormat.table:  # 80 columns: the evidence is in the csv / json output
            records = [{**r, "eqf": r["suggested_eqf"] or "–", "title": str(r["title"])[:36]} for r in records]
        columns = ROW_COLUMNS if fmt != OutputFormat.table else ("row", "code", "eqf", "strength", "title")
        emit(records, fmt, columns=columns, title="Suggested EQF levels (suggestions, not referenced levels)")
        return
    title = sys.stdin.read() if title == "-" else title
    outcomes = sys.stdin.read() if outcomes == "-" else outcomes
    result = suggest_level(title=title, outcomes=outcomes, semantic=semantic, registers=registers)
    if not quiet:
        for line in result.notes:
            notice(line)
    if fmt == OutputFormat.json:
        emit(result.to_dict(), fmt)
    elif fmt == OutputFormat.csv:
        record = {**result.to_dict(), "evidence": [e.describe() for e in result.evidence]}
        record["probabilities"] = [f"{k}: {v:.4f}" for k, v in result.probabilities.items()]
        emit(record, fmt, columns=[*SUGGESTION_COLUMNS, "probabilities", "evidence"])
    else:
        print_suggestion(result)


def print_suggestion(result) -> None:
    """The terminal view: the suggested level and its probabilities, then one line per piece of evidence."""
    from skillmap.cli.common import stdout_console

    console = stdout_console()
    if result.level is None:
        console.print(f"no suggestion ({result.status}): {result.reason}", markup=False)
        return
    console.print(
        f"suggested EQF level {result.level} ({result.strength}, confidence {result.confidence:.2f}) "
        "— a suggestion, not a referenced level",
        markup=False,
    )
    console.print("probabilities: " + "  ".join(f"{k}: {v:.2f}" for k, v in result.probabilities.items()))
    rows = [
        {"levels": f"{e.low}" if e.low == e.high else f"{e.low}–{e.high}", "source": e.source, "evidence": e.text}
        for e in result.evidence
    ]
    if rows:
        emit(rows, OutputFormat.table, columns=["levels", "source", "evidence"], title="Evidence")


def evaluate_levels_command(
    gold: LevelGoldArgument,
    outcomes_only: OutcomesOnlyOption = False,
    quiet: QuietOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Measure suggest-level on levelled qualifications: n, accuracy, within_one, macro_f1, mae, confusion."""
    from skillmap.levels_suggest.evaluation import evaluate_levels

    with progress_bar("suggesting levels", counts=True, unit="rows", quiet=quiet) as progress:
        result = evaluate_levels(gold, outcomes_only=outcomes_only, progress=progress)
    if result.skipped and not quiet:
        notice(f"{result.skipped:,} row(s) without an expected level skipped")
    for line in result.notes:
        notice(line, style="bold red")
    record = result.to_dict()
    if fmt != OutputFormat.json:
        record["confusion"] = [
            f"{e} → " + ", ".join(f"{s}: {n}" for s, n in row.items()) for e, row in result.confusion.items()
        ]
    emit(record, fmt, columns=["n", "accuracy", "within_one", "macro_f1", "mae", "confusion"], title="Levels")


def register(app: typer.Typer) -> None:
    """Add ``suggest-level`` and ``evaluate-levels`` to ``app``."""
    app.command("suggest-level")(suggest_level_command)
    app.command("evaluate-levels")(evaluate_levels_command)
