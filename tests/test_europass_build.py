"""Building ELM 3.1 qualification records from register records: what goes in, what is left out, and why."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace

import pytest

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.outputs.europass.building import build_elm_export
from skillmap.outputs.europass.codelists import SCHEMES, VocabConcept
from skillmap.outputs.europass.formats import serialise
from skillmap.outputs.europass.isced_maps import read_isced_map
from skillmap.outputs.europass.model import ELM_NS, JSONLD_CONTEXT_URL, LOQ_XML_NS, ExportOptions

SKILL_A = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
SKILL_B = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"
DQR_4 = "http://data.europa.eu/snb/qdr/c_12a84182"
BASE = "https://qualifications.example.org"


def _nqf(country: str, level: str, framework: str) -> VocabConcept | None:
    """A stand-in for the framework data: only German level 4 has a QDR concept."""
    if country in ("DE", "BE") and level == "4":
        return VocabConcept(DQR_4, "DQR Level 4", SCHEMES["nqf"])
    return None


def _record(**changes: object) -> RegisterRecord:
    record = RegisterRecord(
        country="DE",
        code="DE-EX-0001",
        title="Fachinformatiker/in Anwendungsentwicklung",
        register="test-register",
        nqf_level="4",
        eqf_level=4,
        level_status="ok",
        awarding_body="IHK Köln",
        skills=(SKILL_A, SKILL_B),
        skill_labels=("develop digital content", "stimulate creativity in the team"),
        isced_f="0613",
        learning_outcomes="Entwickelt   Software\nund testet sie.",
        url="https://example.org/q/1",
    )
    return replace(record, **changes)


def _build(records: list[RegisterRecord], **options: object):
    options.setdefault("base_uri", BASE)
    return build_elm_export(records, ExportOptions(**options), nqf_level=_nqf)


def _graph(export):
    import rdflib

    rdflib.NORMALIZE_LITERALS = False
    return rdflib.Graph().parse(data=serialise(export, "turtle"), format="turtle")


def test_a_complete_row_becomes_a_qualification_with_every_required_value() -> None:
    import rdflib

    export = _build([_record()])
    assert len(export.qualifications) == 1 and not export.report
    graph = _graph(export)
    elm = rdflib.Namespace(ELM_NS)
    dc = rdflib.Namespace("http://purl.org/dc/terms/")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    q = rdflib.URIRef(f"{BASE}/qualification/DE-EX-0001")
    assert (q, rdflib.RDF.type, elm.Qualification) in graph
    assert graph.value(q, elm.EQFLevel) == rdflib.URIRef("http://data.europa.eu/snb/eqf/4")
    assert graph.value(q, elm.NQFLevel) == rdflib.URIRef(DQR_4)
    assert graph.value(q, elm.ISCEDFCode) == rdflib.URIRef("http://data.europa.eu/snb/isced-f/0613")
    assert graph.value(q, dc.language) == rdflib.URIRef("http://publications.europa.eu/resource/authority/language/DEU")
    title = graph.value(q, dc.title)
    assert str(title) == "Fachinformatiker/in Anwendungsentwicklung" and title.language == "de"
    outcomes = set(graph.objects(q, elm.learningOutcome))
    skills = {graph.value(o, elm.relatedESCOSkill) for o in outcomes}
    assert skills == {rdflib.URIRef(SKILL_A), rdflib.URIRef(SKILL_B)}
    # ESCO skill nodes carry a label but no skos:inScheme (the LOQ 3.1 shapes reject the ESCO scheme)
    assert graph.value(rdflib.URIRef(SKILL_A), skos.prefLabel) is not None
    assert graph.value(rdflib.URIRef(SKILL_A), skos.inScheme) is None
    summary = graph.value(q, elm.learningOutcomeSummary)
    assert str(graph.value(summary, elm.noteLiteral)) == "Entwickelt Software und testet sie."


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"eqf_level": None, "level_status": "missing"}, "no EQF level"),
        ({"eqf_level": None, "level_status": "ambiguous", "nqf_level": "Level 1/2"}, "ambiguous level"),
        ({"nqf_level": "5", "eqf_level": 5}, "no QDR NQF level concept"),
        ({"nqf_level": ""}, "no NQF level"),
        ({"skills": (), "skill_labels": ()}, "no learning outcome"),
        ({"isced_f": ""}, "no ISCED-F code"),
        ({"isced_f": "9876"}, "does not exist in ISCED-F"),
        ({"code": "  "}, "no code"),
        ({"country": "BE", "language": ""}, "no language"),
        ({"language": "xx"}, "not an ISO 639-1 code"),
    ],
)
def test_a_row_that_cannot_be_valid_is_left_out_with_its_reason(changes: dict, reason: str) -> None:
    export = _build([_record(), _record(code="DE-EX-0002", **{k: v for k, v in changes.items() if k != "code"})
                     if "code" not in changes else _record(**changes)])  # fmt: skip
    assert [q.code for q in export.qualifications] == ["DE-EX-0001"]
    assert len(export.skipped) == 1 and reason in export.skipped[0].reason
    assert export.skipped[0].row == 2


def test_a_repeated_code_is_reported_instead_of_minting_the_same_iri_twice() -> None:
    export = _build([_record(), _record(title="Another title")])
    assert len(export.qualifications) == 1
    assert "duplicate code" in export.skipped[0].reason and "row 1" in export.skipped[0].reason


def test_record_iris_are_minted_from_the_code_and_percent_encoded() -> None:
    export = _build([_record(code="600/5498/0 é")], base_uri=BASE + "/")
    assert export.qualifications[0].uri == f"{BASE}/qualification/600%2F5498%2F0%20%C3%A9"
    assert export.qualifications[0].outcomes[0].uri.startswith(f"{BASE}/learning-outcome/600%2F5498%2F0%20%C3%A9/")


@pytest.mark.parametrize(
    "base", ["qualifications.example.org", "ftp://x.org", "https://x.org/a b", "https://x.org/?q=1", ""]
)
def test_an_unusable_base_uri_is_refused_in_library_terms(base: str) -> None:
    with pytest.raises(SkillmapError, match="not a usable namespace") as refused:
        _build([_record()], base_uri=base)
    assert refused.value.hint == "base_uri" and "--" not in refused.value.message


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "qdr-xml"])
def test_a_reexport_is_byte_identical_whatever_the_row_order(fmt: str) -> None:
    records = [_record(code=f"DE-{n:03d}", skills=(SKILL_B, SKILL_A), skill_labels=("b", "a")) for n in range(30)]
    first = serialise(_build(records), fmt)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert serialise(_build(shuffled), fmt) == first
    assert first.index("DE-000") < first.index("DE-029")


def test_the_isced_f_option_fills_rows_without_a_code_and_a_wrong_code_is_refused() -> None:
    export = _build([_record(isced_f="")], isced_f=("041",))
    assert [c.uri for c in export.qualifications[0].isced_f] == ["http://data.europa.eu/snb/isced-f/041"]
    with pytest.raises(SkillmapError, match="not an ISCED-F 2013 field code"):
        _build([_record()], isced_f=("0999x",))


def test_a_spreadsheet_code_that_lost_its_leading_zero_is_read_as_the_isced_f_code() -> None:
    export = _build([_record(isced_f="613")])
    assert export.qualifications[0].isced_f[0].uri.endswith("/0613")


def test_the_isced_map_maps_a_national_subject_column(tmp_path) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text("SectorSubjectArea,isced_f\nAccounting and finance,0411|0412\n", encoding="utf-8")
    isced_map = read_isced_map(mapping)
    records = [
        _record(isced_f="", extra={"sector_subject_area": "Accounting  and Finance"}),
        _record(code="DE-2", isced_f="", extra={"sector_subject_area": "Astrology"}),
    ]
    export = _build(records, isced_map=isced_map)
    assert [c.uri[-4:] for c in export.qualifications[0].isced_f] == ["0411", "0412"]
    assert "'Astrology' is not in map.csv" in export.skipped[0].reason


def test_an_isced_map_with_a_code_that_does_not_exist_is_refused(tmp_path) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text("NSF,isced_f\n313,0412\n310,0498\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"map\.csv line 3"):
        read_isced_map(mapping)


def test_micro_credential_columns_become_the_elements_elm_carries() -> None:
    extra = {
        "ECTS credits": "5",
        "Volume of learning": "125",
        "Mode of delivery": "online, blended",
        "Assessment type": "written exam | portfolio",
        "Learning setting": "non-formal",
    }
    export = _build([_record(extra=extra)])
    q = export.qualifications[0]
    assert [(p.framework.label, p.point) for p in q.credit_points] == [("European Credit Transfer System", "5")]
    assert q.volume_of_learning == "PT125H"
    assert {c.label for c in q.modes} == {"Online", "Blended"}
    assert {c.label for c in q.assessment_types} == {"written examination", "portfolio"}
    assert q.learning_setting is not None and q.learning_setting.label == "non-formal learning"
    # the duration literal is written as given (rdflib would normalise PT125H to P5DT5H)
    assert '"PT125H"^^xsd:duration' in serialise(export, "turtle")


def test_an_unusable_micro_credential_value_is_dropped_with_a_note_not_exported() -> None:
    export = _build([_record(extra={"ECTS": "five", "mode": "telepathy"})])
    q = export.qualifications[0]
    assert not q.credit_points and not q.modes
    assert {n.reason.split(" ")[0] for n in export.notes} == {"ECTS", "mode"}


def test_the_language_comes_from_the_country_when_the_record_has_none() -> None:
    export = _build([_record(country="DE", language="")])
    assert export.qualifications[0].language.uri.endswith("/DEU")
    assert export.qualifications[0].titles == (("de", "Fachinformatiker/in Anwendungsentwicklung"),)


def test_turtle_and_json_ld_describe_the_same_graph() -> None:
    import rdflib

    rdflib.NORMALIZE_LITERALS = False

    export = _build([_record(extra={"ECTS": "5", "hours": "40"}), _record(code="DE-2", titles=("FIAE",))])
    document = json.loads(serialise(export, "json-ld"))
    assert document["@context"][0] == JSONLD_CONTEXT_URL
    context = _minimal_context(document)
    document["@context"] = [context, {"id": "@id", "type": "@type"}]
    from_jsonld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    from rdflib.compare import isomorphic

    assert isomorphic(from_jsonld, _graph(export))


def _minimal_context(document: dict) -> dict:
    """The ELM terms our JSON-LD uses, written here so the test does not depend on ../shared."""
    elm, dc, skos = ELM_NS, "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"
    ids = {"@type": "@id"}
    lang = {"@container": "@language"}
    return {
        "Qualification": elm + "Qualification", "LearningOutcome": elm + "LearningOutcome", "Note": elm + "Note",
        "Identifier": elm + "Identifier", "WebResource": elm + "WebResource", "CreditPoint": elm + "CreditPoint",
        "AwardingOpportunity": elm + "AwardingOpportunity", "Organisation": elm + "Organisation",
        "Location": dc + "Location", "Address": elm + "Address", "Concept": skos + "Concept",
        "ConceptScheme": skos + "ConceptScheme",
        "LearningAssessmentSpecification": elm + "LearningAssessmentSpecification",
        "identifier": {"@id": "http://www.w3.org/ns/adms#identifier", **ids}, "notation": skos + "notation",
        "schemeName": {"@id": elm + "schemeName", "@type": "http://www.w3.org/2001/XMLSchema#string"},
        "title": {"@id": dc + "title", **lang}, "homepage": {"@id": "http://xmlns.com/foaf/0.1/homepage", **ids},
        "learningOutcomeSummary": {"@id": elm + "learningOutcomeSummary", **ids},
        "noteLiteral": {"@id": elm + "noteLiteral", **lang}, "thematicArea": {"@id": elm + "ISCEDFCode", **ids},
        "volumeOfLearning": {"@id": elm + "volumeOfLearning", "@type": "http://www.w3.org/2001/XMLSchema#duration"},
        "creditPoint": {"@id": elm + "creditPoint", **ids}, "framework": {"@id": elm + "framework", **ids},
        "point": {"@id": elm + "point", "@type": "http://www.w3.org/2001/XMLSchema#string"},
        "language": {"@id": dc + "language", **ids}, "learningOutcome": {"@id": elm + "learningOutcome", **ids},
        "awardingOpportunity": {"@id": elm + "awardingOpportunity", **ids},
        "awardingBody": {"@id": elm + "awardingBody", **ids}, "location": {"@id": elm + "location", **ids},
        "learningAchievementSpecification": {"@id": elm + "learningAchievementSpecification", **ids},
        "eqfLevel": {"@id": elm + "EQFLevel", **ids}, "nqfLevel": {"@id": elm + "NQFLevel", **ids},
        "relatedESCOSkill": {"@id": elm + "relatedESCOSkill", **ids},
        "legalName": {"@id": "http://www.w3.org/ns/regorg#legalName", **lang},
        "address": {"@id": elm + "address", **ids}, "countryCode": {"@id": elm + "countryCode", **ids},
        "inScheme": {"@id": skos + "inScheme", **ids}, "prefLabel": {"@id": skos + "prefLabel", **lang},
        "dcType": {"@id": dc + "type", **ids}, "mode": {"@id": elm + "mode", **ids},
    }  # fmt: skip


def test_xml_lists_every_learning_outcome_it_references() -> None:
    from lxml import etree

    export = _build([_record(), _record(code="DE-2")])
    root = etree.fromstring(serialise(export, "qdr-xml").encode())
    ns = {"l": LOQ_XML_NS}
    refs = set(root.xpath("//l:qualification/l:learningOutcome/@idref", namespaces=ns))
    ids = set(root.xpath("//l:learningOutcomeReferences/l:learningOutcome/@id", namespaces=ns))
    assert refs == ids and len(ids) == 4
    assert root.get("xsdVersion") == "3.1.0"


def test_an_isced_f_input_column_carried_in_extra_is_used() -> None:
    export = _build([_record(isced_f="", extra={"ISCED-F": "0713"})])
    assert [c.uri for c in export.qualifications[0].isced_f] == ["http://data.europa.eu/snb/isced-f/0713"]


def test_the_language_option_only_fills_in_for_countries_with_several_languages() -> None:
    export = _build([_record(country="BE", language=""), _record(code="DE-2", language="")], language="fr")
    languages = {q.code: q.language.uri.rsplit("/", 1)[1] for q in export.qualifications}
    assert languages == {"DE-EX-0001": "FRA", "DE-2": "DEU"}


@pytest.mark.parametrize("option", ["language", "skill_label_lang"])
def test_an_unknown_language_option_is_refused(option: str) -> None:
    with pytest.raises(SkillmapError, match="not an ISO 639-1 language code"):
        _build([_record()], **{option: "english"})


def test_a_record_without_skills_gets_one_textual_outcome_per_competence_block() -> None:
    blocks = "DE-EX-0001BC01: Software entwickeln | : Im Team arbeiten"  # the second block has no code
    record = _record(skills=(), skill_labels=(), language="de", extra={"competence_blocks": blocks})
    export = _build([record], language="en")
    [q] = export.qualifications
    hashed = hashlib.sha1(b"Im Team arbeiten").hexdigest()[:12]
    assert [(o.uri, o.title, o.skill_uri, o.skill_labels) for o in q.outcomes] == sorted(
        [
            (f"{BASE}/learning-outcome/DE-EX-0001/DE-EX-0001BC01", (("de", "Software entwickeln"),), None, ()),
            (f"{BASE}/learning-outcome/DE-EX-0001/{hashed}", (("de", "Im Team arbeiten"),), None, ()),
        ]
    )
    for fmt in ("turtle", "json-ld", "qdr-xml"):
        text = serialise(export, fmt)
        assert "Software entwickeln" in text and "Im Team arbeiten" in text
        assert "relatedESCOSkill" not in text and "relatedSkill" not in text and "esco/skill" not in text
    # with neither skills nor blocks the row is still left out, for the same reason as before
    [skipped] = _build([replace(record, extra={})], language="en").skipped
    assert skipped.reason.startswith("no learning outcome: no ESCO skill linked")
