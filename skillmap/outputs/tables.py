"""The alignment table as CSV, JSON and Markdown text.

The table's fields, cell format, reading back and comparison are the contract in :mod:`skillmap.alignment_table`
(re-exported here for older imports); this module only renders. Same alignments → byte-identical text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence

from skillmap.alignment_table import (
    ADDED_FIELDS,
    LIST_FIELDS,
    TableDiff,
    alignment_records,
    compare_tables,
    csv_cell,
    csv_text,
    neutralise,
    output_headers,
    parse_table,
    read_table_file,
    unneutralise,
    write_csv_rows,
)
from skillmap.model import Alignment

__all__ = [
    "ADDED_FIELDS",
    "LIST_FIELDS",
    "TableDiff",
    "alignment_records",
    "compare_tables",
    "csv_cell",
    "neutralise",
    "output_headers",
    "parse_table",
    "read_table_file",
    "render_csv",
    "render_json",
    "render_markdown",
    "unneutralise",
]


def render_csv(alignments: Sequence[Alignment], input_headers: Sequence[str], *, suggested: bool = False) -> str:
    """The alignment table as CSV text (``suggested``: with the suggested-level columns)."""
    buffer = io.StringIO()
    header = [neutralise(h.replace("\x00", "")) for h in output_headers(input_headers, suggested=suggested)]
    records = alignment_records(alignments, input_headers, suggested=suggested)
    write_csv_rows(buffer, [header, *([csv_text(v) for v in record.values()] for record in records)])
    return buffer.getvalue()


def render_json(alignments: Sequence[Alignment], input_headers: Sequence[str], *, suggested: bool = False) -> str:
    """The alignment table as JSON text (a list of row objects, two-space indent, trailing newline)."""
    records = alignment_records(alignments, input_headers, suggested=suggested)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _markdown_cell(text: str) -> str:
    """Data as Markdown text: pipes and backslashes escaped; brackets escaped so ``[a](b)`` and ``![a](b)`` never
    become links or images; "<" as an entity, so markup shows as text in a rendered review, never as HTML."""
    text = " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return text.replace("<", "&lt;")  # "&" stays: "City & Guilds" must read plainly in the diff


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"  # the pipes of Markdown table syntax (not the list separator)


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
    lines = [f"# {_markdown_cell(title)}", "", _markdown_row(header), "|" + "---|" * len(header)]
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
        lines.append(_markdown_row(_markdown_cell(c) for c in cells))
    return "\n".join(lines) + "\n"
