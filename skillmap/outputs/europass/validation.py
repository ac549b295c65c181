"""Offline validation of a written export: SHACL (pyshacl) for Turtle / JSON-LD, the QDR XSD (lxml) for XML."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.outputs.europass.formats import format_for
from skillmap.outputs.europass.model import ELM_NS, JSONLD_CONTEXT_URL


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one export file against user-supplied shapes or XSD."""

    conforms: bool
    engine: str
    problems: tuple[str, ...] = ()


def _find_shapes(folder: Path) -> list[Path]:
    candidates = []
    for path in sorted(folder.rglob("*.ttl")):
        try:
            head = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "http://www.w3.org/ns/shacl#" in head and "NodeShape" in head:
            candidates.append(path)
    preferred = [p for p in candidates if "pyshacl" in p.name.lower()]
    return preferred[:1] or candidates


def _find_context(folder: Path) -> Path | None:
    contexts = sorted(folder.rglob("edc-ap-context*.jsonld"), key=lambda p: ("3.2" not in p.name, p.name))
    return contexts[0] if contexts else None


def validate_file(path: str | Path, shapes_dir: str | Path, export_format: str | None = None) -> ValidationResult:
    """Validate an export offline: SHACL (pyshacl, no inference, no ontology, no imports) for Turtle/JSON-LD,
    the QDR XSD (lxml) for XML. ``shapes_dir`` holds a pyshacl-ready LOQ shapes file and/or ``loq.xsd``
    (searched recursively), and for JSON-LD a local copy of the ``edc-ap`` context.
    """
    path, folder = Path(path), Path(shapes_dir)
    export_format = export_format or format_for(path)
    if not folder.is_dir():
        raise SkillmapError(
            f"{folder} is not a folder: give the folder holding the LOQ shapes / loq.xsd", hint="validate"
        )
    if export_format == "qdr-xml":
        return _validate_xsd(path, folder)
    return _validate_shacl(path, folder, export_format)


def _validate_xsd(path: Path, folder: Path) -> ValidationResult:
    from lxml import etree

    schemas = sorted(folder.rglob("loq.xsd"))
    if not schemas:
        raise SkillmapError(f"no loq.xsd in {folder}: give the folder that holds the QDR XSD", hint="validate")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        schema = etree.XMLSchema(etree.parse(str(schemas[0]), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        raise SkillmapError(f"cannot load the XSD {schemas[0]}: {exc}", hint="validate") from exc
    document = etree.parse(str(path), parser)
    ok = schema.validate(document)
    problems = tuple(f"line {e.line}: {e.message}" for e in schema.error_log) if not ok else ()
    return ValidationResult(ok, f"XSD {schemas[0].name}", problems)


def _validate_shacl(path: Path, folder: Path, export_format: str) -> ValidationResult:
    import rdflib

    rdflib.NORMALIZE_LITERALS = False  # keep "PT60H"^^xsd:duration as written
    from pyshacl import validate

    shapes_files = _find_shapes(folder)
    if not shapes_files:
        raise SkillmapError(f"no SHACL shapes (.ttl) in {folder}: give the folder with the LOQ shapes", hint="validate")
    shapes = rdflib.Graph()
    for shapes_file in shapes_files:
        shapes.parse(shapes_file, format="turtle")
    data = rdflib.Graph()
    if export_format == "json-ld":
        context = _find_context(folder)
        if context is None:
            raise SkillmapError(
                f"validating JSON-LD offline needs a local copy of the ELM context ({JSONLD_CONTEXT_URL}, "
                f"saved as edc-ap-context-v3.x.jsonld) in {folder}; nothing is fetched",
                hint="validate",
            )
        document = json.loads(path.read_text(encoding="utf-8"))
        local = json.loads(context.read_text(encoding="utf-8"))["@context"]
        document["@context"] = [local if c == JSONLD_CONTEXT_URL else c for c in document["@context"]]
        data.parse(data=json.dumps(document), format="json-ld")
    else:
        data.parse(path, format="turtle")
    elm = rdflib.Namespace(ELM_NS)
    if not any(True for _ in data.subjects(rdflib.RDF.type, elm.Qualification)):
        return ValidationResult(False, "SHACL", ("no elm:Qualification in the file",))
    try:
        conforms, _graph, text = validate(
            data,
            shacl_graph=shapes,
            inference="none",
            ont_graph=None,
            do_owl_imports=False,
            advanced=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pyshacl raises plain exceptions, e.g. for Java-only regexes
        raise SkillmapError(
            f"pyshacl cannot run the shapes in {folder} ({str(exc).splitlines()[0]}); the official LOQ files use "
            "Java-only regexes: give the folder with the pyshacl-ready merge (LOQ-v3.1-merged-pyshacl.ttl)",
            hint="validate",
        ) from exc
    problems = tuple(line.strip() for line in str(text).splitlines() if line.strip().startswith("Message:"))
    return ValidationResult(bool(conforms), f"SHACL {', '.join(p.name for p in shapes_files)}", problems)
