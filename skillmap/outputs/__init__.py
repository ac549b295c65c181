"""Reports of an alignment run, and the Europass export.

:func:`render` turns an :class:`~skillmap.align.AlignRun` into the bytes of one report (format by the target's
extension, or a format name); :func:`write_all` renders every report first, then writes each atomically, so a
failure leaves no report half-written and none written from a half-finished set. The writers are
``tables.py`` (csv/json/md), ``xlsx.py`` and ``html.py``; ``europass`` is the Europass/ELM export.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.errors import SkillmapError
from skillmap.outputs.limits import ReportTooLarge

if TYPE_CHECKING:
    from skillmap.align import AlignRun

REPORT_FORMATS = (".xlsx", ".csv", ".json", ".md", ".html")

__all__ = ["REPORT_FORMATS", "ReportTooLarge", "WrittenReports", "check_targets", "render", "write_all"]


@dataclass(frozen=True, slots=True)
class WrittenReports:
    """What :func:`write_all` did: the files written, and the targets left out with the reason."""

    written: tuple[Path, ...]
    skipped: tuple[tuple[Path, str], ...] = ()


def _report_format(target: str | os.PathLike[str]) -> str:
    """``.csv`` for ``report.csv``, ``csv`` or ``.csv``."""
    text = os.fspath(target)
    if f".{text.lower()}" in REPORT_FORMATS:
        return f".{text.lower()}"
    return Path(text).suffix.lower() or text.lower()


def render(run: AlignRun, target: str | os.PathLike[str], *, full_table: str | None = None) -> bytes:
    """The bytes of one report of ``run``: ``target`` is a file name (its extension picks the format) or a format
    name (``xlsx``, ``csv``, ``json``, ``md``, ``html``). Identical runs give identical bytes.

    ``full_table`` (html only) is a link, relative to the page, to a table holding every row: a page for a large
    register lists only the rows to review."""
    report_format = _report_format(target)
    if report_format not in REPORT_FORMATS:
        raise SkillmapError(
            f"{target}: unknown format {Path(os.fspath(target)).suffix or '(no extension)'}; use one of "
            f"{', '.join(REPORT_FORMATS)}",
            hint="out",
        )
    from skillmap.outputs import tables

    headers = run.table.headers
    code_column = run.columns.code
    suggested = run.suggest_levels
    if report_format == ".csv":
        return tables.render_csv(run.alignments, headers, suggested=suggested).encode("utf-8")
    if report_format == ".json":
        return tables.render_json(run.alignments, headers, suggested=suggested).encode("utf-8")
    if report_format == ".md":
        return tables.render_markdown(run.alignments, code_column=code_column, title=run.report_title).encode("utf-8")
    if report_format == ".html":
        from skillmap.outputs.html import render_html

        html = render_html(
            run.alignments, code_column=code_column, title=run.report_title, facts=run.facts, full_table=full_table
        )
        return html.encode("utf-8")
    from skillmap.outputs.xlsx import render_xlsx

    return render_xlsx(
        run.alignments,
        headers,
        code_column=code_column,
        title_column=run.title_column,
        facts=run.facts,
        title=run.report_title,
        suggested=suggested,
    )


def check_targets(targets: Sequence[str | os.PathLike[str]], *, source: str | os.PathLike[str] | None = None) -> None:
    """Refuse report targets that cannot be written before any work: an unknown format, the input file itself
    (``source``), the same file twice, a folder."""
    seen: set[Path] = set()
    source_path = Path(source).resolve() if source is not None and Path(source).exists() else None
    for target in map(Path, targets):
        if target.suffix.lower() not in REPORT_FORMATS:
            raise SkillmapError(
                f"{target}: unknown format {target.suffix or '(no extension)'}; use one of {', '.join(REPORT_FORMATS)}",
                hint="out",
            )
        resolved = target.resolve()
        if resolved == source_path:
            raise SkillmapError(f"{target} is the input file; the input is never overwritten: choose another")
        if resolved in seen:
            raise SkillmapError(f"{target} is given twice as a report")
        if target.is_dir():
            raise SkillmapError(f"{target} is a folder; give a file name such as {target / 'report.xlsx'}")
        seen.add(resolved)


def write_all(run: AlignRun, targets: Sequence[str | os.PathLike[str]]) -> WrittenReports:
    """Render every report of ``run`` named in ``targets``, then write each atomically.

    Everything is rendered before the first file is written, so an error in one format writes none, except
    :class:`ReportTooLarge`: a format that cannot hold the table (xlsx) is left out and listed in ``skipped``
    while the others are written.
    """
    from skillmap.fileio import atomic_write_bytes

    check_targets(targets, source=run.table.path)
    rendered: list[tuple[Path, bytes]] = []
    skipped: list[tuple[Path, str]] = []
    for target in targets:
        try:
            rendered.append((Path(target), render(run, target, full_table=_full_table_link(target, targets))))
        except ReportTooLarge as exc:
            skipped.append((Path(target), exc.message))
    for path, data in rendered:
        atomic_write_bytes(path, data)
    return WrittenReports(written=tuple(path for path, _ in rendered), skipped=tuple(skipped))


def _full_table_link(page: str | os.PathLike[str], targets: Sequence[str | os.PathLike[str]]) -> str | None:
    """For an html target: the first csv (else xlsx) target, relative to the page's folder."""
    if _report_format(page) != ".html":
        return None
    for wanted in (".csv", ".xlsx"):
        for target in targets:
            if _report_format(target) == wanted:
                relative = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
                return Path(relative).as_posix()
    return None
