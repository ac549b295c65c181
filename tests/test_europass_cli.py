"""`skillmap export europass`: files the official validator accepts, reports of rows left out, bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ESCO_EN_ZIP, SHARED, needs_shared

VALIDATOR = SHARED / "tools" / "validate-europass"
ELM = SHARED / "elm"
BASE = "https://qualifications.example.org"
SKILL_A = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
SKILL_B = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"
ALIGN_COLUMNS = [
    "Code", "Title", "Level", "Awarding body", "ECTS", "Mode of delivery", "country", "framework", "nqf_level",
    "eqf_level", "level_status", "level_reason", "skills", "skill_labels", "skill_scores", "occupations",
    "occupation_labels", "occupation_scores", "needs_review", "review_reasons",
]  # fmt: skip


def _aligned_row(code: str, **changes: str) -> dict[str, str]:
    row = {c: "" for c in ALIGN_COLUMNS}
    row.update(
        {
            "Code": code,
            "Title": f"Fachinformatiker {code}",
            "Level": "4",
            "Awarding body": "IHK Köln",
            "country": "DE",
            "framework": "DQR",
            "nqf_level": "4",
            "eqf_level": "4",
            "level_status": "ok",
            "skills": f"{SKILL_A} | {SKILL_B}",
            "skill_labels": "develop digital content | stimulate creativity in the team",
            "skill_scores": "0.9 | 0.8",
            "needs_review": "no",
        }
    )
    row.update(changes)
    return row


def _write_aligned(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ALIGN_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def small_alignment(tmp_path: Path) -> Path:
    rows = [
        _aligned_row("DE-1"),
        _aligned_row("DE-2"),
        _aligned_row("DE-3", eqf_level="", level_status="ambiguous", nqf_level=""),
        _aligned_row("DE-4", skills="", skill_labels="", skill_scores=""),
    ]
    return _write_aligned(tmp_path / "aligned.csv", rows)


def _validator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(VALIDATOR), "--strict", *map(str, args)], capture_output=True, text=True, check=False
    )


# --- behaviour on a small alignment table -----------------------------------------------------------------


def test_export_writes_valid_rows_and_lists_the_rest_with_reasons(run_cli, small_alignment: Path, tmp_path: Path):
    out, report = tmp_path / "out.ttl", tmp_path / "report.json"
    code, _, err = run_cli(
        "export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE, "--isced-f", "0613",
        "--report", str(report),
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.count("a elm:Qualification") == 2
    assert f"<{BASE}/qualification/DE-1>" in text and "DE-3" not in text
    reasons = {r["code"]: r["reason"] for r in json.loads(report.read_text(encoding="utf-8"))}
    assert reasons["DE-3"].startswith("ambiguous level") and reasons["DE-4"].startswith("no learning outcome")
    assert "2 row(s) left out" in err and "DE-4" in err


def test_a_skipped_row_names_what_to_give_and_the_command_names_the_option(run_cli, tmp_path: Path):
    from skillmap.outputs.europass import export_europass

    aligned = tmp_path / "aligned.csv"
    with aligned.open("w", encoding="utf-8", newline="") as handle:  # DE-2 has no ISCED-F code, and none is given
        writer = csv.DictWriter(handle, fieldnames=[*ALIGN_COLUMNS, "isced_f"], lineterminator="\n")
        writer.writeheader()
        writer.writerows([_aligned_row("DE-1", isced_f="0613"), _aligned_row("DE-2", isced_f="")])
    report = tmp_path / "report.json"
    code, _, err = run_cli(
        "export", "europass", str(aligned), "--out", str(tmp_path / "out.ttl"), "--base-uri", BASE,
        "--report", str(report),
    )  # fmt: skip
    assert code == 0, err
    reason = {r["code"]: r["reason"] for r in json.loads(report.read_text(encoding="utf-8"))}["DE-2"]
    assert reason.startswith("no ISCED-F code") and "--" not in reason  # the report is the library's words
    assert "(--isced-f)" in " ".join(err.split())  # the command's table says which option keeps the row
    library = export_europass(aligned, out=tmp_path / "lib.ttl", base_uri=BASE).export
    assert all("--" not in item.reason for item in library.skipped)


def test_a_reexport_is_byte_identical(run_cli, small_alignment: Path, tmp_path: Path):
    for name in ("a.jsonld", "b.jsonld"):
        code, _, err = run_cli(
            "export", "europass", str(small_alignment), "--out", str(tmp_path / name), "--base-uri", BASE,
            "--isced-f", "0613",
        )  # fmt: skip
        assert code == 0, err
    assert (tmp_path / "a.jsonld").read_bytes() == (tmp_path / "b.jsonld").read_bytes()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--base-uri", "not a uri"], "--base-uri"),
        (["--base-uri", BASE, "--isced-f", "0699x"], "not an ISCED-F 2013 field code"),
        (["--base-uri", BASE, "--isced-map", "no-such-map"], "ISCED-F map no-such-map not found"),
        (["--base-uri", BASE, "--isced-f", "00", "--report", "r.txt"], "use a .csv or .json"),
    ],
)
def test_bad_options_exit_2_and_write_nothing(run_cli, small_alignment: Path, tmp_path: Path, args, message):
    out = tmp_path / "out.ttl"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args, keyword, flag",
    [
        (["--base-uri", "not a uri"], "base_uri", "--base-uri: "),
        (["--base-uri", BASE, "--isced-f", "00", "--report", "r.txt"], "report", "--report: "),
        (["--base-uri", BASE, "--isced-map", "no-such-map"], "isced_map", "--isced-map: "),
        (["--base-uri", BASE, "--isced-f", "00", "--validate", "no-such-folder"], "validate", "--validate: "),
    ],
)
def test_the_library_names_the_keyword_and_the_command_names_the_option(
    run_cli, small_alignment: Path, tmp_path: Path, args, keyword, flag
):
    from skillmap.errors import SkillmapError
    from skillmap.outputs.europass import export_europass

    def option(name: str) -> str | None:
        return args[args.index(name) + 1] if name in args else None

    with pytest.raises(SkillmapError) as refused:
        export_europass(
            small_alignment, out=tmp_path / "out.ttl", base_uri=option("--base-uri") or "", isced_f=["00"],
            isced_map=option("--isced-map"), report=option("--report"), validate=option("--validate"),
        )  # fmt: skip
    assert refused.value.hint == keyword and "--" not in refused.value.message
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(tmp_path / "out.ttl"), *args)
    assert code == 2 and err.startswith(f"skillmap: error: {flag}") and len(err.strip().splitlines()) == 1


def test_quiet_leaves_out_the_summary(run_cli, small_alignment: Path, tmp_path: Path):
    out = tmp_path / "out.ttl"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "0613", "--quiet")  # fmt: skip
    assert code == 0 and out.exists() and err == ""


def test_an_unknown_output_extension_is_refused(run_cli, small_alignment: Path, tmp_path: Path):
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(tmp_path / "x.rdf"),
                           "--base-uri", BASE, "--isced-f", "00")  # fmt: skip
    assert code == 2 and "use .ttl, .jsonld or .xml" in err


def test_an_input_that_is_not_a_register_or_alignment_exits_2(run_cli, tmp_path: Path):
    junk = tmp_path / "junk.csv"
    junk.write_text("foo,bar\n1,2\n", encoding="utf-8")
    out = tmp_path / "out.xml"
    code, _, err = run_cli("export", "europass", str(junk), "--out", str(out), "--base-uri", BASE)
    assert code == 2 and "junk.csv" in err and not out.exists()


def test_an_isced_map_naming_a_column_the_input_lacks_exits_2(run_cli, small_alignment: Path, tmp_path: Path):
    out = tmp_path / "out.ttl"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE,
                           "--isced-map", "england-ssa")  # fmt: skip
    assert code == 2 and "SectorSubjectArea" in err and not out.exists()


def test_when_no_row_can_be_a_record_nothing_is_written_and_the_old_file_stays(run_cli, tmp_path: Path):
    aligned = _write_aligned(tmp_path / "a.csv", [_aligned_row("DE-9", eqf_level="", level_status="missing")])
    out = tmp_path / "out.ttl"
    out.write_text("previous export\n", encoding="utf-8")
    code, _, err = run_cli("export", "europass", str(aligned), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "00", "--report", str(tmp_path / "r.csv"))  # fmt: skip
    assert code == 2 and "none of the 1 row(s)" in err
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert "no EQF level" in (tmp_path / "r.csv").read_text(encoding="utf-8")


def test_validate_with_stricter_shapes_refuses_and_writes_nothing(run_cli, small_alignment: Path, tmp_path: Path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "needs-description.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
        "@prefix dc: <http://purl.org/dc/terms/> .\n"
        "<urn:x:S> a sh:NodeShape ; sh:targetClass elm:Qualification ;\n"
        "  sh:property [ sh:path dc:description ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.ttl"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "0613", "--validate", str(shapes))  # fmt: skip
    assert code == 1 and "does not conform" in err and not out.exists()


# --- the official validator (../shared) ---------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".xml"])
def test_small_export_passes_the_official_validator_and_the_validate_option(run_cli, small_alignment, tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "0613", "--validate", str(ELM))  # fmt: skip
    assert code == 0, err
    assert "validated: conforms" in err
    result = _validator(out)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def esco_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The official English ESCO imported once for this module (skills for `align`)."""
    if not ESCO_EN_ZIP.is_file():
        pytest.skip(f"ESCO zip not found at {ESCO_EN_ZIP}")
    home = tmp_path_factory.mktemp("esco-home")
    _cli_in(home, "esco", "import", str(ESCO_EN_ZIP), "--no-semantic")
    return home


def _cli_in(home: Path, *args: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SKILLMAP_HOME", str(home))
        from skillmap.cli import main

        try:
            main(list(args))
        except SystemExit as exc:
            assert not exc.code, f"skillmap {' '.join(args)} exited {exc.code}"


@pytest.fixture(scope="module")
def aligned_england(esco_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 20th qualification of the DfE England list (all levels and subject areas), aligned with ESCO."""
    folder = tmp_path_factory.mktemp("england")
    with (SHARED / "registers" / "uk_dfe" / "approved.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    sample = folder / "england-sample.csv"
    with sample.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *rows[1::20]])
    aligned = folder / "england-aligned.csv"
    _cli_in(esco_home, "align", str(sample), "--country", "GB-ENG", "--out", str(aligned), "--quiet")
    return aligned


@pytest.fixture(scope="module")
def aligned_rncp(esco_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The RNCP fixture flattened to a sheet (code, title, level, outcomes) with the registers reader, then aligned."""
    from skillmap.sources.registers import read_register

    folder = tmp_path_factory.mktemp("rncp")
    records = read_register(SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml")
    sheet = folder / "rncp.csv"
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Code", "Title", "Level", "Awarding body", "Learning outcomes"])
        for r in records:
            writer.writerow([r.code, r.title, r.nqf_level, r.awarding_body, r.learning_outcomes[:2000]])
    aligned = folder / "rncp-aligned.csv"
    _cli_in(esco_home, "align", str(sheet), "--country", "FR", "--framework", "CNCP", "--out", str(aligned), "--quiet")
    return aligned


@needs_shared
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".xml"])
def test_the_aligned_england_list_exports_records_the_official_validator_accepts(
    run_cli, aligned_england: Path, tmp_path: Path, suffix: str
):
    out, report = tmp_path / f"england{suffix}", tmp_path / "report.csv"
    # The align output keeps SectorSubjectArea only as an input column the registers reader does not carry yet,
    # so this test gives one ISCED-F field to the whole file (00, generic) instead of --isced-map england-ssa.
    code, _, err = run_cli("export", "europass", str(aligned_england), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "00", "--report", str(report))  # fmt: skip
    assert code == 0, err
    result = _validator(out)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    skipped = list(csv.DictReader(report.open(encoding="utf-8")))
    reasons = {row["reason"].split(":")[0].split(" Entry")[0].split(" Level")[0] for row in skipped}
    assert "ambiguous level" in reasons  # "Level 1/2" and bare "Entry Level" rows have no single EQF level
    exported = out.read_text(encoding="utf-8").count(f"{BASE}/qualification/")
    assert exported > 20


@needs_shared
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".xml"])
def test_the_aligned_rncp_sample_exports_with_the_1969_level_concepts(
    run_cli, aligned_rncp: Path, tmp_path: Path, suffix: str
):
    out, report = tmp_path / f"rncp{suffix}", tmp_path / "report.json"
    # the RNCP fiches carry NSF codes, not ISCED-F; no NSF → ISCED-F map ships yet, so one field for the file
    code, _, err = run_cli("export", "europass", str(aligned_rncp), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "04", "--nqf-same-eqf", "--report", str(report))  # fmt: skip
    assert code == 0, err
    result = _validator(out)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert f"{BASE}/qualification/RNCP" in text
    # the QDR lists only the 1969 RNCP levels (V, IV, III, II, I-Master, I-Doctorat) for France
    rncp_1969 = {"c_d7cce980", "c_40020d69", "c_243aefbe", "c_5ad5d222", "c_828fbcc3", "c_7ab73420"}
    assert {uri for uri in rncp_1969 if f"http://data.europa.eu/snb/qdr/{uri}" in text}
    notes = [r for r in json.loads(report.read_text(encoding="utf-8")) if r["status"] == "note"]
    assert notes and all("same-EQF rule" in n["reason"] for n in notes if n["reason"].startswith("NQF"))


@needs_shared
def test_without_the_same_eqf_option_french_2019_levels_are_left_out(run_cli, aligned_rncp: Path, tmp_path: Path):
    code, _, err = run_cli("export", "europass", str(aligned_rncp), "--out", str(tmp_path / "x.ttl"),
                           "--base-uri", BASE, "--isced-f", "04")  # fmt: skip
    assert code == 2 and "no QDR NQF level concept for FR CNCP level" in err


@needs_shared
def test_the_england_subject_area_map_gives_every_aligned_qualification_an_isced_f_field(
    aligned_england: Path, tmp_path
):
    """DfE register rows carry SectorSubjectArea; their skills come from the aligned sample (joined by code)."""
    from skillmap.outputs.europass.building import build_elm_export
    from skillmap.outputs.europass.inputs import nqf_resolver_from_frameworks
    from skillmap.outputs.europass.isced_maps import read_isced_map
    from skillmap.outputs.europass.model import ExportOptions
    from skillmap.outputs.europass.qdr_xml import to_qdr_xml
    from skillmap.sources.registers import read_register

    aligned = {r.code: r for r in read_register(aligned_england)}
    register = [r for r in read_register(SHARED / "registers" / "uk_dfe" / "approved.csv") if r.code in aligned]
    from dataclasses import replace

    records = [replace(r, skills=aligned[r.code].skills, skill_labels=aligned[r.code].skill_labels) for r in register]
    isced_map = read_isced_map("england-ssa")
    export = build_elm_export(
        records, ExportOptions(base_uri=BASE, isced_map=isced_map), nqf_level=nqf_resolver_from_frameworks()
    )
    assert export.qualifications
    assert not [s for s in export.skipped if "ISCED-F" in s.reason]
    by_area = {r.code: r.extra["sector_subject_area"] for r in records}
    for q in export.qualifications:
        codes = {c.uri.rsplit("/", 1)[1] for c in q.isced_f}
        assert codes == set(isced_map.lookup(by_area[q.code]))
    out = tmp_path / "england-ssa.xml"
    out.write_text(to_qdr_xml(export), encoding="utf-8")
    result = _validator(out)
    assert result.returncode == 0, result.stdout[-2000:]


@needs_shared
def test_the_england_subject_area_map_covers_every_area_of_the_dfe_list():
    from skillmap.outputs.europass.isced_maps import read_isced_map

    isced_map = read_isced_map("england-ssa")
    with (SHARED / "registers" / "uk_dfe" / "approved.csv").open(encoding="utf-8-sig", newline="") as handle:
        areas = {row["SectorSubjectArea"] for row in csv.DictReader(handle)}
    assert len(areas) == 55
    assert [a for a in sorted(areas) if not isced_map.lookup(a)] == []


@needs_shared
def test_levels_without_a_qdr_concept_point_to_the_same_eqf_option(run_cli, tmp_path: Path) -> None:
    rncp = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"
    out, report = tmp_path / "fr.ttl", tmp_path / "report.csv"
    code, _, err = run_cli("export", "europass", str(rncp), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "0613", "--report", str(report))  # fmt: skip
    assert code == 2 and not out.exists()
    assert len(err.strip().splitlines()) == 1
    assert "no QDR NQF level concept" in err and "--nqf-same-eqf" in err and "report.csv" in err
    assert report.exists()  # the reasons are kept: the error line says so


def test_an_align_xlsx_report_exports_the_same_records_as_its_csv_table(run_cli, tmp_path: Path) -> None:
    from tests.conftest import REPO

    xlsx, table = tmp_path / "aligned.xlsx", tmp_path / "aligned.csv"
    code, _, err = run_cli(
        "align", str(REPO / "examples" / "certificates.xlsx"), "--out", str(xlsx), "--out", str(table)
    )
    assert code == 0, err
    outputs = []
    for source in (xlsx, table):
        out = tmp_path / f"from-{source.suffix[1:]}.ttl"
        code, _, err = run_cli("export", "europass", str(source), "--out", str(out), "--base-uri", BASE,
                               "--isced-f", "0713", "--nqf-same-eqf")  # fmt: skip
        assert code == 0, err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and b"elm:Qualification" in outputs[0]


@needs_shared
def test_validating_json_ld_without_a_local_context_says_what_to_add(
    run_cli, small_alignment: Path, tmp_path: Path
) -> None:
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "loq.ttl").write_bytes((ELM / "shapes" / "LOQ-v3.1-merged-pyshacl.ttl").read_bytes())
    out = tmp_path / "x.jsonld"
    code, _, err = run_cli("export", "europass", str(small_alignment), "--out", str(out), "--base-uri", BASE,
                           "--isced-f", "0613", "--validate", str(shapes))  # fmt: skip
    assert code == 2 and not out.exists() and len(err.strip().splitlines()) == 1
    assert "edc-ap-context-v3.x.jsonld" in err and "http://data.europa.eu/snb/model/context/edc-ap" in err


# --- a register without ESCO skills: its competence blocks are the learning outcomes ----------------------

RNCP_XML = SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml"


def _rncp_blocks() -> dict[str, list[tuple[str, str]]]:
    """Fiche code → (block code, block label), read straight from the XML (independently of skillmap's reader)."""
    from xml.etree import ElementTree

    blocks: dict[str, list[tuple[str, str]]] = {}
    for fiche in ElementTree.parse(RNCP_XML).getroot().iter("FICHE"):
        code = "RNCP" + (fiche.findtext("NUMERO_FICHE") or "").strip().removeprefix("RNCP")
        blocks[code] = [
            ((b.findtext("CODE") or "").strip(), " ".join((b.findtext("LIBELLE") or "").split()))
            for b in fiche.findall("BLOCS_COMPETENCES/BLOC_COMPETENCES")  # not the nested equivalences' blocks
        ]
    return blocks


@needs_shared
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".xml"])
def test_the_rncp_xml_exports_directly_with_its_competence_blocks_as_learning_outcomes(
    run_cli, tmp_path: Path, suffix: str
):
    out, report = tmp_path / f"rncp{suffix}", tmp_path / "report.csv"
    code, _, err = run_cli("export", "europass", str(RNCP_XML), "--out", str(out), "--base-uri", BASE, "--country",
                           "FR", "--nqf-same-eqf", "--isced-f", "0713", "--report", str(report))  # fmt: skip
    assert code == 0, err
    result = _validator(out)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert [r for r in csv.DictReader(report.open(encoding="utf-8")) if r["status"] != "note"] == []

    blocks = _rncp_blocks()
    # every fiche of the sample is levelled (NIV4–NIV7) and its 1969 level has a QDR concept (--nqf-same-eqf)
    expected_codes = {
        "RNCP34762", "RNCP35809", "RNCP35625", "RNCP35419", "RNCP37488", "RNCP40344",
        "RNCP36612", "RNCP37674", "RNCP36490", "RNCP35959", "RNCP37873", "RNCP39568",
    }  # fmt: skip
    assert set(blocks) == expected_codes and all(blocks.values())
    text = out.read_text(encoding="utf-8")
    assert "relatedESCOSkill" not in text and "relatedSkill" not in text
    if suffix == ".xml":
        from lxml import etree

        ns = {"l": "http://data.europa.eu/snb/model/ap/loq-constraints/"}
        root = etree.fromstring(out.read_bytes())
        titles = {
            lo.get("id"): [(t.get("language"), t.text) for t in lo.findall("l:title", ns)]
            for lo in root.findall("l:learningOutcomeReferences/l:learningOutcome", ns)
        }
        linked = {
            q.get("id"): sorted(ref.get("idref") for ref in q.findall("l:learningOutcome", ns))
            for q in root.findall("l:learningAchievementSpecificationReferences/l:qualification", ns)
        }
        assert all(len(pairs) == 1 for pairs in titles.values())  # one title, in the record's language
        found = {
            uri.rsplit("/", 1)[1]: sorted((*titles[lo][0], lo.rsplit("/", 1)[1]) for lo in los)
            for uri, los in linked.items()
        }
    else:
        import rdflib

        if suffix == ".ttl":
            graph = rdflib.Graph().parse(out, format="turtle")
        else:  # offline: the ELM context from ../shared inlined in place of its remote IRI
            document = json.loads(text)
            context = json.loads((ELM / "contexts" / "edc-ap-context-v3.2.jsonld").read_text(encoding="utf-8"))
            document["@context"] = [context["@context"], *document["@context"][1:]]
            graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
        elm = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
        title = rdflib.URIRef("http://purl.org/dc/terms/title")
        found = {}
        for q in graph.subjects(rdflib.RDF.type, elm.Qualification):
            found[str(q).rsplit("/", 1)[1]] = sorted(
                (label.language, str(label), str(lo).rsplit("/", 1)[1])
                for lo in graph.objects(q, elm.learningOutcome)
                for label in graph.objects(lo, title)
            )
        assert not set(graph.objects(None, elm.relatedESCOSkill))
    assert set(found) == expected_codes
    for fiche, outcomes in found.items():
        assert outcomes == sorted(("fr", label, block) for block, label in blocks[fiche]), fiche
