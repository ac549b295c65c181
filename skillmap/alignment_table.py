"""The alignment table contract (docs/ARCHITECTURE.md, "The alignment table"): its fields, its cell format,
reading a table back and comparing two tables.

``align`` writes this table (through ``skillmap.outputs.tables`` and ``skillmap.outputs.xlsx``); ``registers
import`` and ``export europass`` read it back (through ``skillmap.sources.registers``). Both sides use this module
only, so the data flows one way: readers never import an output module.

Every input column comes first under its original name (renamed ``<name> (input)`` when it clashes with an added
field), then :data:`ADDED_FIELDS` in that order. CSV: UTF-8 without BOM, comma, LF, lists joined by
:data:`LIST_SEPARATOR`, scores with 4 decimals, line breaks inside cells as LF, and cells that a spreadsheet would
run as a formula (starting with ``= + - @`` TAB or CR) prefixed with ``'``. JSON: a list of row objects; lists stay
lists, ``eqf_level`` is an integer or null, ``needs_review`` a boolean.

To add a column to what ``align`` writes, add one :class:`AddedField` to :data:`FIELDS`: every writer and reader
follows. :data:`SUGGESTED_FIELDS` (``suggested_eqf``, ``suggested_confidence``, ``suggested_evidence``) follow the
added fields only in a table of ``align --suggest-levels`` (``suggested=True``): without it the table is as before.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmap.digital import digital_profile
from skillmap.errors import SkillmapError
from skillmap.model import LIST_SEPARATOR, Alignment, Match

__all__ = [
    "ADDED_FIELDS",
    "FIELDS",
    "LIST_FIELDS",
    "LIST_SEPARATOR",
    "SUGGESTED_FIELDS",
    "AddedField",
    "PreviousTable",
    "TableDiff",
    "alignment_records",
    "compare_tables",
    "csv_cell",
    "csv_text",
    "is_alignment_table",
    "neutralise",
    "output_headers",
    "parse_table",
    "read_alignment_table",
    "read_table_file",
    "split_list_cell",
    "table_as_read",
    "table_columns_from_workbook",
    "table_fields",
    "unneutralise",
    "workbook_cell_text",
    "workbook_layout",
    "write_csv_rows",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TABLE_FORMATS = (".csv", ".json")
# The columns that make a file an alignment table (whatever else it holds).
MARKER_FIELDS = ("eqf_level", "level_status", "skills")


def _uris(matches: Sequence[Match]) -> list[str]:
    return [m.uri for m in matches]


def _labels(matches: Sequence[Match]) -> list[str]:
    return [m.label for m in matches]


def _scores(matches: Sequence[Match]) -> list[float]:
    return [round(m.score, 4) for m in matches]


def _digital(alignment: Alignment, name: str) -> Any:
    value = getattr(digital_profile(alignment.level.eqf_level, alignment.skills), name)
    return list(value) if isinstance(value, tuple) else value


def _suggested(alignment: Alignment, name: str) -> Any:
    value = getattr(alignment.suggestion, name) if alignment.suggestion is not None else None
    return list(value) if isinstance(value, tuple) else value


def _nqf_level(alignment: Alignment) -> str | None:
    level = alignment.level.nqf_level
    return level if level not in (None, "") else None


@dataclass(frozen=True, slots=True)
class AddedField:
    """One column ``align`` adds after the input columns: its machine name, how an alignment fills it, and how
    the workbook shows it.

    ``value`` returns the JSON value (a string, number, boolean, None or a list); ``is_list`` marks the fields
    whose CSV cell joins a list with :data:`LIST_SEPARATOR`. ``label`` is the readable header of the xlsx report
    (csv/json keep ``name``); fields with a ``workbook_rank`` come first in the workbook, in rank order, right after
    the code and title (the results a reader looks at first), the others after them in this order.
    """

    name: str
    label: str
    value: Callable[[Alignment], Any]
    is_list: bool = False
    workbook_rank: int | None = None


FIELDS: tuple[AddedField, ...] = (
    AddedField("country", "Country code", lambda a: a.level.country, workbook_rank=10),
    AddedField("framework", "Framework", lambda a: a.level.framework),
    AddedField("nqf_level", "National level", _nqf_level),
    AddedField("eqf_level", "EQF level", lambda a: a.level.eqf_level, workbook_rank=20),
    AddedField("level_status", "Level status", lambda a: a.level.status, workbook_rank=30),
    AddedField("level_reason", "Level reason", lambda a: a.level.reason),
    AddedField("skills", "ESCO skill URIs", lambda a: _uris(a.skills), is_list=True),
    AddedField("skill_labels", "ESCO skills", lambda a: _labels(a.skills), is_list=True, workbook_rank=60),
    AddedField("skill_scores", "Skill scores", lambda a: _scores(a.skills), is_list=True, workbook_rank=70),
    AddedField("occupations", "ESCO occupation URIs", lambda a: _uris(a.occupations), is_list=True),
    AddedField("occupation_labels", "ESCO occupations", lambda a: _labels(a.occupations), is_list=True),
    AddedField("occupation_scores", "Occupation scores", lambda a: _scores(a.occupations), is_list=True),
    AddedField("needs_review", "Needs review", lambda a: bool(a.review), workbook_rank=40),
    AddedField("review_reasons", "Review reasons", lambda a: list(a.review), is_list=True, workbook_rank=50),
    AddedField("digital_skills", "Digital skills", lambda a: _digital(a, "digital_skills")),
    AddedField("green_skills", "Green skills", lambda a: _digital(a, "green_skills")),
    AddedField("transversal_skills", "Transversal skills", lambda a: _digital(a, "transversal_skills")),
    AddedField(
        "digcomp_competences", "DigComp competences", lambda a: _digital(a, "digcomp_competences"), is_list=True
    ),
    AddedField("digcomp_areas", "DigComp areas", lambda a: _digital(a, "digcomp_areas"), is_list=True),
    AddedField(
        "digital_proficiency",
        "Digital proficiency (skillmap crosswalk, not official)",
        lambda a: _digital(a, "proficiency"),
    ),
)
# The columns of a table aligned with suggested levels (align --suggest-levels), after the added fields; in the
# workbook among the results, right after the level status. Empty in the rows that have a level.
SUGGESTED_FIELDS: tuple[AddedField, ...] = (
    AddedField(
        "suggested_eqf",
        "Suggested EQF level (a suggestion, not a level)",
        lambda a: _suggested(a, "eqf_level"),
        workbook_rank=31,
    ),
    AddedField(
        "suggested_confidence", "Suggestion confidence", lambda a: _suggested(a, "confidence"), workbook_rank=32
    ),
    AddedField(
        "suggested_evidence",
        "Suggestion evidence",
        lambda a: _suggested(a, "evidence") or [],
        is_list=True,
        workbook_rank=33,
    ),
)
ADDED_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS)
LIST_FIELDS = frozenset(f.name for f in (*FIELDS, *SUGGESTED_FIELDS) if f.is_list)


def table_fields(suggested: bool = False) -> tuple[AddedField, ...]:
    """The fields ``align`` adds after the input columns: :data:`FIELDS`, then :data:`SUGGESTED_FIELDS` when
    levels were suggested."""
    return (*FIELDS, *SUGGESTED_FIELDS) if suggested else FIELDS


def output_headers(input_headers: Sequence[str], *, suggested: bool = False) -> list[str]:
    """Column names of the alignment table: input columns (renamed on a clash), then the added fields (with
    ``suggested``, then the suggested-level fields)."""
    added = [f.name for f in table_fields(suggested)]
    clashes = set(added)
    return [f"{h} (input)" if h in clashes else h for h in input_headers] + added


def alignment_records(
    alignments: Sequence[Alignment], input_headers: Sequence[str], *, suggested: bool = False
) -> list[dict[str, Any]]:
    """One JSON-ready dict per alignment, keys in table order (input columns, then :data:`ADDED_FIELDS`, then with
    ``suggested`` the :data:`SUGGESTED_FIELDS`)."""
    names = output_headers(input_headers, suggested=suggested)[: len(input_headers)]
    added_fields = table_fields(suggested)
    records = []
    for alignment in alignments:
        record: dict[str, Any] = {
            name: alignment.row.get(header, "") for name, header in zip(names, input_headers, strict=False)
        }
        record.update((added.name, added.value(alignment)) for added in added_fields)
        records.append({name: _without_nul(value) for name, value in record.items()})
    return records


def _without_nul(value: Any) -> Any:
    """NUL bytes never reach a table: spreadsheets and CSV readers stop or fail at them."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def workbook_layout(
    input_headers: Sequence[str], *, first: Sequence[str] = (), suggested: bool = False
) -> list[tuple[str, str]]:
    """The Alignment sheet's columns as (table column name, readable header), in workbook order.

    ``first`` names input columns to show before the results (the code and title columns); then the added fields
    with a ``workbook_rank``, the other added fields, and the remaining input columns. An input header that equals
    a readable label is shown as ``<header> (input)`` (see :func:`table_columns_from_workbook`). ``suggested``
    adds the suggested-level fields (among the results).
    """
    added_fields = table_fields(suggested)
    names = dict(zip(input_headers, output_headers(input_headers, suggested=suggested), strict=False))
    labels = {f.label for f in added_fields}

    def shown(header: str) -> str:
        if names[header] != header:  # already renamed for a clash with a machine name
            return names[header]
        return f"{header} (input)" if header in labels else header

    ranked = sorted((f for f in added_fields if f.workbook_rank is not None), key=lambda f: f.workbook_rank or 0)
    rest = [f for f in added_fields if f.workbook_rank is None]
    leading = [h for h in first if h in names]
    return [
        *((names[h], shown(h)) for h in leading),
        *((f.name, f.label) for f in (*ranked, *rest)),
        *((names[h], shown(h)) for h in input_headers if h not in leading),
    ]


def table_columns_from_workbook(headers: Sequence[str]) -> list[str]:
    """The table column names of an Alignment sheet's headers: readable labels back to machine names, and
    ``<header> (input)`` back to the input header when ``<header>`` is a label. Headers of older reports (machine
    names) stay as they are."""
    by_label = {f.label: f.name for f in (*FIELDS, *SUGGESTED_FIELDS)}
    columns = []
    for header in headers:
        if header in by_label:
            columns.append(by_label[header])
        elif header.endswith(" (input)") and header[: -len(" (input)")] in by_label:
            columns.append(header[: -len(" (input)")])
        else:
            columns.append(header)
    return columns


def workbook_cell_text(value: Any) -> str:
    """The table string of a value read from an Alignment sheet (the inverse of the xlsx writer's cell values):
    numbers as written (``-5``, ``2.5``), text with an old-style ``'`` formula guard removed."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, bool)):
        return csv_cell(value)
    return unneutralise(str(value))


def is_alignment_table(columns: Iterable[str]) -> bool:
    """True when ``columns`` hold the columns that mark an alignment table (``eqf_level``, ``level_status``,
    ``skills``)."""
    present = set(columns)
    return all(marker in present for marker in MARKER_FIELDS)


# --- the cell format ---------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with a single quote (CSV/formula injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` (for readers of CSV/xlsx alignment tables)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: Any) -> str:
    """The text of one field value of the alignment table (before neutralising): ``None`` → "", booleans
    ``yes``/``no``, floats with 4 decimals, lists joined by :data:`LIST_SEPARATOR`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(csv_cell(v) for v in value)
    return str(value)


def csv_text(value: Any) -> str:
    """The cell as written to the CSV file: :func:`csv_cell`, neutralised. Line breaks are kept as they are
    (:func:`write_csv_rows` quotes them)."""
    return neutralise(csv_cell(value))


def write_csv_rows(buffer: io.StringIO, rows: Iterable[Sequence[str]]) -> None:
    """Write CSV rows (comma, LF line ends, minimal quoting) so that every cell reads back exactly.

    The csv module quotes a field only for the characters of its line terminator ("\n"), so a row holding a CR
    is written with every field quoted: a lone CR would otherwise split the row.
    """
    plain = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else plain).writerow(row)


def split_list_cell(value: Any) -> tuple[str, ...]:
    """The items of a list field read back: a JSON list, or a CSV/xlsx cell joined by :data:`LIST_SEPARATOR`."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    text = str(value).strip()
    separator = LIST_SEPARATOR.strip()
    return tuple(part.strip() for part in text.split(separator) if part.strip()) if text else ()


# --- reading a table back ----------------------------------------------------------------------------------


def parse_table(text: str, suffix: str, source: str = "table") -> tuple[list[str], list[dict[str, str]]]:
    """Parse an alignment table (``suffix`` ``.csv`` or ``.json``) into its columns and rows of CSV-style strings.

    Both formats give the same strings for the same table, so a CSV can be checked against a JSON table.
    """
    if suffix == ".json":
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
    missing = [c for c in MARKER_FIELDS if c not in columns]
    if missing:
        raise SkillmapError(
            f"{source} is not an alignment table (no {', '.join(missing)} column); compare with a table written by "
            f"`skillmap align --out FILE.csv|.json`"
        )
    return columns, rows


def read_table_file(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read an alignment table written earlier (``.csv`` or ``.json``) into its columns and rows."""
    previous = read_alignment_table(path)
    return previous.columns, previous.rows


@dataclass(frozen=True, slots=True)
class PreviousTable:
    """An alignment table read back from a file: its format (``.csv``/``.json``), columns and rows as strings."""

    path: str
    format: str
    columns: list[str]
    rows: list[dict[str, str]]


def read_alignment_table(path: str | Path) -> PreviousTable:
    """Read an alignment table written earlier by ``align`` (``.csv`` or ``.json``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise SkillmapError(
            f"{path}: compare with a .csv or .json alignment table, not {suffix or 'this'}", hint="check"
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise SkillmapError(
            f"{path}: no such file (write the table first, then compare with it)", hint="check"
        ) from exc
    except OSError as exc:
        raise SkillmapError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"{path} is not UTF-8 text; was it written by skillmap align?") from exc
    columns, rows = parse_table(text, suffix, str(path))
    return PreviousTable(path=str(path), format=suffix, columns=columns, rows=rows)


# --- comparing two tables ----------------------------------------------------------------------------------


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
            shown = "; ".join(_field_change(name, old, new) for name, old, new in fields[:4])
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


def _field_change(name: str, old: str, new: str) -> str:
    """One changed field: ``eqf_level: '4' → '5'``; for a list field what was added and removed
    (``skill_labels: added 'coach clients'; removed 'accounting'``), or that only the order changed."""
    if name not in LIST_FIELDS:
        return f"{name}: {_shorten(old)!r} → {_shorten(new)!r}"
    before, after = split_list_cell(old), split_list_cell(new)
    added = [item for item in after if item not in before]
    removed = [item for item in before if item not in after]
    if not added and not removed:
        return f"{name}: same items, new order"
    parts = [
        f"{label} "
        + ", ".join(repr(_shorten(item)) for item in items[:3])
        + (f" and {len(items) - 3} more" if len(items) > 3 else "")
        for label, items in (("added", added), ("removed", removed))
        if items
    ]
    return f"{name}: " + "; ".join(parts)


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
        if candidate and all(_is_unique_key(rows, candidate) for rows in (expected_rows, actual_rows)):
            key = candidate
            break
    old, new = _rows_by_key(expected_rows, key), _rows_by_key(actual_rows, key)
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


def _rows_by_key(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    if key == "row":
        return {f"row {i}": r for i, r in enumerate(rows, start=1)}
    return {f"{key} {r[key]}": r for r in rows}


def _is_unique_key(rows: list[dict[str, str]], column: str) -> bool:
    values = [r.get(column, "") for r in rows]
    return bool(values) and all(values) and max(Counter(values).values()) == 1


def table_as_read(
    alignments: Sequence[Alignment], input_headers: Sequence[str], suffix: str, *, suggested: bool = False
) -> tuple[list[str], list[dict[str, str]]]:
    """The columns and rows :func:`parse_table` would read back from these alignments written as ``suffix``
    (``.csv`` or ``.json``): what a new table is compared by, without writing it (``suggested``: with the
    suggested-level fields)."""
    records = alignment_records(alignments, input_headers, suggested=suggested)
    if suffix == ".json":
        columns = list(records[0]) if records else []
        return columns, [{k: unneutralise(csv_cell(v)) for k, v in r.items()} for r in records]
    columns = [unneutralise(neutralise(h)) for h in output_headers(input_headers, suggested=suggested)]
    rows = [dict(zip(columns, (unneutralise(csv_text(v)) for v in r.values()), strict=False)) for r in records]
    return columns, rows
