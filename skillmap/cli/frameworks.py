"""CLI commands: ``skillmap frameworks list|show|compare`` and ``skillmap level``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from skillmap.cli.common import add_commands, command_group, emit, stdout_console
from skillmap.cli.options import FormatOption, OutputFormat

if TYPE_CHECKING:
    from skillmap.frameworks import FrameworkComparison
    from skillmap.model import Framework, LevelResolution


def _eqf_cell(value: int | None) -> str:
    return "—" if value is None else str(value)


def _eqf_span(framework: Framework) -> str:
    values = sorted({lv.eqf_level for lv in framework.levels if lv.eqf_level is not None})
    if not values:
        return "not referenced"
    return f"{values[0]}–{values[-1]}" if len(values) > 1 else str(values[0])


def _framework_row(framework: Framework) -> dict[str, Any]:
    levels = [lv for lv in framework.levels if lv.kind != "register_value"]
    return {
        "country": framework.country,
        "country_name": framework.country_name,
        "framework": framework.acronym,
        "name": framework.name,
        "name_native": framework.name_native,
        "levels": len(levels),
        "eqf_levels": _eqf_span(framework),
        "ref_year": framework.ref_year + (" (unsure)" if framework.unsure else ""),
        "unsure_levels": sum(1 for lv in framework.levels if lv.unsure),
        "eu_uri": framework.eu_uri or "",
    }


def _level_rows(framework: Framework) -> list[dict[str, Any]]:
    return [
        {
            "nqf_level": lv.nqf_level,
            "kind": lv.kind,
            "eqf_level": lv.eqf_level,
            "status": "register value (ambiguous)"
            if lv.kind == "register_value"
            else ("not referenced" if lv.eqf_level is None else "referenced"),
            "unsure": lv.unsure,
            "candidates": list(lv.candidates),
            "eu_uri": lv.eu_uri or "",
            "eu_label": lv.eu_label,
            "note": lv.note,
            "sources": list(lv.sources),
        }
        for lv in framework.levels
    ]


def _print_level_table(framework: Framework) -> None:
    from rich.table import Table

    console = stdout_console()
    console.print(f"[bold]{framework.country} {framework.acronym}[/bold] — {framework.name}")
    if framework.name_native and framework.name_native != framework.name:
        console.print(f"native name: {framework.name_native}")
    ref = framework.ref_year + (" (unsure)" if framework.unsure else "")
    if framework.ref_year_note:
        ref += f" — {framework.ref_year_note}"
    console.print(f"referenced to the EQF: {ref}")
    console.print(f"EU vocabulary (framework): {framework.eu_uri or 'none'}")
    if framework.note:
        console.print(f"note: {framework.note}")
    cited = list(dict.fromkeys([*framework.sources, *(s for lv in framework.levels for s in lv.sources)]))
    number = {source: n for n, source in enumerate(cited, 1)}
    table = Table(header_style="bold", show_lines=False)
    for column in ("level", "EQF", "unsure", "EU NQF level concept", "note", "sources"):
        table.add_column(column, overflow="fold", no_wrap=column in ("level", "unsure", "sources"))
    for lv in framework.levels:
        if lv.kind == "register_value":
            eqf = "ambiguous: " + ", ".join(lv.candidates)
        else:
            eqf = _eqf_cell(lv.eqf_level) if lv.eqf_level is not None else "not referenced"
        name = lv.nqf_level + (f" ({lv.label})" if lv.label else "")
        if lv.kind == "sub_level":
            name = "  " + name
        uri = f"{lv.eu_uri} ({lv.eu_label})" if lv.eu_uri else "none"
        refs = ",".join(str(number[source]) for source in lv.sources)
        table.add_row(name, eqf, "yes" if lv.unsure else "", uri, lv.note, refs)
    console.print(table)
    console.print("sources (framework: " + ",".join(str(number[s]) for s in framework.sources) + "):")
    for source, n in number.items():
        console.print(f"  [{n}] {source}", markup=False, highlight=False, soft_wrap=True)


def _print_resolution(resolution: LevelResolution) -> None:
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    rows = [
        ("input", repr(resolution.input)),
        ("country", resolution.country),
        ("framework", resolution.framework or "—"),
        ("nqf_level", resolution.nqf_level or "—"),
        ("eqf_level", _eqf_cell(resolution.eqf_level)),
        ("status", resolution.status + (" (unsure)" if resolution.unsure else "")),
        ("reason", resolution.reason),
    ]
    if resolution.candidates:
        rows.append(("candidates", ", ".join(resolution.candidates)))
    if resolution.status in ("ok", "not_referenced") and resolution.nqf_level:
        rows.append(("eu_uri", resolution.eu_uri or "none (no EU NQF level concept for this level)"))
    if resolution.from_title:
        rows.append(("from_title", "yes: the sub-level was read from the title, check it"))
    for name, value in rows:
        table.add_row(name, value)
    stdout_console().print(table)


CountryArgument = Annotated[
    str, typer.Argument(help="Country or region code or name, e.g. DE, GB-SCT, BE-VLG, XK, England.")
]
FrameworkOption = Annotated[
    str | None,
    typer.Option("--framework", help="Acronym when the country has several frameworks (FHEQ, NIV-1969)."),
]
LeftArgument = Annotated[str, typer.Argument(help="First country or region code or name (e.g. IE).")]
RightArgument = Annotated[str, typer.Argument(help="Second country or region code or name (e.g. FR).")]
LeftFrameworkOption = Annotated[
    str | None, typer.Option("--left-framework", help="Acronym of the first country's framework if several.")
]
RightFrameworkOption = Annotated[
    str | None, typer.Option("--right-framework", help="Acronym of the second country's framework if several.")
]
LevelCountryArgument = Annotated[str, typer.Argument(help="Country or region code or name, e.g. GB-ENG, FR, GB-SCT.")]
LevelTextArgument = Annotated[
    str, typer.Argument(help='The level as the register writes it, e.g. "SCQF 11", "Niveau IV".')
]
LevelFrameworkOption = Annotated[
    str | None, typer.Option("--framework", help="Only consider this framework of the country (e.g. FHEQ).")
]
TitleOption = Annotated[
    str | None,
    typer.Option(
        "--title", help="Qualification title: used only to pick a sub-level the level leaves open (reported as such)."
    ),
]
LEVEL_COLUMNS = ["nqf_level", "kind", "eqf_level", "status", "unsure", "candidates", "eu_uri", "eu_label", "note"]
LIST_COLUMNS = ["country", "framework", "name", "levels", "eqf_levels", "ref_year", "unsure_levels"]
COMPARE_COLUMNS = ["eqf_level", "left_country", "left_framework", "left", "right_country", "right_framework", "right"]


def list_command(fmt: FormatOption = OutputFormat.table) -> None:
    """List every framework: country, acronym, names, number of levels, EQF span, referencing year."""
    from skillmap.frameworks import load_frameworks

    registry = load_frameworks()
    rows = [_framework_row(fw) for fw in sorted(registry.all(), key=lambda f: f.country)]  # main framework first
    # The table keeps to what fits a terminal; JSON and CSV carry every field (native name, EU URI).
    emit(rows, fmt, columns=None if fmt != OutputFormat.table else LIST_COLUMNS, title=f"{len(rows)} frameworks")


def show_command(
    country: CountryArgument, framework: FrameworkOption = None, fmt: FormatOption = OutputFormat.table
) -> None:
    """Show one framework's levels with their EQF level, EU vocabulary concept, doubts and sources."""
    from skillmap.frameworks import load_frameworks

    registry = load_frameworks()
    chosen = registry.get(country, framework)
    if fmt == OutputFormat.json:
        emit(chosen, fmt)
    elif fmt == OutputFormat.csv:
        emit(_level_rows(chosen), fmt, columns=LEVEL_COLUMNS)
    else:
        _print_level_table(chosen)
        others = [fw.acronym for fw in registry.frameworks(chosen.country) if fw.acronym != chosen.acronym]
        if others:
            stdout_console().print(
                f"{chosen.country} also has: {', '.join(others)} (use --framework)", markup=False, highlight=False
            )


def compare_command(
    left: LeftArgument, right: RightArgument, left_framework: LeftFrameworkOption = None,
    right_framework: RightFrameworkOption = None, fmt: FormatOption = OutputFormat.table,
) -> None:  # fmt: skip
    """Compare two frameworks side by side through the EQF (several levels in one cell = many-to-one)."""
    from skillmap.frameworks import compare_frameworks

    comparison = compare_frameworks(left, right, left_framework=left_framework, right_framework=right_framework)
    if fmt != OutputFormat.table:
        emit(list(comparison.rows), fmt, columns=COMPARE_COLUMNS)
        return
    _print_comparison(comparison)


def level_command(
    country: LevelCountryArgument, text: LevelTextArgument, framework: LevelFrameworkOption = None,
    title: TitleOption = None, fmt: FormatOption = OutputFormat.table,
) -> None:  # fmt: skip
    """Resolve a level string to its national level and EQF level, with a status and the reason.

    Status is ok, ambiguous, not_referenced, unknown or missing.

    An unresolvable string is not an error (exit 0); an unknown country is (exit 2).
    """
    from skillmap.frameworks import resolve_level

    resolution = resolve_level(country, text, framework=framework, title=title)
    if fmt == OutputFormat.table:
        _print_resolution(resolution)
    else:
        emit(resolution, fmt)


def register(app: typer.Typer) -> None:
    """Add the ``frameworks`` command group and the ``level`` command to ``app``."""
    group = command_group(
        app, "frameworks", help="National qualification frameworks (NQFs) and their referencing to the EQF."
    )
    add_commands(group, {"list": list_command, "show": show_command, "compare": compare_command})
    app.command("level")(level_command)


def _print_comparison(comparison: FrameworkComparison) -> None:
    from rich.table import Table

    left_name = f"{comparison.left.country} {comparison.left.acronym}"
    right_name = f"{comparison.right.country} {comparison.right.acronym}"
    console = stdout_console()
    console.print(f"{left_name} ↔ {right_name} through the EQF", markup=False, highlight=False)
    table = Table(header_style="bold")
    table.add_column(left_name, justify="right")
    table.add_column("EQF", justify="center")
    table.add_column(right_name)
    for row in comparison.rows:
        eqf = "not referenced" if row["eqf_level"] is None else str(row["eqf_level"])
        table.add_row(", ".join(row["left"]) or "—", eqf, ", ".join(row["right"]) or "—")
    console.print(table)
    console.print("Several levels in one cell share that EQF level (many-to-one).", markup=False, highlight=False)
    for side, framework, others in (
        ("left", comparison.left, comparison.left_others),
        ("right", comparison.right, comparison.right_others),
    ):
        for acronym in others:
            console.print(
                f"{framework.country} also has {acronym} (--{side}-framework {acronym})", markup=False, highlight=False
            )
