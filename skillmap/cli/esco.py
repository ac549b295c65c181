"""CLI commands: ``skillmap esco import``, ``skillmap esco info``, ``skillmap esco reset``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.cli.common import FormatOption, OutputFormat, command_group, emit, notice, stderr_console

if TYPE_CHECKING:
    from skillmap.store import IndexInfo

_STAGES = {
    "reading": "Reading files",
    "indexing": "Building the match index",
    "embedding": "Embedding the labels (semantic matcher)",
    "saving": "Saving the index",
}


def register(app: typer.Typer) -> None:
    """Add the ``esco`` command group to ``app``."""
    esco = command_group(
        app, "esco", help="Import ESCO (CSV zip/folder or RDF) or a custom taxonomy as the concepts to match against."
    )

    @esco.command("import")
    def import_command(
        paths: Annotated[
            list[Path],
            typer.Argument(
                help="ESCO CSV zip(s) or unzipped folder(s) (several languages and the relations zip may be "
                "combined), ESCO RDF files (.ttl/.nt/.rdf/.jsonld, optionally .gz), or one taxonomy file.",
                show_default=False,
                metavar="PATH...",
            ),
        ],
        taxonomy: Annotated[
            bool,
            typer.Option(
                "--taxonomy",
                help="Treat the file as a custom taxonomy (CSV uri,label,kind,lang[,role] or SKOS), "
                "even if it is not detected as one.",
            ),
        ] = False,
        no_semantic: Annotated[
            bool,
            typer.Option(
                "--no-semantic",
                help="Build the lexical index only (seconds), without the label embeddings of the semantic "
                "matcher (about a minute for ESCO on 2 cores); matching is then lexical.",
            ),
        ] = False,
        fmt: FormatOption = OutputFormat.table,
    ) -> None:
        """Import ESCO or a custom taxonomy and make it the index every command matches against.

        The previous index stays in use until the new one is complete; a failed import changes nothing.
        """
        from skillmap.store import import_classification

        info = _run_import(paths, taxonomy, not no_semantic, import_classification)
        _print_info(info, fmt, title="Imported")

    @esco.command("info")
    def info_command(fmt: FormatOption = OutputFormat.table) -> None:
        """Show what the live index holds: version, languages, counts per kind, origin and source files."""
        from skillmap.store import index_info

        info = index_info()
        if info.notice:
            notice(info.notice)
        _print_info(info, fmt, title="Concept index")

    @esco.command("reset")
    def reset_command() -> None:
        """Remove the imported index, going back to the bundled ESCO sample."""
        from skillmap.store import remove_index

        removed = remove_index()
        stderr_console().print("removed the imported index" if removed else "nothing was imported")


def _run_import(paths: list[Path], taxonomy: bool, semantic: bool, import_classification) -> IndexInfo:
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    console = stderr_console()
    if not console.is_terminal:  # logs and CI: no bar (it would only leave blank lines around messages)
        return import_classification(paths, taxonomy=taxonomy, semantic=semantic)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))

        return import_classification(paths, taxonomy=taxonomy, semantic=semantic, progress=progress)


def _print_info(info: IndexInfo, fmt: OutputFormat, title: str) -> None:
    record = {
        "name": info.name,
        "version": info.version,
        "origin": info.origin,
        "languages": list(info.languages),
        "counts": dict(info.counts),
        "concepts": info.concepts,
        "labels": info.labels,
        "relations": info.relations,
        "sources": list(info.sources),
        "notes": list(info.notes),
        "location": info.location,
        "format_version": info.format_version,
        "semantic_model": info.semantic_model,
    }
    if fmt == OutputFormat.json:
        emit(record, fmt)
        return
    if fmt == OutputFormat.csv:
        emit([{"kind": kind, "count": count} for kind, count in info.counts.items()], fmt, columns=["kind", "count"])
        return
    rows = [
        {"field": "name", "value": info.name},
        {"field": "version", "value": info.version},
        {"field": "origin", "value": info.origin},
        {"field": "languages", "value": ", ".join(info.languages)},
        *({"field": f"{kind}s", "value": f"{count:,}"} for kind, count in info.counts.items()),
        {"field": "labels", "value": f"{info.labels:,}"},
        {"field": "relations", "value": f"{info.relations:,}"},
        {"field": "semantic model", "value": info.semantic_model or "none (lexical matching only)"},
        {"field": "sources", "value": "\n".join(info.sources)},
        {"field": "location", "value": info.location},
    ]
    emit(rows, fmt, columns=["field", "value"], title=title)
    for line in info.notes:
        notice(line)
