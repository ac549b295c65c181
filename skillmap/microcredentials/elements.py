"""Reading the micro-credential elements stated in one row: numbers, durations, dates, EU list values, Annex I
options. ``check microcredential`` reports on them; ``export europass`` writes them as ELM; both read them here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from skillmap.microcredentials.annex import ElementValue, element_value_of, element_values
from skillmap.microcredentials.columns import element_value
from skillmap.vocabularies import VocabConcept, lookup_concept

# What a role's value is called in a message ("ECTS credits left out: …").
ROLE_LABELS: dict[str, str] = {
    "learner": "identification of the learner",
    "issue_date": "date of issuing",
    "ects": "ECTS credits",
    "ecvet": "ECVET credits",
    "hours": "volume of learning",
    "eqf_level": "EQF level",
    "level": "level",
    "assessment": "assessment",
    "mode": "mode",
    "learning_setting": "learning setting",
    "quality_assurance": "quality assurance",
    "accrediting_body": "accrediting body",
    "prerequisites": "prerequisites",
    "supervision": "supervision and identity verification",
    "grade": "grade",
    "stackability": "integration/stackability",
    "partial_qualification": "partial qualification",
    "further_information": "further information",
}
_NUMBER = re.compile(r"\d+(\.\d+)?")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_LEVEL = re.compile(r"^\D*?(\d+)$")  # "4", "EQF 4", "Level 4", "EQR-Niveau 4"
_LIST_PARTS = re.compile(r"\s*[|;,/]\s*|\s+and\s+")
T = TypeVar("T")
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m", "%d-%m-%Y")


@dataclass(frozen=True)
class StatedElements:
    """The micro-credential values one row states, ready to check or to write as ELM.

    ``given`` names the roles whose cell is filled; ``not_applicable`` those that say "n/a"; ``problems`` holds
    (role, reason) for a value that cannot be used ("'five' is not a positive number").
    """

    ects: str | None = None  # a positive decimal number, as text ("7.5")
    ecvet: str | None = None
    volume_of_learning: str | None = None  # ISO 8601 duration ("PT125H")
    eqf_level: int | None = None
    modes: tuple[VocabConcept, ...] = ()
    learning_setting: VocabConcept | None = None
    assessment_types: tuple[VocabConcept, ...] = ()
    quality_assurance: str = ""
    accreditation_type: VocabConcept | None = None
    accrediting_body: str = ""
    prerequisites: str = ""
    supervision: ElementValue | None = None
    grade: str = ""
    stackability: ElementValue | None = None
    partial_qualification: bool | None = None
    further_information: str = ""
    learner: str = ""
    issue_date: str = ""  # ISO 8601 date
    given: frozenset[str] = frozenset()
    not_applicable: frozenset[str] = frozenset()
    problems: tuple[tuple[str, str], ...] = field(default=())

    def problem(self, role: str) -> str:
        """The reason the value of ``role`` cannot be used ("" when it can, or was not given)."""
        return "; ".join(reason for name, reason in self.problems if name == role)


@lru_cache(maxsize=4096)
def positive_number_text(text: str) -> str | None:
    """``"7,5"`` → ``"7.5"``, ``"60.0"`` → ``"60"``; None for text that is not a positive decimal number."""
    value = text.strip().replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    if number <= 0:
        return None
    return str(int(number)) if number == int(number) else f"{number:g}"


def read_stated_elements(cells: Mapping[str, str], columns: Mapping[str, str]) -> StatedElements:
    """Read the element columns (``columns``: role → header, from
    :func:`~skillmap.microcredentials.columns.detect_element_columns`) of one row (``cells``: header → text)."""
    raw = {role: element_value(cells, columns, role) for role in columns}
    raw = {role: text for role, text in raw.items() if text}
    not_applicable = frozenset(role for role, text in raw.items() if element_value_of("any", text) is not None)
    values = {role: text for role, text in raw.items() if role not in not_applicable}
    problems: list[tuple[str, str]] = []

    def parsed(role: str, parse: Callable[[str], T | None], problem: str) -> T | None:
        if role not in values:
            return None
        value = parse(values[role])
        if value is None:
            problems.append((role, f"{values[role]!r} {problem}"))
        return value

    def options(role: str) -> str:
        return "is not one of: " + " / ".join(element_values(role))

    quality = values.get("quality_assurance", "")
    return StatedElements(
        ects=parsed("ects", positive_number_text, "is not a positive number"),
        ecvet=parsed("ecvet", positive_number_text, "is not a positive number"),
        volume_of_learning=parsed("hours", _duration, "is neither hours nor an ISO 8601 duration"),
        eqf_level=parsed("eqf_level", eqf_level_of, "is not an EQF level 1–8 (or a QF-EHEA cycle)"),
        modes=_concepts("mode", values.get("mode", ""), "mode", problems),
        learning_setting=parsed("learning_setting", _setting, "is not formal / non-formal"),
        assessment_types=_concepts("assessment", values.get("assessment", ""), "assessment", problems),
        quality_assurance=quality,
        accreditation_type=_accreditation_type(quality),
        accrediting_body=values.get("accrediting_body", ""),
        prerequisites=values.get("prerequisites", ""),
        supervision=parsed("supervision", lambda text: element_value_of("supervision", text), options("supervision")),
        grade=values.get("grade", ""),
        stackability=parsed(
            "stackability", lambda text: element_value_of("stackability", text), options("stackability")
        ),
        partial_qualification=parsed("partial_qualification", _boolean, "is not yes / no"),
        further_information=values.get("further_information", ""),
        learner=values.get("learner", ""),
        issue_date=parsed("issue_date", _iso_date, "is not a date (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY)") or "",
        given=frozenset(raw),
        not_applicable=not_applicable,
        problems=tuple(problems),
    )


def _duration(text: str) -> str | None:
    hours = positive_number_text(text)
    if hours is not None:
        return f"PT{hours}H"
    return text.strip().upper() if _DURATION.match(text.strip().upper()) else None


@lru_cache(maxsize=1024)
def eqf_level_of(text: str) -> int | None:
    """An EQF level 1–8 from ``"4"``, ``"EQF 4"``, ``"Level 4"`` or a QF-EHEA cycle (``"first cycle"`` → 6)."""
    cycle = element_value_of("level", text)
    if cycle is not None:
        return int(cycle.value)
    match = _LEVEL.match(text.strip())
    level = int(match.group(1)) if match else 0
    return level if 1 <= level <= 8 else None


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> str | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _setting(text: str) -> VocabConcept | None:
    return lookup_concept("learning-setting", text)


def _boolean(text: str) -> bool | None:
    value = element_value_of("boolean", text)
    return None if value is None else value.meaning == "true"


def _accreditation_type(text: str) -> VocabConcept | None:
    """The EU accreditation type a quality-assurance cell names, whole or as its first part ("Programme
    accreditation (ZFU)" → Program Quality Assurance)."""
    if not text:
        return None
    head = re.split(r"\s*[(:;,–-]\s*", text, maxsplit=1)[0]
    return lookup_concept("accreditation", text) or lookup_concept("accreditation", head)


def _concepts(role: str, text: str, list_name: str, problems: list[tuple[str, str]]) -> tuple[VocabConcept, ...]:
    concepts, unknown = _list_concepts(text, list_name)
    problems.extend((role, f"{part!r} is not in the EU list of {list_name} types") for part in unknown)
    return concepts


@lru_cache(maxsize=4096)
def _list_concepts(text: str, list_name: str) -> tuple[tuple[VocabConcept, ...], tuple[str, ...]]:
    """(the concepts of a list cell such as "online, blended", the parts not in the EU list)."""
    concepts: set[VocabConcept] = set()
    unknown: list[str] = []
    for part in _LIST_PARTS.split(text):
        if not part.strip():
            continue
        concept = lookup_concept(list_name, part)
        if concept is None:
            unknown.append(part.strip())
        else:
            concepts.add(concept)
    return tuple(sorted(concepts)), tuple(unknown)
