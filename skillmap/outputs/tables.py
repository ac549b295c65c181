"""The alignment table (docs/ARCHITECTURE.md, "The alignment table") as CSV, JSON and Markdown, and its comparison.

The schema is a contract: ``registers import`` and ``export europass`` read these files. Every input column comes
first under its original name (renamed ``<name> (input)`` when it clashes with an added field), then
:data:`ADDED_FIELDS` in that order. CSV: UTF-8 without BOM, comma, LF, lists joined by `` | ``, scores with 4
decimals, line breaks inside cells as LF, and cells that a spreadsheet would run as a formula (starting with
``= + - @`` TAB or CR) prefixed with ``'``. JSON: a list of row objects; lists stay lists, ``eqf_level`` is an
integer or null, ``needs_review`` a boolean. Same alignments → byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import LIST_SEPARATOR, Alignment, Match

ADDED_FIELDS: tuple[str, ...] = (
    "country",
    "framework",
    "nqf_level",
    "eqf_level",
    "level_status",
    "level_reason",
    "skills",
    "skill_labels",
    "skill_scores",
    "occupations",
    "occupation_labels",
    "occupation_scores",
    "needs_review",
    "review_reasons",
)
LIST_FIELDS = frozenset(
    {
        "skills",
        "skill_labels",
        "skill_scores",
        "occupations",
        "occupation_labels",
        "occupation_scores",
        "review_reasons",
    }
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TABLE_FORMATS = (".csv", ".json")


def output_headers(input_headers: Sequence[str]) -> list[str]:
    """Column names of the alignment table: input columns (renamed on a clash), then the added fields."""
    added = set(ADDED_FIELDS)
    return [f"{h} (input)" if h in added else h for h in input_headers] + list(ADDED_FIELDS)


def _scores(matches: Sequence[Match]) -> list[float]:
    return [round(m.score, 4) for m in matches]


def alignment_records(alignments: Sequence[Alignment], input_headers: Sequence[str]) -> list[dict[str, Any]]:
    """One JSON-ready dict per alignment, keys in table order (input columns, then :data:`ADDED_FIELDS`)."""
    names = output_headers(input_headers)[: len(input_headers)]
    records = []
    for alignment in alignments:
        level = alignment.level
        record: dict[str, Any] = {
            name: alignment.row.get(header, "") for name, header in zip(names, input_headers, strict=False)
        }
        record.update(
            {
                "country": level.country,
                "framework": level.framework,
                "nqf_level": level.nqf_level if level.nqf_level not in (None, "") else None,
                "eqf_level": level.eqf_level,
                "level_status": level.status,
                "level_reason": level.reason,
                "skills": [m.uri for m in alignment.skills],
                "skill_labels": [m.label for m in alignment.skills],
                "skill_scores": _scores(alignment.skills),
                "occupations": [m.uri for m in alignment.occupations],
                "occupation_labels": [m.label for m in alignment.occupations],
                "occupation_scores": _scores(alignment.occupations),
                "needs_review": bool(alignment.review),
                "review_reasons": list(alignment.review),
            }
        )
        records.append(record)
    return records


def neutralise(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with a single quote (CSV/formula injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: Any) -> str:
    """The CSV text of one field value of the alignment table (before neutralising)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(csv_cell(v) for v in value)
    return str(value)


def render_csv(alignments: Sequence[Alignment], input_headers: Sequence[str]) -> str:
    """The alignment table as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(h) for h in output_headers(input_headers)])
    for record in alignment_records(alignments, input_headers):
        writer.writerow([_one_newline_kind(neutralise(csv_cell(v))) for v in record.values()])
    return buffer.getvalue()


def _one_newline_kind(text: str) -> str:
    # csv quotes a field only for the characters of its line terminator ("\n"): a lone CR would split the row
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def render_json(alignments: Sequence[Alignment], input_headers: Sequence[str]) -> str:
    """The alignment table as JSON text (a list of row objects, two-space indent, trailing newline)."""
    return json.dumps(alignment_records(alignments, input_headers), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    # "<" as an entity: a title holding markup must show as text in a rendered review, not become HTML
    text = " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;")  # "&" stays: "City & Guilds" must read plainly in the diff


def render_markdown(
    alignments: Sequence[Alignment], *, code_column: str | None = None, title: str = "Alignment"
) -> str:
    """A compact Markdown table (one line per row) meant for code-review diffs of a mapping table."""
    header = [
        "#",
        *(["code"] if code_column else []),
        "title",
        "country",
        "framework",
        "level",
        "EQF",
        "status",
        "skills",
        "occupations",
        "review",
    ]
    lines = [f"# {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for a in alignments:
        skills = "; ".join(f"{m.label} ({m.score:.2f})" for m in a.skills)
        occupations = "; ".join(f"{m.label} ({m.score:.2f})" for m in a.occupations)
        cells = [
            str(a.row_number),
            *([a.row.get(code_column, "")] if code_column else []),
            a.title,
            a.level.country,
            a.level.framework,
            a.level.input or "",
            "" if a.level.eqf_level is None else str(a.level.eqf_level),
            a.level.status,
            skills,
            occupations,
            "; ".join(a.review),
        ]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


# --- comparison (--check) ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableDiff:
    """Differences between an expected alignment table and a new one, rows matched by a key column."""

    key: str  # the column rows are matched by, or "row" for position
    rows_expected: int
    rows_actual: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = ()  # (row key, ((field, old, new), ...))
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def identical(self) -> bool:
        """True when no row or column differs."""
        return not (self.added or self.removed or self.changed or self.columns_added or self.columns_removed)

    def describe(self, limit: int = 5) -> str:
        """A readable summary: counts, then the first ``limit`` changed/added/removed rows and their fields."""
        if self.identical:
            return f"no change: {self.rows_actual} rows identical"
        counts = (
            f"{len(self.added)} row(s) added, {len(self.removed)} removed, {len(self.changed)} changed "
            f"({self.rows_expected} expected, {self.rows_actual} now; rows matched by {self.key})"
        )
        lines = [counts]
        if self.columns_added:
            lines.append("columns added: " + ", ".join(self.columns_added))
        if self.columns_removed:
            lines.append("columns removed: " + ", ".join(self.columns_removed))
        for row_key, fields in self.changed[:limit]:
            shown = "; ".join(f"{name}: {_short(old)!r} → {_short(new)!r}" for name, old, new in fields[:4])
            more = f"; +{len(fields) - 4} more field(s)" if len(fields) > 4 else ""
            lines.append(f"  changed {row_key}: {shown}{more}")
        if len(self.changed) > limit:
            lines.append(f"  … and {len(self.changed) - limit} more changed row(s)")
        for label, keys in (("added", self.added), ("removed", self.removed)):
            for row_key in keys[:limit]:
                lines.append(f"  {label} {row_key}")
            if len(keys) > limit:
                lines.append(f"  … and {len(keys) - limit} more {label} row(s)")
        return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_table(text: str, fmt: str, source: str = "table") -> tuple[list[str], list[dict[str, str]]]:
    """Parse an alignment table (``fmt`` ``.csv`` or ``.json``) into its columns and rows of CSV-style strings.

    Both formats give the same strings for the same table, so a CSV can be checked against a JSON table.
    """
    if fmt == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SkillmapError(f"{source} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise SkillmapError(f"{source} is not an alignment table (expected a JSON list of row objects)")
        columns = list(data[0].keys()) if data else []
        rows = [{k: unneutralise(csv_cell(v)) for k, v in r.items()} for r in data]
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            table = list(reader)
        except csv.Error as exc:
            raise SkillmapError(f"{source} is not a readable CSV file ({exc})") from exc
        if not table:
            raise SkillmapError(f"{source} is empty; expected an alignment table with a header row")
        columns = [unneutralise(c) for c in table[0]]
        rows = [dict(zip(columns, (unneutralise(c) for c in r), strict=False)) for r in table[1:]]
    missing = [c for c in ("eqf_level", "level_status", "skills") if c not in columns]
    if missing:
        raise SkillmapError(
            f"{source} is not an alignment table (no {', '.join(missing)} column); compare with a table written by "
            f"`skillmap align --out FILE.csv|.json`"
        )
    return columns, rows


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` (for readers of CSV/xlsx alignment tables)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def read_table_file(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read an alignment table written earlier (``.csv`` or ``.json``) for :func:`compare_tables`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise SkillmapError(f"--check {path}: compare with a .csv or .json alignment table, not {suffix or 'this'}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise SkillmapError(f"--check {path}: no such file (write it first with --out {path})") from exc
    except OSError as exc:
        raise SkillmapError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"{path} is not UTF-8 text; was it written by skillmap align?") from exc
    return parse_table(text, suffix, str(path))


def compare_tables(
    expected: tuple[list[str], list[dict[str, str]]],
    actual: tuple[list[str], list[dict[str, str]]],
    key_candidates: Sequence[str] = (),
) -> TableDiff:
    """Compare two parsed tables (see :func:`parse_table`).

    Rows are matched by the first of ``key_candidates`` whose values are present and unique in both tables (e.g.
    the qualification code), else by position.
    """
    expected_columns, expected_rows = expected
    actual_columns, actual_rows = actual
    key = "row"
    for candidate in key_candidates:
        if candidate and all(_unique_key(rows, candidate) for rows in (expected_rows, actual_rows)):
            key = candidate
            break

    def keyed(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
        if key == "row":
            return {f"row {i}": r for i, r in enumerate(rows, start=1)}
        return {f"{key} {r[key]}": r for r in rows}

    old, new = keyed(expected_rows), keyed(actual_rows)
    shared_columns = [c for c in actual_columns if c in set(expected_columns)]
    changed = []
    for row_key, row in new.items():
        if row_key not in old:
            continue
        fields = tuple(
            (c, old[row_key].get(c, ""), row.get(c, ""))
            for c in shared_columns
            if old[row_key].get(c, "") != row.get(c, "")
        )
        if fields:
            changed.append((row_key, fields))
    return TableDiff(
        key=key,
        rows_expected=len(expected_rows),
        rows_actual=len(actual_rows),
        added=tuple(k for k in new if k not in old),
        removed=tuple(k for k in old if k not in new),
        changed=tuple(changed),
        columns_added=tuple(c for c in actual_columns if c not in set(expected_columns)),
        columns_removed=tuple(c for c in expected_columns if c not in set(actual_columns)),
    )


def _unique_key(rows: list[dict[str, str]], column: str) -> bool:
    values = [r.get(column, "") for r in rows]
    return bool(values) and all(values) and max(Counter(values).values()) == 1
