"""Which input column holds which micro-credential element: header names in the EU languages, read from the same
file as align's (``data/columns/header_names.csv``), so ``align``, ``export europass`` and ``check microcredential``
accept the same columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.sources.spreadsheets import normalise_header

# The roles of header_names.csv this package reads (align's own roles: title, level, text, code, country, …).
ELEMENT_ROLES: tuple[str, ...] = (
    "learner",
    "issue_date",
    "ects",
    "ecvet",
    "hours",
    "eqf_level",
    "assessment",
    "mode",
    "learning_setting",
    "quality_assurance",
    "accrediting_body",
    "prerequisites",
    "supervision",
    "grade",
    "stackability",
    "partial_qualification",
    "further_information",
    "isced_f",
)
EXACT_SCORE = 1000  # an exact header name beats any name found inside a longer header


def _spaceless(name: str) -> str:
    return normalise_header(name).replace(" ", "")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """(spaceless name → role, spaced name → role, words that rule a header out of a containment match)."""
    exact: dict[str, str] = {}
    spaced: dict[str, str] = {}
    excluded: set[str] = set()
    for row in read_data_rows(bundled_data_dir() / "columns" / "header_names.csv"):
        name = normalise_header(row["name"])
        if row["role"] in ELEMENT_ROLES:
            exact.setdefault(name.replace(" ", ""), row["role"])
            spaced.setdefault(name, row["role"])
        elif row["role"] == "exclude":
            excluded.add(name)
    our_words = {word for name in spaced for word in name.split()}
    return exact, spaced, frozenset(excluded - our_words)


def _score(header: str) -> tuple[int, str] | None:
    """(strength, role) for one header: exact name, else the longest known name inside it as whole words."""
    exact, spaced, excluded = _vocabulary()
    normal = normalise_header(header)
    if not normal:
        return None
    role = exact.get(normal.replace(" ", ""))
    if role is not None:
        return EXACT_SCORE, role
    words = normal.split()
    if excluded.intersection(words):
        return None
    padded = f" {normal} "
    found = [(len(name), role) for name, role in spaced.items() if f" {name} " in padded]
    return max(found) if found else None


@lru_cache(maxsize=256)
def _detect(headers: tuple[str, ...], taken: frozenset[str]) -> tuple[tuple[str, str], ...]:
    candidates = []
    for position, header in enumerate(headers):
        if header in taken:
            continue
        scored = _score(header)
        if scored is not None:
            candidates.append((-scored[0], position, scored[1], header))
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for _, _, role, header in sorted(candidates):
        if role not in chosen and header not in used:
            chosen[role] = header
            used.add(header)
    return tuple((role, chosen[role]) for role in ELEMENT_ROLES if role in chosen)


def detect_element_columns(headers: Sequence[str], taken: Iterable[str] = ()) -> Mapping[str, str]:
    """Role (:data:`ELEMENT_ROLES`) → header, for the headers that name a micro-credential element.

    Headers in ``taken`` (already used for the title, code …) are skipped; each header serves one role, an exact
    name first, then the longest name found inside a header. Deterministic: ties go to the leftmost column.
    """
    return dict(_detect(tuple(headers), frozenset(taken)))


def element_value(cells: Mapping[str, str], columns: Mapping[str, str], role: str) -> str:
    """The stripped cell of ``role``'s column ("" when the table has no such column)."""
    header = columns.get(role)
    return str(cells.get(header) or "").strip() if header else ""
