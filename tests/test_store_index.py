"""The imported concept index under $SKILLMAP_HOME: versioned, atomically replaced, fast to open, sample fallback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from skillmap import store
from skillmap.errors import SkillmapError
from skillmap.sources.esco_csv import read_esco_csv
from tests.conftest import ESCO_EN_ZIP, ESCO_RELATIONS_ZIP, REPO, SHARED, needs_shared
from tests.test_esco_csv import SKILL_A, write_esco_folder


def _version_folders(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "index").iterdir() if p.is_dir())


def test_import_then_open_gives_the_same_classification_back(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    info = store.import_classification([folder])
    assert info.origin == "imported" and info.counts == {"isco_group": 1, "occupation": 1, "skill": 2}
    loaded = store.open_index()
    assert loaded.info.counts == info.counts and loaded.info.notice == ""
    expected = read_esco_csv([folder])
    assert loaded.classification().concepts == expected.concepts
    assert store.load_classification().relations == expected.relations
    assert loaded.index.search("install solar panels", kind="skill", top=1)[0].uri == SKILL_A


def test_second_import_switches_current_and_removes_the_old_version(tmp_path: Path, isolated_home: Path) -> None:
    store.import_classification([write_esco_folder(tmp_path / "one")])
    first = _version_folders(isolated_home)
    taxonomy = tmp_path / "tax.csv"
    taxonomy.write_text("uri,label,kind,lang\nurn:t:1,coaching,skill,en\n", encoding="utf-8")
    info = store.import_classification([taxonomy])
    assert info.origin == "custom" and info.counts == {"skill": 1}
    current = (isolated_home / "index" / "CURRENT").read_text().strip()
    assert _version_folders(isolated_home) == [current] and [current] != first


def test_relations_imported_alone_are_added_to_the_imported_esco(tmp_path: Path) -> None:
    folder = write_esco_folder(tmp_path / "esco")
    relations = tmp_path / "relations"
    relations.mkdir()
    (folder / "occupationSkillRelations.csv").rename(relations / "occupationSkillRelations.csv")
    assert store.import_classification([folder]).relations == 0
    info = store.import_classification([relations])
    assert info.relations == 2 and info.counts["skill"] == 2
    assert any("skipped 1 occupation–skill relations" in note for note in info.notes)
    assert len(store.load_classification().relations) == 2


def test_interrupted_import_keeps_the_previous_index_and_leaves_no_folder(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_classification([write_esco_folder(tmp_path / "good")])
    before = _version_folders(isolated_home)

    def interrupted(self, folder: Path) -> None:
        (folder / "partial").write_text("x")
        raise KeyboardInterrupt

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(store.ConceptIndex, "save", interrupted)
        store.import_classification([write_esco_folder(tmp_path / "other")])
    assert _version_folders(isolated_home) == before
    assert store.open_index().info.counts["skill"] == 2


def test_nothing_imported_falls_back_to_the_bundled_sample_with_a_notice() -> None:
    loaded = store.open_index()
    assert loaded.info.origin == "sample"
    assert 300 <= loaded.info.counts["skill"] <= 500 and 40 <= loaded.info.counts["occupation"] <= 80
    assert set(loaded.info.languages) == {"en", "es", "fr"}
    assert "using the bundled ESCO sample" in loaded.info.notice and "skillmap esco import" in loaded.info.notice
    electrician = loaded.index.search("electrician", kind="occupation", top=1)[0]
    assert electrician.label == "electrician"
    assert store.open_index().info == loaded.info  # second open reads the cached sample index


def test_bundled_sample_holds_only_uris_and_labels() -> None:
    sample = store.sample_path()
    assert sample.stat().st_size < 1_000_000
    header = sample.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == "uri,kind,role,lang,label"


@needs_shared
def test_committed_sample_is_what_make_sample_writes(tmp_path: Path) -> None:
    output = tmp_path / "sample.csv"
    script = REPO / "data" / "esco" / "make_sample.py"
    subprocess.run([sys.executable, str(script), str(SHARED / "esco"), str(output)], check=True, capture_output=True)
    assert output.read_bytes() == store.sample_path().read_bytes()


def test_index_from_another_format_version_asks_for_a_reimport(tmp_path: Path) -> None:
    info = store.import_classification([write_esco_folder(tmp_path / "esco")])
    info_file = Path(info.location) / store.INFO_FILE
    payload = json.loads(info_file.read_text())
    payload["format_version"] = 999
    info_file.write_text(json.dumps(payload))
    with pytest.raises(SkillmapError, match=r"another skillmap version .* run `skillmap esco import"):
        store.open_index()


def test_unwritable_home_is_named_in_the_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SKILLMAP_HOME", str(blocker / "home"))
    code, _out, err = run_cli("esco", "import", str(write_esco_folder(tmp_path / "esco")))
    assert code == 2 and str(blocker / "home") in err and "SKILLMAP_HOME" in err


def test_opening_the_index_does_not_import_pandas_or_rdflib(tmp_path: Path) -> None:
    store.import_classification([write_esco_folder(tmp_path / "esco")])
    probe = (
        "import sys; from skillmap.store import open_index; open_index().index.search('solar', top=1); "
        "print(sorted(m for m in ('pandas', 'rdflib', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO, env=dict(os.environ)
    )
    assert result.stdout.strip() == "[]"


# --- bad input never touches the live index ------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    cases: dict[str, Path] = {"missing": tmp_path / "nope.zip"}
    cases["not-esco"] = tmp_path / "notes.txt"
    cases["not-esco"].write_text("hello\n")
    cases["zip-of-else"] = tmp_path / "photos.zip"
    with zipfile.ZipFile(cases["zip-of-else"], "w") as out:
        out.writestr("a.jpg", b"\xff\xd8")
    cases["truncated"] = tmp_path / "truncated" / "skills_en.csv"
    cases["truncated"].parent.mkdir()
    cases["truncated"].write_text('conceptType,conceptUri,preferredLabel\nX,http://x/1,"cut', encoding="utf-8")
    cases["cp1252"] = tmp_path / "cp" / "skills_fr.csv"
    cases["cp1252"].parent.mkdir()
    cases["cp1252"].write_bytes("conceptType,conceptUri,preferredLabel\nX,http://x/1,gérer\n".encode("cp1252"))
    cases["rdf-syntax"] = tmp_path / "broken.ttl"
    cases["rdf-syntax"].write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x> skos:prefLabel")
    cases["taxonomy-columns"] = tmp_path / "tax.csv"
    cases["taxonomy-columns"].write_text("uri,name\nurn:x,thing\n")
    return cases


BAD = ["missing", "not-esco", "zip-of-else", "truncated", "cp1252", "rdf-syntax", "taxonomy-columns"]


@pytest.mark.parametrize("case", BAD)
def test_bad_import_is_one_line_exit_2_and_keeps_the_good_index(
    tmp_path: Path, isolated_home: Path, run_cli, case: str
) -> None:
    assert run_cli("esco", "import", str(write_esco_folder(tmp_path / "good")))[0] == 0
    before = _version_folders(isolated_home)
    bad = _bad_inputs(tmp_path)[case]
    args = ["esco", "import", str(bad)] + (["--taxonomy"] if case == "taxonomy-columns" else [])
    code, out, err = run_cli(*args)
    assert code == 2, err
    assert err.startswith("skillmap: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert _version_folders(isolated_home) == before
    code, out, _err = run_cli("esco", "info", "--format", "json")
    assert json.loads(out)["counts"]["skill"] == 2


# --- the real ESCO download ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def imported_esco_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$SKILLMAP_HOME after `skillmap esco import` of the official v1.1.1 zips (done once per session)."""
    home = tmp_path_factory.mktemp("esco-home")
    previous = os.environ.get("SKILLMAP_HOME")
    os.environ["SKILLMAP_HOME"] = str(home)
    try:
        store.import_esco([ESCO_EN_ZIP, ESCO_RELATIONS_ZIP], semantic=False)  # the lexical index is what is checked
    finally:
        if previous is None:
            del os.environ["SKILLMAP_HOME"]
        else:
            os.environ["SKILLMAP_HOME"] = previous
    return home


@needs_shared
def test_real_zip_import_reports_the_published_counts(imported_esco_home: Path, monkeypatch, run_cli) -> None:
    monkeypatch.setenv("SKILLMAP_HOME", str(imported_esco_home))
    code, out, err = run_cli("esco", "info", "--format", "json")
    info = json.loads(out)
    assert code == 0 and "bundled" not in err
    assert info["version"] == "1.1.1" and info["languages"] == ["en"]
    assert info["counts"]["skill"] == 13896 and info["counts"]["occupation"] == 3007
    assert info["relations"] == 123855 - 67
    assert any("67 occupation–skill relations" in note for note in info["notes"])
    code, out, _err = run_cli("esco", "info")
    assert "13,896" in out and "3,007" in out


@needs_shared
def test_bad_import_after_the_real_one_keeps_it(imported_esco_home: Path, tmp_path: Path, monkeypatch, run_cli) -> None:
    home = tmp_path / "home"
    shutil.copytree(imported_esco_home, home)
    monkeypatch.setenv("SKILLMAP_HOME", str(home))
    broken = tmp_path / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
    broken.write_bytes(ESCO_EN_ZIP.read_bytes()[:1_000_000])
    code, _out, err = run_cli("esco", "import", str(broken))
    assert code == 2 and "zip" in err
    loaded = store.open_index()
    assert loaded.info.counts["skill"] == 13896
    assert loaded.index.search("install solar panels", top=5)


@needs_shared
def test_french_and_spanish_occupations_import_as_one_multilingual_index() -> None:
    folder = SHARED / "esco" / "v1.0.x"
    info = store.import_classification([folder / "occupations_fr.csv", folder / "occupations_es.csv"])
    assert info.languages == ("es", "fr") and info.counts == {"occupation": 2942}
    index = store.open_index().index
    french = index.search("électricien", kind="occupation", langs=["fr"], top=1)[0]
    spanish = index.search("electricista", kind="occupation", langs=["es"], top=1)[0]
    assert french.uri == spanish.uri  # one concept, labels in both languages


def test_damaged_current_pointer_is_reported_and_a_new_import_repairs_it(
    tmp_path: Path, isolated_home: Path, run_cli
) -> None:
    store.import_classification([write_esco_folder(tmp_path / "esco")])
    (isolated_home / "index" / "CURRENT").write_text("../../etc\n")
    code, _out, err = run_cli("esco", "info")
    assert code == 2 and "CURRENT is damaged" in err
    assert store.import_classification([write_esco_folder(tmp_path / "again")]).counts["skill"] == 2
    assert run_cli("esco", "info")[0] == 0


def test_home_that_is_a_file_is_named_by_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SKILLMAP_HOME", str(blocker))
    for args in (("skills", "install solar panels"), ("esco", "info"), ("esco", "import", str(tmp_path))):
        code, out, err = run_cli(*args)
        assert (code, out) == (2, ""), args
        assert f"{blocker} is a file, not a folder; set SKILLMAP_HOME" in err, args
