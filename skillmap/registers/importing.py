"""The import job: read a register file, check it, optionally match ESCO skills, store it in one transaction."""

from __future__ import annotations

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
    index: Any = None,
    store_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> RegisterInfo:
    """Read a register file and store it (replacing an earlier import with the same name) in one transaction.

    ``input_format`` is the register kind (see :data:`skillmap.sources.registers.REGISTER_FORMATS`; detected
    when omitted). The file is read and checked completely before the store is touched, so bad input leaves it
    unchanged. With ``skills``, records without ESCO skills get them matched first against ``index`` (default:
    the live concept index, or the bundled sample, which the result's ``notes`` then mention); ``progress``
    reports that step.
    """
    from skillmap.sources.registers import default_register_name, detect_format, read_register

    path = Path(path)
    if not path.is_file():
        raise SkillmapError(f"register file not found: {path}")
    input_format = input_format or detect_format(path)
    name = name or default_register_name(path)
    if not _REGISTER_NAME.fullmatch(name):
        raise SkillmapError(f"register name {name!r} may only hold letters, digits, '.', '-' and '_'", hint="name")
    skipped: list[int] = []
    records = read_register(path, country=country, fmt=input_format, name=name, sheet=sheet, skipped=skipped)
    _check_unique_codes(records, path)
    notes: list[str] = []
    if skills or index is not None:
        if index is None:
            index, notice = _live_index()
            notes.extend([notice] if notice else [])
        records = match_register_skills(records, index=index, progress=progress)
    with open_store(store_path, create=True) as store:
        info = store.replace_register(name, input_format, path, records, sha256=file_sha256(path))
    return replace(info, skipped_rows=tuple(skipped), notes=tuple(notes))


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
