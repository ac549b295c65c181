"""Our framework data (data/nqf) against the compiled facts in ../shared/nqf, Ofqual's table and the EU vocabulary."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.frameworks import load_frameworks, nqf_data_dir, read_eu_level_vocabulary
from tests.conftest import REPO, SHARED, needs_shared

NQF = SHARED / "nqf"
VOCABULARIES = SHARED / "elm" / "vocabularies"
# The one mapping we changed on purpose: the compiled table put bare French level I at EQF 7 "unsure, ambiguous";
# we split it into I-Master (7) and I-Doctorat (8) as the EU vocabulary does and make bare I ambiguous.
CHANGED_ON_PURPOSE = {("FR", "NIV-1969", "I")}


@pytest.fixture(scope="module")
def registry():
    return load_frameworks()


def _shared_levels() -> list[dict[str, str]]:
    with open(NQF / "nqf_eqf_levels.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_bundled_data_loads_without_shared(registry) -> None:
    assert len(registry) == 47
    assert len(registry.countries()) == 44
    assert {"GB-ENG", "GB-NIR", "GB-WLS", "GB-SCT", "BE-VLG", "BE-WAL", "BE-DE", "XK", "TR", "CH"} <= set(
        registry.countries()
    )
    assert [f.acronym for f in registry.frameworks("GB-ENG")] == ["RQF", "FHEQ"]
    assert [f.acronym for f in registry.frameworks("FR")] == ["CNCP", "NIV-1969"]


def test_every_framework_has_names_year_and_sources(registry) -> None:
    for framework in registry.all():
        assert framework.name and framework.sources, framework
        assert framework.ref_year, framework
        assert framework.country_name, framework
        for level in framework.levels:
            assert level.sources, (framework.country, framework.acronym, level.nqf_level)


def test_native_names_we_know(registry) -> None:
    assert registry.get("DE").name_native == "Deutscher Qualifikationsrahmen"
    assert registry.get("FR", "CNCP").name_native == "Cadre national des certifications professionnelles"
    assert registry.get("IE").name_native == "An Creat Náisiúnta Cáilíochtaí"
    assert registry.get("BE-DE").name == "Qualifications Framework of the German-speaking Community of Belgium"


@needs_shared
def test_every_shared_framework_and_level_is_in_our_data(registry) -> None:
    for row in _shared_levels():
        key = (row["country_code"], row["framework_acronym"], row["nqf_level"])
        level = registry.level(row["country_code"], row["nqf_level"], row["framework_acronym"])
        assert level is not None, key
        if key in CHANGED_ON_PURPOSE:
            continue
        expected = int(row["eqf_level"]) if row["eqf_level"] else None
        assert level.eqf_level == expected, key


@needs_shared
def test_french_level_one_is_split_as_the_eu_vocabulary_does(registry) -> None:
    assert registry.level("FR", "I", "NIV-1969").kind == "register_value"
    assert registry.level("FR", "I", "NIV-1969").eqf_level is None
    assert registry.level("FR", "I-Master", "NIV-1969").eqf_level == 7
    assert registry.level("FR", "I-Doctorat", "NIV-1969").eqf_level == 8


@needs_shared
def test_unsure_mappings_stay_unsure_unless_checked(registry) -> None:
    """Rows whose doubt touches the mapping or label stay unsure; those we checked say against what."""
    still_unsure = {
        ("GB-SCT", "SCQF 1"),
        ("GB-SCT", "SCQF 2"),
        ("FR", "VI"),
        ("FR", "Vbis"),
        ("FR", "2"),
        ("IS", "1"),
        ("IS", "2"),
        ("IS", "3"),
        ("IS", "4"),
        ("NO", "4A"),
        ("NO", "4B"),
    }
    for country, level_name in still_unsure:
        level = next(lv for f in registry.frameworks(country) for lv in f.levels if lv.nqf_level == level_name)
        assert level.unsure, (country, level_name)
    for country, acronym, level_name in [
        ("HR", "HKO/CROQF", "7.1"),
        ("MK", "МРК/MQF", "V-A"),
        ("MT", "MQF", "Introductory Level A"),
    ]:
        level = registry.level(country, level_name, acronym)
        assert not level.unsure and "confirmed by the EU vocabulary" in level.note, (country, level_name)
    # a doubt about the referencing year only marks the framework, not its 1:1 levels
    assert registry.get("DE").unsure and not any(lv.unsure for lv in registry.get("DE").levels)


@needs_shared
def test_no_doubt_in_shared_is_dropped_silently(registry) -> None:
    """Every shared row marked unsure is unsure in our data too: on the level, on the framework (year or
    framework-wide note), or checked against the EU vocabulary (said in the level's note)."""
    for row in _shared_levels():
        if "unsure" not in row["note"]:
            continue
        framework = registry.get(row["country_code"], row["framework_acronym"])
        level = registry.level(row["country_code"], row["nqf_level"], row["framework_acronym"])
        kept = (
            level.unsure
            or framework.unsure
            or "unsure" in framework.note
            or "EU vocabulary" in level.note
            or "unsure" in level.note
        )
        assert kept, (row["country_code"], row["nqf_level"], row["note"])


@needs_shared
def test_rqf_levels_agree_with_ofqual_reference_table(registry) -> None:
    """Ofqual's own RQF → EQF table (qualification-level.tsv) is the oracle for GB-ENG RQF."""
    with open(NQF / "qualification-level.tsv", encoding="ascii", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    checked = 0
    for row in rows:
        key = row["qualification-level"]
        eqf = row["european-qualification-framework-level"]
        if key.startswith("Level") and "_" not in key:
            level = registry.level("GB-ENG", key.removeprefix("Level"), "RQF")
        elif key in ("Entry1", "Entry2", "Entry3"):
            level = registry.level("GB-ENG", f"Entry {key[-1]}", "RQF")
        elif key == "Level1_2":  # Ofqual says "Level 2/3": no single EQF level, so ours is an ambiguous value
            level = registry.level("GB-ENG", "Level 1/2", "RQF")
            assert level.kind == "register_value" and level.eqf_level is None
            assert {registry.level("GB-ENG", c, "RQF").eqf_level for c in level.candidates} == {2, 3}
            checked += 1
            continue
        else:
            continue  # EntryLevel (ended 2016) and combined entry keys have no level of their own
        expected = int(eqf.removeprefix("Level ")) if eqf else None
        assert level is not None and level.eqf_level == expected, key
        checked += 1
    assert checked == 12


@needs_shared
def test_eu_vocabulary_has_43_frameworks_and_381_levels() -> None:
    concepts = read_eu_level_vocabulary(VOCABULARIES / "nqf.ttl")
    assert sum(c.kind == "framework" for c in concepts) == 43
    assert sum(c.kind == "level" for c in concepts) == 381
    eqf = read_eu_level_vocabulary(VOCABULARIES / "eqf.ttl")
    assert [c.uri for c in eqf] == [f"http://data.europa.eu/snb/eqf/{n}" for n in range(1, 9)]


@needs_shared
def test_levels_link_level_concepts_never_framework_concepts(registry) -> None:
    concepts = {c.uri: c for c in read_eu_level_vocabulary(VOCABULARIES / "nqf.ttl")}
    linked = 0
    for framework in registry.all():
        if framework.eu_uri:
            assert concepts[framework.eu_uri].kind == "framework", framework.acronym
        for level in framework.levels:
            if level.eu_uri:
                assert concepts[level.eu_uri].kind == "level", (framework.country, level.nqf_level)
                assert concepts[level.eu_uri].label == level.eu_label
                assert level.eu_source
                linked += 1
    assert linked >= 380
    assert registry.level("DE", "4").eu_label == "DQR Level 4"
    assert registry.level("GB-ENG", "6", "RQF").eu_uri == "http://data.europa.eu/snb/qdr/c_c392e7a2"
    assert registry.level("GB-SCT", "SCQF 11").eu_label == "SCQF Level 11"
    assert registry.level("GB-ENG", "6", "FHEQ").eu_uri is None  # the EU list has no FHEQ levels
    assert registry.level("FR", "5", "CNCP").eu_uri is None  # nor levels of the 2019 French framework


@needs_shared
@pytest.mark.skipif(sys.version_info < (3, 11), reason="build_frameworks.py reads curation.toml with tomllib (3.11+)")
def test_generated_files_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "data" / "nqf" / "build_frameworks.py"), "--check", "--shared", str(SHARED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_unknown_country_suggests_close_codes(registry) -> None:
    with pytest.raises(SkillmapError, match=r"unknown country code 'DX'.*did you mean"):
        registry.normalise_country("DX")
    with pytest.raises(SkillmapError, match=r"GB-ENG.*GB-NIR.*GB-SCT.*GB-WLS"):
        registry.normalise_country("UK")
    with pytest.raises(SkillmapError, match=r"BE-DE.*BE-VLG.*BE-WAL"):
        registry.normalise_country("be")
    with pytest.raises(SkillmapError):
        registry.normalise_country("EN")
    assert registry.normalise_country(" gb-sct ") == "GB-SCT"
    assert registry.normalise_country("gb_eng") == "GB-ENG"
    assert registry.normalise_country("EL") == "GR"


def test_level_lookup_accepts_the_bare_number_of_prefixed_levels(registry) -> None:
    assert registry.level("GB-SCT", "11").nqf_level == "SCQF 11"
    assert registry.level("GB-SCT", "scqf 11").eqf_level == 7
    assert registry.level("NO", "5.1").eqf_level == 5
    assert registry.level("DE", "9") is None


def test_unknown_framework_of_a_country_is_an_error(registry) -> None:
    with pytest.raises(SkillmapError, match=r"GB-ENG has no framework 'SCQF'.*RQF, FHEQ"):
        registry.get("GB-ENG", "SCQF")
    assert registry.get("FR", "niv-1969").acronym == "NIV-1969"
    assert registry.get("GB-ENG", "qcf").acronym == "RQF"


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "nqf"
    shutil.copytree(nqf_data_dir(), target)
    return target


def test_broken_level_row_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "levels.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace(",5,no,", ",five,no,", 1) if ",5,no," in lines[5] else lines[5].replace(",", ",X,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"levels\.csv:6: "):
        load_frameworks(folder)


def test_stray_quote_names_the_line_where_the_broken_row_starts(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "levels.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("DE,DQR,4,"))
    lines[row] = lines[row].replace(",4,no,", ',4,no,"', 1)  # an opening quote that is never closed
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SkillmapError, match=rf"levels\.csv:{row + 1}: .*check its quotes"):
        load_frameworks(folder)


def test_bad_eqf_level_names_file_and_line(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "levels.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("DE,DQR,4,"))
    lines[row] = lines[row].replace(",4,no,", ",9,no,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(SkillmapError, match=rf"levels\.csv:{row + 1}: eqf_level must be 1\.\.8"):
        load_frameworks(folder)


def test_unknown_source_and_missing_file_are_clear(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    path = folder / "frameworks.csv"
    text = path.read_text(encoding="utf-8").replace("skillmap-curation", "no-such-source", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"frameworks\.csv:\d+: unknown source id\(s\) no-such-source"):
        load_frameworks(folder)
    (folder / "sources.csv").unlink()
    with pytest.raises(SkillmapError, match="framework data file missing"):
        load_frameworks(folder)


def test_broken_rdf_vocabulary_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nqf.ttl"
    path.write_text("<http://x> a <http://y> ;;; garbage", encoding="utf-8")
    with pytest.raises(SkillmapError, match="not a readable RDF file"):
        read_eu_level_vocabulary(path)
    with pytest.raises(SkillmapError, match="not found"):
        read_eu_level_vocabulary(tmp_path / "missing.ttl")
