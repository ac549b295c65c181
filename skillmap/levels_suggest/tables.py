"""Suggest a level for every row of a table (xlsx/csv/tsv), with align's column detection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.levels_suggest.suggestion import LevelSuggestion, suggest_levels
from skillmap.model import ProgressCallback


@dataclass(frozen=True)
class RowSuggestion:
    """The suggestion for one data row of a table (``row`` is 1-based among the data rows)."""

    row: int
    code: str
    title: str
    suggestion: LevelSuggestion

    def record(self) -> dict[str, object]:
        """The row as users see it in CSV / JSON output."""
        s = self.suggestion
        return {
            "row": self.row,
            "code": self.code,
            "title": self.title,
            "status": s.status,
            "suggested_eqf": s.level,
            "confidence": round(s.confidence, 4),
            "strength": s.strength,
            "evidence": [e.describe() for e in s.evidence],
            "reason": s.reason,
        }


def suggest_table_levels(
    table: str | Path,
    *,
    progress: ProgressCallback | None = None,
    semantic: bool = True,
    store_path: str | Path | None = None,
    registers: bool = True,
) -> list[RowSuggestion]:
    """Suggest an EQF level for each row of ``table`` from its learning-outcome columns and its title.

    Columns are recognised as ``skillmap align`` recognises them (title, learning outcomes / description, code).
    The other keywords are :func:`suggest_level`'s. Raises SkillmapError when the table has neither a title nor an
    outcomes column.
    """
    from skillmap.sources.spreadsheets import detect_columns, read_table

    data = read_table(table)
    columns = detect_columns(data.headers, require_title=False)
    if columns.title is None and not columns.text:
        listed = ", ".join(repr(h) for h in data.headers)
        raise SkillmapError(f"{table}: no title or learning-outcomes column recognised among {listed}")
    records = list(data.records())
    pairs = []
    for record in records:
        title = record.get(columns.title, "") if columns.title else ""
        outcomes = "\n".join(record.get(name, "") for name in columns.text if record.get(name, "").strip())
        pairs.append((title, outcomes))
    suggestions = suggest_levels(
        pairs, progress=progress, semantic=semantic, store_path=store_path, registers=registers
    )
    return [
        RowSuggestion(number, record.get(columns.code, "") if columns.code else "", pair[0], suggestion)
        for number, (record, pair, suggestion) in enumerate(zip(records, pairs, suggestions, strict=True), start=1)
    ]
