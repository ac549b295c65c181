"""CLI commands: ``skillmap registers import|list|remove``, ``skillmap lookup``, ``skillmap compare``,
``skillmap evaluate-lookup``.

Each command parses its options, calls one function of :mod:`skillmap.registers` and renders the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from skillmap.cli.align import CodeColOption, CountryColOption, LevelColOption, TextColOption, TitleColOption
from skillmap.cli.common import (
    command_group,
    emit,
    last_segment,
    notice,
    progress_bar,
    stderr_console,
    stdout_console,
)
from skillmap.cli.options import (
    CountryOption,
    EncodingOption,
    FormatOption,
    InputFormatOption,
    MethodOption,
    OutOption,
    OutputFormat,
    TopOption,
)
from skillmap.errors import SkillmapError
from skillmap.model import LIST_SEPARATOR
from skillmap.sources.registers import REGISTER_FORMATS

if TYPE_CHECKING:
    from skillmap.model import RegisterRecord
    from skillmap.registers import Comparison, Equivalent, LookupMatch, RegisterInfo

_INFO_COLUMNS = ["name", "format", "countries", "records", "source_file", "sha256"]
_MATCH_COLUMNS = ["rank", "score", "code", "title", "country", "eqf_level", "register", "why"]
_EQUIVALENT_COLUMNS = ["rank", "score", "code", "title", "country", "eqf_level", "level_relation", "evidence"]
_SKIPPED_SHOWN = 10  # row numbers listed in the import summary


RegisterPathArgument = Annotated[
    Path, typer.Argument(help="Register file: RNCP/RS XML flux, DfE CSV, CSV/XLSX, align output.", show_default=False)
]
ImportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Output of the import summary: table (a line on stderr), json or csv.",
        case_sensitive=False,
    ),
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        help="Name of the register in the store (default: the file name without extension); importing the same "
        "name again replaces it.",
        show_default=False,
    ),
]
SheetOption = Annotated[
    str | None, typer.Option("--sheet", help="Sheet of an .xlsx register (name or 1-based number).", show_default=False)
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        "--report",
        help="Write what merging duplicate codes did to this .json file: counts, and each code with conflicting "
        "rows (the row kept, the rows left out, the columns that differ).",
        show_default=False,
    ),
]
IncludeInactiveOption = Annotated[
    bool,
    typer.Option(
        "--include-inactive/--active-only",
        help="Show inactive records (ranked below active ones, each saying what replaced it), or leave them out.",
    ),
]
GoldLookupArgument = Annotated[
    Path,
    typer.Argument(
        help="Gold CSV: a 'query' column and 'acceptable_codes' (codes separated by | or spaces).",
        show_default=False,
    ),
]
SkillsOption = Annotated[
    bool,
    typer.Option(
        "--skills",
        help="Also match ESCO skills and occupations to each title and its learning outcomes, as `align` does "
        "(imported ESCO, or the bundled sample), so equivalents can compare skills.",
    ),
]
QueryArgument = Annotated[
    str | None, typer.Argument(help="Qualification title as written on the certificate.", show_default=False)
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", help="Also rank comparable qualifications in this country (equivalents).", show_default=False),
]
BatchOption = Annotated[
    Path | None,
    typer.Option(
        "--batch",
        help="CSV/XLSX of titles to look up (column 'query' or --query-col); needs --out.",
        show_default=False,
    ),
]
QueryColOption = Annotated[
    str | None,
    typer.Option("--query-col", help="Column of the --batch file that holds the titles.", show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add ``registers``, ``lookup`` and ``compare`` to ``app``."""
    registers = command_group(
        app,
        "registers",
        help="Import national qualification registers (RNCP XML, DfE list, CSV/XLSX, align outputs) for lookups.",
    )
    registers.command("import")(registers_import)
    registers.command("list")(registers_list)
    registers.command("remove")(registers_remove)
    app.command("lookup")(lookup_command)
    app.command("evaluate-lookup")(evaluate_lookup_command)
    app.command("compare")(compare_command)


# --- registers import | list | remove ------------------------------------------------------------------------


def registers_import(
    path: RegisterPathArgument,
    country: CountryOption = None,
    input_format: InputFormatOption = None,
    name: NameOption = None,
    sheet: SheetOption = None,
    encoding: EncodingOption = None,
    skills: SkillsOption = False,
    method: MethodOption = None,
    report: ReportOption = None,
    title_col: TitleColOption = None,
    level_col: LevelColOption = None,
    code_col: CodeColOption = None,
    text_col: TextColOption = None,
    country_col: CountryColOption = None,
    fmt: ImportFormatOption = "table",
) -> None:
    """Import a register into the local store; re-importing the same name replaces it, a failure changes nothing.

    Duplicate codes are merged (identical rows silently; otherwise one row per code: active first, then the most
    recent) and counted in a note; rows without a title or code are listed and skipped.
    """
    from skillmap.registers import import_register

    output, input_format = _output_and_input_format(fmt, input_format)
    options = {
        "country": country, "input_format": input_format, "name": name, "sheet": sheet, "report": report,
        "title_col": title_col, "level_col": level_col, "code_col": code_col, "text_col": text_col,
        "country_col": country_col, "encoding": encoding, "method": method,
    }  # fmt: skip
    if skills:
        with progress_bar("matching ESCO skills") as progress:
            info = import_register(path, skills=True, progress=progress, **options)
    else:
        with stderr_console().status(Text(f"importing {path.name} …")):
            info = import_register(path, **options)
    _print_import_summary(info, output)


def _output_and_input_format(fmt: str, input_format: str | None) -> tuple[OutputFormat, str | None]:
    """Split ``--format``: an output format, or (deprecated) a register kind, which then stands for --input-format."""
    value = fmt.strip().lower()
    if value in OutputFormat.__members__:
        return OutputFormat(value), input_format
    if value in REGISTER_FORMATS:  # `--format` named the register kind before `--input-format` existed
        notice(f"`--format {value}` is deprecated for the register kind: use `--input-format {value}`")
        return OutputFormat.table, input_format or value
    if input_format is None:  # neither an output nor a known kind: the library names the kinds it reads
        return OutputFormat.table, value
    raise SkillmapError(f"--format {fmt!r}: use table, json or csv (the register kind goes in --input-format)")


def _print_import_summary(info: RegisterInfo, output: OutputFormat) -> None:
    for text in info.notes:
        notice(text)
    if output != OutputFormat.table:
        emit({**_info_row(info), "skipped_rows": list(info.skipped_rows), "notes": list(info.notes)}, output)
        return
    stderr_console().print(
        Text.assemble(
            "imported register ",
            (info.name, "bold"),
            f": {info.records:,} qualifications ({', '.join(info.countries)}, {info.format})",
        )
    )
    if info.skipped_rows:
        shown = ", ".join(str(n) for n in info.skipped_rows[:_SKIPPED_SHOWN])
        more = " …" if len(info.skipped_rows) > _SKIPPED_SHOWN else ""
        notice(f"{len(info.skipped_rows):,} row(s) left out for lack of a title or code (data rows {shown}{more})")


def registers_list(fmt: FormatOption = OutputFormat.table) -> None:
    """List the imported registers: name, format, countries, number of records, source file."""
    from skillmap.registers import IMPORT_HINT, list_registers

    infos = list_registers()
    if not infos and fmt == OutputFormat.table:
        notice(f"no register imported yet; {IMPORT_HINT}")
        return
    emit(
        [_info_row(i) for i in infos],
        fmt,
        columns=_INFO_COLUMNS,
        title="Imported registers",
        droppable=["sha256", "source_file"],
    )


def registers_remove(name: Annotated[str, typer.Argument(help="Name of the register to remove.")]) -> None:
    """Remove an imported register from the store."""
    from skillmap.registers import remove_register

    info = remove_register(name)
    stderr_console().print(f"removed register {info.name} ({info.records:,} qualifications)")


def _info_row(info: RegisterInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "format": info.format,
        "countries": list(info.countries),
        "records": info.records,
        "source_file": info.source_file,
        "sha256": info.sha256[:12] if info.sha256 else "",
    }


# --- lookup ------------------------------------------------------------------------------------------------------


def lookup_command(
    query: QueryArgument = None,
    country: CountryOption = None,
    to: ToOption = None,
    top: TopOption = 5,
    batch: BatchOption = None,
    query_col: QueryColOption = None,
    out: OutOption = None,
    include_inactive: IncludeInactiveOption = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Find a qualification by its title (case, accents, abbreviations, gender forms do not matter).

    Shows the best matches with score and why, then the chosen one's level and skills; with --to, the
    comparable qualifications of another country and the evidence for each; with --batch, a file of titles.
    """
    if batch is not None:
        if query is not None or to is not None:
            raise SkillmapError("--batch takes its titles from the file; drop the TITLE argument and --to")
        if out is None:
            raise SkillmapError("--batch needs --out FILE (.csv or .json) for the results")
        _lookup_batch(batch, out=out, query_col=query_col, country=country, top=top, include_inactive=include_inactive)
    elif out is not None or query_col is not None:
        raise SkillmapError("--out and --query-col go with --batch TITLES.csv")
    elif query is None or not query.strip():
        raise SkillmapError('give a title to look up, e.g. skillmap lookup "CAP ELECTRICIEN" --country FR')
    elif to is not None:
        _lookup_equivalents(query, country=country, to=to, top=top, fmt=fmt)
    else:
        from skillmap.registers import lookup
        from skillmap.registers.search import foreign_type_note

        matches = lookup(query, country=country, top=top, include_inactive=include_inactive)
        weak = not matches or matches[0].weak
        foreign = foreign_type_note(query, country=country) if weak and fmt == OutputFormat.table else ""
        _print_matches(query, matches, fmt, foreign)


def _lookup_batch(
    batch: Path, *, out: Path, query_col: str | None, country: str | None, top: int, include_inactive: bool
) -> None:
    from skillmap.registers import batch_lookup

    with progress_bar("looking up titles", counts=True, unit="titles") as progress:
        summary = batch_lookup(
            batch, out=out, query_col=query_col, country=country, top=top, include_inactive=include_inactive,
            progress=progress,
        )  # fmt: skip
    stderr_console().print(
        f"looked up {summary['queries']:,} titles: {summary['matched']:,} matched, "
        f"{summary['unmatched']:,} without a match → {out}",
        markup=False,
    )


def _print_matches(query: str, matches: list[LookupMatch], fmt: OutputFormat, foreign: str = "") -> None:
    rows = [{"rank": rank, **m.summary()} for rank, m in enumerate(matches, start=1)]
    if fmt != OutputFormat.table:
        emit(rows, fmt, columns=[*_MATCH_COLUMNS, "nqf_level", "level_status", "matched_title", "weak"])
        return
    if not matches or matches[0].weak:
        if not matches:
            notice(f"no match: no qualification title shares a word with {query!r}")
        else:
            closest = "; ".join(f"{m.record.title} ({m.record.code}, {m.score:.2f})" for m in matches[:3])
            stdout_console().print(f"no confident match for {query!r}; closest titles: {closest}", markup=False)
        if foreign:
            notice(foreign)
        return
    emit(rows, fmt, columns=_MATCH_COLUMNS, title=f"Matches for {query!r}", droppable=["register", "why"])
    _print_record(matches[0].record)


def _print_record(record: RegisterRecord) -> None:
    console = stdout_console()
    line = f"\n{record.code} — {record.title} ({record.country}, register {record.register})"
    console.print(line, markup=False, style="bold")
    level = f"NQF level {record.nqf_level or '—'}, EQF level {record.eqf_level or '—'} ({record.level_status})"
    console.print(f"  level: {level}", markup=False)
    reason = record.extra.get("level_reason")
    if reason:
        console.print(f"         {reason}", markup=False)
    for label, value in (("awarding body", record.awarding_body), ("status", record.status), ("url", record.url)):
        if value:
            console.print(f"  {label}: {value}", markup=False)
    if record.skills:
        shown = [label or uri for uri, label in zip(record.skills, record.skill_labels or record.skills, strict=False)]
        more = " …" if len(shown) > 15 else ""
        console.print(f"  ESCO skills ({len(shown)}): " + "; ".join(shown[:15]) + more, markup=False)
    else:
        from skillmap.registers.skills import missing_skills_note

        note = (
            missing_skills_note(record)
            or "none in this register (import it with --skills, or import its `align` output)"
        )
        console.print(f"  ESCO skills: {note}", markup=False)
    blocks = [b for b in record.extra.get("competence_blocks", "").split(LIST_SEPARATOR) if b]
    if blocks:
        console.print(f"  competence blocks ({len(blocks)}):", markup=False)
        for block in blocks:
            console.print(f"    - {block}", markup=False)
    if record.occupations:
        labels = (list(record.occupation_labels) + [""] * len(record.occupations))[: len(record.occupations)]
        pairs = [label or last_segment(uri) for uri, label in zip(record.occupations, labels, strict=True)]
        console.print(f"  occupations: {'; '.join(pairs[:10])}", markup=False)


def _lookup_equivalents(query: str, *, country: str | None, to: str, top: int, fmt: OutputFormat) -> None:
    from skillmap.registers import find_equivalents

    source, equivalents = find_equivalents(query, country=country, to_country=to, top=top)
    if fmt == OutputFormat.json:
        emit({"source": source.summary(), "equivalents": [e.summary() for e in equivalents]}, fmt)
        return
    rows = [{"rank": rank, **e.summary()} for rank, e in enumerate(equivalents, start=1)]
    if fmt == OutputFormat.csv:
        columns = [*_EQUIVALENT_COLUMNS, "shared_skills", "title_similarity", "thin_evidence", "evidence_strength"]
        emit(rows, fmt, columns=columns)
        return
    record = source.record
    stdout_console().print(
        f"{record.code} — {record.title} ({record.country}, EQF {record.eqf_level or '—'}, "
        f"score {source.score:.3f}: {source.why})",
        markup=False,
    )
    if not equivalents:
        notice(f"no qualification in {to} other than {record.code} to compare with")
        return
    emit(
        rows,
        fmt,
        columns=_EQUIVALENT_COLUMNS,
        title=f"Comparable qualifications in {to.upper()}",
        droppable=["level_relation", "evidence"],
        divider=_thin_divider(equivalents),
    )
    if len(equivalents) < top:
        notice(f"{len(equivalents):,} of the {top:,} asked: {to} holds no other qualification to compare with")
    if all(e.thin for e in equivalents):
        _explain_thin_evidence(record, equivalents)


def _thin_divider(equivalents: list[Equivalent]) -> tuple[int, str, str] | None:
    """Where the thin-evidence candidates start, as a table divider; None when there are none (or only those)."""
    first = next((n for n, e in enumerate(equivalents) if e.thin), None)
    if first is None:
        return None
    same_only = all(e.level_relation == "same" for e in equivalents[first:])
    kind = "same level only" if same_only else "no shared skill, occupation or close title"
    return first, "title", f"— thin evidence below: {kind} —"


def _explain_thin_evidence(record: RegisterRecord, equivalents: list[Equivalent]) -> None:
    hint = (
        " Import `align` outputs of the registers to compare ESCO skills."
        if not record.skills or not any(e.record.skills for e in equivalents)
        else ""
    )
    notice(
        f"the evidence is thin: no candidate shares ESCO skills or occupations with {record.code} and no title "
        f"is close; the ranking rests on {'the EQF level' if record.eqf_level else 'a few title words'}. Compare the "
        f"learning outcomes before deciding.{hint}"
    )


# --- compare -----------------------------------------------------------------------------------------------------


def compare_command(
    first: Annotated[str, typer.Argument(help="Code of the first qualification (REGISTER:CODE if ambiguous).")],
    second: Annotated[str, typer.Argument(help="Code of the second qualification.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compare two imported qualifications side by side: levels, shared and missing ESCO skills."""
    from skillmap.registers import compare

    comparison = compare(first, second)
    if fmt == OutputFormat.json:
        emit(_comparison_payload(comparison), fmt)
        return
    emit(_comparison_rows(comparison), fmt, columns=["", "first", "second"], title=_versus(comparison))
    if fmt == OutputFormat.table:
        _print_comparison_notes(comparison)


def _versus(comparison: Comparison) -> str:
    return f"{comparison.first.code} vs {comparison.second.code}"


def _level_fields(record: RegisterRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "title": record.title,
        "country": record.country,
        "eqf_level": record.eqf_level,
        "nqf_level": record.nqf_level,
        "level_status": record.level_status,
    }


def _comparison_payload(comparison: Comparison) -> dict[str, Any]:
    def concepts(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
        return [{"uri": uri, "label": label} for uri, label in pairs]

    return {
        "first": _level_fields(comparison.first),
        "second": _level_fields(comparison.second),
        "level_relation": comparison.level_relation,
        "title_similarity": round(comparison.title_similarity, 4),
        "shared_skills": concepts(comparison.shared_skills),
        "only_first": concepts(comparison.only_first),
        "only_second": concepts(comparison.only_second),
        "shared_occupations": concepts(comparison.shared_occupations),
        "notes": list(comparison.notes),
    }


def _comparison_rows(comparison: Comparison) -> list[dict[str, Any]]:
    first, second = comparison.first, comparison.second
    shared = len(comparison.shared_skills)
    return [
        {"": "code", "first": first.code, "second": second.code},
        {"": "title", "first": first.title, "second": second.title},
        {"": "country", "first": first.country, "second": second.country},
        {"": "NQF level", "first": first.nqf_level, "second": second.nqf_level},
        {"": "EQF level", "first": first.eqf_level, "second": second.eqf_level},
        {"": "level status", "first": first.level_status, "second": second.level_status},
        {"": "ESCO skills", "first": len(first.skills), "second": len(second.skills)},
        {"": "shared skills", "first": shared, "second": shared},
        {"": "only here", "first": _labels(comparison.only_first), "second": _labels(comparison.only_second)},
        {"": "shared occupations", "first": _labels(comparison.shared_occupations), "second": ""},
    ]


def _print_comparison_notes(comparison: Comparison) -> None:
    first, second = comparison.first, comparison.second
    relation = comparison.level_relation
    stdout_console().print(
        f"level: {second.code} is {'at the same EQF level as' if relation == 'same' else relation}"
        f"{'' if relation in ('same', 'unknown') else ' than'} {first.code}; "
        f"title similarity {comparison.title_similarity:.2f}",
        markup=False,
    )
    if comparison.shared_skills:
        shared = "; ".join(label or uri for uri, label in comparison.shared_skills)
        stdout_console().print(f"shared skills: {shared}", markup=False)
    for note in comparison.notes:
        notice(note)


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    shown = [label or uri for uri, label in pairs]
    return "; ".join(shown[:10]) + (f" … (+{len(shown) - 10})" if len(shown) > 10 else "")


# --- evaluate-lookup ---------------------------------------------------------------------------------------------


def evaluate_lookup_command(
    gold: GoldLookupArgument,
    country: CountryOption = None,
    include_inactive: IncludeInactiveOption = True,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Measure lookup on a gold file of messy titles: n, top-1, top-5, MRR and seconds, then the misses."""
    from skillmap.registers import evaluate_lookup

    with progress_bar("looking up titles", counts=True, unit="titles") as progress:
        result = evaluate_lookup(gold, country=country, include_inactive=include_inactive, progress=progress)
    if fmt != OutputFormat.table:
        emit(result.to_dict(), fmt)
        return
    figures = {k: v for k, v in result.to_dict().items() if k != "misses"}
    emit(figures, fmt, title="Lookup evaluation")
    misses = [
        {"query": m.query, "rank": m.rank or "—", "expected": m.expected, "found": f"{m.found_code} {m.found_title}"}
        for m in result.misses
    ]
    if misses:
        emit(misses, fmt, columns=["query", "rank", "expected", "found"], title=f"Misses ({len(misses):,})")
