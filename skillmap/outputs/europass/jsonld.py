"""JSON-LD serialisation of an export with the ELM context (``edc-ap``): one flat ``@graph`` sorted by ``id``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from skillmap.outputs.europass.codelists import VocabConcept
from skillmap.outputs.europass.model import ELM_NS, JSONLD_CONTEXT_URL, ElmExport, ElmQualification
from skillmap.outputs.europass.nodes import assessment_title, concept_nodes, note_nodes, organisation_nodes, skill_nodes

_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"


def _lang_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return dict(sorted(pairs))


def _concept_node(c: VocabConcept) -> dict[str, Any]:
    return {
        "id": c.uri,
        "type": "Concept",
        "inScheme": c.scheme,
        "prefLabel": {"en": c.label},
    }


def _microcredential_properties(q: ElmQualification, node: dict[str, Any]) -> list[dict[str, Any]]:
    """Add the micro-credential properties to the qualification ``node``; return the nodes they point to."""
    if q.additional_notes:
        node["additionalNote"] = [n.uri for n in q.additional_notes]
    if q.entry_requirement:
        node["entryRequirement"] = q.entry_requirement.uri
    if q.is_partial_qualification is not None:
        node["isPartialQualification"] = q.is_partial_qualification
    if q.accreditations:
        node["accreditation"] = [a.uri for a in q.accreditations]
    linked: list[dict[str, Any]] = [
        {"id": n.uri, "type": "Note", "noteLiteral": {n.language: n.text}} for n in note_nodes(q)
    ]
    linked.extend(
        {
            "id": a.uri,
            "type": "Accreditation",
            "dcType": a.accreditation_type.uri,
            "title": _lang_map([a.title]),
            "organisation": list(a.organisations),
            "accreditingAgent": a.accrediting_agent.uri,
        }
        for a in q.accreditations
    )
    return linked


def to_jsonld(export: ElmExport) -> str:
    """Serialise an export as JSON-LD with the ELM context (``edc-ap``), one flat ``@graph`` sorted by ``id``."""
    nodes: list[dict[str, Any]] = []
    for q in export.qualifications:
        node: dict[str, Any] = {"id": q.uri, "type": "Qualification"}
        if q.identifier_uri:
            node["identifier"] = [q.identifier_uri]
            identifier: dict[str, Any] = {"id": q.identifier_uri, "type": "Identifier", "notation": q.code}
            if q.scheme_name:
                identifier["schemeName"] = q.scheme_name
            nodes.append(identifier)
        node["title"] = _lang_map(q.titles)
        if q.alt_labels:
            # one alternative per language fits a language map; more go in a value list
            node["http://www.w3.org/2004/02/skos/core#altLabel"] = [
                {"@value": text, "@language": lang} for lang, text in q.alt_labels
            ]
        if q.homepage:
            node["homepage"] = [q.homepage[0]]
            nodes.append(
                {
                    "id": q.homepage[0],
                    "type": "WebResource",
                    ELM_NS + "contentUrl": {"@value": q.homepage[1], "@type": _ANYURI},
                }
            )
        if q.summary:
            node["learningOutcomeSummary"] = q.summary[0]
            nodes.append({"id": q.summary[0], "type": "Note", "noteLiteral": {q.summary[1]: q.summary[2]}})
        node["thematicArea"] = [c.uri for c in q.isced_f]
        if q.volume_of_learning:
            node["volumeOfLearning"] = q.volume_of_learning
        if q.credit_points:
            node["creditPoint"] = [p.uri for p in q.credit_points]
            nodes.extend(
                {"id": p.uri, "type": "CreditPoint", "framework": p.framework.uri, "point": p.point}
                for p in q.credit_points
            )
        node["language"] = [q.language.uri]
        if q.modes:
            node["mode"] = [c.uri for c in q.modes]
        if q.learning_setting:
            node["learningSetting"] = q.learning_setting.uri
        node["learningOutcome"] = [o.uri for o in q.outcomes]
        if q.assessment_uri:
            node["provenBy"] = [q.assessment_uri]
            assessment: dict[str, Any] = {
                "id": q.assessment_uri,
                "type": "LearningAssessmentSpecification",
                "title": {"en": assessment_title(q)},
                "dcType": [c.uri for c in q.assessment_types],
            }
            if q.assessment_notes:
                assessment["additionalNote"] = [n.uri for n in q.assessment_notes]
            nodes.append(assessment)
        nodes.extend(_microcredential_properties(q, node))
        if q.awarding_uri and q.awarding_location:
            node["awardingOpportunity"] = [q.awarding_uri]
            nodes.append(
                {
                    "id": q.awarding_uri,
                    "type": "AwardingOpportunity",
                    "awardingBody": [o.uri for o in q.awarding_bodies],
                    "location": q.awarding_location.uri,
                    "learningAchievementSpecification": q.uri,
                }
            )
        node["eqfLevel"] = q.eqf.uri
        node["nqfLevel"] = [c.uri for c in q.nqf]
        nodes.append(node)
        for o in q.outcomes:
            outcome: dict[str, Any] = {"id": o.uri, "type": "LearningOutcome", "title": _lang_map(o.title)}
            if o.skill_type:
                outcome["dcType"] = o.skill_type.uri
            if o.reuse_level:
                outcome["reusabilityLevel"] = o.reuse_level.uri
            if o.skill_uri:
                outcome["relatedESCOSkill" if o.esco else "relatedSkill"] = [o.skill_uri]
            nodes.append(outcome)
    orgs, locations = organisation_nodes(export)
    for org in orgs:
        nodes.append(
            {
                "id": org.uri,
                "type": "Organisation",
                "legalName": _lang_map([org.legal_name]),
                "location": [org.location_uri],
            }
        )
    for loc in locations:
        nodes.append({"id": loc.uri, "type": "Location", "address": [loc.address_uri]})
        nodes.append({"id": loc.address_uri, "type": "Address", "countryCode": loc.country.uri})
    for uri, labels in skill_nodes(export):
        nodes.append({"id": uri, "type": "Concept", "prefLabel": _lang_map(labels)})
    concepts = concept_nodes(export)
    nodes.extend(_concept_node(c) for c in concepts)
    nodes.extend({"id": s, "type": "ConceptScheme"} for s in sorted({c.scheme for c in concepts}))
    nodes.sort(key=lambda n: n["id"])
    document = {"@context": [JSONLD_CONTEXT_URL, {"id": "@id", "type": "@type"}], "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
