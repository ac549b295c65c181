"""Europass export of micro-credentials: every element ELM 3.1 holds on a qualification, multilingual columns,
stable IRIs without a code column, and suggested levels never exported as EQF levels."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from skillmap.model import RegisterRecord
from skillmap.outputs.europass.building import build_elm_export
from skillmap.outputs.europass.codelists import SCHEMES, VocabConcept
from skillmap.outputs.europass.formats import serialise
from skillmap.outputs.europass.model import ELM_NS, ExportOptions
from tests.conftest import REPO, SHARED, needs_shared

BASE = "https://qualifications.example.org"
SKILL = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
DQR_4 = VocabConcept("http://data.europa.eu/snb/qdr/c_12a84182", "DQR Level 4", SCHEMES["nqf"])


def _record(**changes: object) -> RegisterRecord:
    record = RegisterRecord(
        country="DE", code="DE-PV-1", title="Photovoltaik-Fachkraft", register="mc", nqf_level="4", eqf_level=4,
        level_status="ok", awarding_body="Solarschule", skills=(SKILL,), skill_labels=("install solar panels",),
        isced_f="0713",
    )  # fmt: skip
    return replace(record, **changes)


def _build(records: list[RegisterRecord]):
    return build_elm_export(records, ExportOptions(base_uri=BASE), nqf_level=lambda *_: DQR_4)


def _graph(export):
    import rdflib

    rdflib.NORMALIZE_LITERALS = False
    return rdflib.Graph().parse(data=serialise(export, "turtle"), format="turtle")


def test_german_and_french_micro_credential_columns_are_exported() -> None:
    german = _build([_record(extra={"ECTS-Punkte": "7,5", "Umfang (Std.)": "180"})]).qualifications[0]
    french = _build([_record(extra={"Crédits ECTS": "3", "Volume horaire": "75"})]).qualifications[0]
    assert [p.point for p in german.credit_points] == ["7.5"] and german.volume_of_learning == "PT180H"
    assert [p.point for p in french.credit_points] == ["3"] and french.volume_of_learning == "PT75H"


def test_every_annex_element_elm_can_hold_is_written_on_the_qualification() -> None:
    import rdflib

    extra = {
        "Prerequisites": "Vocational training in an electrical trade",
        "Supervision and identity verification": "supervised onsite with identity verification",
        "Integration/stackability options": "stackable",
        "Type of quality assurance": "Institutional quality assurance (AZAV)",
        "Accrediting body": "CertQ",
        "Further information": "Counts towards the master craftsman exam",
        "Type of assessment": "practical assessment",
    }
    export = _build([_record(extra=extra)])
    assert not export.notes
    graph, elm = _graph(export), rdflib.Namespace(ELM_NS)
    q = rdflib.URIRef(f"{BASE}/qualification/DE-PV-1")
    entry = graph.value(q, elm.entryRequirement)
    assert str(graph.value(entry, elm.noteLiteral)) == "Vocational training in an electrical trade"
    assert graph.value(q, elm.isPartialQualification).toPython() is True
    notes = {str(graph.value(n, elm.noteLiteral)) for n in graph.objects(q, elm.additionalNote)}
    assert notes == {"Integration/stackability: integrated, stackable towards another credential",
                     "Counts towards the master craftsman exam"}  # fmt: skip
    accreditation = graph.value(q, elm.accreditation)
    dc = rdflib.Namespace("http://purl.org/dc/terms/")
    assert str(graph.value(accreditation, dc.type)).endswith("/accreditation/bb4618238e")  # institutional QA
    agent = graph.value(accreditation, elm.accreditingAgent)
    assert str(graph.value(agent, rdflib.URIRef("http://www.w3.org/ns/regorg#legalName"))) == "CertQ"
    assessment = graph.value(q, elm.provenBy)
    supervision = graph.value(assessment, elm.additionalNote)
    assert "supervised online or onsite with identity verification" in str(graph.value(supervision, elm.noteLiteral))


def test_quality_assurance_without_an_eu_type_or_accrediting_body_becomes_a_note() -> None:
    export = _build([_record(extra={"Quality assurance": "ISO 29993 certified"})])
    q = export.qualifications[0]
    assert not q.accreditations and [n.text for n in q.additional_notes] == ["Quality assurance: ISO 29993 certified"]
    assert any("written as a note" in n.reason for n in export.notes)


def test_without_a_code_column_iris_come_from_country_title_and_body_whatever_the_row_order() -> None:
    rows = [_record(code=f"mc-{n}", title=f"PV course {n}", register="mc") for n in range(1, 6)]
    first = _build(rows)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    shuffled = [replace(r, code=f"mc-{n}") for n, r in enumerate(shuffled, start=1)]  # the reader numbers rows
    assert first.warnings and "no code column" in first.warnings[0]
    assert serialise(_build(shuffled), "turtle") == serialise(first, "turtle")
    assert all("/qualification/h-" in q.uri and not q.identifier_uri for q in first.qualifications)
    assert "<identifier>" not in serialise(first, "qdr-xml")


def test_a_suggested_level_is_never_exported_as_an_eqf_level() -> None:
    export = _build([_record(level_status="suggested", eqf_level=None, extra={"suggested_eqf": "4"})])
    assert not export.qualifications and export.skipped[0].reason == "suggested level only"


def _aligned_row(code: str, **changes: str) -> dict[str, str]:
    row = {"Code": code, "Title": f"PV {code}", "country": "DE", "framework": "DQR", "nqf_level": "4",
           "eqf_level": "4", "level_status": "ok", "level_reason": "", "skills": SKILL,
           "skill_labels": "install solar panels", "skill_scores": "0.9", "needs_review": "no"}  # fmt: skip
    row.update(changes)
    return row


def test_export_leaves_suggested_rows_out_and_warns_without_codes(run_cli, tmp_path: Path) -> None:
    table = tmp_path / "aligned.csv"
    rows = [_aligned_row("A"), _aligned_row("B", eqf_level="", nqf_level="", level_status="suggested")]
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "suggested_eqf"], lineterminator="\n")
        writer.writeheader()
        writer.writerows([rows[0], {**rows[1], "suggested_eqf": "4"}])
    report = tmp_path / "report.csv"
    code, _, err = run_cli("export", "europass", str(table), "--out", str(tmp_path / "x.ttl"), "--base-uri", BASE,
                           "--isced-f", "0713", "--report", str(report))  # fmt: skip
    assert code == 0, err
    assert "suggested level only" in report.read_text(encoding="utf-8") and "warning:" not in err
    without_codes = tmp_path / "nocode.csv"  # "Ref" is no code column: the reader numbers the rows
    without_codes.write_text(table.read_text(encoding="utf-8").replace("Code,", "Ref,"), encoding="utf-8")
    code, _, err = run_cli("export", "europass", str(without_codes), "--out", str(tmp_path / "y.ttl"),
                           "--base-uri", BASE, "--isced-f", "0713")  # fmt: skip
    assert code == 0 and "warning: the input has no code column" in err


@needs_shared
def test_the_example_micro_credentials_export_passes_the_official_validator_strictly(run_cli, tmp_path) -> None:
    aligned = tmp_path / "mc-aligned.csv"
    code, _, err = run_cli("align", str(REPO / "examples" / "microcredentials.xlsx"), "--out", str(aligned), "--quiet")
    assert code == 0, err
    outs = [tmp_path / f"mc{suffix}" for suffix in (".ttl", ".jsonld", ".xml")]
    for out in outs:
        code, _, err = run_cli("export", "europass", str(aligned), "--out", str(out), "--base-uri", BASE, "--quiet")
        assert code == 0, err
    text = outs[0].read_text(encoding="utf-8")
    for term in (
        "elm:entryRequirement",
        "elm:isPartialQualification",
        "elm:accreditation",
        "elm:creditPoint",
        "elm:volumeOfLearning",
        "elm:mode",
        "elm:learningSetting",
        "elm:provenBy",
        "elm:additionalNote",
    ):
        assert term in text, term  # fmt: skip
    validator = SHARED / "tools" / "validate-europass"
    result = subprocess.run([sys.executable, str(validator), "--strict", *map(str, outs)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
