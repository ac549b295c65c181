"""Checking a sheet of micro-credentials (one row each) against the 16 standard elements of Annex I."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.microcredentials.annex import AnnexElement, annex_elements
from skillmap.microcredentials.columns import detect_element_columns
from skillmap.microcredentials.elements import ROLE_LABELS, StatedElements, read_stated_elements
from skillmap.model import LIST_SEPARATOR, ProgressCallback
from skillmap.sources.spreadsheets import ColumnMap, detect_columns, read_table

STATUSES = ("present", "missing", "invalid")
PROGRESS_EVERY = 500  # rows between progress callbacks
SUGGESTED_LEVEL_COLUMN = "suggested_eqf"  # an `align --suggest-levels` column: a suggestion, never a level


@dataclass(frozen=True, slots=True)
class ElementCheck:
    """One element of one credential: ``present``, ``missing`` or ``invalid``, the value read or the reason."""

    number: int
    element: str
    requirement: str
    status: str  # one of STATUSES
    detail: str
    elm_property: str
    columns: tuple[str, ...]  # the input columns read for it


@dataclass(frozen=True, slots=True)
class CredentialCheck:
    """The 16 elements of one row (``row`` is the row number in the file, header included)."""

    row: int
    title: str
    elements: tuple[ElementCheck, ...]

    @property
    def lacking(self) -> tuple[ElementCheck, ...]:
        """Mandatory elements that are missing or invalid; a level ("if applicable") only when stated invalidly."""
        return tuple(
            e
            for e in self.elements
            if (e.requirement == "mandatory" and e.status != "present")
            or (e.requirement == "mandatory_if_applicable" and e.status == "invalid")
        )


@dataclass(frozen=True)
class MicrocredentialCheck:
    """What :func:`check_microcredentials` found: one :class:`CredentialCheck` per row, and the columns it read."""

    path: str
    credentials: tuple[CredentialCheck, ...]
    columns: Mapping[str, tuple[str, ...]]  # element → input columns
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True when no credential lacks a mandatory element (missing or invalid)."""
        return not any(c.lacking for c in self.credentials)


def check_microcredentials(
    path: str | Path,
    *,
    sheet: str | None = None,
    progress: ProgressCallback | None = None,
) -> MicrocredentialCheck:
    """Read a csv/xlsx sheet of micro-credentials and say, for each row, which Annex I elements it states
    (``present``), lacks (``missing``) or states unusably (``invalid``: ECTS not a number, an EQF level not 1–8,
    an assessment type not in the EU list …), with the ELM property each maps to.

    Columns are recognised by their header names in the EU languages (``data/columns/header_names.csv``).
    Raises :class:`SkillmapError` when the sheet has no title column (naming the columns found).
    """
    table = read_table(path, sheet=sheet)
    base = detect_columns(table.headers, {}, require_title=False)
    if base.title is None:
        listed = ", ".join(repr(h) for h in table.headers)
        raise SkillmapError(
            f"{Path(path).name}: no title column among the columns {listed}; name it e.g. 'Title', 'Titel', "
            "'Intitulé' or 'Title of the micro-credential'"
        )
    taken = [name for role, name, _ in base.used() if role != "level"]  # "EQF level" may be align's level column
    elements = detect_element_columns(table.headers, taken)
    columns = {e.element: _columns_of(e, base, elements) for e in annex_elements()}
    credentials = []
    total = len(table.rows)
    for number, cells in enumerate(table.records(), start=1):
        stated = read_stated_elements(cells, elements)
        checks = tuple(_check(e, columns[e.element], cells, stated) for e in annex_elements())
        title = str(cells.get(base.title) or "").strip()
        credentials.append(CredentialCheck(row=table.header_row + number, title=title, elements=checks))
        if progress is not None and (number % PROGRESS_EVERY == 0 or number == total):
            progress(number, total)
    return MicrocredentialCheck(
        path=str(path), credentials=tuple(credentials), columns=columns, notes=tuple(table.notes)
    )


def _columns_of(element: AnnexElement, base: ColumnMap, elements: Mapping[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    for role in element.column_roles:
        if role == "level" and "eqf_level" in elements:
            continue  # a national level column is read only when there is no EQF level column
        value = elements.get(role) or getattr(base, role, None)
        found.extend([value] if isinstance(value, str) else list(value or ()))
    return tuple(found)


def _check(
    element: AnnexElement, columns: tuple[str, ...], cells: Mapping[str, str], stated: StatedElements
) -> ElementCheck:
    status, detail = _status(element, columns, cells, stated)
    return ElementCheck(
        number=element.number,
        element=element.element,
        requirement=element.requirement,
        status=status,
        detail=detail,
        elm_property=element.elm_property,
        columns=columns,
    )


def _status(
    element: AnnexElement, columns: tuple[str, ...], cells: Mapping[str, str], stated: StatedElements
) -> tuple[str, str]:
    """(status, detail) of one element in one row."""
    texts = [str(cells.get(c) or "").strip() for c in columns]
    given = [t for t in texts if t]
    if not columns:
        return "missing", _no_column(element)
    roles = [r for r in element.column_roles if r in stated.given]
    if roles and all(r in stated.not_applicable for r in roles):
        if element.requirement == "mandatory":
            return "missing", f"{given[0]!r}: this element is mandatory"
        return "present", "not applicable"
    if not given:
        if element.element == "level" and str(cells.get(SUGGESTED_LEVEL_COLUMN) or "").strip():
            return "missing", f"suggested level only ({cells[SUGGESTED_LEVEL_COLUMN]}): a suggestion is not a level"
        return "missing", "empty"
    problems = [stated.problem(r) for r in element.column_roles if stated.problem(r)]
    problems.extend(_own_problems(element, texts))
    if problems:
        return "invalid", "; ".join(problems)
    return "present", _shown(element, stated, given)


def _no_column(element: AnnexElement) -> str:
    names = " / ".join(ROLE_LABELS.get(r, r) for r in element.column_roles)
    return f"no column for it ({names})"


def _own_problems(element: AnnexElement, texts: list[str]) -> list[str]:
    """The check of the issuer's country, whose column comes from align's detection."""
    if element.element == "issuer_country" and texts and texts[0]:
        unknown = [c for c in texts[0].split("|") if c.strip() and not _known_country(c)]
        if unknown:
            return [f"{unknown[0].strip()!r} is not a country or region code (e.g. DE, FR, GB-ENG) or name"]
    return []


def _shown(element: AnnexElement, stated: StatedElements, given: list[str]) -> str:
    """The value as the check read it (normalised where a list or a number was recognised)."""
    if element.element == "workload":
        parts = [f"{stated.ects} ECTS" if stated.ects else "", f"{stated.ecvet} ECVET" if stated.ecvet else ""]
        parts.append(_hours(stated.volume_of_learning or ""))
        return ", ".join(p for p in parts if p)
    if element.element == "level":
        if stated.eqf_level is not None:
            return f"EQF {stated.eqf_level}"
        return f"{given[0]} (a national level: align resolves its EQF level)"
    if element.element == "assessment":
        return LIST_SEPARATOR.join(c.label for c in stated.assessment_types)
    if element.element == "participation":
        labels = [c.label for c in stated.modes] + ([stated.learning_setting.label] if stated.learning_setting else [])
        return LIST_SEPARATOR.join(labels)
    if element.element in ("supervision", "stackability"):
        value = stated.supervision if element.element == "supervision" else stated.stackability
        return value.value if value else given[0]
    if element.element == "issue_date":
        return stated.issue_date
    return _shortened(given[0])


def _hours(duration: str) -> str:
    match = re.fullmatch(r"PT(\d+(?:\.\d+)?)H", duration)
    return f"{match.group(1)} h" if match else duration


def _shortened(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    rows = read_data_rows(bundled_data_dir() / "europass" / "countries.csv")
    return frozenset({r["code"].lower() for r in rows} | {r["name"].split(" (")[0].lower() for r in rows})


def _known_country(text: str) -> bool:
    value = text.strip().lower()
    return value in _countries() or value.split("-")[0] in _countries()
