"""CLI commands: ``skillmap registers import|list|remove``, ``skillmap lookup``, ``skillmap compare``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from skillmap.cli.common import (
    FormatOption,
    OutputFormat,
    command_group,
    emit,
    notice,
    open_index_with_notice,
    progress_bar,
    stderr_console,
    stdout_console,
)
from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    from skillmap.lookup import Comparison, Equivalent, LookupMatch, RegisterInfo

_INFO_COLUMNS = ["name", "format", "countries", "records", "source_file", "sha256"]
_MATCH_COLUMNS = ["rank", "score", "code", "title", "country", "eqf_level", "register", "why"]
_EQUIVALENT_COLUMNS = ["rank", "score", "code", "title", "country", "eqf_level", "level_relation", "evidence"]


def register(app: typer.Typer) -> None:
    """Add ``registers``, ``lookup`` and ``compare`` to ``app``."""
    registers = command_group(
        app,
        "registers",
        help="Import national qualification registers (RNCP XML, DfE list, CSV/XLSX, align outputs) for lookups.",
    )

    @registers.command("import")
    def import_command(
        path: Annotated[Path, typer.Argument(help="Register file: RNCP/RS XML flux, DfE CSV, CSV/XLSX, align output.")],
        country: Annotated[
            str | None,
            typer.Option(
                "--country",
                "-c",
                help="Country/region code of the register (FR, GB-ENG, DE…); optional for RNCP (FR), the DfE "
                "list (GB-ENG) and tables with a country column.",
            ),
        ] = None,
        register_format: Annotated[
            str | None,
            typer.Option("--format", help="rncp-xml, dfe, csv, xlsx or alignment (default: detected from the file)."),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option(
                "--name",
                help="Name of the register in the store (default: the file name without "
                "extension); importing the same name again replaces it.",
            ),
        ] = None,
        sheet: Annotated[
            str | None, typer.Option("--sheet", help="Sheet of an .xlsx register (name or 1-based number).")
        ] = None,
        skills: Annotated[
            bool,
            typer.Option(
                "--skills",
                help="Also match ESCO skills and occupations to each title and its learning outcomes, as `align` "
                "does (imported ESCO, or the bundled sample), so equivalents can compare skills.",
            ),
        ] = False,
    ) -> None:
        """Import a register into the local store; re-importing the same name replaces it, a failure changes nothing."""
        from skillmap.lookup import import_register

        index = None
        if skills:
            index = open_index_with_notice().index
        if index is None:
            with stderr_console().status(f"importing {path.name} …"):
                info = import_register(path, country=country, fmt=register_format, name=name, sheet=sheet)
        else:
            info = _import_with_progress(path, country, register_format, name, sheet, index)
        stderr_console().print(
            f"imported register [bold]{info.name}[/bold]: {info.records} qualifications "
            f"({', '.join(info.countries)}, {info.format})"
        )
        if info.skipped_rows:
            shown = ", ".join(str(n) for n in info.skipped_rows[:10]) + (" …" if len(info.skipped_rows) > 10 else "")
            notice(f"{len(info.skipped_rows)} row(s) left out for lack of a title or code (data rows {shown})")

    @registers.command("list")
    def list_command(fmt: FormatOption = OutputFormat.table) -> None:
        """List the imported registers: name, format, countries, number of records, source file."""
        from skillmap.lookup import IMPORT_HINT, list_registers

        infos = list_registers()
        if not infos and fmt == OutputFormat.table:
            notice(f"no register imported yet; {IMPORT_HINT}")
            return
        emit([_info_row(i) for i in infos], fmt, columns=_INFO_COLUMNS, title="Imported registers")

    @registers.command("remove")
    def remove_command(name: Annotated[str, typer.Argument(help="Name of the register to remove.")]) -> None:
        """Remove an imported register from the store."""
        from skillmap.lookup import remove_register

        info = remove_register(name)
        stderr_console().print(f"removed register {info.name} ({info.records} qualifications)")

    @app.command("lookup")
    def lookup_command(
        query: Annotated[
            str | None, typer.Argument(help="Qualification title as written on the certificate.", show_default=False)
        ] = None,
        country: Annotated[
            str | None,
            typer.Option("--country", "-c", help="Search the registers of this country only (default: all)."),
        ] = None,
        to: Annotated[
            str | None,
            typer.Option("--to", help="Also rank comparable qualifications in this country (equivalents)."),
        ] = None,
        top: Annotated[int, typer.Option("--top", "-n", min=1, max=100, help="Number of matches to show.")] = 5,
        batch: Annotated[
            Path | None,
            typer.Option("--batch", help="CSV/XLSX of titles to look up (column 'query' or --query-col); needs --out."),
        ] = None,
        query_col: Annotated[
            str | None, typer.Option("--query-col", help="Column of the --batch file that holds the titles.")
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help="Output file of a --batch run (.csv, or .json); written atomically."),
        ] = None,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        """Find a qualification by its title (case, accents, abbreviations, gender forms do not matter).

        Shows the best matches with score and why, then the chosen one's level and skills; with --to, the
        comparable qualifications of another country and the evidence for each.
        """
        if batch is not None:
            if query is not None or to is not None:
                raise SkillmapError("--batch takes its titles from the file; drop the TITLE argument and --to")
            if out is None:
                raise SkillmapError("--batch needs --out FILE (.csv or .json) for the results")
            _run_batch(batch, query_col, out, country, top)
            return
        if out is not None or query_col is not None:
            raise SkillmapError("--out and --query-col go with --batch TITLES.csv")
        if query is None or not query.strip():
            raise SkillmapError('give a title to look up, e.g. skillmap lookup "CAP ELECTRICIEN" --country FR')
        if to is not None:
            _run_equivalents(query, country, to, top, fmt)
            return
        from skillmap.lookup import lookup

        matches = lookup(query, country=country, top=top)
        _print_matches(query, matches, fmt)

    @app.command("compare")
    def compare_command(
        first: Annotated[str, typer.Argument(help="Code of the first qualification (REGISTER:CODE if ambiguous).")],
        second: Annotated[str, typer.Argument(help="Code of the second qualification.")],
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        """Compare two imported qualifications side by side: levels, shared and missing ESCO skills."""
        from skillmap.lookup import compare

        _print_comparison(compare(first, second), fmt)


def _import_with_progress(
    path: Path, country: str | None, register_format: str | None, name: str | None, sheet: str | None, index: Any
) -> RegisterInfo:
    from skillmap.lookup import import_register

    with progress_bar("matching ESCO skills") as progress:
        return import_register(
            path, country=country, fmt=register_format, name=name, sheet=sheet, skills_index=index, progress=progress
        )


# --- rendering ---------------------------------------------------------------------------------------------


def _info_row(info: RegisterInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "format": info.format,
        "countries": list(info.countries),
        "records": info.records,
        "source_file": info.source_file,
        "sha256": info.sha256[:12] if info.sha256 else "",
    }


def _match_rows(matches: list[LookupMatch]) -> list[dict[str, Any]]:
    return [{"rank": rank, **m.summary()} for rank, m in enumerate(matches, start=1)]


def _print_matches(query: str, matches: list[LookupMatch], fmt: OutputFormat) -> None:
    rows = _match_rows(matches)
    if fmt != OutputFormat.table:
        emit(rows, fmt, columns=[*_MATCH_COLUMNS, "nqf_level", "level_status", "matched_title"])
        return
    if not matches:
        notice(f"no qualification title shares a word with {query!r}")
        return
    emit(rows, fmt, columns=_MATCH_COLUMNS, title=f"Matches for {query!r}")
    _print_record(matches[0])


def _print_record(match: LookupMatch) -> None:
    record = match.record
    console = stdout_console()
    console.print(f"\n[bold]{record.code}[/bold] — {record.title} ({record.country}, register {record.register})")
    level = f"NQF level {record.nqf_level or '—'}, EQF level {record.eqf_level or '—'} ({record.level_status})"
    console.print(f"  level: {level}")
    reason = record.extra.get("level_reason")
    if reason:
        console.print(f"         {reason}", markup=False)
    for label, value in (("awarding body", record.awarding_body), ("status", record.status), ("url", record.url)):
        if value:
            console.print(f"  {label}: {value}", markup=False)
    if record.skills:
        shown = [label or uri for uri, label in zip(record.skills, record.skill_labels or record.skills, strict=False)]
        console.print(f"  ESCO skills ({len(shown)}): " + "; ".join(shown[:15]) + (" …" if len(shown) > 15 else ""))
    else:
        console.print("  ESCO skills: none in this register (import it with --skills, or import its `align` output)")
    blocks = [b for b in record.extra.get("competence_blocks", "").split(" | ") if b]
    if blocks:
        console.print(f"  competence blocks ({len(blocks)}):", markup=False)
        for block in blocks:
            console.print(f"    - {block}", markup=False)
    if record.occupations:
        labelled = zip(record.occupations, _pad(record), strict=True)
        pairs = [f"{label} ({code})" if label else code for code, label in labelled]
        console.print(f"  occupations: {'; '.join(pairs[:10])}", markup=False)


def _pad(record: Any) -> list[str]:
    labels = list(record.occupation_labels)
    return (labels + [""] * len(record.occupations))[: len(record.occupations)]


def _run_equivalents(query: str, country: str | None, to: str, top: int, fmt: OutputFormat) -> None:
    from skillmap.lookup import find_equivalents

    source, equivalents = find_equivalents(query, country=country, to_country=to, top=top)
    if fmt == OutputFormat.json:
        emit({"source": source.summary(), "equivalents": [e.summary() for e in equivalents]}, fmt)
        return
    rows = [_equivalent_row(rank, e) for rank, e in enumerate(equivalents, start=1)]
    if fmt == OutputFormat.csv:
        emit(rows, fmt, columns=[*_EQUIVALENT_COLUMNS, "shared_skills", "title_similarity", "thin_evidence"])
        return
    record = source.record
    stdout_console().print(
        f"[bold]{record.code}[/bold] — {record.title} ({record.country}, EQF {record.eqf_level or '—'}, "
        f"score {source.score:.3f}: {source.why})"
    )
    if not equivalents:
        notice(f"no qualification in {to} shares a level, a skill, an occupation or title words with {record.code}")
        return
    emit(rows, fmt, columns=_EQUIVALENT_COLUMNS, title=f"Comparable qualifications in {to.upper()}")
    if all(e.thin for e in equivalents):
        hint = (
            " Import `align` outputs of the registers to compare ESCO skills."
            if not record.skills or not any(e.record.skills for e in equivalents)
            else ""
        )
        notice(
            f"the evidence is thin: no candidate shares ESCO skills or occupations with {record.code} and no title "
            f"is close; the ranking rests on the EQF level. Compare the learning outcomes before deciding.{hint}"
        )


def _equivalent_row(rank: int, equivalent: Equivalent) -> dict[str, Any]:
    return {"rank": rank, **equivalent.summary(), "evidence": list(equivalent.evidence)}


def _print_comparison(comparison: Comparison, fmt: OutputFormat) -> None:
    first, second = comparison.first, comparison.second
    payload = {
        "first": {"code": first.code, "title": first.title, "country": first.country, "eqf_level": first.eqf_level,
                  "nqf_level": first.nqf_level, "level_status": first.level_status},
        "second": {"code": second.code, "title": second.title, "country": second.country,
                   "eqf_level": second.eqf_level, "nqf_level": second.nqf_level, "level_status": second.level_status},
        "level_relation": comparison.level_relation,
        "title_similarity": round(comparison.title_similarity, 4),
        "shared_skills": [{"uri": u, "label": lab} for u, lab in comparison.shared_skills],
        "only_first": [{"uri": u, "label": lab} for u, lab in comparison.only_first],
        "only_second": [{"uri": u, "label": lab} for u, lab in comparison.only_second],
        "shared_occupations": [{"uri": u, "label": lab} for u, lab in comparison.shared_occupations],
        "notes": list(comparison.notes),
    }  # fmt: skip
    if fmt == OutputFormat.json:
        emit(payload, fmt)
        return
    rows = [
        {"": "code", "first": first.code, "second": second.code},
        {"": "title", "first": first.title, "second": second.title},
        {"": "country", "first": first.country, "second": second.country},
        {"": "NQF level", "first": first.nqf_level, "second": second.nqf_level},
        {"": "EQF level", "first": first.eqf_level, "second": second.eqf_level},
        {"": "level status", "first": first.level_status, "second": second.level_status},
        {"": "ESCO skills", "first": len(first.skills), "second": len(second.skills)},
        {"": "shared skills", "first": len(comparison.shared_skills), "second": len(comparison.shared_skills)},
        {"": "only here", "first": _labels(comparison.only_first), "second": _labels(comparison.only_second)},
        {"": "shared occupations", "first": _labels(comparison.shared_occupations), "second": ""},
    ]
    emit(rows, fmt, columns=["", "first", "second"], title=f"{first.code} vs {second.code}")
    if fmt == OutputFormat.table:
        console = stdout_console()
        relation = comparison.level_relation
        console.print(
            f"level: {second.code} is {'at the same EQF level as' if relation == 'same' else relation}"
            f"{'' if relation in ('same', 'unknown') else ' than'} {first.code}; "
            f"title similarity {comparison.title_similarity:.2f}"
        )
        if comparison.shared_skills:
            console.print("shared skills: " + "; ".join(lab or u for u, lab in comparison.shared_skills), markup=False)
        for note in comparison.notes:
            notice(note)


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    shown = [label or uri for uri, label in pairs]
    return "; ".join(shown[:10]) + (f" … (+{len(shown) - 10})" if len(shown) > 10 else "")


# --- batch -------------------------------------------------------------------------------------------------


def _run_batch(batch: Path, query_col: str | None, out: Path, country: str | None, top: int) -> None:
    from skillmap.lookup import batch_lookup

    with progress_bar("looking up titles") as progress:
        summary = batch_lookup(batch, out, query_col=query_col, country=country, top=top, progress=progress)
    stderr_console().print(
        f"looked up {summary['queries']} titles: {summary['matched']} matched, "
        f"{summary['unmatched']} without a match → {out}"
    )
