"""The import job: read a register file, check it, optionally match ESCO skills, store it in one transaction."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import ProgressCallback, RegisterRecord
from skillmap.registers.results import RegisterInfo
from skillmap.registers.skills import match_register_skills
from skillmap.registers.store import open_store

_REGISTER_NAME = re.compile(r"[\w.\-]+")


def import_register(
    path: str | Path,
    *,
    country: str | None = None,
    skills: bool = False,
    input_format: str | None = None,
    name: str | None = None,
    sheet: str | None = None,
    report: str | Path | None = None,
    title_col: str | None = None,
    level_col: str | None = None,
    code_col: str | None = None,
    text_col: Sequence[str] | None = None,
    country_col: str | None = None,
    encoding: str | None = None,
    method: str | None = None,
    index: Any = None,
    store_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> RegisterInfo:
    """Read a register file and store it (replacing an earlier import with the same name) in one transaction.

    ``input_format`` is the register kind (see :data:`skillmap.sources.registers.REGISTER_FORMATS`; detected when
    omitted). The file is read and checked completely before the store is touched, so bad input leaves it unchanged.
    With ``skills``, records without ESCO skills get them matched first against ``index`` (default: the live concept
    index, or the bundled sample, which the result's ``notes`` then mention) with the matching ``method``
    (``lexical``, ``semantic`` or ``hybrid``; default: hybrid when the index has its semantic matrix, else lexical,
    as for ``align``); ``progress`` reports that step. Duplicate codes of the RNCP CSV export are merged by its
    rule; the result's ``notes`` say how many, and ``report`` (a .json file, written atomically) lists every merged
    code and each code with conflicting rows (the row kept, the rows left out, the columns that differ). The
    ``*_col`` keywords name a sheet's columns where detection would pick wrongly (as for ``align``).
    """
    from skillmap.sources.registers import DuplicateReport, default_register_name, detect_format, read_register

    path = Path(path)
    if not path.is_file():
        raise SkillmapError(f"register file not found: {path}")
    input_format = input_format or detect_format(path)
    name = name or default_register_name(path)
    if not _REGISTER_NAME.fullmatch(name):
        raise SkillmapError(f"register name {name!r} may only hold letters, digits, '.', '-' and '_'", hint="name")
    if report is not None and Path(report).suffix.lower() != ".json":
        raise SkillmapError(f"{Path(report).name}: the duplicates report is a .json file", hint="report")
    skipped: list[int] = []
    duplicates = DuplicateReport()
    records = read_register(
        path,
        country=country,
        fmt=input_format,
        name=name,
        sheet=sheet,
        encoding=encoding,
        skipped=skipped,
        duplicates=duplicates,
        columns={"title": title_col, "level": level_col, "code": code_col, "text": text_col, "country": country_col},
    )
    _check_unique_codes(records, path)
    notes = [duplicates.note()] if duplicates.note() else []
    if skills or index is not None:
        if index is None:
            index, notice = _live_index()
            notes.extend([notice] if notice else [])
        if hasattr(index, "resolve_method"):
            method = index.resolve_method(method, notes)
        records = match_register_skills(records, index=index, method=method, progress=progress, notes=notes)
    elif method is not None:
        raise SkillmapError("a matching method goes with matching ESCO skills at import", hint="skills")
    info = _store_records(store_path, name, input_format, path, records)
    if report is not None:
        _write_duplicates_report(Path(report), duplicates)
    return replace(info, skipped_rows=tuple(skipped), notes=tuple(notes))


def _store_records(
    store_path: str | Path | None, name: str, input_format: str, path: Path, records: Sequence[RegisterRecord]
) -> RegisterInfo:
    """Store the records in one transaction; a first import that fails (a full disk) leaves no store file behind."""
    from skillmap.store import registers_db_path

    target = Path(store_path) if store_path is not None else registers_db_path(create=True)
    existed = target.exists()
    try:
        with open_store(target, create=True) as store:
            return store.replace_register(name, input_format, path, records, sha256=file_sha256(path))
    except BaseException:
        if not existed:
            for leftover in (target, target.with_name(target.name + "-journal")):
                leftover.unlink(missing_ok=True)
        else:
            _roll_back_now(target)
        raise


def _roll_back_now(target: Path) -> None:
    """Put back the pages a failed write left in the store file (SQLite's hot journal) now, not at the next read.

    SQLite keeps a failed transaction out of every later read either way; rolling back at once also makes the
    file itself byte-identical to what it was before the import.
    """
    import sqlite3

    with contextlib.suppress(sqlite3.Error):
        connection = sqlite3.connect(str(target))
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()


def _write_duplicates_report(path: Path, duplicates: Any) -> None:
    """The merged duplicates as JSON: counts, then each conflicting code with the row kept and the rows dropped."""
    import json

    from skillmap.fileio import atomic_write_text

    payload = {
        "rows": duplicates.rows,
        "identical_rows_merged": duplicates.identical,
        "link_rows_merged": duplicates.links_merged,
        "conflicting_codes": len(duplicates.conflicts),
        "conflicting_rows_dropped": duplicates.dropped,
        "conflicts": duplicates.conflicts,
        "merged_codes": duplicates.merged_codes,
    }
    atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _live_index() -> tuple[Any, str]:
    """The live concept index and the notice to show with it (using the bundled sample), or ``""``."""
    from skillmap.store import open_index

    loaded = open_index()
    return loaded.index, loaded.info.notice or ""


def _check_unique_codes(records: Sequence[RegisterRecord], path: Path) -> None:
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.country, record.code)
        if key in seen:
            raise SkillmapError(
                f"{path.name}: code {record.code!r} ({record.country}) appears twice; a register needs unique codes"
            )
        seen.add(key)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks (recorded with each import so users can tell versions apart)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
