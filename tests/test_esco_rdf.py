"""Reading ESCO as RDF: the official Turtle excerpt, our own small files in every syntax, and offline safety."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.esco_rdf import read_esco_rdf
from skillmap.sources.taxonomy import read_classification
from tests.conftest import SHARED, needs_shared

EXCERPT = SHARED / "esco" / "rdf" / "esco_dump_excerpt.ttl"
DERIVED = SHARED / "esco" / "rdf" / "esco-v1.1.1-derived-from-csv.ttl.gz"
PAINT = "http://data.europa.eu/esco/skill/69282ad4-8793-421e-a42c-636b75f32aac"

TURTLE = """
@prefix esco: <http://data.europa.eu/esco/model#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://data.europa.eu/esco/skill/s1> a skos:Concept, esco:Skill ;
    skos:prefLabel "install solar panels"@en, "installer des panneaux solaires"@fr ;
    skos:altLabel "mount PV panels"@en ;
    skos:hiddenLabel "instal solar panels"@en ;
    esco:skillType <http://data.europa.eu/esco/skill-type/skill> ;
    esco:skillReuseLevel <http://data.europa.eu/esco/skill-reuse-level/sector-specific> ;
    skos:broader <http://data.europa.eu/esco/skill/group1> ;
    esco:isEssentialSkillFor <http://data.europa.eu/esco/occupation/o1> .
<http://data.europa.eu/esco/skill/s2> a esco:Skill ;
    skosxl:prefLabel <http://data.europa.eu/esco/label/l1> ;
    esco:skillType <http://data.europa.eu/esco/skill-type/knowledge> .
<http://data.europa.eu/esco/label/l1> a skosxl:Label ;
    esco:hasLabelRole "http://data.europa.eu/esco/label-role/neutral" ;
    skosxl:literalForm "electrical wiring"@en .
<http://data.europa.eu/esco/occupation/o1> a esco:Occupation ;
    skos:prefLabel "solar installer"@en ; skos:notation "7411.3" ;
    esco:memberOfISCOGroup <http://data.europa.eu/esco/isco/C7411> .
<http://data.europa.eu/esco/relation/r1> a esco:AssociationObject ;
    esco:isAssociationFor <http://data.europa.eu/esco/occupation/o1> ;
    esco:target <http://data.europa.eu/esco/skill/s2> ;
    dct:type <http://data.europa.eu/esco/relationship-type/optional-skill> .
"""


def _concepts(classification):
    return {c.uri: c for c in classification.concepts}


def _write_turtle(tmp_path: Path) -> Path:
    path = tmp_path / "esco-v1.2.0.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    return path


def test_turtle_gives_labels_types_hierarchy_and_both_relation_forms(tmp_path: Path) -> None:
    result = read_esco_rdf([_write_turtle(tmp_path)])
    concepts = _concepts(result)
    s1 = concepts["http://data.europa.eu/esco/skill/s1"]
    assert {(lab.text, lab.lang, lab.role) for lab in s1.labels} == {
        ("install solar panels", "en", "pref"),
        ("installer des panneaux solaires", "fr", "pref"),
        ("mount PV panels", "en", "alt"),
        ("instal solar panels", "en", "hidden"),
    }
    assert (s1.skill_type, s1.reuse_level, s1.broader) == (
        "skill/competence",
        "sector-specific",
        ("http://data.europa.eu/esco/skill/group1",),
    )
    s2 = concepts["http://data.europa.eu/esco/skill/s2"]
    assert s2.pref_label() == "electrical wiring" and s2.skill_type == "knowledge"
    occupation = concepts["http://data.europa.eu/esco/occupation/o1"]
    assert occupation.kind == "occupation" and occupation.code == "7411.3"
    assert occupation.broader == ("http://data.europa.eu/esco/isco/C7411",)
    assert [(r.skill_uri.rsplit("/", 1)[1], r.relation) for r in result.relations] == [
        ("s1", "essential"),
        ("s2", "optional"),
    ]
    assert result.version == "1.2.0"


@pytest.mark.parametrize("fmt, suffix", [("nt", ".nt"), ("xml", ".rdf"), ("json-ld", ".jsonld")])
def test_every_rdf_syntax_reads_the_same_concepts(tmp_path: Path, fmt: str, suffix: str) -> None:
    import rdflib

    graph = rdflib.Graph().parse(data=TURTLE, format="turtle")
    path = tmp_path / f"esco{suffix}.gz"
    path.write_bytes(gzip.compress(graph.serialize(format=fmt).encode("utf-8")))
    assert read_esco_rdf([path]).concepts == read_esco_rdf([_write_turtle(tmp_path)]).concepts


def test_descriptions_are_read_as_literals_and_as_the_official_dumps_node_literals(tmp_path: Path) -> None:
    path = tmp_path / "described.ttl"
    path.write_text(
        TURTLE
        + """
<http://data.europa.eu/esco/skill/s1> dct:description "Fix photovoltaic modules on roofs."@en .
<http://data.europa.eu/esco/skill/s2> dct:description <http://data.europa.eu/esco/node-literal/n1> .
<http://data.europa.eu/esco/node-literal/n1> esco:language "fr" ;
    esco:nodeLiteral "Poser le câblage électrique des bâtiments." .
<http://data.europa.eu/esco/occupation/o1> dct:description "<p>markup</p>"@en .
""",
        encoding="utf-8",
    )
    concepts = _concepts(read_esco_rdf([path]))
    solar, wiring = concepts["http://data.europa.eu/esco/skill/s1"], concepts["http://data.europa.eu/esco/skill/s2"]
    assert [(d.lang, d.text) for d in solar.descriptions] == [("en", "Fix photovoltaic modules on roofs.")]
    assert [(d.lang, d.text) for d in wiring.descriptions] == [("fr", "Poser le câblage électrique des bâtiments.")]
    assert concepts["http://data.europa.eu/esco/occupation/o1"].descriptions == ()  # markup is not a plain text


def test_json_ld_with_a_remote_context_is_refused_without_fetching(tmp_path: Path) -> None:
    path = tmp_path / "esco.jsonld"
    document = {"@context": "https://example.org/context.jsonld", "@id": "http://data.europa.eu/esco/skill/x"}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SkillmapError, match="remote JSON-LD @context"):
        read_esco_rdf([path])


def test_turtle_syntax_error_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(TURTLE.replace(" ;\n    skos:altLabel", " \n    skos:altLabel"), encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"broken\.ttl is not valid turtle RDF") as caught:
        read_esco_rdf([path])
    assert "\n" not in caught.value.message


def test_rdf_xml_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.rdf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://example.org/x">]><r/>')
    with pytest.raises(SkillmapError, match="has a DOCTYPE declaration"):
        read_esco_rdf([path])


@needs_shared
def test_official_excerpt_reads_28_languages_and_skosxl_labels() -> None:
    notes: list[str] = []
    result = read_classification([EXCERPT], notes=notes)
    paint = _concepts(result)[PAINT]
    assert paint.pref_label("fr") == "ajouter des durcisseurs dans de la peinture"
    assert paint.pref_label("en") == "add paint hardeners"
    assert len(paint.languages()) == 28
    assert "add paint hardener" in {lab.text for lab in paint.labels if lab.role == "alt"}
    assert (paint.skill_type, paint.reuse_level) == ("skill/competence", "occupation-specific")
    # the excerpt's association objects and isOptionalSkillFor point to occupations it does not contain
    assert result.relations == () and any("unknown occupations" in note for note in notes)


@needs_shared
def test_large_derived_turtle_gives_the_v111_counts() -> None:
    """The only test that parses the 25 MB Turtle (≈15 s); the benchmark measures it."""
    result = read_esco_rdf([DERIVED])
    counts = result.counts()
    assert counts["skill"] == 13896 and counts["occupation"] == 3007
    assert len(result.relations) == 64946 + 58909 - 67
    director = _concepts(result)["http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"]
    assert director.pref_label() == "technical director" and director.code == "2654.1.7"
    # descriptions are read too, so an RDF import gets the description view a CSV import gets
    described = [c for c in result.concepts if c.kind == "skill" and c.descriptions]
    assert len(described) > 13_000 and described[0].descriptions[0].lang == "en"


def test_concepts_whose_skosxl_labels_are_missing_are_left_out_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "partial.ttl"
    path.write_text(
        "@prefix esco: <http://data.europa.eu/esco/model#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .\n"
        "<http://data.europa.eu/esco/skill/a> a esco:Skill ;\n"
        "    skosxl:prefLabel <http://data.europa.eu/esco/label/gone> .\n"
        '<http://data.europa.eu/esco/skill/b> a esco:Skill ; skos:prefLabel "coach athletes"@en .\n',
        encoding="utf-8",
    )
    notes: list[str] = []
    result = read_esco_rdf([path], notes=notes)
    assert [c.uri for c in result.concepts] == ["http://data.europa.eu/esco/skill/b"]
    assert "left out 1 concepts that have no label" in notes


def test_zipped_turtle_download_is_read_like_the_file(tmp_path: Path) -> None:
    import zipfile

    turtle = _write_turtle(tmp_path)
    archive = tmp_path / "ESCO dataset - v1.2.0 - classification - - ttl.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.write(turtle, "esco-v1.2.0.ttl")
    from_zip = read_classification([archive])
    assert from_zip.concepts == read_esco_rdf([turtle]).concepts
    assert from_zip.version == "1.2.0" and from_zip.relations


@pytest.mark.parametrize("suffix", [".ttl", ".rdf"])
def test_iris_that_are_not_valid_uris_are_one_counted_note_not_a_warning_each(
    tmp_path: Path, suffix: str, caplog: pytest.LogCaptureFixture
) -> None:
    bad = ["http://example.org/c 1", "http://example.org/c{2}", "http://example.org/c|3"]
    path = tmp_path / f"taxonomy{suffix}"
    if suffix == ".ttl":
        body = "".join(f'<{uri}> a skos:Concept ; skos:prefLabel "label {i}"@en .\n' for i, uri in enumerate(bad))
        path.write_text(f"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n{body}", encoding="utf-8")
    else:
        body = "".join(
            f'<skos:Concept rdf:about="{uri}"><skos:prefLabel xml:lang="en">label {i}</skos:prefLabel></skos:Concept>'
            for i, uri in enumerate(bad)
        )
        path.write_text(
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:skos="http://www.w3.org/2004/02/skos/core#">{body}</rdf:RDF>',
            encoding="utf-8",
        )
    notes: list[str] = []
    result = read_classification([path], notes=notes)
    assert sorted(c.uri for c in result.concepts) == sorted(bad)  # read as written
    assert not [r for r in caplog.records if "valid URI" in r.getMessage()]  # nothing reaches stderr
    assert [n for n in notes if "not valid URIs" in n] == [
        f"{path}: 3 IRI(s) are not valid URIs (the first: 'http://example.org/c 1'); read as written"
    ]
