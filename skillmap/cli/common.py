"""What every command shares: output format option, rendering of rows, notices, error mapping.

Defined once here (as sqlite-utils does) so every command behaves the same way.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
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
    """A console for tables on stdout (no soft wrapping surprises in pipes)."""
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    """A console for progress, notices and summaries on stderr, so stdout stays machine-readable."""
    return Console(stderr=True, highlight=False)


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
) -> Iterator[Callable[..., None] | None]:
    """The one progress helper: a transient bar on stderr; yields the ``progress`` callback the library takes.

    The bar shows a percentage, or with ``counts`` ``done/total`` followed by ``unit`` ("distinct texts"). With
    ``stages`` (stage name → description) the callback is ``progress(stage, done, total)`` and each stage gets
    its own bar (``esco import``: reading, indexing, saving); otherwise it is ``progress(done, total)``. With
    ``quiet``, or when stderr is not a terminal (logs, CI), it yields ``None`` and shows nothing.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    console = console or stderr_console()
    if quiet or not console.is_terminal:  # logs and CI: no bar (it would only leave blank lines around messages)
        yield None
        return
    amount = [MofNCompleteColumn(), *([TextColumn(unit)] if unit else [])] if counts else [TaskProgressColumn()]
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *amount,
        TimeElapsedColumn(),
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
) -> None:
    """Print ``rows`` (a list of records, or one record or dataclass) to stdout as a rich table, JSON or CSV.

    ``columns`` picks and orders the columns of the table and CSV; JSON always carries every field.
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
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*[_table_cell(record.get(c)) for c in columns])
    stdout_console().print(table)


def _table_cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return "\n".join(_table_cell(v) for v in value)
    return "" if value is None else str(value)


def rows_from(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Convert dataclass instances to dicts for :func:`emit`."""
    return [to_jsonable(item) for item in items]
