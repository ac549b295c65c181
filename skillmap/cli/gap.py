"""CLI command ``skillmap gap``: what evidence covers of an occupation's, a qualification's or a list's skills."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from skillmap.cli.common import emit, notice
from skillmap.cli.options import FormatOption, LangOption, OutputFormat, TopOption
from skillmap.errors import SkillmapError

SKILL_COLUMNS = ("status", "score", "relation", "label", "statement")
CSV_COLUMNS = ("uri", "label", "relation", "status", "score", "statement", "collections")


def _option(name: str, help_text: str, kind: type = str):
    return Annotated[kind | None, typer.Option(name, help=help_text, show_default=False)]


TextOption = _option("--text", "Evidence as free text: what the person can do (split into statements).")
FileOption = _option("--file", "Evidence file: UTF-8 text, one statement per line (a CV-like list).", Path)
CodeOption = _option("--code", "Evidence: the code of a qualification in the imported registers.")
OccupationOption = _option("--occupation", "Target: an ESCO occupation URI or title (its essential/optional skills).")
QualificationOption = _option("--qualification", "Target: the code of a qualification in the imported registers.")
SkillsOption = _option("--skills", "Target: ESCO skill URIs, comma-separated.")
HtmlOption = _option("--html", "Also write the gap as a self-contained html page to this file.", Path)
PickOption = _option("--pick", "When the occupation title names several occupations: take candidate N (1-based).", int)


def gap_command(
    text: TextOption = None,
    file: FileOption = None,
    code: CodeOption = None,
    occupation: OccupationOption = None,
    qualification: QualificationOption = None,
    skills: SkillsOption = None,
    pick: PickOption = None,
    lang: LangOption = None,
    top: TopOption = 5,
    html: HtmlOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Compare evidence with a target's skills: covered, partly covered (a suggestion to check) and missing skills,
    the evidence statement and score of each, essential/optional coverage shares, and the registered
    qualifications (--top) that carry most of the missing skills."""
    from skillmap.gap_analysis import gap

    result = gap(
        text=text, file=file, code=code, occupation=occupation, qualification=qualification,
        skills=skills, pick=pick, lang=lang, top=top,
    )  # fmt: skip
    for line in result.notes:
        notice(line)
    if html is not None:
        _write_html(result, html)
    records = [{**asdict(s), "collections": list(s.collections)} for s in result.skills]
    if fmt == OutputFormat.json:
        payload = {
            **result.summary(),
            "evidence": list(result.evidence),
            "skills": records,
            "qualifications": [asdict(q) for q in result.qualifications],
        }
        emit(payload, fmt)
        return
    if fmt == OutputFormat.csv:
        emit(records, fmt, columns=list(CSV_COLUMNS))
        return
    summary = [{"field": k, "value": v} for k, v in result.summary().items()]
    emit(summary, fmt, columns=["field", "value"], title="Gap (partly covered: a suggestion to check)")
    emit(records, fmt, columns=list(SKILL_COLUMNS), title=f"Skills of {result.target}")
    if result.qualifications:
        emit([asdict(q) for q in result.qualifications], fmt, columns=["code", "title", "country", "covers"],
             title="Registered qualifications carrying the missing skills")  # fmt: skip


def _write_html(result, path: Path) -> None:
    from skillmap.fileio import atomic_write_text
    from skillmap.outputs.gap_html import render_gap_html

    try:
        atomic_write_text(path, render_gap_html(result))
    except OSError as exc:
        raise SkillmapError(f"cannot write {path}: {exc.strerror or exc}", hint="html") from exc
    notice(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add ``gap`` to ``app``."""
    app.command("gap")(gap_command)
