"""Custom taxonomies (CSV ``uri,label,kind,lang[,role]`` or SKOS), and :func:`read_classification`, the one
entry point that picks the reader (ESCO CSV, ESCO RDF or a taxonomy) for the files given.

Every reader builds its Classification with :class:`skillmap.sources.builder.ClassificationBuilder`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import check_regular_file, read_input_bytes
from skillmap.model import Classification, ProgressCallback
from skillmap.sources.builder import ROLE_RANK, ClassificationBuilder

TAXONOMY_COLUMNS = ("uri", "label", "kind", "lang")


# --- custom taxonomies ---------------------------------------------------------------------------------


def looks_like_taxonomy_csv(path: Path) -> bool:
    """True when ``path`` is a CSV whose header has the taxonomy columns ``uri,label,kind,lang``."""
    if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    first = head.splitlines()[0] if head else ""
    return set(TAXONOMY_COLUMNS) <= _header_columns(first)


def _delimiter(first_line: str) -> str:
    """The field separator of a CSV header line: comma, or semicolon/tab when they are more frequent.

    Spreadsheet programs in many European locales save "CSV" with semicolons.
    """
    return max((",", ";", "\t"), key=first_line.count)


def _header_columns(first_line: str) -> set[str]:
    """The lower-cased column names of a CSV header line, whatever its separator."""
    return {c.strip().strip('"').lower() for c in first_line.split(_delimiter(first_line))}


def read_taxonomy(
    path: str | Path,
    progress: ProgressCallback | None = None,
    *,
    max_input_mb: float | None = None,
    notes: list[str] | None = None,
) -> Classification:
    """Read a custom taxonomy: a CSV ``uri,label,kind,lang`` (optional ``role``) or a SKOS file.

    In the CSV every row is one surface form; without a ``role`` column the first label of a URI in a language
    is its preferred label and later ones are alternatives. SKOS files (Turtle, RDF/XML, N-Triples, JSON-LD)
    give ``skos:Concept``s with ``skos:prefLabel``/``altLabel``/``hiddenLabel``; what the reader noticed in a
    SKOS file (IRIs that are not valid URIs, concepts without a label) is added to ``notes``.
    """
    path = Path(path)
    if not path.exists():
        raise SkillmapError(f"taxonomy file not found: {path}")
    if path.is_dir():
        raise SkillmapError(f"taxonomy must be a file (CSV or SKOS), got a folder: {path}")
    check_regular_file(path)
    _refuse_spreadsheet(path)
    from skillmap.sources.esco_rdf import is_rdf_path

    if is_rdf_path(path):
        from skillmap.sources.esco_rdf import read_skos_taxonomy

        return read_skos_taxonomy(path, progress=progress, max_input_mb=max_input_mb, notes=notes)
    return read_label_table(
        path, name=path.stem, version=path.stem, origin="custom", progress=progress, max_input_mb=max_input_mb
    )


def read_label_table(
    path: Path,
    *,
    name: str,
    version: str,
    origin: str,
    progress: ProgressCallback | None = None,
    max_input_mb: float | None = None,
) -> Classification:
    """Read a CSV with one label per row (columns ``uri,label,kind,lang`` and optional ``role``, any order).

    This is the custom taxonomy format and also the format of the bundled ESCO sample. A header naming a column
    twice, and NUL characters (a damaged or binary file), are refused with the line they are on.
    """
    raw = read_input_bytes(path, max_input_mb=max_input_mb, what=f"taxonomy {path}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkillmapError(
            f"{path} is not UTF-8 (invalid byte at offset {exc.start}); save it as UTF-8 and try again"
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise SkillmapError(f"{path} is empty; a taxonomy CSV needs the columns {','.join(TAXONOMY_COLUMNS)}") from None
    except csv.Error as exc:
        raise SkillmapError(f"{path} is not a readable CSV ({exc})") from exc
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SkillmapError(
            f"{path}, line {line}: holds a NUL character; the file is damaged or not a text CSV — re-save it as UTF-8"
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise SkillmapError(
            f"{path} names the column {repeated[0]!r} twice in its header; which one holds the values is "
            "unclear — keep one column of each name"
        )
    missing = [c for c in TAXONOMY_COLUMNS if c not in header]
    if missing:
        raise SkillmapError(
            f"{path} is not a taxonomy CSV: missing column(s) {', '.join(missing)} "
            f"(expected a header {','.join(TAXONOMY_COLUMNS)}[,role])"
        )
    col = {name: header.index(name) for name in (*TAXONOMY_COLUMNS, "role") if name in header}
    builder = ClassificationBuilder()
    total = len(raw)
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < len(header):
                raise SkillmapError(
                    f"{path}, line {line}: {len(row)} fields where the header has {len(header)}; "
                    "the file is truncated or badly quoted"
                )
            uri, label = row[col["uri"]].strip(), row[col["label"]]
            kind, lang = row[col["kind"]].strip() or "concept", row[col["lang"]].strip().lower()
            if not uri:
                raise SkillmapError(f"{path}, line {line}: empty uri")
            role = row[col["role"]].strip().lower() if "role" in col else ""
            if role and role not in ROLE_RANK:
                raise SkillmapError(f"{path}, line {line}: role must be pref, alt or hidden, not {role!r}")
            if uri not in builder:
                builder.add_concept(uri, kind)
            # without a role, add_label keeps the first label per language preferred and demotes later ones
            builder.add_label(uri, label, lang, role or "pref")
            if progress and line % 20000 == 0:
                progress(min(total, total * line // max(1, text.count("\n"))), total)
    except csv.Error as exc:
        raise SkillmapError(f"{path}, line {line}: not a readable CSV ({exc}); the file may be truncated") from exc
    if not len(builder):
        raise SkillmapError(f"{path} has a taxonomy header but no rows")
    if progress:
        progress(total, total)
    return builder.build(name=name, version=version, origin=origin, sources=(path.name,))


# --- one entry point for every concept source ----------------------------------------------------------


def read_classification(
    paths: Sequence[str | Path],
    taxonomy: bool = False,
    progress: ProgressCallback | None = None,
    notes: list[str] | None = None,
    *,
    max_input_mb: float | None = None,
) -> Classification:
    """Read concepts from ``paths``, choosing the reader by file type and content.

    ESCO CSV (zip, folder or files), ESCO RDF (Turtle, N-Triples, RDF/XML, JSON-LD, optionally gzipped), or
    — with ``taxonomy=True`` or when the file looks like one — a custom taxonomy (CSV or SKOS). Only regular files
    are read, each within ``max_input_mb`` once decompressed (default: :func:`skillmap.fileio.max_input_bytes`).
    """
    from skillmap.sources import esco_csv, esco_rdf

    paths = [Path(p) for p in paths]
    if not paths:
        raise SkillmapError("no input files given")
    for path in paths:
        if not path.exists():
            raise SkillmapError(f"file not found: {path}")
        if not path.is_dir():
            check_regular_file(path)  # a FIFO or a link to /dev/zero would be read for ever
        _refuse_spreadsheet(path)
    if taxonomy:
        if len(paths) != 1:
            raise SkillmapError("give exactly one taxonomy file (CSV uri,label,kind,lang or SKOS)")
        return read_taxonomy(paths[0], progress=progress, max_input_mb=max_input_mb, notes=notes)
    rdf = [p for p in paths if esco_rdf.is_rdf_input(p)]
    if rdf:
        if len(rdf) != len(paths):
            raise SkillmapError("import either ESCO RDF files or ESCO CSV files in one go, not a mix")
        if len(paths) == 1 and esco_rdf.is_rdf_path(paths[0]) and not esco_rdf.mentions_esco_model(paths[0]):
            # plain SKOS: a taxonomy
            return read_taxonomy(paths[0], progress=progress, max_input_mb=max_input_mb, notes=notes)
        return esco_rdf.read_esco_rdf(paths, progress=progress, notes=notes, max_input_mb=max_input_mb)
    single = paths[0] if len(paths) == 1 and paths[0].is_file() else None
    if single is not None and looks_like_taxonomy_csv(single):
        return read_taxonomy(single, progress=progress, max_input_mb=max_input_mb, notes=notes)
    if single is not None and single.suffix.lower() == ".csv" and not esco_csv.is_esco_csv_input([single]):
        header = _first_line(single)
        if "conceptUri" in header:
            raise SkillmapError(
                f"{single} looks like an ESCO CSV but its name does not say what it holds and in which language; "
                "keep the official names (skills_en.csv, occupations_fr.csv, ...)"
            )
        missing = [c for c in TAXONOMY_COLUMNS if c not in _header_columns(header)]
        raise SkillmapError(
            f"{single} is neither an ESCO CSV (skills_<lang>.csv, occupations_<lang>.csv, ...) nor a taxonomy CSV "
            f"(missing column(s) {', '.join(missing)} of the header {','.join(TAXONOMY_COLUMNS)}[,role])"
        )
    return esco_csv.read_esco_csv(paths, progress=progress, notes=notes, max_input_mb=max_input_mb)


_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def _refuse_spreadsheet(path: Path) -> None:
    """A workbook is a zip of XML parts, which would otherwise be read as (broken) RDF: say what to do instead."""
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        raise SkillmapError(
            f"{path} is a spreadsheet workbook; save the sheet as CSV with the columns "
            f"{','.join(TAXONOMY_COLUMNS)} (one row per label) and give that file instead"
        )


def _first_line(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.readline(65536).decode("utf-8-sig", errors="replace").strip()
    except OSError as exc:
        raise SkillmapError(f"cannot read {path}: {exc.strerror or exc}") from exc
