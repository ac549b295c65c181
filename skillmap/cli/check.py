"""CLI commands: ``skillmap check microcredential`` (the 16 standard elements of a micro-credential, per row)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from skillmap.cli.common import (
    EXIT_DIFFERENT,
    FormatOption,
    OutputFormat,
    command_group,
    emit,
    notice,
    progress_bar,
    stdout_console,
)
from skillmap.cli.options import QuietOption

if TYPE_CHECKING:
    from skillmap.microcredentials import CredentialCheck, MicrocredentialCheck

SheetFileArgument = Annotated[
    Path, typer.Argument(help="A csv/xlsx sheet with one row per micro-credential (headers in any EU language).")
]
SheetOption = Annotated[
    str | None,
    typer.Option("--sheet", help="xlsx sheet to read, by name or 1-based number (default: the first one with data)."),
]
CSV_COLUMNS = ["row", "title", "number", "element", "requirement", "status", "detail", "elm_property", "columns"]
REQUIREMENT_MARK = {"mandatory": "", "mandatory_if_applicable": " (if applicable)", "optional": " (opt.)"}
STATUS_STYLE = {"present": "green", "missing": "red", "invalid": "yellow"}


def microcredential(
    input_file: SheetFileArgument,
    sheet: SheetOption = None,
    output_format: FormatOption = OutputFormat.table,
    quiet: QuietOption = False,
) -> None:
    """Check micro-credentials against the 16 standard elements of the Council Recommendation of 16 June 2022
    (Annex I): for each row, each element present, missing or invalid, with the ELM property it maps to.

    Exit 1 when a row lacks a mandatory element (missing or invalid), 0 otherwise (for CI).
    """
    from skillmap.microcredentials import check_microcredentials

    if quiet or output_format != OutputFormat.table or not sys.stderr.isatty():
        result = check_microcredentials(input_file, sheet=sheet)
    else:
        with progress_bar("checking", counts=True, unit="rows") as progress:
            result = check_microcredentials(input_file, sheet=sheet, progress=progress)
    if not quiet:
        for line in result.notes:
            notice(line)
    if output_format == OutputFormat.json:
        emit(_as_json(result), output_format)
    elif output_format == OutputFormat.csv:
        emit(_csv_rows(result), output_format, columns=CSV_COLUMNS)
    else:
        _print_tables(result)
    if not result.complete:
        raise typer.Exit(EXIT_DIFFERENT)


def _as_json(result: MicrocredentialCheck) -> dict[str, Any]:
    return {"file": result.path, "complete": result.complete, "credentials": list(result.credentials)}


def _csv_rows(result: MicrocredentialCheck) -> list[dict[str, Any]]:
    return [
        {"row": credential.row, "title": credential.title, **_element_fields(element)}
        for credential in result.credentials
        for element in credential.elements
    ]


def _element_fields(element: Any) -> dict[str, Any]:
    return {column: getattr(element, column) for column in CSV_COLUMNS[2:]}


def _print_tables(result: MicrocredentialCheck) -> None:
    console = stdout_console()
    for credential in result.credentials:
        console.print(_credential_table(credential))
    lacking = [c for c in result.credentials if c.lacking]
    console.print(
        f"{len(result.credentials):,} micro-credential(s); {len(lacking):,} lack a mandatory element"
        + (f": rows {', '.join(str(c.row) for c in lacking[:20])}" if lacking else ""),
        markup=False,
    )
    console.print("* held by the learner's issued credential (elm:EuropeanDigitalCredential), not a QDR record")


def _credential_table(credential: CredentialCheck) -> Any:
    from rich import box
    from rich.table import Table

    lacking = ", ".join(e.element.replace("_", " ") for e in credential.lacking) or "nothing mandatory"
    table = Table(
        title=f"row {credential.row}: {credential.title or '(no title)'} — lacks {lacking}",
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("element", max_width=20)
    table.add_column("status")
    table.add_column("value or reason", max_width=26)
    table.add_column("ELM 3.1", min_width=18, max_width=24)
    for element in credential.elements:
        status = f"[{STATUS_STYLE[element.status]}]{element.status}[/]"
        table.add_row(
            f"{element.number} {element.element.replace('_', ' ')}{REQUIREMENT_MARK[element.requirement]}",
            status,
            element.detail,
            _short_property(element.elm_property),
            style="dim" if element.requirement == "optional" and element.status == "missing" else None,
        )
    return table


def _short_property(elm_property: str) -> str:
    """The ELM property that holds the value, for the terminal: ``countryCode`` (json/csv keep the whole path);
    ``*`` marks one of the learner's issued credential, not of a QDR qualification record."""
    on_credential = elm_property.startswith("credential:")
    first = elm_property.removeprefix("credential:").split(";")[0].split(" (")[0]
    name = first.split("→")[-1].strip().split(":")[-1]
    return f"{name} *" if on_credential else name


def register(app: typer.Typer) -> None:
    """Add the ``check`` command group to ``app``."""
    group = command_group(app, "check", help="Check files against European standards (micro-credentials).")
    group.command("microcredential")(microcredential)
