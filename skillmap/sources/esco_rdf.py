"""Read ESCO as RDF (Turtle, N-Triples, RDF/XML, JSON-LD; optionally gzipped) and SKOS taxonomies via rdflib.

What is read: ``skos:prefLabel``/``altLabel``/``hiddenLabel`` (and their ``skosxl`` reified forms) with their
language tags, ``dct:description`` (a literal, or the official dump's ``esco:nodeLiteral`` nodes),
``esco:skillType``, ``esco:skillReuseLevel``, ``skos:notation``, ``skos:broader`` and ``esco:memberOfISCOGroup``,
and occupation–skill links in both ESCO forms: the direct ``esco:isEssentialSkillFor``/``isOptionalSkillFor`` (and
``hasEssentialSkill``/``hasOptionalSkill``) triples and ``esco:AssociationObject`` nodes (``isAssociationFor``,
``target``, ``dct:type``).

Nothing is ever fetched: JSON-LD documents that name a remote ``@context`` are refused with a clear message, and
RDF/XML with any DOCTYPE (the only place entities can be declared) is refused by an XML parser before rdflib
sees it (:mod:`skillmap.sources.xmlguard`). Inputs are read within the input size cap
(:func:`skillmap.fileio.max_input_bytes`), decompressed gzip and zip members included.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import check_zip_sizes, gunzip_capped, max_input_bytes, read_input_bytes
from skillmap.model import Classification, ProgressCallback
from skillmap.skill_collections import collection_of_scheme
from skillmap.sources.builder import ROLE_RANK, ClassificationBuilder, normalise_skill_type
from skillmap.sources.xmlguard import refuse_doctype

ESCO = "http://data.europa.eu/esco/model#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

RDF_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "n3",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
_KIND_BY_TYPE = {
    ESCO + "Skill": "skill",
    ESCO + "Occupation": "occupation",
    ESCO + "SkillGroup": "skill_group",
    ESCO + "ISCOGroup": "isco_group",
}
_KIND_BY_URI = (
    ("/esco/skill/", "skill"),
    ("/esco/occupation/", "occupation"),
    ("/esco/isco/", "isco_group"),
    ("/esco/isced-f/", "skill_group"),
)
_LABEL_ROLES = {"prefLabel": "pref", "altLabel": "alt", "hiddenLabel": "hidden"}
_VERSION = re.compile(r"v(\d+\.\d+(?:\.(?:\d+|x))?)", re.IGNORECASE)
_SNIFF_BYTES = 256 * 1024


def _format_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def is_rdf_path(path: Path) -> bool:
    """True when the file name says RDF (``.ttl``, ``.nt``, ``.rdf``, ``.jsonld``, ... optionally ``.gz``)."""
    return _format_suffix(Path(path)) in RDF_FORMATS


def _read_bytes(path: Path, max_input_mb: float | None = None) -> bytes:
    data = read_input_bytes(path, max_input_mb=max_input_mb)
    return _gunzip(data, str(path), max_input_mb=max_input_mb)


def _gunzip(data: bytes, display: str, max_input_mb: float | None = None) -> bytes:
    """``data`` decompressed when it is gzip (within the input cap), else as it is; a damaged stream → SkillmapError."""
    if data[:2] != b"\x1f\x8b":
        return data
    return gunzip_capped(data, max_input_bytes(max_input_mb), display)


def mentions_esco_model(path: Path) -> bool:
    """True when the start of an RDF file uses the ESCO model namespace (else it is treated as plain SKOS)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return True  # let the ESCO reader report the problem
    return ESCO.encode() in head or b"data.europa.eu/esco/" in head


def _check_offline(path: Path | str, data: bytes, fmt: str) -> None:
    """Refuse documents that would make rdflib reach the network or expand entities."""
    if fmt == "json-ld":
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise SkillmapError(f"{path} is not UTF-8 JSON-LD (byte {exc.start}); save it as UTF-8") from exc
        except ValueError as exc:
            raise SkillmapError(f"{path} is not valid JSON-LD: {exc}") from exc
        remote = _remote_contexts(document)
        if remote:
            raise SkillmapError(
                f"{path} refers to a remote JSON-LD @context ({remote[0]}); skillmap works offline — "
                "replace the URL with the context object itself and import again"
            )
    elif fmt == "xml":
        refuse_doctype(data, str(path))


def _remote_contexts(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                for context in value if isinstance(value, list) else [value]:
                    if isinstance(context, str):
                        found.append(context)
                    elif isinstance(context, dict) and isinstance(context.get("@import"), str):
                        found.append(context["@import"])
            found.extend(_remote_contexts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_remote_contexts(item))
    return found


def rdf_members_in_zip(path: Path) -> list[str]:
    """Names of the RDF files inside a zip (ESCO publishes its RDF download as a zipped Turtle file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError):
        return []
    return sorted(n for n in names if is_rdf_path(Path(n)) and not n.rsplit("/", 1)[-1].startswith("._"))


def is_rdf_input(path: Path) -> bool:
    """True for an RDF file (by suffix) or a zip holding RDF files."""
    path = Path(path)
    if not path.is_file():
        return False
    return is_rdf_path(path) or (zipfile.is_zipfile(path) and bool(rdf_members_in_zip(path)))


def parse_rdf(
    path: Path, *, max_input_mb: float | None = None, notes: list[str] | None = None
):  # -> rdflib.Graph (rdflib imported only here)
    """Parse one RDF file (gzip allowed) into an rdflib Graph, offline; bad syntax → SkillmapError.

    ``max_input_mb`` raises the cap on the (decompressed) size read (default: :func:`~skillmap.fileio.max_input_bytes`).
    IRIs that are not valid URIs (a space, ``{``…) are read as written and counted in one line into ``notes``.
    """
    path = Path(path)
    if not path.exists():
        raise SkillmapError(f"file not found: {path}")
    fmt = RDF_FORMATS.get(_format_suffix(path))
    if fmt is None:
        raise SkillmapError(f"{path}: unknown RDF file type (use .ttl, .nt, .rdf, .jsonld, optionally .gz)")
    data = _read_bytes(path, max_input_mb)
    return _parse_bytes(data, str(path), fmt, path.resolve().as_uri(), notes)


def _parse_zip_member(
    path: Path, member: str, max_input_mb: float | None = None, notes: list[str] | None = None
):  # -> rdflib.Graph
    display = f"{path.name}:{member}"
    limit = max_input_bytes(max_input_mb)
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_sizes(archive, limit, display, [member])
            data = archive.read(member)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise SkillmapError(f"{display}: the zip is damaged ({exc}); download it again") from exc
    data = _gunzip(data, display, max_input_mb)
    fmt = RDF_FORMATS[_format_suffix(Path(member))]
    return _parse_bytes(data, display, fmt, path.resolve().as_uri() + "#" + member, notes)


class _InvalidUris(logging.Filter):
    """Keeps rdflib's "does not look like a valid URI" warnings (one per IRI) off stderr, counting them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.first = ""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "does not look like a valid URI" not in message:
            return True
        self.count += 1
        self.first = self.first or message.split(" does not look like", 1)[0]
        return False


@contextlib.contextmanager
def _invalid_uris_counted(display: str, notes: list[str] | None) -> Iterator[None]:
    logger = logging.getLogger("rdflib.term")
    counter = _InvalidUris()
    logger.addFilter(counter)
    try:
        yield
    finally:
        logger.removeFilter(counter)
    if counter.count and notes is not None:
        notes.append(
            f"{display}: {counter.count:,} IRI(s) are not valid URIs (the first: {counter.first[:120]!r}); "
            "read as written"
        )


def _parse_bytes(data: bytes, display: str, fmt: str, base: str, notes: list[str] | None = None):  # -> rdflib.Graph
    import rdflib

    if not data.strip():
        raise SkillmapError(f"{display} is empty")
    _check_offline(display, data, fmt)
    graph = rdflib.Graph() if fmt not in ("nquads", "trig") else rdflib.Dataset()
    try:
        # rdflib's JSON-LD parser warns about its own ConjunctiveGraph use; its URI warnings become one note
        with warnings.catch_warnings(), _invalid_uris_counted(display, notes):
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=data, format=fmt, publicID=base)
    except UnicodeDecodeError as exc:
        raise SkillmapError(f"{display} is not UTF-8 (byte {exc.start}); RDF files must be UTF-8") from exc
    except Exception as exc:  # rdflib raises many types (BadSyntax, SAXParseException, ValueError, ...)
        message = " ".join(str(exc).split())
        if len(message) > 240:
            message = message[:240] + "…"
        raise SkillmapError(f"{display} is not valid {fmt} RDF: {message}") from exc
    if isinstance(graph, rdflib.Dataset):
        merged = rdflib.Graph()
        for triple in graph.triples((None, None, None)):
            merged.add(triple)
        graph = merged
    return graph


def _collect(graph, builder: ClassificationBuilder, default_kind: str | None) -> None:
    """Add every concept of ``graph`` to ``builder``; default_kind is used for untyped concepts (taxonomies).

    Each predicate is scanned once over the whole graph (much faster than per-concept look-ups on large dumps),
    and every multi-valued fact is sorted, so the result never depends on rdflib's triple order.
    """
    from rdflib import URIRef
    from rdflib.term import Literal

    def scan(predicate: str) -> Iterator[tuple[str, object]]:
        for subject, _p, obj in graph.triples((None, URIRef(predicate), None)):
            if isinstance(subject, URIRef):
                yield str(subject), obj

    typed: dict[str, str] = {}
    concept_subjects: set[str] = set()
    for subject, obj in scan(RDF_TYPE):
        kind = _KIND_BY_TYPE.get(str(obj))
        if kind:
            typed[subject] = min(kind, typed.get(subject, kind))
        if kind or str(obj) in (SKOS + "Concept", ESCO + "MemberConcept"):
            concept_subjects.add(subject)
    literal_forms: dict[str, list[Literal]] = {}
    for label_node, _p, literal in graph.triples((None, URIRef(SKOSXL + "literalForm"), None)):
        if isinstance(literal, Literal):
            literal_forms.setdefault(str(label_node), []).append(literal)
    labels: dict[str, list[tuple[int, str, str, str]]] = {}
    for name, role in _LABEL_ROLES.items():
        rank = ROLE_RANK[role]
        for subject, literal in scan(SKOS + name):
            if isinstance(literal, Literal):
                labels.setdefault(subject, []).append((rank, (literal.language or "en").lower(), str(literal), role))
        for subject, label_node in scan(SKOSXL + name):
            for literal in literal_forms.get(str(label_node), ()):
                labels.setdefault(subject, []).append((rank, (literal.language or "en").lower(), str(literal), role))
    descriptions = _descriptions(graph, scan)
    facts: dict[str, dict[str, list[str]]] = {}
    for name, predicate in (
        ("skill_type", ESCO + "skillType"),
        ("reuse_level", ESCO + "skillReuseLevel"),
        ("code", SKOS + "notation"),
        ("broader", SKOS + "broader"),
        ("broader", ESCO + "memberOfISCOGroup"),
        ("scheme", SKOS + "inScheme"),
    ):
        for subject, obj in scan(predicate):
            if name in ("broader", "scheme") and not isinstance(obj, URIRef):
                continue
            facts.setdefault(subject, {}).setdefault(name, []).append(str(obj))
    for uri in sorted(concept_subjects | set(labels)):
        kind = typed.get(uri) or _kind_from_uri(uri) or default_kind or "concept"
        known = facts.get(uri, {})
        builder.add_concept(
            uri,
            kind,
            skill_type=normalise_skill_type(min(known.get("skill_type", [""]))),
            reuse_level=_last_segment(min(known.get("reuse_level", [""]))),
            code=min(known["code"]) if "code" in known else None,
            broader=sorted(known.get("broader", ())),
        )
        for scheme in known.get("scheme", ()):
            collection = collection_of_scheme(scheme)
            if collection:  # an ESCO collection (digital, green…) is a concept scheme its members are in
                builder.add_collection(uri, collection)
        for _rank, lang, text, role in sorted(labels.get(uri, ())):
            builder.add_label(uri, text, lang, role)
        for lang, text in sorted(descriptions.get(uri, ())):  # the first in sorted order stays per language
            builder.add_description(uri, text, lang)
    _collect_relations(graph, builder)


def _descriptions(graph, scan: Callable[[str], Iterator[tuple[str, object]]]) -> dict[str, list[tuple[str, str]]]:
    """Each subject's ``dct:description`` texts as (language, text): a literal (the CSV-derived dumps) or, in the
    official dump, a node whose ``esco:nodeLiteral`` holds the text (language from its tag or ``esco:language``).
    Markup forms (a text starting with ``<``) are left out: the plain text is what a description view embeds."""
    from rdflib import URIRef
    from rdflib.term import Literal

    node_texts: dict[str, list[Literal]] = {}
    for node, _p, literal in graph.triples((None, URIRef(ESCO + "nodeLiteral"), None)):
        if isinstance(literal, Literal):
            node_texts.setdefault(str(node), []).append(literal)
    node_langs = {str(node): str(lang) for node, _p, lang in graph.triples((None, URIRef(ESCO + "language"), None))}
    found: dict[str, list[tuple[str, str]]] = {}
    for subject, obj in scan(DCT + "description"):
        literals = (
            [(obj, "")]
            if isinstance(obj, Literal)
            else [(x, node_langs.get(str(obj), "")) for x in node_texts.get(str(obj), ())]
        )
        for literal, node_lang in literals:
            text = str(literal).strip()
            if text and not text.startswith("<"):
                lang = (literal.language or node_lang or "en").lower()
                found.setdefault(subject, []).append((lang, text))
    return found


def _collect_relations(graph, builder: ClassificationBuilder) -> None:
    from rdflib import URIRef

    def iri(name: str) -> URIRef:
        return URIRef(name)

    for predicate, relation in (("isEssentialSkillFor", "essential"), ("isOptionalSkillFor", "optional")):
        for skill, _p, occupation in graph.triples((None, iri(ESCO + predicate), None)):
            builder.add_relation(str(occupation), str(skill), relation)
    for predicate, relation in (("hasEssentialSkill", "essential"), ("hasOptionalSkill", "optional")):
        for occupation, _p, skill in graph.triples((None, iri(ESCO + predicate), None)):
            builder.add_relation(str(occupation), str(skill), relation)
    for association in graph.subjects(iri(RDF_TYPE), iri(ESCO + "AssociationObject")):
        source = graph.value(association, iri(ESCO + "isAssociationFor"))
        target = graph.value(association, iri(ESCO + "target"))
        kind = _text(graph.value(association, iri(DCT + "type"))) or ""
        if source is None or target is None:
            continue
        source_kind = builder.kind_of(str(source)) or _kind_from_uri(str(source))
        if source_kind != "occupation":
            continue  # skill–skill associations are not occupation–skill links
        if kind.endswith("essential-skill"):
            builder.add_relation(str(source), str(target), "essential")
        elif kind.endswith("optional-skill"):
            builder.add_relation(str(source), str(target), "optional")


def _kind_from_uri(uri: str) -> str | None:
    for fragment, kind in _KIND_BY_URI:
        if fragment in uri:
            return kind
    return None


def _text(node: object) -> str | None:
    return None if node is None else str(node)


def _last_segment(value: str | None) -> str | None:
    if not value:
        return None
    return value.rstrip("/").rsplit("/", 1)[-1] or None


def _version_from_name(paths: Sequence[Path]) -> str | None:
    for path in paths:
        match = _VERSION.search(path.name)
        if match:
            return match.group(1)
    return None


def read_esco_rdf(
    paths: Sequence[str | Path],
    progress: ProgressCallback | None = None,
    notes: list[str] | None = None,
    *,
    max_input_mb: float | None = None,
) -> Classification:
    """Read one or more ESCO RDF files into a Classification (labels of all languages merged by URI).

    ``progress(done, total)`` counts files; relations to concepts missing from the files are dropped and
    counted into ``notes``. ``max_input_mb`` raises the cap on what one file (or zip member) may expand to.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise SkillmapError("no RDF files given")
    sources: list[tuple[Path, str | None]] = []  # (file, member inside a zip or None)
    for path in paths:
        if path.is_file() and not is_rdf_path(path) and zipfile.is_zipfile(path):
            members = rdf_members_in_zip(path)
            if not members:
                raise SkillmapError(f"{path} holds no RDF files (.ttl, .nt, .rdf, .jsonld)")
            sources.extend((path, member) for member in members)
        else:
            sources.append((path, None))
    builder = ClassificationBuilder()
    for done, (path, member) in enumerate(sources):
        if progress:
            progress(done, len(sources))
        if member is None:
            graph = parse_rdf(path, max_input_mb=max_input_mb, notes=notes)
        else:
            graph = _parse_zip_member(path, member, max_input_mb, notes)
        _collect(graph, builder, default_kind=None)
        del graph
    if progress:
        progress(len(sources), len(sources))
    if not len(builder):
        raise SkillmapError(f"{', '.join(str(p) for p in paths)} holds no SKOS/ESCO concepts (no skos:prefLabel found)")
    return builder.build(
        name="ESCO",
        version=_version_from_name(paths) or "unknown",
        origin="imported",
        sources=tuple(sorted(p.name for p in paths)),
        notes=notes,
    )


def read_skos_taxonomy(
    path: str | Path,
    progress: ProgressCallback | None = None,
    *,
    max_input_mb: float | None = None,
    notes: list[str] | None = None,
) -> Classification:
    """Read a custom SKOS taxonomy (``skos:Concept`` with ``prefLabel``/``altLabel``) from one RDF file; what is
    worth telling (IRIs that are not valid URIs, concepts without a label) goes into ``notes``."""
    path = Path(path)
    if progress:
        progress(0, 1)
    graph = parse_rdf(path, max_input_mb=max_input_mb, notes=notes)
    builder = ClassificationBuilder()
    _collect(graph, builder, default_kind="concept")
    if not len(builder):
        raise SkillmapError(f"{path} holds no SKOS concepts (no skos:Concept or skos:prefLabel found)")
    if progress:
        progress(1, 1)
    return builder.build(name=path.stem, version=path.stem, origin="custom", sources=(path.name,), notes=notes)
