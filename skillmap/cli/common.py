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

if TYPE_CHECKING:
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


def stdout_console() -> Console:
    """A console for tables on stdout (no soft wrapping surprises in pipes)."""
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    """A console for progress, notices and summaries on stderr, so stdout stays machine-readable."""
    return Console(stderr=True, highlight=False)


def notice(message: str) -> None:
    """Print an informational line on stderr (e.g. 'using the bundled ESCO sample')."""
    stderr_console().print(f"[yellow]note:[/yellow] {message}", markup=True, highlight=False)


@contextmanager
def progress_bar(
    description: str, *, counts: bool = False, unit: str = "", console: Console | None = None
) -> Iterator[Callable[[int, int], None]]:
    """Show a transient progress bar on stderr; yield the ``progress(done, total)`` callback the library takes.

    The bar shows a percentage, or with ``counts`` ``done/total`` followed by ``unit`` ("distinct texts").
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    amount = [MofNCompleteColumn(), *([TextColumn(unit)] if unit else [])] if counts else [TaskProgressColumn()]
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *amount,
        TimeElapsedColumn(),
        console=console or stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def open_index_with_notice() -> LoadedIndex:
    """Open the live concept index for a command, printing the bundled-sample notice when it applies."""
    from skillmap.store import open_index

    console = stderr_console()
    if not console.is_terminal:
        loaded = open_index()
    else:
        with _LazyBar("embedding the bundled sample's labels (first use)", console) as progress:
            loaded = open_index(progress=progress)
    if loaded.info.notice:
        notice(loaded.info.notice)
    return loaded


class _LazyBar:
    """A progress bar that appears only when the library first reports progress (most calls report none)."""

    def __init__(self, description: str, console: Console) -> None:
        self._description, self._console = description, console
        self._bar = None
        self._callback: Callable[[int, int], None] | None = None

    def __enter__(self) -> Callable[[str, int, int], None]:
        def progress(_stage: str, done: int, total: int) -> None:
            if self._bar is None:
                self._bar = progress_bar(self._description, counts=True, console=self._console)
                self._callback = self._bar.__enter__()
            assert self._callback is not None
            self._callback(done, total)

        return progress

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


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


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    if isinstance(value, (list, tuple)):
        return " | ".join(_csv_cell(v) for v in value)
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
            writer.writerow([_csv_cell(record.get(c)) for c in columns])
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
