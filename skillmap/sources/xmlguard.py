"""Refuse XML documents that declare a DOCTYPE, decided by an XML parser (expat), never by looking for bytes.

Every XML skillmap reads (RDF/XML ESCO dumps and SKOS taxonomies, the EU NQF/EQF vocabularies, RNCP exports)
comes from an export that needs no DTD. A DOCTYPE is the only way to declare entities — the "billion laughs"
expansion, internal entities smuggled into labels, external entities that would read local files or reach the
network — so any DOCTYPE is refused, wherever it sits after comments or processing instructions.

:func:`refuse_doctype` runs expat over the document's prolog only: it stops at the root element's start tag
(after which no DOCTYPE may appear), so the check costs next to nothing on a large dump.
"""

from __future__ import annotations

from xml.parsers import expat

from skillmap.errors import SkillmapError

_CHUNK = 64 * 1024


class _Doctype(Exception):
    """Raised from expat's DOCTYPE handler."""


class _RootReached(Exception):
    """Raised at the first start tag: the prolog (where a DOCTYPE would be) is over."""


def refuse_doctype(data: bytes, display: str) -> None:
    """Raise :class:`SkillmapError` (one line) when the XML document ``data`` has a DOCTYPE declaration.

    Badly formed XML is left for the real parser to report in its own words.
    """
    parser = expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise _Doctype

    def root(*_args: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype  # belt and braces: entities can only be declared inside a DOCTYPE
    parser.StartElementHandler = root
    try:
        for start in range(0, len(data), _CHUNK):
            parser.Parse(data[start : start + _CHUNK], False)
        parser.Parse(b"", True)
    except _Doctype:
        raise SkillmapError(
            f"{display} has a DOCTYPE declaration; skillmap refuses XML with a DTD or entity declarations "
            "(they can expand without bound or read other files) — remove the DOCTYPE and import again"
        ) from None
    except (_RootReached, expat.ExpatError):
        return
