"""CLI commands: ``skillmap export europass`` (ELM 3.1 qualification records for the Europass QDR)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.cli.common import (
    EXIT_DIFFERENT,
    add_data_column,
    add_data_row,
    command_group,
    data_table,
    fit_to_width,
    stderr_console,
)
from skillmap.cli.options import CountryOption, InputFormatOption, OutOption, QuietOption
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    from skillmap.outputs.europass import ExportResult

SAME_EQF_HINT = (
    "--nqf-same-eqf gives a level the QDR does not list the concept of the country's other level at the same EQF "
    "level (France's 2019 levels → the 1969 RNCP levels)"
)
SKIPPED_SHOWN = 50  # rows of the "left out" table; the report file has them all

HELP = {
    "input_file": "An `align` output (csv/json/xlsx) or a register (RNCP XML, DfE CSV, sheet).",
    "base_uri": "Publisher namespace for record IRIs: <base-uri>/qualification/<code> (stable across exports).",
    "isced_f": "ISCED-F 2013 code for rows without one (repeat for several), e.g. 0713.",
    "isced_map": "CSV mapping a national subject column to ISCED-F (header '<column>,isced_f'), or a bundled map: "
    "england-ssa (England's sector subject areas).",
    "language": "ISO 639-1 language of titles when the input and its country do not say.",
    "skill_label_lang": "Language of the skill labels in an `align` output.",
    "nqf_same_eqf": "A level with no QDR concept takes the country's only other level concept at the same EQF level "
    "(France's 2019 levels → the 1969 RNCP levels); each use is noted in the report.",
    "report": "Write every row left out or changed, with the reason, to this .csv/.json.",
    "validate": "Folder with the LOQ shapes (pyshacl-ready .ttl) and/or loq.xsd: validate before writing (offline).",
}
InputArgument = Annotated[Path, typer.Argument(help=HELP["input_file"])]
BaseUriOption = Annotated[str, typer.Option("--base-uri", help=HELP["base_uri"])]
IscedFOption = Annotated[list[str] | None, typer.Option("--isced-f", help=HELP["isced_f"])]
IscedMapOption = Annotated[Path | None, typer.Option("--isced-map", help=HELP["isced_map"])]
LanguageOption = Annotated[str | None, typer.Option("--language", help=HELP["language"])]
SkillLabelLangOption = Annotated[str, typer.Option("--skill-label-lang", help=HELP["skill_label_lang"])]
NqfSameEqfOption = Annotated[bool, typer.Option("--nqf-same-eqf", help=HELP["nqf_same_eqf"])]
ReportOption = Annotated[Path | None, typer.Option("--report", help=HELP["report"])]
ValidateOption = Annotated[Path | None, typer.Option("--validate", help=HELP["validate"])]


def europass(
    input_file: InputArgument,
    base_uri: BaseUriOption,
    out: OutOption = None,
    isced_f: IscedFOption = None,
    isced_map: IscedMapOption = None,
    language: LanguageOption = None,
    country: CountryOption = None,
    input_format: InputFormatOption = None,
    skill_label_lang: SkillLabelLangOption = "en",
    nqf_same_eqf: NqfSameEqfOption = False,
    report: ReportOption = None,
    validate: ValidateOption = None,
    quiet: QuietOption = False,
) -> None:
    """Export qualifications as Europass-ready ELM 3.1 records (LOQ profile) for the QDR.

    One elm:Qualification per row: titles, EQF and NQF level, ISCED-F field, language, awarding body, ESCO skills.
    --out names the file: .ttl (Turtle), .jsonld (JSON-LD) or .xml (QDR XML). Rows that cannot make a valid
    record are left out and listed; a re-export of the same input is byte-identical.
    """
    keywords = {name: value for name, value in locals().items() if name not in ("input_file", "quiet")}
    from skillmap.outputs.europass import ExportInvalid, export_europass

    if out is None:
        raise SkillmapError("--out: name the file to write: .ttl (Turtle), .jsonld (JSON-LD) or .xml (QDR XML)")
    try:
        result = export_europass(input_file, **keywords)  # the option names are export_europass's keywords
    except ExportInvalid as invalid:
        console = stderr_console()
        console.print(invalid.message, style="red", highlight=False)
        for problem in invalid.result.problems[:20]:
            console.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_DIFFERENT) from None
    except SkillmapError as exc:
        raise SkillmapError(_in_command_terms(exc, nqf_same_eqf=nqf_same_eqf)) from exc
    if not quiet:
        for warning in result.export.warnings:
            stderr_console().print(f"warning: {warning}", markup=False, highlight=False)
        _print_summary(result, report)
        if not nqf_same_eqf and any(item.hint == "nqf_same_eqf" for item in result.export.skipped):
            stderr_console().print(f"hint: {SAME_EQF_HINT}", markup=False, highlight=False)


def _in_command_terms(error: SkillmapError, *, nqf_same_eqf: bool) -> str:
    """The library's message with its hint (a keyword of ``export_europass``, named like this command's option)
    turned into the option: ``--report: …``; for ``nqf_same_eqf``, what the option would do."""
    if error.hint == "nqf_same_eqf":
        return error.message if nqf_same_eqf else f"{error.message}; {SAME_EQF_HINT}"
    if error.hint in inspect.signature(europass).parameters:
        return f"--{error.hint.replace('_', '-')}: {error.message}"
    return error.message


def _reason_in_command_terms(reason: str, hint: str | None) -> str:
    """A skipped row's reason with the option that would keep it: ``… give the language of the titles (--language)``."""
    if hint and hint != "nqf_same_eqf" and hint in inspect.signature(europass).parameters:
        return f"{reason} (--{hint.replace('_', '-')})"
    return reason


def _print_summary(result: ExportResult, report: Path | None) -> None:
    console = stderr_console()
    export = result.export
    skipped = export.skipped
    if skipped:
        table = data_table(f"{len(skipped):,} row(s) left out", title_justify="left")
        for column in ("row", "code", "title", "reason"):
            add_data_column(table, column, numeric=column == "row", max_width=60 if column == "title" else None)
        for item in skipped[:SKIPPED_SHOWN]:
            add_data_row(table, [item.row, item.code, item.title, _reason_in_command_terms(item.reason, item.hint)])
        console.print(fit_to_width(table, console.width))
        if len(skipped) > SKIPPED_SHOWN:
            more = f"… {len(skipped) - SKIPPED_SHOWN:,} more" + (
                f" in {report}" if report else " (use --report FILE for all)"
            )
            console.print(more, markup=False, highlight=False)
    outcomes = sum(len(q.outcomes) for q in export.qualifications)
    line = (
        f"wrote {len(export.qualifications):,} qualification(s), {outcomes:,} learning outcome(s) to {result.out} "
        f"({result.export_format}); {len(skipped):,} of {export.rows:,} row(s) left out"
    )
    if export.notes:
        line += f", {len(export.notes):,} note(s)" + (f" in {report}" if report else "")
    console.print(line, markup=False, highlight=False)
    if result.validation is not None:
        console.print(f"validated: conforms ({result.validation.engine})", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``export`` command group to ``app``."""
    group = command_group(app, "export", help="Write qualification records for other systems (Europass / QDR).")
    group.command("europass")(europass)
