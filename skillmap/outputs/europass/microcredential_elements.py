"""The micro-credential elements ELM 3.1 holds on a qualification record (Council Recommendation 2022/C 243/02,
Annex I): credit points, volume of learning, mode, learning setting, assessment (with supervision and identity
verification), entry requirements, partial qualification / stackability, accreditation or quality assurance, and
further information. The values are read by :mod:`skillmap.microcredentials` from the record's extra columns.

Elements that belong to the learner's issued credential, not to the qualification (identification of the learner,
date of issuing, grade), are not written.
"""

from __future__ import annotations

from typing import Any

from skillmap.microcredentials.columns import detect_element_columns
from skillmap.microcredentials.elements import ROLE_LABELS, StatedElements, read_stated_elements
from skillmap.model import RegisterRecord
from skillmap.outputs.europass.codelists import CodeLists
from skillmap.outputs.europass.identifiers import mint_uri
from skillmap.outputs.europass.model import (
    ElmAccreditation,
    ElmCreditPoint,
    ElmLocation,
    ElmNote,
    ElmOrganisation,
)

NOTE_LANGUAGE = "en"  # notes made from the Annex's own option wording (supervision, stackability) are English


def stated_elements(record: RegisterRecord) -> StatedElements:
    """The micro-credential values of the record's extra columns (header names as ``check microcredential``)."""
    return read_stated_elements(record.extra, detect_element_columns(tuple(record.extra)))


def microcredential_elements(
    record: RegisterRecord,
    code: str,
    base: str,
    lang: str,
    lists: CodeLists,
    notes: list[str],
    *,
    awarding_bodies: tuple[ElmOrganisation, ...] = (),
    location: ElmLocation | None = None,
) -> dict[str, Any]:
    """The :class:`~skillmap.outputs.europass.model.ElmQualification` fields for the record's micro-credential
    columns (keyword → value); a value that cannot be written is left out with a note appended to ``notes``.
    ``lang`` is the language of the record's free texts; ``awarding_bodies`` and ``location`` are the record's.
    """
    stated = stated_elements(record)
    notes.extend(f"{ROLE_LABELS[role]} left out: {reason}" for role, reason in stated.problems)
    found: dict[str, Any] = {}
    points = [
        ElmCreditPoint(mint_uri(base, "credit-point", code, system), framework, point)
        for system, point in (("ects", stated.ects), ("ecvet", stated.ecvet))
        if point is not None and (framework := lists.lookup("credit-framework", system)) is not None
    ]
    if points:
        found["credit_points"] = tuple(sorted(points, key=lambda p: p.uri))
    if stated.volume_of_learning:
        found["volume_of_learning"] = stated.volume_of_learning
    if stated.learning_setting is not None:
        found["learning_setting"] = stated.learning_setting
    if stated.modes:
        found["modes"] = stated.modes
    found.update(_assessment(stated, code, base))
    if stated.prerequisites:
        found["entry_requirement"] = ElmNote(
            mint_uri(base, "note", code, "entry-requirements"), lang, stated.prerequisites
        )
    partial = stated.partial_qualification
    if partial is None and stated.stackability is not None:
        partial = stated.stackability.meaning == "stackable"
    if partial is not None:
        found["is_partial_qualification"] = partial
    accreditation = _accreditation(stated, code, base, lang, awarding_bodies, location, notes)
    if accreditation is not None:
        found["accreditations"] = (accreditation,)
    additional = _additional_notes(stated, code, base, lang, with_quality_assurance=accreditation is None)
    if additional:
        found["additional_notes"] = additional
    return found


def _assessment(stated: StatedElements, code: str, base: str) -> dict[str, Any]:
    if not stated.assessment_types and stated.supervision is None:
        return {}
    found: dict[str, Any] = {"assessment_uri": mint_uri(base, "assessment", code)}
    if stated.assessment_types:
        found["assessment_types"] = stated.assessment_types
    if stated.supervision is not None:
        text = f"Supervision and identity verification: {stated.supervision.value}"
        found["assessment_notes"] = (ElmNote(mint_uri(base, "note", code, "supervision"), NOTE_LANGUAGE, text),)
    return found


def _accreditation(
    stated: StatedElements,
    code: str,
    base: str,
    lang: str,
    awarding_bodies: tuple[ElmOrganisation, ...],
    location: ElmLocation | None,
    notes: list[str],
) -> ElmAccreditation | None:
    """An ``elm:Accreditation`` when the row names an EU accreditation type, the accrediting body and an awarding
    body located in a country; otherwise the quality assurance goes in a note (and the report says why)."""
    if not stated.quality_assurance:
        return None
    lacking = [
        what
        for what, has in (
            (
                "an EU accreditation type (program/institutional quality assurance or licence)",
                stated.accreditation_type,
            ),
            ("accrediting body", stated.accrediting_body),
            ("awarding body located in a country", awarding_bodies and location),
        )
        if not has
    ]
    if lacking or stated.accreditation_type is None or location is None:
        notes.append(f"quality assurance written as a note, not an elm:Accreditation: no {' nor '.join(lacking)}")
        return None
    code3 = location.country.uri.rsplit("/", 1)[1]
    agent = ElmOrganisation(
        mint_uri(base, "organisation", code3, stated.accrediting_body), (lang, stated.accrediting_body), location.uri
    )
    return ElmAccreditation(
        uri=mint_uri(base, "accreditation", code),
        accreditation_type=stated.accreditation_type,
        title=(lang, stated.quality_assurance),
        organisations=tuple(o.uri for o in awarding_bodies),
        accrediting_agent=agent,
    )


def _additional_notes(
    stated: StatedElements, code: str, base: str, lang: str, *, with_quality_assurance: bool
) -> tuple[ElmNote, ...]:
    notes = []
    if stated.stackability is not None:
        text = f"Integration/stackability: {stated.stackability.value}"
        notes.append(ElmNote(mint_uri(base, "note", code, "stackability"), NOTE_LANGUAGE, text))
    if with_quality_assurance and stated.quality_assurance:
        text = f"Quality assurance: {stated.quality_assurance}"
        if stated.accrediting_body:
            text += f" ({stated.accrediting_body})"
        notes.append(ElmNote(mint_uri(base, "note", code, "quality-assurance"), lang, text))
    if stated.further_information:
        notes.append(ElmNote(mint_uri(base, "note", code, "further-information"), lang, stated.further_information))
    return tuple(sorted(notes, key=lambda n: n.uri))
