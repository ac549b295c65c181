"""Read the official ESCO CSV packages (v1.0.x, v1.1.x, v1.2.x; any language) into a Classification.

Accepted inputs, as users get them from the ESCO portal: the language zip
(``ESCO dataset - v1.1.1 - classification - en - csv.zip``), the language-independent relations zip
(``... classification -  - csv.zip``), an unzipped folder, or single CSV files. Several languages are merged by
concept URI; each label keeps the language written in its file name (``skills_fr.csv``, ``skills_en-us.csv``).

Traps of the real files handled here: CRLF records with bare LF inside quoted cells (the csv module with
``newline=""``), ISCO codes such as ``"01"`` (every cell stays a string), skills without ``skillType``, and
occupation–skill relations that point to occupations missing from the package (dropped, counted, reported).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from skillmap.errors import SkillmapError
from skillmap.fileio import check_regular_file, input_limit_error, max_input_bytes
from skillmap.model import Classification, ProgressCallback
from skillmap.skill_collections import collection_of_file, collection_of_scheme
from skillmap.sources.builder import ClassificationBuilder, normalise_skill_type

ISCO_PREFIX = "http://data.europa.eu/esco/isco/C"

# file stem (lower case, before "_<lang>") -> concept kind
CONCEPT_FILES = {
    "skills": "skill",
    "occupations": "occupation",
    "skillgroups": "skill_group",
    "iscogroups": "isco_group",
}
RELATION_FILES = ("occupationskillrelations", "broaderrelationsskillpillar", "broaderrelationsoccpillar")
# recognised as ESCO but not needed for matching (hierarchy repeats broader; collections skillmap does not know)
IGNORED_FILES = ("skillskillrelations", "conceptschemes", "skillshierarchy", "collection")
_SCHEME_SEPARATORS = re.compile(r"[,\n|]+")

_LANG_FILE = re.compile(r"^(?P<stem>[A-Za-z]+?)_(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.csv$")
_VERSION = re.compile(r"v(\d+\.\d+(?:\.(?:\d+|x))?)", re.IGNORECASE)
_RELATION_TYPES = {"essential": "essential", "optional": "optional"}


@dataclass(frozen=True)
class _Member:
    """One CSV inside a zip, a folder or given directly."""

    name: str  # file name, no folder
    display: str  # what error messages show
    size: int
    container: Path  # the zip, or the file itself
    inner: str | None  # member name inside the zip

    @property
    def stem(self) -> str:
        match = _LANG_FILE.match(self.name)
        return (match.group("stem") if match else Path(self.name).stem).lower()

    @property
    def lang(self) -> str | None:
        match = _LANG_FILE.match(self.name)
        return match.group("lang").lower() if match else None

    def role(self) -> str:
        stem = self.stem
        if stem in CONCEPT_FILES and self.lang:
            return "concepts"
        if stem in RELATION_FILES:
            return "relations"
        if collection_of_file(stem) is not None:
            return "collections"
        if stem in IGNORED_FILES or stem.endswith("collection"):
            return "ignored"
        return "unknown"

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        try:
            if self.inner is None:
                with self.container.open("rb") as handle:
                    yield handle
            else:
                with zipfile.ZipFile(self.container) as archive, archive.open(self.inner) as handle:
                    yield handle  # type: ignore[misc]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise SkillmapError(f"{self.display}: the zip is damaged ({exc}); download it again") from exc
        except OSError as exc:
            raise SkillmapError(f"cannot read {self.display}: {exc.strerror or exc}") from exc


def esco_version_from_name(path: Path) -> str | None:
    """Return the ESCO version written in a path (``v1.1.1`` in the zip name, ``v1.0.x`` in a folder), or None."""
    for part in reversed(path.parts):
        match = _VERSION.search(part)
        if match:
            return match.group(1)
    return None


def list_esco_csv_members(paths: Sequence[Path]) -> list[_Member]:
    """Expand zips and folders into the CSV files they hold; raise SkillmapError for missing/unreadable paths."""
    members: list[_Member] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise SkillmapError(f"file not found: {path}")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".zip"))
            inner_zips = [p for p in found if p.suffix.lower() == ".zip"]
            members.extend(_Member(p.name, str(p), p.stat().st_size, p, None) for p in found if p not in inner_zips)
            if inner_zips:
                members.extend(list_esco_csv_members(inner_zips))
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    infos = [i for i in archive.infolist() if not i.is_dir()]
            except (zipfile.BadZipFile, OSError) as exc:
                raise SkillmapError(f"{path} is not a readable zip ({exc}); download it again") from exc
            for info in sorted(infos, key=lambda i: i.filename):
                name = info.filename.rsplit("/", 1)[-1]
                if name.lower().endswith(".csv") and not name.startswith("._"):
                    members.append(_Member(name, f"{path.name}:{name}", info.file_size, path, info.filename))
        elif path.suffix.lower() == ".zip":
            raise SkillmapError(f"{path} is not a readable zip (damaged or truncated); download it again")
        else:
            check_regular_file(path)
            members.append(_Member(path.name, str(path), path.stat().st_size, path, None))
    return members


def holds_only_relations(paths: Sequence[Path]) -> bool:
    """True when the paths hold ESCO relation files (e.g. the relations zip) and no concept files."""
    try:
        roles = {m.role() for m in list_esco_csv_members(paths)}
    except SkillmapError:
        return False
    return "relations" in roles and "concepts" not in roles


def is_esco_csv_input(paths: Sequence[Path]) -> bool:
    """True when the paths hold at least one file named like an ESCO CSV (concepts or relations)."""
    try:
        return any(m.role() in ("concepts", "relations") for m in list_esco_csv_members(paths))
    except SkillmapError:
        return False


def _rows(member: _Member, progress: _Progress) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells): first the stripped header, then every record; every value stays a string."""
    with member.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, strict=True)
        line = 1
        try:
            header = next(reader, None)
            if not header:
                raise SkillmapError(f"{member.display} is empty; download the ESCO package again")
            header = [h.strip() for h in header]
            width = len(header)
            yield 1, header
            for number, row in enumerate(reader, start=1):
                line = reader.line_num
                if len(row) != width:
                    if not any(row):
                        continue
                    raise SkillmapError(
                        f"{member.display}, line {line}: {len(row)} fields where the header has {width}; "
                        "the file is truncated or damaged — download the ESCO package again"
                    )
                if "\x00" in "".join(row):
                    raise SkillmapError(
                        f"{member.display}, line {line}: holds a NUL character; the file is damaged — "
                        "download the ESCO package again"
                    )
                yield line, row
                if number % 4096 == 0:
                    progress.advance_to(member, _tell(raw))
        except UnicodeDecodeError as exc:
            raise SkillmapError(
                f"{member.display} is not UTF-8 (near line {line}); ESCO CSVs are UTF-8 — "
                "download the file again or re-save it as UTF-8"
            ) from exc
        except csv.Error as exc:
            raise SkillmapError(
                f"{member.display}, line {line}: broken CSV ({exc}); the file is truncated or damaged"
            ) from exc
        except (zipfile.BadZipFile, EOFError) as exc:
            raise SkillmapError(f"{member.display}: the zip is damaged ({exc}); download it again") from exc
    progress.finish(member)


def _tell(raw: BinaryIO) -> int:
    try:
        return raw.tell()
    except (OSError, ValueError):
        return 0


class _Progress:
    """Turns per-file byte positions into one (done, total) callback over all files."""

    def __init__(self, members: Sequence[_Member], callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.total = sum(m.size for m in members) or 1
        self.offset = 0

    def advance_to(self, member: _Member, position: int) -> None:
        if self.callback:
            self.callback(min(self.total, self.offset + min(position, member.size)), self.total)

    def finish(self, member: _Member) -> None:
        self.offset += member.size
        if self.callback:
            self.callback(min(self.offset, self.total), self.total)


def _columns(member: _Member, rows: Iterator[tuple[int, list[str]]], required: Sequence[str]) -> dict[str, int]:
    """Read the header from ``rows`` and return column positions; missing required columns → SkillmapError."""
    _line, header = next(rows)
    missing = [c for c in required if c not in header]
    if missing:
        raise SkillmapError(
            f"{member.display} is not an ESCO CSV: missing column(s) {', '.join(missing)} "
            f"(found {', '.join(header[:8])})"
        )
    return {name: position for position, name in enumerate(header)}


def _format_rank(columns: Sequence[str]) -> int:
    """Rank a concept file's column set: newer ESCO releases (more columns) come first when merging facts."""
    columns = set(columns)
    if "naceCode" in columns:
        return 2  # v1.2.x added NACE codes to occupations
    if "status" in columns or "hiddenLabels" in columns:
        return 1  # v1.1.x
    return 0  # v1.0.x "slim" files


def _header(member: _Member) -> list[str]:
    with member.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            first = next(csv.reader(text), [])
        except UnicodeDecodeError as exc:
            raise SkillmapError(
                f"{member.display} is not UTF-8 (byte {exc.start} of its first block); ESCO CSVs are UTF-8 — "
                "download the file again or re-save it as UTF-8"
            ) from exc
        except csv.Error:
            return []
    return [h.strip() for h in first]


def read_esco_csv(
    paths: Sequence[str | Path],
    progress: ProgressCallback | None = None,
    notes: list[str] | None = None,
    base: Classification | None = None,
    *,
    max_input_mb: float | None = None,
) -> Classification:
    """Read ESCO CSV zips, folders or files (any version, any languages) into one Classification.

    Labels of all languages are merged by concept URI. Facts (skill type, reuse level, codes) come from the
    newest column set present. ``progress(done, total)`` is called with bytes read; human-readable remarks
    (e.g. relations pointing to unknown occupations) are appended to ``notes``. With ``base`` (an ESCO import
    read earlier) the files add to it — e.g. the relations zip imported after the language zip. The files read from
    one zip, folder or path may hold at most ``max_input_mb`` (decompressed; default
    :func:`skillmap.fileio.max_input_bytes`).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise SkillmapError("no ESCO files given")
    members = list_esco_csv_members(paths)
    unknown = sorted({m.name for m in members if m.role() == "unknown"})
    if unknown and notes is not None:
        notes.append(f"ignored {len(unknown)} CSV file(s) that are not ESCO pillar files: {', '.join(unknown[:5])}")
    concept_members = [m for m in members if m.role() == "concepts"]
    relation_members = [m for m in members if m.role() == "relations"]
    collection_members = [m for m in members if m.role() == "collections"]
    if not concept_members and not (base is not None and relation_members):
        names = ", ".join(str(p) for p in paths)
        if relation_members:
            raise SkillmapError(
                f"{names} holds only ESCO relations; import a language package first (or both together), e.g. "
                '`skillmap esco import "ESCO dataset - v1.1.1 - classification - en - csv.zip" '
                '"ESCO dataset - v1.1.1 - classification -  - csv.zip"`'
            )
        raise SkillmapError(
            f"{names} holds no ESCO CSV files (expected skills_<lang>.csv, occupations_<lang>.csv, ...); "
            "give the ESCO CSV zip or its unzipped folder"
        )
    _check_sizes(concept_members + collection_members + relation_members, max_input_bytes(max_input_mb))
    headers = {m.display: _header(m) for m in concept_members}
    for member in concept_members:
        if "conceptUri" not in headers[member.display] or "preferredLabel" not in headers[member.display]:
            raise SkillmapError(
                f"{member.display} is not an ESCO CSV (no conceptUri/preferredLabel columns); "
                "download the ESCO package again"
            )
    # newest column set first, then by kind and name, so facts come from the most complete file
    concept_members.sort(key=lambda m: (-_format_rank(headers[m.display]), m.stem, m.lang or "", m.display))
    tracker = _Progress(concept_members + collection_members + relation_members, progress)
    builder = ClassificationBuilder()
    versions: dict[str, int] = {}
    if base is not None:
        builder.add_classification(base)
        versions.update({v: 3 for v in base.version.split(" + ")})
    newest_rank = max(_format_rank(headers[m.display]) for m in concept_members) if concept_members else 0
    only_older: dict[str, int] = {}  # version -> concepts that only an older release's files declare
    for member in concept_members:
        kind = CONCEPT_FILES[member.stem]
        lang = member.lang or "en"
        rank = _format_rank(headers[member.display])
        version = esco_version_from_name(Path(member.container)) or ("1.2.x", "1.1.x", "1.0.x")[2 - rank]
        versions.setdefault(version, rank)
        before = len(builder)
        _read_concepts(member, kind, lang, builder, tracker)
        if rank < newest_rank and len(builder) > before:
            only_older[version] = only_older.get(version, 0) + len(builder) - before
    if notes is not None:
        for version, count in sorted(only_older.items()):
            notes.append(
                f"kept {count:,} concepts found only in the ESCO {version} files (absent from the newer release: "
                "possibly obsolete; they carry only those files' labels)"
            )
    for member in collection_members:
        _read_collection(member, builder, tracker)
    for member in relation_members:
        version = esco_version_from_name(Path(member.container))
        if version:
            versions.setdefault(version, 1)
        if member.stem == "occupationskillrelations":
            _read_occupation_skills(member, builder, tracker)
        else:
            _read_broader(member, builder, tracker, notes)
    ordered_versions = sorted(versions, key=lambda v: (-versions[v], v))
    return builder.build(
        name="ESCO",
        version=" + ".join(ordered_versions),
        origin="imported",
        sources=tuple(
            sorted(
                {Path(m.container).name for m in concept_members + relation_members}
                | set(base.sources if base is not None else ())
            )
        ),
        notes=notes,
    )


def _check_sizes(members: Sequence[_Member], limit: int) -> None:
    """Refuse a zip (or file) whose ESCO CSVs expand beyond the input cap before reading a byte of them."""
    totals: dict[Path, int] = {}
    for member in members:
        totals[member.container] = totals.get(member.container, 0) + member.size
    for container, total in sorted(totals.items()):
        if total > limit:
            raise input_limit_error(str(container), total, limit)


def _read_concepts(member: _Member, kind: str, lang: str, builder: ClassificationBuilder, tracker: _Progress) -> None:
    rows = _rows(member, tracker)
    col = _columns(member, rows, ("conceptUri", "preferredLabel"))
    uri_at, pref_at = col["conceptUri"], col["preferredLabel"]
    optional = {
        name: col.get(name)
        for name in (
            "code",
            "iscoGroup",
            "skillType",
            "reuseLevel",
            "altLabels",
            "hiddenLabels",
            "inScheme",
            "description",
        )
    }

    def cell(row: list[str], name: str) -> str:
        position = optional[name]
        return row[position].strip() if position is not None else ""

    for _line, row in rows:
        uri = row[uri_at].strip()
        if not uri:
            continue
        isco = cell(row, "iscoGroup") if kind == "occupation" else ""
        builder.add_concept(
            uri,
            kind,
            skill_type=normalise_skill_type(cell(row, "skillType")),
            reuse_level=cell(row, "reuseLevel") or None,
            code=cell(row, "code") or None,
            broader=[ISCO_PREFIX + isco] if isco else [],
        )
        builder.add_label(uri, row[pref_at], lang, "pref")
        builder.add_labels(uri, cell(row, "altLabels"), lang, "alt")
        builder.add_labels(uri, cell(row, "hiddenLabels"), lang, "hidden")
        builder.add_description(uri, cell(row, "description"), lang)
        schemes = cell(row, "inScheme")
        if schemes:
            for scheme in _SCHEME_SEPARATORS.split(schemes):
                name = collection_of_scheme(scheme)
                if name:
                    builder.add_collection(uri, name)


def _read_collection(member: _Member, builder: ClassificationBuilder, tracker: _Progress) -> None:
    """A collection file (``digitalSkillsCollection_en.csv``…): tag each listed concept of the import with the
    collection, and record the broader concepts the file names (the hierarchy without the relations zip)."""
    name = collection_of_file(member.stem)
    rows = _rows(member, tracker)
    col = _columns(member, rows, ("conceptUri",))
    uri_at, broader_at = col["conceptUri"], col.get("broaderConceptUri")
    for _line, row in rows:
        uri = row[uri_at].strip()
        if name and builder.add_collection(uri, name) and broader_at is not None:
            for target in row[broader_at].split(" | "):
                builder.add_broader(uri, target.strip())


def _read_occupation_skills(member: _Member, builder: ClassificationBuilder, tracker: _Progress) -> None:
    rows = _rows(member, tracker)
    col = _columns(member, rows, ("occupationUri", "relationType", "skillUri"))
    occupation_at, relation_at, skill_at = col["occupationUri"], col["relationType"], col["skillUri"]
    for line, row in rows:
        relation = _RELATION_TYPES.get(row[relation_at].strip().lower())
        if relation is None:
            raise SkillmapError(
                f"{member.display}, line {line}: unknown relationType {row[relation_at]!r} "
                "(expected essential or optional)"
            )
        builder.add_relation(row[occupation_at].strip(), row[skill_at].strip(), relation)


def _read_broader(member: _Member, builder: ClassificationBuilder, tracker: _Progress, notes: list[str] | None) -> None:
    rows = _rows(member, tracker)
    col = _columns(member, rows, ("conceptUri", "broaderUri"))
    concept_at, broader_at = col["conceptUri"], col["broaderUri"]
    unknown = 0
    for _line, row in rows:
        if not builder.add_broader(row[concept_at].strip(), row[broader_at].strip()):
            unknown += 1
    if unknown and notes is not None:
        notes.append(f"{member.display}: skipped {unknown:,} broader relations of concepts not in the import")
