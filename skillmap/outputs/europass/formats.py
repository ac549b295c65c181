"""Which serialiser a file name asks for (``.ttl`` Turtle, ``.jsonld`` JSON-LD, ``.xml`` QDR XML), and running it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.outputs.europass.jsonld import to_jsonld
from skillmap.outputs.europass.model import ElmExport
from skillmap.outputs.europass.qdr_xml import to_qdr_xml
from skillmap.outputs.europass.turtle import to_turtle

FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld", ".xml": "qdr-xml"}  # file suffix → export format

SERIALISERS: dict[str, Callable[[ElmExport], str]] = {"turtle": to_turtle, "json-ld": to_jsonld, "qdr-xml": to_qdr_xml}


def format_for(path: str | Path) -> str:
    """The export format a file name asks for (``.ttl`` Turtle, ``.jsonld`` JSON-LD, ``.xml`` QDR XML)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SkillmapError(
            f"cannot tell the export format of {Path(path).name}: use .ttl, .jsonld or .xml", hint="out"
        )
    return FORMATS[suffix]


def serialise(export: ElmExport, export_format: str) -> str:
    """Serialise ``export`` in ``export_format`` (``turtle``, ``json-ld`` or ``qdr-xml``)."""
    return SERIALISERS[export_format](export)
