"""The micro-credential elements ELM carries on a qualification (Council Recommendation 2022/C 243/02, Annex I):
credit points, volume of learning, learning setting, mode and assessment, read from the record's extra columns.
"""

from __future__ import annotations

import re
from typing import Any

from skillmap.model import RegisterRecord
from skillmap.outputs.europass.cells import extra_value
from skillmap.outputs.europass.codelists import CodeLists
from skillmap.outputs.europass.identifiers import mint_uri
from skillmap.outputs.europass.model import ElmCreditPoint

# Input columns (in RegisterRecord.extra, compared without case and punctuation) for the standard elements of a
# micro-credential (Council Recommendation 2022/C 243/02, Annex I) that ELM carries on a qualification.
MICRO_CREDENTIAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "ects": ("ects", "ectscredits", "creditsects", "ectspoints", "ectscreditpoints"),
    "ecvet": ("ecvet", "ecvetpoints", "ecvetcredits"),
    "hours": (
        "volumeoflearning", "hours", "learninghours", "notionalhours", "notionallearninghours", "workload",
        "totalqualificationtime", "tqt", "volumeoflearninghours",
    ),
    "learning-setting": ("learningsetting", "setting", "typeoflearningsetting"),
    "mode": ("mode", "modeoflearning", "learningmode", "deliverymode", "modeofdelivery", "modeofstudy"),
    "assessment": ("assessment", "assessmenttype", "typeofassessment", "assessmentmethod", "assessmentmethods"),
}  # fmt: skip

_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


def positive_number_text(text: str) -> str | None:
    """``"7,5"`` → ``"7.5"``, ``"60.0"`` → ``"60"``; None for text that is not a positive decimal number."""
    value = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return None
    number = float(value)
    if number <= 0:
        return None
    return str(int(number)) if number == int(number) else f"{number:g}"


def microcredential_elements(
    record: RegisterRecord, code: str, base: str, lists: CodeLists, notes: list[str]
) -> dict[str, Any]:
    """The :class:`~skillmap.outputs.europass.model.ElmQualification` fields for the record's micro-credential
    columns (keyword → value); a value that cannot be written is left out with a note appended to ``notes``.
    """
    found: dict[str, Any] = {}
    points: list[ElmCreditPoint] = []
    for system, framework_key in (("ects", "ects"), ("ecvet", "ecvet")):
        raw = extra_value(record.extra, MICRO_CREDENTIAL_COLUMNS[system])
        if not raw:
            continue
        point = positive_number_text(raw)
        framework = lists.lookup("credit-framework", framework_key)
        if point is None or framework is None:
            notes.append(f"{system.upper()} credits left out: {raw!r} is not a positive number")
            continue
        points.append(ElmCreditPoint(mint_uri(base, "credit-point", code, system), framework, point))
    if points:
        found["credit_points"] = tuple(sorted(points, key=lambda p: p.uri))

    raw = extra_value(record.extra, MICRO_CREDENTIAL_COLUMNS["hours"])
    if raw:
        hours = positive_number_text(raw)
        if hours is not None:
            found["volume_of_learning"] = f"PT{hours}H"
        elif _DURATION.match(raw.strip().upper()):
            found["volume_of_learning"] = raw.strip().upper()
        else:
            notes.append(f"volume of learning left out: {raw!r} is neither hours nor an ISO 8601 duration")

    raw = extra_value(record.extra, MICRO_CREDENTIAL_COLUMNS["learning-setting"])
    if raw:
        setting = lists.lookup("learning-setting", raw)
        if setting is None:
            notes.append(f"learning setting left out: {raw!r} is not formal / non-formal")
        else:
            found["learning_setting"] = setting

    for list_name, column in (("mode", "mode"), ("assessment", "assessment")):
        raw = extra_value(record.extra, MICRO_CREDENTIAL_COLUMNS[column])
        if not raw:
            continue
        concepts = set()
        for part in re.split(r"\s*[|;,/]\s*|\s+and\s+", raw):
            if not part.strip():
                continue
            concept = lists.lookup(list_name, part)
            if concept is None:
                notes.append(f"{list_name} {part.strip()!r} left out: not in the EU list of {list_name}s")
            else:
                concepts.add(concept)
        if concepts and list_name == "mode":
            found["modes"] = tuple(sorted(concepts))
        elif concepts:
            found["assessment_types"] = tuple(sorted(concepts))
            found["assessment_uri"] = mint_uri(base, "assessment", code)
    return found
