"""CLI commands: ``skillmap export europass`` (ELM 3.1 qualification records for the Europass QDR)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillmap.cli.common import EXIT_DIFFERENT, command_group, stderr_console
from skillmap.errors import SkillmapError

NO_NQF_CONCEPT = "no QDR NQF level concept"
SAME_EQF_HINT = (
    "--nqf-same-eqf gives a level the QDR does not list the concept of the country's other level at the same EQF "
    "level (France's 2019 levels → the 1969 RNCP levels)"
)


def europass(
    input_file: Annotated[
        Path, typer.Argument(help="An `align` output (csv/json/xlsx) or a register (RNCP XML, DfE CSV, sheet).")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write: .ttl (Turtle), .jsonld (JSON-LD) or .xml (QDR XML).")
    ],
    base_uri: Annotated[
        str,
        typer.Option(
            "--base-uri",
            help="Publisher namespace for record IRIs: <base-uri>/qualification/<code> (stable across exports).",
        ),
    ],
    isced_f: Annotated[
        list[str] | None,
        typer.Option("--isced-f", help="ISCED-F 2013 code for rows without one (repeat for several), e.g. 0713."),
    ] = None,
    isced_map: Annotated[
        Path | None,
        typer.Option(
            "--isced-map",
            help="CSV mapping a national subject column to ISCED-F (header '<column>,isced_f'), or a bundled map: "
            "england-ssa (England's sector subject areas).",
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="ISO 639-1 language of titles when the input and its country do not say."),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Country code of the register when the input has none (FR, DE…).")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help="Input format when detection fails: rncp-xml, dfe, csv, xlsx, alignment."),
    ] = None,
    skill_label_lang: Annotated[
        str, typer.Option("--skill-label-lang", help="Language of the skill labels in an `align` output.")
    ] = "en",
    nqf_same_eqf: Annotated[
        bool,
        typer.Option(
            "--nqf-same-eqf",
            help="A level with no QDR concept takes the country's only other level concept at the same EQF level "
            "(France's 2019 levels → the 1969 RNCP levels); each use is noted in the report.",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write every row left out or changed, with the reason, to this .csv/.json."),
    ] = None,
    validate: Annotated[
        Path | None,
        typer.Option(
            "--validate",
            help="Folder with the LOQ shapes (pyshacl-ready .ttl) and/or loq.xsd: validate before writing (offline).",
        ),
    ] = None,
) -> None:
    """Export qualifications as Europass-ready ELM 3.1 records (LOQ profile) for the QDR.

    One elm:Qualification per row: titles, EQF and NQF level, ISCED-F field, language, awarding body, ESCO skills.
    Rows that cannot make a valid record are left out and listed; a re-export of the same input is byte-identical.
    """
    from skillmap.outputs.europass import (
        ExportInvalid,
        ExportOptions,
        export_europass,
        nqf_resolver_from_frameworks,
        read_isced_map,
    )

    options = ExportOptions(
        base_uri=base_uri,
        isced_f=tuple(isced_f or ()),
        isced_map=read_isced_map(isced_map) if isced_map is not None else None,
        language=language or "",
        skill_label_lang=skill_label_lang,
    )
    console = stderr_console()
    try:
        result = export_europass(
            input_file,
            out,
            options,
            country=country,
            input_format=input_format,
            validate_with=validate,
            report=report,
            nqf_level=nqf_resolver_from_frameworks(same_eqf=nqf_same_eqf),
        )
    except ExportInvalid as invalid:
        console.print(f"[red]{invalid.message}[/red]", markup=True, highlight=False)
        for problem in invalid.result.problems[:20]:
            console.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_DIFFERENT) from None
    except SkillmapError as exc:
        if not nqf_same_eqf and NO_NQF_CONCEPT in str(exc):
            raise SkillmapError(f"{exc}; {SAME_EQF_HINT}") from exc
        raise
    _print_summary(result, report)
    if not nqf_same_eqf and any(NO_NQF_CONCEPT in item.reason for item in result.export.skipped):
        stderr_console().print(f"hint: {SAME_EQF_HINT}", markup=False, highlight=False)


def _print_summary(result, report: Path | None) -> None:  # result: ExportResult (imported lazily)
    from rich.table import Table

    console = stderr_console()
    export = result.export
    skipped = export.skipped
    if skipped:
        table = Table(title=f"{len(skipped)} row(s) left out", header_style="bold", title_justify="left")
        for column in ("row", "code", "title", "reason"):
            table.add_column(column, overflow="fold")
        for item in skipped[:50]:
            table.add_row(str(item.row), item.code, item.title[:60], item.reason)
        console.print(table)
        if len(skipped) > 50:
            more = f"… {len(skipped) - 50} more" + (f" in {report}" if report else " (use --report FILE for all)")
            console.print(more, markup=False, highlight=False)
    outcomes = sum(len(q.outcomes) for q in export.qualifications)
    line = (
        f"wrote {len(export.qualifications)} qualification(s), {outcomes} learning outcome(s) to {result.out} "
        f"({result.fmt}); {len(skipped)} of {export.rows} row(s) left out"
    )
    if export.notes:
        line += f", {len(export.notes)} note(s)" + (f" in {report}" if report else "")
    console.print(line, markup=False, highlight=False)
    if result.validation is not None:
        console.print(f"validated: conforms ({result.validation.engine})", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command group to ``app``."""
    group = command_group(app, "export", help="Write qualification records for other systems (Europass / QDR).")
    group.command("europass")(europass)
