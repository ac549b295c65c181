"""The nodes every serialiser writes once per export: controlled-vocabulary concepts, skills, awarding bodies."""

from __future__ import annotations

from skillmap.outputs.europass.codelists import VocabConcept
from skillmap.outputs.europass.model import ElmExport, ElmLocation, ElmNote, ElmOrganisation, ElmQualification


def concept_nodes(export: ElmExport) -> list[VocabConcept]:
    """Every controlled-vocabulary concept the export uses, sorted."""
    found: set[VocabConcept] = set()
    for q in export.qualifications:
        found.add(q.eqf)
        found.add(q.language)
        found.update(q.nqf)
        found.update(q.isced_f)
        found.update(q.modes)
        found.update(q.assessment_types)
        found.update(p.framework for p in q.credit_points)
        found.update(a.accreditation_type for a in q.accreditations)
        if q.learning_setting:
            found.add(q.learning_setting)
        if q.awarding_location:
            found.add(q.awarding_location.country)
        for o in q.outcomes:
            if o.skill_type:
                found.add(o.skill_type)
            if o.reuse_level:
                found.add(o.reuse_level)
    return sorted(found)


def skill_nodes(export: ElmExport) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(skill IRI, (language, label) pairs) of every linked skill, sorted by IRI."""
    nodes: dict[str, dict[str, str]] = {}
    for q in export.qualifications:
        for o in q.outcomes:
            if o.skill_uri is None:
                continue
            labels = nodes.setdefault(o.skill_uri, {})
            for lang, text in o.skill_labels:
                labels.setdefault(lang, text)  # one prefLabel per language, the first one met in IRI order
    return [(uri, tuple(sorted(labels.items()))) for uri, labels in sorted(nodes.items())]


def organisation_nodes(export: ElmExport) -> tuple[list[ElmOrganisation], list[ElmLocation]]:
    """The awarding bodies and their locations, each once, sorted by IRI."""
    orgs: dict[str, ElmOrganisation] = {}
    locations: dict[str, ElmLocation] = {}
    for q in export.qualifications:
        for org in (*q.awarding_bodies, *(a.accrediting_agent for a in q.accreditations)):
            orgs.setdefault(org.uri, org)
        if q.awarding_location:
            locations.setdefault(q.awarding_location.uri, q.awarding_location)
    return [orgs[k] for k in sorted(orgs)], [locations[k] for k in sorted(locations)]


def note_nodes(q: ElmQualification) -> list[ElmNote]:
    """The qualification's notes (entry requirements, further information, supervision …), sorted by IRI."""
    notes = [*q.additional_notes, *q.assessment_notes, *([q.entry_requirement] if q.entry_requirement else [])]
    return sorted(notes, key=lambda n: n.uri)


def assessment_title(q: ElmQualification) -> str:
    """The English title of the qualification's assessment specification (its types, when known)."""
    types = ", ".join(c.label for c in q.assessment_types)
    return f"Assessment: {types}" if types else "Assessment"
