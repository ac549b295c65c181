"""ESCO collections: every concept knows its collections (digital, green…), hits and align rows carry them."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from skillmap.digital import digital_profile, proficiency_group
from skillmap.errors import SkillmapError
from skillmap.model import Match
from skillmap.sources.esco_csv import read_esco_csv
from tests.conftest import ESCO_EN_ZIP, needs_shared


def _collection_rows(name: str) -> int:
    with zipfile.ZipFile(ESCO_EN_ZIP) as archive, archive.open(name) as handle:
        return sum(1 for _ in csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8", newline="")))


@pytest.fixture(scope="module")
def english():
    if not ESCO_EN_ZIP.is_file():
        pytest.skip(f"reference data not found at {ESCO_EN_ZIP}")
    return read_esco_csv([ESCO_EN_ZIP])


@needs_shared
def test_the_imported_classification_has_as_many_digital_and_green_skills_as_the_collection_files(english) -> None:
    skills = [c for c in english.concepts if c.kind == "skill"]
    for name, file in (("digital", "digitalSkillsCollection_en.csv"), ("green", "greenSkillsCollection_en.csv")):
        assert sum(1 for c in skills if name in c.collections) == _collection_rows(file) > 500


@needs_shared
def test_digcomp_and_transversal_skills_are_tagged(english) -> None:
    skills = [c for c in english.concepts if c.kind == "skill"]
    assert sum(1 for c in skills if "transversal" in c.collections) == _collection_rows(
        "transversalSkillsCollection_en.csv"
    )
    digcomp = {c.pref_label("en") for c in english.concepts if "digcomp" in c.collections}
    assert len(digcomp) == _collection_rows("digCompSkillsCollection_en.csv")
    assert "protect personal data and privacy" in digcomp


def test_skills_json_lists_the_collections_of_each_hit_of_the_sample(run_cli) -> None:
    code, out, _err = run_cli("skills", "install photovoltaic panels", "--format", "json", "--top", "3")
    hits = json.loads(out)
    assert code == 0 and all("collections" in hit for hit in hits)
    assert any("green" in hit["collections"] for hit in hits)


def test_collection_option_keeps_only_skills_of_that_collection(run_cli) -> None:
    code, out, _err = run_cli("skills", "data analysis and solar panels", "--collection", "digital", "--format", "json")
    hits = json.loads(out)
    assert code == 0 and hits and all("digital" in hit["collections"] for hit in hits)


def test_an_unknown_collection_is_one_line_exit_2(run_cli) -> None:
    code, _out, err = run_cli("skills", "solar panels", "--collection", "purple")
    assert code == 2 and "unknown collection 'purple'" in err and "--collection" in err


def _hit(uri: str, collections: tuple[str, ...], digcomp: tuple[str, ...] = ()) -> Match:
    return Match(
        uri=uri, label=uri, matched_label=uri, score=0.9, kind="skill", collections=collections, digcomp=digcomp
    )


def test_digital_profile_counts_collections_and_names_digcomp_areas() -> None:
    skills = [
        _hit("a", ("digital", "digcomp"), ("ICT safety", "protect personal data and privacy")),
        _hit("b", ("green",)),
        _hit("c", ("transversal",)),
    ]
    profile = digital_profile(4, skills)
    assert (profile.digital_skills, profile.green_skills, profile.transversal_skills) == (1, 1, 1)
    assert profile.digcomp_competences == ("protect personal data and privacy",)
    assert profile.digcomp_areas == ("4 Safety",)
    assert profile.proficiency.startswith("Intermediate (DigComp 3–4; platform: Intermediate;")
    assert "not official" in profile.proficiency


def test_highly_specialised_needs_a_specialist_digital_skill() -> None:
    general = [_hit("a", ("digital", "digcomp"), ("ICT safety",))]
    specialist = [*general, _hit("b", ("digital",))]
    assert proficiency_group(7, general).group == "Advanced"
    assert proficiency_group(7, specialist).platform_label == "Digital Expert"
    assert proficiency_group(None, specialist) is None
    assert proficiency_group(5, [_hit("c", ("green",))]) is None


def test_rdf_concepts_in_a_collection_scheme_are_tagged(tmp_path) -> None:
    from skillmap.sources.esco_rdf import read_esco_rdf

    turtle = tmp_path / "esco.ttl"
    turtle.write_text(
        "@prefix esco: <http://data.europa.eu/esco/model#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://data.europa.eu/esco/skill/s1> a esco:Skill ; skos:prefLabel "install solar panels"@en ;\n'
        "  skos:inScheme <http://data.europa.eu/esco/concept-scheme/green>,"
        " <http://data.europa.eu/esco/concept-scheme/member-skills> .\n",
        encoding="utf-8",
    )
    (concept,) = read_esco_rdf([turtle]).concepts
    assert concept.collections == ("green",)


def test_an_index_written_before_collections_reads_with_none(tmp_path) -> None:
    from skillmap.match import ConceptIndex
    from skillmap.store import load_sample

    index = ConceptIndex.build(load_sample())
    index.save(tmp_path)
    for name in ("concept_collections", "concept_digcomp"):
        (tmp_path / f"match-{name}.npy").unlink()
    meta = json.loads((tmp_path / "match-meta.json").read_text(encoding="utf-8"))
    del meta["collections"], meta["digcomp"]
    (tmp_path / "match-meta.json").write_text(json.dumps(meta), encoding="utf-8")
    old = ConceptIndex.load(tmp_path)
    hits = old.search("install photovoltaic panels", top=3)
    assert hits and all(hit.collections == () for hit in hits)
    with pytest.raises(SkillmapError, match="re-import"):
        old.search("solar panels", collection="green")


def _green_and_digital_row():
    from dataclasses import replace

    from tests.test_outputs_tables import _alignment

    row = _alignment(1, "C1", "Solar installer")
    green, other = row.skills
    return replace(row, skills=(replace(green, collections=("green",)), replace(other, collections=("digital",))))


def test_align_rows_carry_collection_counts_and_the_crosswalk_in_json() -> None:
    from skillmap.outputs.tables import render_json

    (record,) = json.loads(render_json([_green_and_digital_row()], ("Code", "Title", "country", "Level")))
    assert (record["digital_skills"], record["green_skills"], record["transversal_skills"]) == (1, 1, 0)
    assert (
        record["digital_proficiency"].startswith("Intermediate (DigComp 3–4")
        and "not official" in (record["digital_proficiency"])
    )


def test_xlsx_summary_and_html_show_digital_and_green_shares_per_eqf_level() -> None:
    import openpyxl

    from skillmap.outputs.html import render_html
    from skillmap.outputs.xlsx import render_xlsx

    data = render_xlsx([_green_and_digital_row()], ("Code", "Title", "country", "Level"), code_column="Code")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    values = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if row[0] == "EQF level (skills)")
    assert values[header_at + 1][:6] == ("EQF 4", 2, 1, 1, 0.5, 0.5)
    assert len(sheet._charts) == 2
    assert "Digital and green skills per EQF level" in render_html([_green_and_digital_row()])
