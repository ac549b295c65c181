"""Turtle serialisation of an export (ELM 3.1, LOQ profile), sorted so equal input gives byte-identical output."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from skillmap.outputs.europass.model import ELM_NS, ElmAccreditation, ElmExport
from skillmap.outputs.europass.nodes import assessment_title, concept_nodes, note_nodes, organisation_nodes, skill_nodes

_TTL_PREFIXES = (
    ("adms", "http://www.w3.org/ns/adms#"),
    ("dc", "http://purl.org/dc/terms/"),
    ("elm", ELM_NS),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("rov", "http://www.w3.org/ns/regorg#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)
_TTL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _ttl_literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = "".join(_TTL_ESCAPES.get(ch, ch) if ch in _TTL_ESCAPES or ch >= " " else f"\\u{ord(ch):04X}" for ch in text)
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^{datatype}'
    return f'"{body}"'


def _ttl_iri(uri: str) -> str:
    return f"<{uri}>"


def _ttl_block(subject: str, rdf_type: str, properties: Sequence[tuple[str, Sequence[str]]]) -> str:
    lines = [f"{_ttl_iri(subject)} a {rdf_type}"]
    for predicate, objects in properties:
        if objects:
            lines.append(f"    {predicate} {' , '.join(objects)}")
    return " ;\n".join(lines) + " .\n"


def _ttl_lang_literals(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return [_ttl_literal(text, lang) for lang, text in pairs]


def _ttl_boolean(value: bool | None) -> list[str]:
    return [] if value is None else [_ttl_literal("true" if value else "false", datatype="xsd:boolean")]


def _ttl_accreditation(accreditation: ElmAccreditation) -> str:
    return _ttl_block(
        accreditation.uri,
        "elm:Accreditation",
        [
            ("dc:type", [_ttl_iri(accreditation.accreditation_type.uri)]),
            ("dc:title", _ttl_lang_literals([accreditation.title])),
            ("elm:organisation", [_ttl_iri(uri) for uri in accreditation.organisations]),
            ("elm:accreditingAgent", [_ttl_iri(accreditation.accrediting_agent.uri)]),
        ],
    )


def to_turtle(export: ElmExport) -> str:
    """Serialise an export as Turtle (ELM 3.1 LOQ), sorted so equal input gives byte-identical output."""
    out = io.StringIO()
    out.write("# Europass / QDR qualification records (ELM 3.1, LOQ profile) written by skillmap.\n")
    for prefix, ns in _TTL_PREFIXES:
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    for q in export.qualifications:
        out.write("\n")
        out.write(
            _ttl_block(
                q.uri,
                "elm:Qualification",
                [
                    ("adms:identifier", [_ttl_iri(q.identifier_uri)] if q.identifier_uri else []),
                    ("dc:title", _ttl_lang_literals(q.titles)),
                    ("skos:altLabel", _ttl_lang_literals(q.alt_labels)),
                    ("elm:additionalNote", [_ttl_iri(n.uri) for n in q.additional_notes]),
                    ("foaf:homepage", [_ttl_iri(q.homepage[0])] if q.homepage else []),
                    ("elm:learningOutcomeSummary", [_ttl_iri(q.summary[0])] if q.summary else []),
                    ("elm:ISCEDFCode", [_ttl_iri(c.uri) for c in q.isced_f]),
                    (
                        "elm:volumeOfLearning",
                        [_ttl_literal(q.volume_of_learning, datatype="xsd:duration")] if q.volume_of_learning else [],
                    ),
                    ("elm:creditPoint", [_ttl_iri(p.uri) for p in q.credit_points]),
                    ("dc:language", [_ttl_iri(q.language.uri)]),
                    ("elm:mode", [_ttl_iri(c.uri) for c in q.modes]),
                    ("elm:learningSetting", [_ttl_iri(q.learning_setting.uri)] if q.learning_setting else []),
                    ("elm:entryRequirement", [_ttl_iri(q.entry_requirement.uri)] if q.entry_requirement else []),
                    ("elm:learningOutcome", [_ttl_iri(o.uri) for o in q.outcomes]),
                    ("elm:provenBy", [_ttl_iri(q.assessment_uri)] if q.assessment_uri else []),
                    ("elm:awardingOpportunity", [_ttl_iri(q.awarding_uri)] if q.awarding_uri else []),
                    ("elm:isPartialQualification", _ttl_boolean(q.is_partial_qualification)),
                    ("elm:EQFLevel", [_ttl_iri(q.eqf.uri)]),
                    ("elm:NQFLevel", [_ttl_iri(c.uri) for c in q.nqf]),
                    ("elm:accreditation", [_ttl_iri(a.uri) for a in q.accreditations]),
                ],
            )
        )
        if q.identifier_uri:
            props = [("skos:notation", [_ttl_literal(q.code)])]
            if q.scheme_name:
                props.append(("elm:schemeName", [_ttl_literal(q.scheme_name, datatype="xsd:string")]))
            out.write(_ttl_block(q.identifier_uri, "elm:Identifier", props))
        if q.summary:
            out.write(
                _ttl_block(q.summary[0], "elm:Note", [("elm:noteLiteral", [_ttl_literal(q.summary[2], q.summary[1])])])
            )
        if q.homepage:
            url = _ttl_literal(q.homepage[1], datatype="xsd:anyURI")
            out.write(_ttl_block(q.homepage[0], "elm:WebResource", [("elm:contentUrl", [url])]))
        for point in q.credit_points:
            out.write(
                _ttl_block(
                    point.uri,
                    "elm:CreditPoint",
                    [
                        ("elm:framework", [_ttl_iri(point.framework.uri)]),
                        ("elm:point", [_ttl_literal(point.point, datatype="xsd:string")]),
                    ],
                )
            )
        if q.assessment_uri:
            out.write(
                _ttl_block(
                    q.assessment_uri,
                    "elm:LearningAssessmentSpecification",
                    [
                        ("dc:title", [_ttl_literal(assessment_title(q), "en")]),
                        ("elm:additionalNote", [_ttl_iri(n.uri) for n in q.assessment_notes]),
                        ("dc:type", [_ttl_iri(c.uri) for c in q.assessment_types]),
                    ],
                )
            )
        for note in note_nodes(q):
            out.write(_ttl_block(note.uri, "elm:Note", [("elm:noteLiteral", [_ttl_literal(note.text, note.language)])]))
        for accreditation in q.accreditations:
            out.write(_ttl_accreditation(accreditation))
        if q.awarding_uri and q.awarding_location:
            out.write(
                _ttl_block(
                    q.awarding_uri,
                    "elm:AwardingOpportunity",
                    [
                        ("elm:awardingBody", [_ttl_iri(o.uri) for o in q.awarding_bodies]),
                        ("elm:location", [_ttl_iri(q.awarding_location.uri)]),
                        ("elm:learningAchievementSpecification", [_ttl_iri(q.uri)]),
                    ],
                )
            )
        for o in q.outcomes:
            out.write(
                _ttl_block(
                    o.uri,
                    "elm:LearningOutcome",
                    [
                        ("dc:title", _ttl_lang_literals(o.title)),
                        ("dc:type", [_ttl_iri(o.skill_type.uri)] if o.skill_type else []),
                        ("elm:reusabilityLevel", [_ttl_iri(o.reuse_level.uri)] if o.reuse_level else []),
                        (
                            "elm:relatedESCOSkill" if o.esco else "elm:relatedSkill",
                            [_ttl_iri(o.skill_uri)] if o.skill_uri else [],
                        ),
                    ],
                )
            )
    orgs, locations = organisation_nodes(export)
    if orgs or locations:
        out.write("\n# awarding bodies and their locations\n")
    for org in orgs:
        out.write(
            _ttl_block(
                org.uri,
                "elm:Organisation",
                [
                    ("rov:legalName", _ttl_lang_literals([org.legal_name])),
                    ("elm:location", [_ttl_iri(org.location_uri)]),
                ],
            )
        )
    for loc in locations:
        out.write(_ttl_block(loc.uri, "dc:Location", [("elm:address", [_ttl_iri(loc.address_uri)])]))
        out.write(_ttl_block(loc.address_uri, "elm:Address", [("elm:countryCode", [_ttl_iri(loc.country.uri)])]))
    out.write("\n# ESCO skills (no skos:inScheme: the LOQ 3.1 shapes reject the ESCO scheme IRI)\n")
    for uri, labels in skill_nodes(export):
        out.write(_ttl_block(uri, "skos:Concept", [("skos:prefLabel", _ttl_lang_literals(labels))]))
    out.write("\n# controlled vocabularies\n")
    concepts = concept_nodes(export)
    for c in concepts:
        out.write(
            _ttl_block(
                c.uri,
                "skos:Concept",
                [("skos:inScheme", [_ttl_iri(c.scheme)]), ("skos:prefLabel", _ttl_lang_literals([("en", c.label)]))],
            )
        )
    for scheme in sorted({c.scheme for c in concepts}):
        out.write(f"{_ttl_iri(scheme)} a skos:ConceptScheme .\n")
    return out.getvalue()
