"""CLI commands: ``skillmap esco import``, ``skillmap esco info``, ``skillmap esco reset``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skillmap.cli.common import add_commands, command_group, emit, notice, progress_bar, stderr_console
from skillmap.cli.options import FormatOption, OutputFormat, QuietOption

if TYPE_CHECKING:
    from skillmap.store import IndexInfo

IMPORT_STAGES = {
    "reading": "Reading files",
    "indexing": "Building the match index",
    "embedding": "Embedding the labels (semantic matcher)",
    "saving": "Saving the index",
}

PathsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="ESCO CSV zip(s) or unzipped folder(s) (several languages and the relations zip may be combined), "
        "ESCO RDF files (.ttl/.nt/.rdf/.jsonld, optionally .gz), or one taxonomy file.",
        show_default=False,
        metavar="PATH...",
    ),
]
TaxonomyFlag = Annotated[
    bool,
    typer.Option(
        "--taxonomy",
        help="Treat the file as a custom taxonomy (CSV uri,label,kind,lang[,role] or SKOS), "
        "even if it is not detected as one.",
    ),
]
SemanticFlag = Annotated[
    bool,
    typer.Option(
        "--semantic/--no-semantic",
        help="Also embed the labels for the semantic matcher (about a minute for ESCO on 2 cores), or build the "
        "lexical index only (seconds; matching is then lexical).",
    ),
]


def import_command(
    paths: PathsArgument,
    taxonomy: TaxonomyFlag = False,
    semantic: SemanticFlag = True,
    quiet: QuietOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import ESCO or a custom taxonomy and make it the index every command matches against.

    The previous index stays in use until the new one is complete; a failed import changes nothing.
    """
    from skillmap.store import import_esco

    with progress_bar(quiet=quiet, stages=IMPORT_STAGES) as progress:
        info = import_esco(paths, taxonomy=taxonomy, semantic=semantic, progress=progress)
    print_index_info(info, fmt, title="Imported")


def info_command(fmt: FormatOption = OutputFormat.table) -> None:
    """Show what the live index holds: version, languages, counts per kind, origin and source files."""
    from skillmap.store import index_info

    info = index_info()
    if info.notice:
        notice(info.notice)
    print_index_info(info, fmt, title="Concept index")


def reset_command() -> None:
    """Remove the imported index, going back to the bundled ESCO sample."""
    from skillmap.store import remove_index

    removed = remove_index()
    stderr_console().print("removed the imported index" if removed else "nothing was imported")


def register(app: typer.Typer) -> None:
    """Add the ``esco`` command group to ``app``."""
    esco = command_group(
        app, "esco", help="Import ESCO (CSV zip/folder or RDF) or a custom taxonomy as the concepts to match against."
    )
    add_commands(esco, {"import": import_command, "info": info_command, "reset": reset_command})


def print_index_info(info: IndexInfo, fmt: OutputFormat, title: str) -> None:
    """Render an :class:`~skillmap.store.IndexInfo`: every field as JSON, counts per kind as CSV, a table."""
    if fmt == OutputFormat.json:
        emit(info_record(info), fmt)
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


def info_record(info: IndexInfo) -> dict[str, object]:
    """The JSON object of ``esco info`` / ``esco import --format json`` (field order as users see it)."""
    return {
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
