"""Reading the official ESCO CSV packages: real v1.1.1 zips, v1.0.x multilingual files, and the traps of both."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.esco_csv import read_esco_csv
from skillmap.sources.taxonomy import read_classification
from tests.conftest import ESCO_EN_ZIP, ESCO_RELATIONS_ZIP, SHARED, needs_shared

TECHNICAL_DIRECTOR = "http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"
MANAGE_MUSICAL_STAFF = "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
SKILL_A = "http://data.europa.eu/esco/skill/aaaa"
SKILL_B = "http://data.europa.eu/esco/skill/bbbb"
OCCUPATION = "http://data.europa.eu/esco/occupation/oooo"

SKILLS_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,"
    "scopeNote,definition,inScheme,description"
)


def write_esco_folder(folder: Path, *, lang: str = "en") -> Path:
    """A tiny ESCO v1.1.x package with the real files' traps: CRLF records, LF inside cells, "01" codes."""
    folder.mkdir(parents=True, exist_ok=True)
    skills = (
        SKILLS_HEADER + "\r\n"
        f"KnowledgeSkillCompetence,{SKILL_A},skill/competence,sector-specific,install solar panels,"
        f'"mount PV panels\nfit solar modules",,released,,,,"x,\ny","Mount panels.\nSecond line."\r\n'
        f"KnowledgeSkillCompetence,{SKILL_B},,,wire electrical circuits,,,released,,,,,\r\n"
    )
    occupations = (
        "conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,"
        "regulatedProfessionNote,scopeNote,definition,inScheme,description,code\r\n"
        f'Occupation,{OCCUPATION},0110,solar installer,"PV installer\nsolar fitter",,released,,,,,,,0110.1\r\n'
    )
    isco = (
        "conceptType,conceptUri,code,preferredLabel,status,altLabels,inScheme,description\r\n"
        "ISCOGroup,http://data.europa.eu/esco/isco/C01,01,Commissioned armed forces officers,released,,,\r\n"
    )
    relations = (
        "occupationUri,relationType,skillType,skillUri\r\n"
        f"{OCCUPATION},essential,skill/competence,{SKILL_A}\r\n"
        f"{OCCUPATION},optional,skill/competence,{SKILL_B}\r\n"
        f"http://data.europa.eu/esco/occupation/missing,essential,skill/competence,{SKILL_A}\r\n"
    )
    (folder / f"skills_{lang}.csv").write_bytes(skills.encode("utf-8"))
    (folder / f"occupations_{lang}.csv").write_bytes(occupations.encode("utf-8"))
    (folder / f"ISCOGroups_{lang}.csv").write_bytes(isco.encode("utf-8"))
    (folder / "occupationSkillRelations.csv").write_bytes(relations.encode("utf-8"))
    return folder


def _concepts(classification):
    return {c.uri: c for c in classification.concepts}


def test_folder_with_crlf_records_and_lf_inside_cells_gives_one_label_per_line(tmp_path: Path) -> None:
    notes: list[str] = []
    result = read_esco_csv([write_esco_folder(tmp_path / "esco")], notes=notes)
    skill = _concepts(result)[SKILL_A]
    assert [(lab.text, lab.role) for lab in skill.labels] == [
        ("install solar panels", "pref"),
        ("fit solar modules", "alt"),
        ("mount PV panels", "alt"),
    ]
    assert skill.skill_type == "skill/competence" and skill.reuse_level == "sector-specific"


def test_isco_codes_stay_strings_and_skills_without_type_have_none(tmp_path: Path) -> None:
    concepts = _concepts(read_esco_csv([write_esco_folder(tmp_path / "esco")]))
    assert concepts["http://data.europa.eu/esco/isco/C01"].code == "01"
    assert concepts[SKILL_B].skill_type is None
    assert concepts[OCCUPATION].broader == ("http://data.europa.eu/esco/isco/C0110",)
    assert concepts[OCCUPATION].code == "0110.1"


def test_relations_to_unknown_occupations_are_skipped_and_reported(tmp_path: Path) -> None:
    notes: list[str] = []
    result = read_esco_csv([write_esco_folder(tmp_path / "esco")], notes=notes)
    assert [(r.occupation_uri, r.skill_uri, r.relation) for r in result.relations] == [
        (OCCUPATION, SKILL_A, "essential"),
        (OCCUPATION, SKILL_B, "optional"),
    ]
    assert any("skipped 1 occupation–skill relations" in note for note in notes)


def test_languages_come_from_file_names_and_merge_by_uri(tmp_path: Path) -> None:
    write_esco_folder(tmp_path / "esco", lang="en")
    fr = (
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,description\r\n"
        f"KnowledgeSkillCompetence,{SKILL_A},skill/competence knowledge,,installer des panneaux solaires,,\r\n"
    )
    (tmp_path / "esco" / "skills_fr-be.csv").write_text(fr, encoding="utf-8")
    result = read_esco_csv([tmp_path / "esco"])
    skill = _concepts(result)[SKILL_A]
    assert skill.pref_label("fr-be") == "installer des panneaux solaires"
    assert skill.pref_label("en") == "install solar panels"
    assert skill.skill_type == "skill/competence"  # the newer (v1.1.x) file gives the facts
    assert result.languages == ("en", "fr-be")


def test_zipped_package_reads_like_the_folder(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    archive = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.iterdir()):
            out.write(path, path.name)
    from_zip = read_esco_csv([archive])
    from_folder = read_esco_csv([folder])
    assert from_zip.concepts == from_folder.concepts and from_zip.relations == from_folder.relations
    assert from_zip.version == "1.2.0"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (SKILLS_HEADER + "\r\nKnowledgeSkillCompetence,http://x/s,knowledge,,lab", "fields where the header has"),
        (SKILLS_HEADER + '\r\nKnowledgeSkillCompetence,http://x/s,knowledge,,"unterminated', "broken CSV"),
        ("id;name\r\n1;x\r\n", "not an ESCO CSV"),
    ],
    ids=["truncated-row", "truncated-quote", "wrong-columns"],
)
def test_damaged_csv_is_one_clear_error(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "skills_en.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SkillmapError, match=expected):
        read_esco_csv([path])


def test_cp1252_file_is_refused_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "skills_fr.csv"
    path.write_bytes((SKILLS_HEADER + "\r\nKnowledgeSkillCompetence,http://x/s,,,gérer,,,,,,,,\r\n").encode("cp1252"))
    with pytest.raises(SkillmapError, match="not UTF-8"):
        read_esco_csv([path])


def test_zip_of_something_else_names_what_was_expected(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("holiday.jpg", b"\xff\xd8")
    with pytest.raises(SkillmapError, match="holds no ESCO CSV files"):
        read_classification([archive])


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    archive = tmp_path / "esco.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.iterdir()):
            out.write(path, path.name)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(SkillmapError, match="zip"):
        read_classification([broken])


def test_relations_zip_alone_asks_for_the_language_package(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    for path in folder.glob("*_en.csv"):
        path.unlink()
    with pytest.raises(SkillmapError, match="only ESCO relations"):
        read_esco_csv([folder])


# --- the real files ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def esco_v111():
    notes: list[str] = []
    return read_esco_csv([ESCO_EN_ZIP, ESCO_RELATIONS_ZIP], notes=notes), notes


@needs_shared
def test_official_v111_zips_give_the_published_counts(esco_v111) -> None:
    classification, notes = esco_v111
    assert classification.counts() == {"isco_group": 619, "occupation": 3007, "skill": 13896, "skill_group": 640}
    assert classification.version == "1.1.1" and classification.languages == ("en",)
    assert len(classification.relations) == 123855 - 67
    assert any("skipped 67 occupation–skill relations" in note for note in notes)


@needs_shared
def test_official_v111_keeps_codes_types_and_alt_labels(esco_v111) -> None:
    concepts = _concepts(esco_v111[0])
    assert concepts["http://data.europa.eu/esco/isco/C01"].code == "01"
    director = concepts[TECHNICAL_DIRECTOR]
    assert director.pref_label() == "technical director"
    assert "head of technical" in {lab.text for lab in director.labels if lab.role == "alt"}
    assert "http://data.europa.eu/esco/isco/C2654" in director.broader
    skills = [c for c in concepts.values() if c.kind == "skill"]
    assert sum(c.skill_type is None for c in skills) == 6
    assert sum(c.reuse_level is None for c in skills) == 5


@needs_shared
def test_v10x_french_spanish_and_us_english_merge_by_uri() -> None:
    folder = SHARED / "esco" / "v1.0.x"
    files = sorted(p for p in folder.glob("*.csv") if p.stem.split("_")[1] in ("fr", "es", "en-us"))
    result = read_esco_csv(files)
    assert result.counts()["skill"] == 13485 and result.counts()["occupation"] == 2942
    assert result.languages == ("en-us", "es", "fr")
    director = _concepts(result)[TECHNICAL_DIRECTOR]
    assert director.pref_label("fr") == "directeur technique/directrice technique"
    assert director.pref_label("es") == "director técnico/directora técnica"
    assert director.pref_label("en-us") == "technical director"
    assert "régisseuse" in {lab.text for lab in director.labels if lab.lang == "fr"}
    assert result.version == "1.0.x"


@needs_shared
def test_v10x_labels_join_v111_english_with_facts_from_the_newer_release() -> None:
    folder = SHARED / "esco" / "v1.0.x"
    notes: list[str] = []
    result = read_esco_csv([ESCO_EN_ZIP, folder / "occupations_fr.csv", folder / "skills_fr.csv"], notes=notes)
    director = _concepts(result)[TECHNICAL_DIRECTOR]
    assert director.broader == ("http://data.europa.eu/esco/isco/C2654",)  # v1.0.x says 2166
    assert director.languages() == ("en", "fr")
    musical = _concepts(result)[MANAGE_MUSICAL_STAFF]
    assert musical.pref_label("fr") == "gérer le personnel musical"
    assert result.version == "1.1.1 + 1.0.x"
    # 106 skills and 3 occupations of v1.0.x are gone from v1.1.1: kept, but the import says so
    assert result.counts()["skill"] == 13896 + 106 and result.counts()["occupation"] == 3007 + 3
    assert any("kept 109 concepts found only in the ESCO 1.0.x files" in note for note in notes)


def test_v12_style_relation_files_with_language_suffix_and_label_columns(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    (folder / "occupationSkillRelations.csv").unlink()
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,occupationLabel,relationType,skillType,skillUri,skillLabel\r\n"
        f"{OCCUPATION},solar installer,essential,skill/competence,{SKILL_A},install solar panels\r\n",
        encoding="utf-8",
    )
    result = read_esco_csv([folder])
    assert [(r.skill_uri, r.relation) for r in result.relations] == [(SKILL_A, "essential")]


def test_byte_order_mark_does_not_hide_the_first_column(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    skills = folder / "skills_en.csv"
    skills.write_bytes(b"\xef\xbb\xbf" + skills.read_bytes())
    assert SKILL_A in _concepts(read_esco_csv([folder]))


def test_descriptions_are_read_and_kept_by_the_imported_store(tmp_path: Path) -> None:
    from skillmap.store import CLASSIFICATION_FILE, _read_classification, _write_classification

    classification = read_esco_csv([write_esco_folder(tmp_path / "esco")])
    concepts = _concepts(classification)
    assert [(d.lang, d.text) for d in concepts[SKILL_A].descriptions] == [("en", "Mount panels. Second line.")]
    assert concepts[SKILL_B].descriptions == ()
    _write_classification(tmp_path / CLASSIFICATION_FILE, classification)
    assert _concepts(_read_classification(tmp_path))[SKILL_A].descriptions == concepts[SKILL_A].descriptions


@needs_shared
def test_official_v111_skills_have_their_descriptions(esco_v111) -> None:
    skill = _concepts(esco_v111[0])[MANAGE_MUSICAL_STAFF]
    assert skill.descriptions[0].text.startswith("Assign and manage staff tasks in areas such as scoring")
