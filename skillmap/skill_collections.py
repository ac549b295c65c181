"""The ESCO collections (digital, green, transversal, language, DigComp, research) and the DigComp areas.

ESCO publishes each collection twice: as a file of the CSV package (``digitalSkillsCollection_en.csv``…) and as a
concept scheme every member names in its ``inScheme`` cell (``skos:inScheme`` in RDF). Both map to one short name
here, read from ``data/esco/collections.csv``; the five DigComp competence areas and the ESCO skill groups that
stand for them come from ``data/digital/digcomp_areas.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows


@dataclass(frozen=True, slots=True)
class CollectionKind:
    """One ESCO collection: its short name (``digital``), readable label, concept scheme and file stem."""

    name: str
    label: str
    scheme_uri: str
    file_stem: str


@lru_cache(maxsize=1)
def known_collections() -> tuple[CollectionKind, ...]:
    """Every ESCO collection skillmap reads, in data-file order."""
    rows = read_data_rows(bundled_data_dir() / "esco" / "collections.csv")
    return tuple(CollectionKind(r["name"], r["label"], r["scheme_uri"], r["file_stem"].lower()) for r in rows)


def collection_names() -> tuple[str, ...]:
    """The distinct short names (``digital``, ``green``…), in data-file order."""
    return tuple(dict.fromkeys(kind.name for kind in known_collections()))


@lru_cache(maxsize=2)
def _names_by(field: str) -> dict[str, str]:
    """Short collection name by one field of the data file (``scheme_uri`` or ``file_stem``)."""
    return {getattr(kind, field): kind.name for kind in known_collections()}


def collection_of_scheme(scheme_uri: str) -> str | None:
    """The collection a concept scheme URI stands for, or None (``member-skills`` and other schemes)."""
    return _names_by("scheme_uri").get(scheme_uri.strip())


def collection_of_file(stem: str) -> str | None:
    """The collection a CSV file stem stands for (``digitalskillscollection`` → ``digital``), or None."""
    return _names_by("file_stem").get(stem.lower())


def parse_collection(value: str | None) -> str | None:
    """Check a collection name given by a user (``digital``, ``Green``); None stays None."""
    if value is None:
        return None
    name = value.strip().lower()
    if name not in collection_names():
        raise SkillmapError(
            f"unknown collection {value!r}; the ESCO collections are {', '.join(collection_names())}",
            hint="collection",
        )
    return name


@dataclass(frozen=True, slots=True)
class DigCompArea:
    """A DigComp 2.2 competence area and the ESCO skill group that stands for it in the DigComp collection."""

    number: int
    name: str
    esco_uri: str
    esco_label: str


@lru_cache(maxsize=1)
def digcomp_areas() -> tuple[DigCompArea, ...]:
    """The five DigComp competence areas, in DigComp's order."""
    rows = read_data_rows(bundled_data_dir() / "digital" / "digcomp_areas.csv")
    return tuple(DigCompArea(int(r["area"]), r["name"], r["esco_uri"], r["esco_label"]) for r in rows)
