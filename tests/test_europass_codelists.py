"""Our Europass code lists (data/europass/) agree with the official QDR code lists, and validation pitfalls."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.outputs.europass.building import build_elm_export
from skillmap.outputs.europass.codelists import (
    COUNTRY_URI,
    ISCED_URI,
    LANGUAGE_URI,
    SCHEMES,
    VocabConcept,
    load_code_lists,
)
from skillmap.outputs.europass.inputs import nqf_resolver_from_frameworks
from skillmap.outputs.europass.isced_maps import read_isced_map
from skillmap.outputs.europass.model import ExportOptions
from skillmap.outputs.europass.turtle import to_turtle
from skillmap.outputs.europass.validation import validate_file
from tests.conftest import SHARED, needs_shared

VOCABULARIES = SHARED / "elm" / "vocabularies"
XSD_CV = SHARED / "elm" / "xsd" / "loq" / "cv"


def _official(name: str) -> set[str]:
    with (VOCABULARIES / name).open(encoding="utf-8", newline="") as handle:
        return {row["uri"] for row in csv.DictReader(handle)}


@needs_shared
def test_our_isced_f_list_has_exactly_the_codes_of_the_qdr_list() -> None:
    lists = load_code_lists()
    ours = {ISCED_URI.format(code=code) for code in lists.isced_f}
    assert ours == _official("isced-f.csv")
    assert len(ours) == 220


@needs_shared
def test_every_language_and_country_we_write_is_in_the_eu_authority_lists() -> None:
    lists = load_code_lists()
    languages = {LANGUAGE_URI.format(code=eu) for eu, _ in lists.languages.values()}
    countries = {COUNTRY_URI.format(code=entry[0]) for entry in lists.countries.values()}
    assert languages - _official("language.csv") == set()
    assert countries - _official("country.csv") == set()
    assert lists.country_concept("XK").uri.endswith("/1A0")  # Kosovo's EU code is not an ISO alpha-3


@needs_shared
def test_every_controlled_value_we_write_is_an_enumeration_of_the_qdr_xsd() -> None:
    enumerated: set[str] = set()
    for xsd in XSD_CV.glob("*.xsd"):
        enumerated |= set(re.findall(r'value="([^"]+)"', xsd.read_text(encoding="utf-8")))
    lists = load_code_lists()
    written = {concept.uri for spellings in lists.lists.values() for concept in spellings.values()}
    assert written and written - enumerated == set()


@needs_shared
def test_the_official_shapes_with_java_regexes_are_refused_with_advice(tmp_path: Path) -> None:
    shapes = tmp_path / "official"
    shapes.mkdir()
    for name in ("LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl"):
        shutil.copy(SHARED / "elm" / "shapes" / name, shapes / name)
    record = RegisterRecord(
        country="DE", code="DE-1", title="Beispiel", register="t", nqf_level="4", eqf_level=4, level_status="ok",
        skills=("http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",), skill_labels=("x",),
        isced_f="0613", url="https://example.org/q/1",
    )  # fmt: skip
    export = build_elm_export(
        [record],
        ExportOptions(base_uri="https://q.example.org"),
        nqf_level=lambda *_: VocabConcept("http://data.europa.eu/snb/qdr/c_12a84182", "DQR 4", SCHEMES["nqf"]),
    )
    out = tmp_path / "x.ttl"
    out.write_text(to_turtle(export), encoding="utf-8")
    with pytest.raises(SkillmapError, match="Java-only regexes"):
        validate_file(out, shapes)
    assert validate_file(out, SHARED / "elm" / "shapes").conforms


def test_the_bundled_maps_only_use_existing_isced_f_codes() -> None:
    from skillmap.fileio import bundled_data_dir

    maps = sorted((bundled_data_dir() / "europass" / "isced-maps").glob("*.csv"))
    assert maps
    for path in maps:
        assert read_isced_map(path).codes  # read_isced_map refuses unknown codes


def test_nqf_values_are_level_concepts_never_framework_concepts() -> None:
    from skillmap.sources.frameworks import load_frameworks

    registry = load_frameworks()
    framework_uris = {f.eu_uri for f in registry.all() if f.eu_uri}
    resolve = nqf_resolver_from_frameworks(same_eqf=True)
    found = {
        concept.uri
        for framework in registry.all()
        for level in framework.levels
        if (concept := resolve(framework.country, level.nqf_level, framework.acronym)) is not None
    }
    assert len(found) > 300 and not found & framework_uris
    assert nqf_resolver_from_frameworks()("FR", "7", "CNCP") is None  # the QDR has no 2019 French levels
    assert resolve("FR", "7", "CNCP").uri == "http://data.europa.eu/snb/qdr/c_828fbcc3"
    assert resolve("DE", "4", "DQR").uri == "http://data.europa.eu/snb/qdr/c_12a84182"
