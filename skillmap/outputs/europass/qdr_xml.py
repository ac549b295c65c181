"""The QDR LOQ XML upload format (``loq.xsd`` 3.1.0): an export's elements in schema order."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from skillmap.outputs.europass.model import LOQ_XML_NS, QDR_XSD_VERSION, ElmAccreditation, ElmExport, ElmNote
from skillmap.outputs.europass.nodes import assessment_title, organisation_nodes


def _xml_text(text: str) -> str:
    return xml_escape(text)


def _xml_langs(element: str, pairs: Iterable[tuple[str, str]], indent: str) -> list[str]:
    return [f"{indent}<{element} language={quoteattr(lang)}>{_xml_text(text)}</{element}>" for lang, text in pairs]


def _uri_el(element: str, uri: str, indent: str) -> str:
    return f"{indent}<{element} uri={quoteattr(uri)}/>"


def _ref_el(element: str, uri: str, indent: str) -> str:
    return f"{indent}<{element} idref={quoteattr(uri)}/>"


def _xml_note(element: str, note: ElmNote, indent: str) -> str:
    literal = f"<noteLiteral language={quoteattr(note.language)}>{_xml_text(note.text)}</noteLiteral>"
    return f"{indent}<{element}>{literal}</{element}>"


def _xml_accreditation(accreditation: ElmAccreditation, indent: str) -> list[str]:
    inner = indent + "  "
    return [
        f"{indent}<accreditation id={quoteattr(accreditation.uri)}>",
        _uri_el("type", accreditation.accreditation_type.uri, inner),
        *_xml_langs("title", [accreditation.title], inner),
        *(_ref_el("organisation", uri, inner) for uri in accreditation.organisations),
        _ref_el("accreditingAgent", accreditation.accrediting_agent.uri, inner),
        f"{indent}</accreditation>",
    ]


def to_qdr_xml(export: ElmExport) -> str:
    """Serialise an export in the QDR LOQ XML upload format (``loq.xsd`` 3.1.0), elements in schema order."""
    i2, i3, i4 = "  " * 2, "  " * 3, "  " * 4
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Europass / QDR qualification records (ELM 3.1, LOQ profile) written by skillmap. -->",
        f'<Courses xmlns="{LOQ_XML_NS}" xmlns:skos="http://www.w3.org/2004/02/skos/core#" '
        f'xsdVersion="{QDR_XSD_VERSION}">',
        "  <learningAchievementSpecificationReferences>",
    ]
    for q in export.qualifications:
        lines.append(f"{i2}<qualification id={quoteattr(q.uri)}>")
        if q.identifier_uri:  # none for a record whose IRI is minted without a national code
            lines.append(f"{i3}<identifier>")
            lines.append(f"{i4}<skos:notation>{_xml_text(q.code)}</skos:notation>")
            if q.scheme_name:
                lines.append(f"{i4}<schemeName>{_xml_text(q.scheme_name)}</schemeName>")
            lines.append(f"{i3}</identifier>")
        lines.extend(_xml_langs("title", q.titles, i3))
        lines.extend(_xml_langs("skos:altLabel", q.alt_labels, i3))
        lines.extend(_xml_note("additionalNote", n, i3) for n in q.additional_notes)
        if q.homepage:
            lines.append(f"{i3}<homepage>")
            lines.append(f"{i4}<contentUrl>{_xml_text(q.homepage[1])}</contentUrl>")
            lines.append(f"{i3}</homepage>")
        if q.summary:
            lines.append(f"{i3}<learningOutcomeSummary>")
            lines.extend(_xml_langs("noteLiteral", [(q.summary[1], q.summary[2])], i4))
            lines.append(f"{i3}</learningOutcomeSummary>")
        lines.extend(_uri_el("ISCEDFCode", c.uri, i3) for c in q.isced_f)
        if q.volume_of_learning:
            lines.append(f"{i3}<volumeOfLearning>{_xml_text(q.volume_of_learning)}</volumeOfLearning>")
        for point in q.credit_points:
            lines.append(f"{i3}<creditPoint>")
            lines.append(_uri_el("framework", point.framework.uri, i4))
            lines.append(f"{i4}<point>{_xml_text(point.point)}</point>")
            lines.append(f"{i3}</creditPoint>")
        lines.append(_uri_el("language", q.language.uri, i3))
        lines.extend(_uri_el("mode", c.uri, i3) for c in q.modes)
        if q.learning_setting:
            lines.append(_uri_el("learningSetting", q.learning_setting.uri, i3))
        if q.entry_requirement:
            lines.append(_xml_note("entryRequirement", q.entry_requirement, i3))
        lines.extend(_ref_el("learningOutcome", o.uri, i3) for o in q.outcomes)
        if q.assessment_uri:
            lines.append(_ref_el("provenBy", q.assessment_uri, i3))
        if q.awarding_uri and q.awarding_location:
            lines.append(f"{i3}<awardingOpportunity>")
            lines.extend(_ref_el("awardingBody", o.uri, i4) for o in q.awarding_bodies)
            lines.append(_ref_el("location", q.awarding_location.uri, i4))
            lines.append(_ref_el("learningAchievementSpecification", q.uri, i4))
            lines.append(f"{i3}</awardingOpportunity>")
        if q.is_partial_qualification is not None:
            value = "true" if q.is_partial_qualification else "false"
            lines.append(f"{i3}<isPartialQualification>{value}</isPartialQualification>")
        lines.append(_uri_el("EQFLevel", q.eqf.uri, i3))
        lines.extend(_uri_el("NQFLevel", c.uri, i3) for c in q.nqf)
        lines.extend(_ref_el("accreditation", a.uri, i3) for a in q.accreditations)
        lines.append(f"{i2}</qualification>")
    lines.append("  </learningAchievementSpecificationReferences>")
    outcomes = sorted((o for q in export.qualifications for o in q.outcomes), key=lambda o: o.uri)
    lines.append("  <learningOutcomeReferences>")
    for o in outcomes:
        lines.append(f"{i2}<learningOutcome id={quoteattr(o.uri)}>")
        lines.extend(_xml_langs("title", o.title, i3))
        if o.skill_type:
            lines.append(_uri_el("type", o.skill_type.uri, i3))
        if o.reuse_level:
            lines.append(_uri_el("reusabilityLevel", o.reuse_level.uri, i3))
        if o.skill_uri:
            element = "relatedESCOSkill" if o.esco else "relatedSkill"
            lines.append(f"{i3}<{element} uri={quoteattr(o.skill_uri)}>")
            lines.extend(_xml_langs("skos:prefLabel", o.skill_labels, i4))
            lines.append(f"{i3}</{element}>")
        lines.append(f"{i2}</learningOutcome>")
    lines.append("  </learningOutcomeReferences>")
    assessed = sorted((q for q in export.qualifications if q.assessment_uri), key=lambda q: q.assessment_uri)
    if assessed:
        lines.append("  <learningAssessmentSpecificationReferences>")
        for q in assessed:
            lines.append(f"{i2}<learningAssessmentSpecification id={quoteattr(q.assessment_uri)}>")
            lines.extend(_xml_langs("title", [("en", assessment_title(q))], i3))
            lines.extend(_xml_note("additionalNote", n, i3) for n in q.assessment_notes)
            lines.extend(_uri_el("type", c.uri, i3) for c in q.assessment_types)
            lines.append(f"{i2}</learningAssessmentSpecification>")
        lines.append("  </learningAssessmentSpecificationReferences>")
    orgs, locations = organisation_nodes(export)
    if orgs:
        lines.append("  <agentReferences>")
        for org in orgs:
            lines.append(f"{i2}<organisation id={quoteattr(org.uri)}>")
            lines.extend(_xml_langs("legalName", [org.legal_name], i3))
            lines.append(_ref_el("location", org.location_uri, i3))
            lines.append(f"{i2}</organisation>")
        lines.append("  </agentReferences>")
    accreditations = sorted((a for q in export.qualifications for a in q.accreditations), key=lambda a: a.uri)
    if accreditations:
        lines.append("  <accreditationReferences>")
        for accreditation in accreditations:
            lines.extend(_xml_accreditation(accreditation, i2))
        lines.append("  </accreditationReferences>")
    if locations:
        lines.append("  <locationReferences>")
        for loc in locations:
            lines.append(f"{i2}<location id={quoteattr(loc.uri)}>")
            lines.append(f"{i3}<address>")
            lines.append(_uri_el("countryCode", loc.country.uri, i4))
            lines.append(f"{i3}</address>")
            lines.append(f"{i2}</location>")
        lines.append("  </locationReferences>")
    lines.append("</Courses>")
    return "\n".join(lines) + "\n"
