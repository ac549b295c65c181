"""The 16 European standard elements of a micro-credential (Council Recommendation 2022/C 243/02, Annex I), and the
closed value lists some of them take, from ``data/microcredentials/``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.vocabularies import spelling_key

REQUIREMENTS = ("mandatory", "mandatory_if_applicable", "optional")


@dataclass(frozen=True, slots=True)
class AnnexElement:
    """One element of Annex I: its number, key, requirement, the Annex's wording, where ELM 3.1 holds it, and the
    column roles (``data/columns/header_names.csv``) that can state it."""

    number: int
    element: str
    requirement: str  # one of REQUIREMENTS
    wording: str
    elm_property: str
    column_roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ElementValue:
    """A value of a closed list: what is written for it, and what it means (``stackable``, ``true``, ``6`` …)."""

    value: str
    meaning: str


@lru_cache(maxsize=1)
def annex_elements() -> tuple[AnnexElement, ...]:
    """The 16 elements in the Annex's order (11 mandatory, of which the level "if applicable", then 5 optional)."""
    return tuple(
        AnnexElement(
            number=int(row["number"]),
            element=row["element"],
            requirement=row["requirement"],
            wording=row["wording"],
            elm_property=row["elm_property"],
            column_roles=tuple(row["column_role"].split("|")),
        )
        for row in read_data_rows(bundled_data_dir() / "microcredentials" / "annex-i.csv")
    )


@lru_cache(maxsize=1)
def _value_lists() -> dict[str, dict[str, ElementValue]]:
    lists: dict[str, dict[str, ElementValue]] = {}
    for row in read_data_rows(bundled_data_dir() / "microcredentials" / "element-values.csv"):
        value = ElementValue(row["value"], row["meaning"])
        for spelling in [row["value"], *row["accepted"].split("|")]:
            lists.setdefault(row["element"], {})[spelling_key(spelling)] = value
    return lists


@lru_cache(maxsize=4096)
def element_value_of(element: str, text: str) -> ElementValue | None:
    """The closed-list value ``text`` spells for ``element`` (``supervision``, ``stackability``, ``level``,
    ``boolean``, ``any``), or None."""
    return _value_lists().get(element, {}).get(spelling_key(text.strip(" .;")))


def element_values(element: str) -> list[str]:
    """The values ``element`` takes, as written (for messages)."""
    return sorted({v.value for v in _value_lists().get(element, {}).values()})
