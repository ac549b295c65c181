"""What every command shares: output format option, rendering of rows, notices, error mapping.

Defined once here (as sqlite-utils does) so every command behaves the same way.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

from skillmap.model import LIST_SEPARATOR

if TYPE_CHECKING:
    from rich.progress import TaskID

    from skillmap.store import LoadedIndex


class OutputFormat(str, Enum):
    """Output formats for commands that print data."""

    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output: table for humans, json or csv for machines.", case_sensitive=False),
]

EXIT_OK = 0
EXIT_DIFFERENT = 1  # a check or comparison found a difference
EXIT_UNUSABLE = 2  # unusable input or usage error


def command_group(app: typer.Typer, name: str, help: str) -> typer.Typer:
    """Add the command group ``skillmap NAME`` to ``app`` (its help is shown when no command is given)."""
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def add_commands(group: typer.Typer, commands: Mapping[str, Callable[..., None]]) -> None:
    """Add top-level command functions to ``group`` under their names (help: each function's docstring)."""
    for name, function in commands.items():
        group.command(name)(function)


def stdout_console() -> Console:
    """A console for tables on stdout. Strings print as they are: data is never markup (``[m/w/d]``, ``[/]``);
    style with ``style=`` or :class:`rich.text.Text`."""
    return Console(highlight=False, soft_wrap=False, markup=False)


def stderr_console() -> Console:
    """A console for progress, notices and summaries on stderr, so stdout stays machine-readable (no markup,
    as :func:`stdout_console`)."""
    return Console(stderr=True, highlight=False, markup=False)


def notice(message: str, *, style: str | None = None) -> None:
    """Print an informational line on stderr (e.g. 'using the bundled ESCO sample').

    ``message`` is plain text, never markup: titles and file names in it print as they are (``[m/w/d]``).
    """
    line = Text.assemble(("note:", "yellow"), " ", (message, style or ""))
    stderr_console().print(line, highlight=False)


@contextmanager
def progress_bar(
    description: str = "",
    *,
    counts: bool = False,
    unit: str = "",
    console: Console | None = None,
    quiet: bool = False,
    stages: Mapping[str, str] | None = None,
    eta: bool = False,
) -> Iterator[Callable[..., None] | None]:
    """The one progress helper: a transient bar on stderr; yields the ``progress`` callback the library takes.

    The bar shows a percentage, or with ``counts`` ``done/total`` followed by ``unit`` ("distinct texts"). With
    ``stages`` (stage name → description) the callback is ``progress(stage, done, total)`` and each stage gets
    its own bar (``esco import``: reading, indexing, saving); otherwise it is ``progress(done, total)``. ``eta``
    adds the estimated time remaining (long streamed runs). With
    ``quiet``, or when stderr is not a terminal (logs, CI), it yields ``None`` and shows nothing.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = console or stderr_console()
    if quiet or not console.is_terminal:  # logs and CI: no bar (it would only leave blank lines around messages)
        yield None
        return
    amount = [MofNCompleteColumn(), *([TextColumn(unit)] if unit else [])] if counts else [TaskProgressColumn()]
    with Progress(
        TextColumn("{task.description}", markup=False),  # a file name is data, not markup
        BarColumn(),
        *amount,
        TimeElapsedColumn(),
        *([TextColumn("ETA"), TimeRemainingColumn()] if eta else []),
        console=console,
        transient=True,
    ) as bar:
        if stages is None:
            task = bar.add_task(description, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)
            return
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stages.get(stage, stage), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        yield progress


def open_index_with_notice() -> LoadedIndex:
    """Open the live concept index for a command, printing the bundled-sample notice when it applies."""
    from skillmap.store import open_index

    with lazy_progress_bar("embedding the bundled sample's labels (first use)") as progress:
        loaded = open_index(progress=(lambda _stage, done, total: progress(done, total)) if progress else None)
    if loaded.info.notice:
        notice(loaded.info.notice)
    return loaded


@contextmanager
def lazy_progress_bar(description: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None] | None]:
    """A :func:`progress_bar` that appears only when the library first reports progress (most calls report none:
    the label embeddings a first use computes are cached). Yields ``progress(done, total)``, or None when quiet or
    stderr is not a terminal."""
    console = stderr_console()
    if quiet or not console.is_terminal:
        yield None
        return
    opened: list = []
    callbacks: list[Callable[[int, int], None]] = []

    def progress(done: int, total: int) -> None:
        if not opened:
            opened.append(progress_bar(description, counts=True, console=console))
            callbacks.append(opened[0].__enter__())
        callbacks[0](done, total)

    try:
        yield progress
    finally:
        if opened:
            opened[0].__exit__(None, None, None)


def to_jsonable(value: Any) -> Any:
    """Turn dataclasses, tuples and other containers into plain JSON values, keeping key order."""
    from dataclasses import asdict

    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def dumps_json(value: Any) -> str:
    """Deterministic JSON text (UTF-8, two-space indent, trailing newline)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2) + "\n"


def format_csv_cell(value: Any) -> str:
    """The one CSV cell format of command output: lists joined by ``LIST_SEPARATOR``, floats to 6 decimals.

    (Alignment tables written by ``align`` have their own contract in ``skillmap.alignment_table``.)
    """
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(format_csv_cell(v) for v in value)
    return str(value)


def emit(
    rows: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    fmt: OutputFormat,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    no_wrap: Collection[str] = (),
    max_widths: Mapping[str, int] | None = None,
    droppable: Sequence[str] = (),
    divider: tuple[int, str, str] | None = None,
) -> None:
    """Print ``rows`` (a list of records, or one record or dataclass) to stdout as a rich table, JSON or CSV.

    ``columns`` picks and orders the columns of the table and CSV; JSON always carries every field. For the table
    only: ``headers`` gives readable labels (default: the name with spaces; CSV and JSON keep the names),
    ``no_wrap`` columns stay on one line, ``max_widths`` caps columns (an over-long value ends in "…") and
    ``droppable`` columns (least useful first) are left out when the terminal is too narrow to show the others
    without breaking words. ``divider`` ``(row, column, text)`` draws a line before that row of the table with
    ``text`` in that column ("— thin evidence below —"). Values are data, never markup.
    """
    if fmt == OutputFormat.json:
        sys.stdout.write(dumps_json(rows))
        return
    one_record = isinstance(rows, Mapping) or (is_dataclass(rows) and not isinstance(rows, type))
    records: list[Mapping[str, Any]] = [rows] if one_record else list(rows)
    records = [to_jsonable(r) for r in records]
    if columns is None:
        columns = list(records[0].keys()) if records else []
    if fmt == OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([format_csv_cell(record.get(c)) for c in columns])
        sys.stdout.write(buffer.getvalue())
        return
    table = data_table(title)
    labels = {column: (headers or {}).get(column, column.replace("_", " ")) for column in columns}
    for column in columns:
        add_data_column(
            table,
            labels[column],
            no_wrap=column in no_wrap,
            max_width=(max_widths or {}).get(column),
            numeric=bool(records) and all(_is_number(r.get(column)) for r in records),
        )
    for number, record in enumerate(records):
        if divider is not None and number == divider[0]:
            if table.rows:
                table.add_section()
            add_data_row(table, [divider[2] if c == divider[1] else None for c in columns])
            table.add_section()
        add_data_row(table, [record.get(c) for c in columns])
    console = stdout_console()
    by_label = {_plain(c.header): c for c in table.columns}
    console.print(fit_to_width(table, console.width, droppable=[by_label[labels[c]] for c in droppable if c in labels]))


def data_table(title: str | None = None, **options: Any) -> Table:
    """A rich table for data: its title is plain text, never markup (``[m/w/d]`` stays visible)."""
    return Table(title=Text(title, style="italic") if title else None, header_style="bold", **options)


def add_data_column(
    table: Table, header: str, *, no_wrap: bool = False, max_width: int | None = None, numeric: bool = False
) -> None:
    """Add a column whose header is plain text; text wraps between words (:func:`fit_to_width` keeps every word
    whole), numbers are right-aligned; with ``max_width`` an over-long value ends in "…"."""
    table.add_column(
        Text(header),
        overflow="ellipsis" if max_width else "fold",
        no_wrap=no_wrap,
        max_width=max_width,
        justify="right" if numeric else "left",
    )


def add_data_row(table: Table, values: Sequence[Any]) -> None:
    """Add a row of data values: plain text, numbers with thousands separators, lists one item a line."""
    table.add_row(*[Text(table_cell_text(value)) for value in values])


def table_cell_text(value: Any) -> str:
    """How a value reads in a terminal table: 3 decimals, thousands separators, a list of codes on one line and
    one item a line for longer items."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        items = [table_cell_text(v) for v in value]
        short = all(len(item) <= SHORT_ITEM for item in items)  # codes (DE, GB-ENG) run on, phrases get a line each
        return (", " if short else "\n").join(items)
    return "" if value is None else str(value)


SHORT_ITEM = 8  # list items up to this long (country codes, levels) are joined with ", " in a table cell


def last_segment(uri: str) -> str:
    """The last path segment of a URI, for a terminal column (``…/skill/0c5b…`` → ``0c5b…``); json/csv keep it all."""
    return uri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if uri else ""


# A token longer than this (a URI, a path) is not a word: it may be folded; shorter words are never broken.
LONGEST_WORD = 32
URI_FOLD = 12  # a URI shown in a table (``--uri``) folds into lines of at least this many characters


def fit_to_width(table: Table, width: int, *, droppable: Sequence[Column] = ()) -> Table:
    """Give ``table``'s columns widths that fit ``width`` without breaking a word (rich alone would cut words).

    Each column gets at least its longest word; the rest goes to the columns a little more makes whole first;
    ``droppable`` columns (least useful first) are removed while the longest words alone do not fit. When even
    that is not enough, rich's own shrinking is left to do its best.
    """
    droppable = list(droppable)
    while True:
        available = width - _frame_width(table)
        natural, shortest = zip(*(_column_extent(c) for c in table.columns), strict=True) if table.columns else ((), ())
        if sum(natural) <= available:
            return table
        if sum(shortest) <= available or not droppable:
            break
        table.columns.remove(droppable.pop(0))
    if sum(shortest) > available:
        return table
    spare, wants = available - sum(shortest), [n - s for n, s in zip(natural, shortest, strict=True)]
    shares = [0] * len(wants)
    by_want = sorted(range(len(wants)), key=lambda i: (wants[i], i))
    for place, index in enumerate(by_want):  # short columns get whole lines first, long ones share the rest
        shares[index] = min(wants[index], spare // (len(by_want) - place))
        spare -= shares[index]
    for column, least, share in zip(table.columns, shortest, shares, strict=True):
        column.width = least + share
    return table


def _frame_width(table: Table) -> int:
    """The width of ``table``'s borders and cell padding, measured by rich itself (public API): the table's
    measurement with every column given no room for content."""
    widths = [column.width for column in table.columns]
    try:
        for column in table.columns:
            column.width = 0
        return Measurement.get(_MEASURING, _MEASURING.options, table).maximum
    finally:
        for column, kept in zip(table.columns, widths, strict=True):
            column.width = kept


_MEASURING = Console(file=io.StringIO(), width=100_000)  # only measures, never prints


def _column_extent(column: Column) -> tuple[int, int]:
    """(longest line, longest word) of a column's header and cells, within its max_width; numbers and no_wrap
    cells do not wrap (their header may)."""
    cells = [line for cell in column.cells for line in _plain(cell).split("\n")]
    header = _plain(column.header).split("\n")
    longest_line = max((cell_len(line) for line in [*header, *cells]), default=0)
    unbroken = cells if column.no_wrap or column.justify == "right" else []
    longest_word = max(
        [*(cell_len(line) for line in unbroken), *(_word_width(w) for line in [*header, *cells] for w in _words(line))],
        default=0,
    )
    if column.max_width is not None:
        longest_line, longest_word = min(longest_line, column.max_width), min(longest_word, column.max_width)
    return max(longest_line, 1), max(min(longest_word, longest_line), 1)


def _words(line: str) -> list[str]:
    """The words of a line; an indented line's first word keeps its indent (it cannot wrap away from it)."""
    words = line.split()
    if words:
        words[0] = line[: len(line) - len(line.lstrip())] + words[0]
    return words


def _word_width(word: str) -> int:
    """The width a word needs whole: a URI or path may fold (it is no word), a very long word is capped."""
    if "://" in word:
        return min(cell_len(word), URI_FOLD)
    return min(cell_len(word), LONGEST_WORD)


def _plain(renderable: Any) -> str:
    return renderable.plain if isinstance(renderable, Text) else str(renderable)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rows_from(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Convert dataclass instances to dicts for :func:`emit`."""
    return [to_jsonable(item) for item in items]
