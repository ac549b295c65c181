"""Level strings as real registers write them → national level, EQF level, status and reason."""

from __future__ import annotations

import csv

import pytest

from skillmap.errors import SkillmapError
from skillmap.levels import compare_frameworks, resolve_level, resolve_levels
from skillmap.sources.frameworks import load_frameworks
from tests.conftest import SHARED, needs_shared


@pytest.fixture(scope="module")
def registry():
    return load_frameworks()


# country, text, status, framework, nqf_level, eqf_level
SPELLINGS = [
    ("GB-ENG", "Level 3", "ok", "RQF", "3", 4),
    ("GB-ENG", "RQF Level 3", "ok", "RQF", "3", 4),
    ("GB-ENG", "L3", "ok", "RQF", "3", 4),
    ("GB-ENG", "Level 3 (RQF)", "ok", "RQF", "3", 4),
    ("GB-ENG", "QCF level 2", "ok", "RQF", "2", 3),
    ("GB-ENG", "Entry Level 3", "ok", "RQF", "Entry 3", 1),
    ("GB-ENG", "E3", "ok", "RQF", "Entry 3", 1),
    ("GB-ENG", "entry 3", "ok", "RQF", "Entry 3", 1),
    ("GB-ENG", "Entry 1", "not_referenced", "RQF", "Entry 1", None),
    ("GB-ENG", "Entry Level 2", "not_referenced", "RQF", "Entry 2", None),
    ("GB-ENG", "Entry Level", "ambiguous", "RQF", "Entry Level", None),
    ("GB-ENG", "Level 1/2", "ambiguous", "RQF", "Level 1/2", None),
    ("GB-ENG", "FHEQ level 7", "ok", "FHEQ", "7", 7),
    ("GB-ENG", "Level 6", "ok", "RQF", "6", 6),  # RQF 6 and FHEQ 6 agree
    ("GB-NIR", "Level 4", "ok", "RQF", "4", 5),
    ("GB-WLS", "CQFW Level 5", "ok", "CQFW", "5", 5),
    ("GB-WLS", "Entry Level", "ambiguous", "CQFW", "Entry", None),
    ("GB-SCT", "SCQF level 7", "ok", "SCQF", "SCQF 7", 5),
    ("GB-SCT", "SCQF 11", "ok", "SCQF", "SCQF 11", 7),
    ("GB-SCT", "Level 10", "ok", "SCQF", "SCQF 10", 6),
    ("GB-SCT", "SCQF 2", "not_referenced", "SCQF", "SCQF 2", None),
    ("IE", "NFQ Level 8", "ok", "NFQ", "8", 6),
    ("IE", "Level 7", "ok", "NFQ", "7", 6),
    ("IE", "NQF level 2", "ok", "NFQ", "2", 1),
    ("IE", "QQI Level 6", "ok", "NFQ", "6", 5),  # Irish awards name the awarding body
    ("IE", "FETAC Level 5", "ok", "NFQ", "5", 4),
    ("SI", "Level 5", "ok", "SOK/SQF", "5", 4),
    ("SI", "raven 9", "ok", "SOK/SQF", "9", 7),
    ("FR", "Niveau 4", "ok", "CNCP", "4", 4),
    ("FR", "niveau4", "ok", "CNCP", "4", 4),
    ("FR", "NIV5", "ok", "CNCP", "5", 5),
    ("FR", "NIV7", "ok", "CNCP", "7", 7),
    ("FR", "Niveau IV", "ok", "NIV-1969", "IV", 4),
    ("FR", "Niveau V", "ok", "NIV-1969", "V", 3),  # old V is EQF 3, not 5
    ("FR", "niveau III", "ok", "NIV-1969", "III", 5),
    ("FR", "Niveau Vbis", "not_referenced", "NIV-1969", "Vbis", None),
    ("FR", "Niveau I", "ambiguous", "NIV-1969", "I", None),
    ("FR", "CEC 5", "ok", "EQF", None, 5),
    ("DE", "DQR-Niveau 4", "ok", "DQR", "4", 4),
    ("DE", "DQR 4", "ok", "DQR", "4", 4),
    ("DE", "DQR4", "ok", "DQR", "4", 4),
    ("DE", "Stufe 6", "ok", "DQR", "6", 6),
    ("DE", "Niveau VI", "ok", "DQR", "6", 6),  # roman numeral where the framework writes arabic
    ("DE", "EQR 5", "ok", "EQF", None, 5),
    ("DE", "EQF 5", "ok", "EQF", None, 5),
    ("DE", "EQF level 3", "ok", "EQF", None, 3),
    ("DE", "DQR 4 / EQF 4", "ok", "DQR", "4", 4),
    ("DE", "DQR 4 (EQF 5)", "ambiguous", "DQR", "4", None),
    ("DE", "Ｌｅｖｅｌ　４", "ok", "DQR", "4", 4),  # full-width letters, digits and space
    ("DE", "  Level\t 4 \n", "ok", "DQR", "4", 4),
    ("DE", "Level 9", "unknown", "DQR", None, None),
    ("DE", "Meister", "unknown", "DQR", None, None),
    ("DE", "", "missing", "DQR", None, None),
    ("DE", "   ", "missing", "DQR", None, None),
    ("NO", "4A", "ok", "NKR", "4A", 4),
    ("NO", "5.1", "ok", "NKR", "5.1", 5),
    ("NO", "5,1", "ok", "NKR", "5.1", 5),
    ("NO", "Nivå 5.2", "ok", "NKR", "5.2", 5),
    ("IS", "5.1", "ok", "ISQF", "5.1", 6),
    ("IS", "ISQF 6.2", "ok", "ISQF", "6.2", 7),
    ("HR", "Razina 4", "ok", "HKO/CROQF", "4", 4),  # 4.1 and 4.2 are both EQF 4
    ("HR", "7.2", "ok", "HKO/CROQF", "7.2", 7),
    ("MK", "V-A", "ok", "МРК/MQF", "V-A", 5),
    ("MK", "5A", "ok", "МРК/MQF", "V-A", 5),
    ("MK", "VIII", "ok", "МРК/MQF", "VIII", 8),
    ("RS", "Level 6", "ok", "NOKS/NQFS", "6", 6),
    ("NL", "Entry level", "not_referenced", "NLQF", "Entry level", None),
    ("NL", "instapniveau", "not_referenced", "NLQF", "Entry level", None),
    ("NL", "NLQF 4", "ok", "NLQF", "4", 4),
    ("MT", "Introductory Level A", "not_referenced", "MQF", "Introductory Level A", None),
    ("MT", "MQF Level 6", "ok", "MQF", "6", 6),
    ("BG", "0", "not_referenced", "НКР/BQF", "0", None),
    ("BG", "НКР 4", "ok", "НКР/BQF", "4", 4),
    ("BE-DE", "Niveau 4", "not_referenced", "DQR-DG", "4", None),
    ("BA", "Level 3", "not_referenced", "BQF", "3", None),
    ("TR", "TYÇ 5", "ok", "TQF/TYÇ", "5", 5),
    ("CH", "NQR Berufsbildung 4", "ok", "NQF VPQ / NQR Berufsbildung", "4", 4),
    ("XK", "KQF niveli 5", "ok", "KQF", "5", 5),
    ("gb-sct", "scqf 12", "ok", "SCQF", "SCQF 12", 8),
    ("EL", "5", "ok", "HQF", "5", 5),
    # leading zeros from spreadsheets: "05" is CNCP 5 (EQF 5), never the old roman V (EQF 3)
    ("FR", "Niveau 05", "ok", "CNCP", "5", 5),
    ("GB-ENG", "Level 03", "ok", "RQF", "3", 4),
    ("GB-SCT", "SCQF 07", "ok", "SCQF", "SCQF 7", 5),
    ("NO", "05.1", "ok", "NKR", "5.1", 5),
    ("BG", "00", "not_referenced", "НКР/BQF", "0", None),
]


@pytest.mark.parametrize(
    "country,text,status,framework,nqf_level,eqf_level", SPELLINGS, ids=[f"{c}:{t}" for c, t, *_ in SPELLINGS]
)
def test_level_spellings_resolve(registry, country, text, status, framework, nqf_level, eqf_level) -> None:
    result = resolve_level(registry, country, text)
    assert (result.status, result.framework, result.nqf_level, result.eqf_level) == (
        status,
        framework,
        nqf_level,
        eqf_level,
    ), result.reason
    assert result.reason and "\n" not in result.reason
    if status in ("ok", "not_referenced") and framework != "EQF":
        assert "source:" in result.reason and result.source


def test_every_level_of_every_framework_resolves_to_itself(registry) -> None:
    """Round trip over all 47 frameworks: each level's own name, in its framework, gives that level back."""
    checked = 0
    for framework in registry.all():
        for level in framework.levels:
            result = resolve_level(registry, framework.country, level.nqf_level, framework=framework.acronym)
            if level.kind == "register_value":
                assert result.status in ("ambiguous", "not_referenced"), (framework.acronym, level.nqf_level)
                assert set(result.candidates) == set(level.candidates)
            else:
                assert result.nqf_level == level.nqf_level, (framework.country, level.nqf_level, result.reason)
                assert result.eqf_level == level.eqf_level
                assert result.status == ("ok" if level.eqf_level is not None else "not_referenced")
                assert result.eu_uri == level.eu_uri
                assert result.unsure == level.unsure
            checked += 1
    assert checked == sum(len(f.levels) for f in registry.all()) > 420


def test_spans_of_levels_agree_or_are_ambiguous(registry) -> None:
    same = resolve_level(registry, "GB-ENG", "Level 4/5")
    assert (same.status, same.eqf_level, same.candidates) == ("ok", 5, ("4", "5"))
    assert "spans" in same.reason and same.eu_uri is None
    differ = resolve_level(registry, "DE", "Level 3/4")
    assert (differ.status, differ.eqf_level, differ.candidates) == ("ambiguous", None, ("3", "4"))
    entry = resolve_level(registry, "GB-ENG", "Entry 1,2")
    assert (entry.status, entry.candidates) == ("not_referenced", ("Entry 1", "Entry 2"))
    assert resolve_level(registry, "GB-ENG", "Entry 2/3").status == "ambiguous"


def test_empty_cells_from_spreadsheets_are_missing(registry) -> None:
    assert resolve_level(registry, "DE", float("nan")).status == "missing"
    assert resolve_level(registry, "DE", None).status == "missing"
    assert resolve_level(registry, "DE", 4).eqf_level == 4  # a number cell


def test_scqf_11_answers_eqf_7_with_its_source(registry) -> None:
    result = resolve_level(registry, "GB-SCT", "SCQF 11")
    assert result.eqf_level == 7 and result.status == "ok"
    assert "SCQF referencing report 2019" in result.source
    assert result.eu_uri == "http://data.europa.eu/snb/qdr/c_517309ca"


def test_entry_level_without_sublevel_is_ambiguous(registry) -> None:
    result = resolve_level(registry, "GB-ENG", "Entry Level")
    assert result.status == "ambiguous" and result.eqf_level is None
    assert result.candidates == ("Entry 1", "Entry 2", "Entry 3")
    assert "Entry 3 → EQF 1" in result.reason and "Entry 1 → not referenced" in result.reason


def test_cross_level_value_lists_both_eqf_levels(registry) -> None:
    result = resolve_level(registry, "GB-ENG", "Level 1/2")
    assert result.status == "ambiguous"
    assert result.candidates == ("1", "2")
    assert "RQF 1 → EQF 2" in result.reason and "RQF 2 → EQF 3" in result.reason


def test_french_level_one_is_ambiguous_between_master_and_doctorate(registry) -> None:
    result = resolve_level(registry, "FR", "Niveau I")
    assert result.status == "ambiguous"
    assert result.candidates == ("I-Master", "I-Doctorat")
    assert "EQF 7" in result.reason and "EQF 8" in result.reason


def test_unsure_rows_say_so(registry) -> None:
    result = resolve_level(registry, "IS", "ISQF 2")
    assert result.unsure and "UNSURE" in result.reason
    assert result.eqf_level == 3
    assert not resolve_level(registry, "DE", "4").unsure


def test_level_of_another_countrys_framework_is_unknown_with_reason(registry) -> None:
    result = resolve_level(registry, "GB-ENG", "SCQF 7")
    assert result.status == "unknown"
    assert "SCQF is not a framework of GB-ENG" in result.reason and "GB-SCT" in result.reason
    other = resolve_level(registry, "DE", "MQF 4")
    assert other.status == "unknown" and "MT" in other.reason


def test_framework_option_limits_the_search(registry) -> None:
    assert resolve_level(registry, "GB-ENG", "Level 3", framework="FHEQ").status == "unknown"
    fheq = resolve_level(registry, "GB-ENG", "Level 6", framework="FHEQ")
    assert (fheq.framework, fheq.eqf_level, fheq.eu_uri) == ("FHEQ", 6, None)
    clash = resolve_level(registry, "GB-ENG", "FHEQ 6", framework="RQF")
    assert clash.status == "unknown" and "FHEQ" in clash.reason
    with pytest.raises(SkillmapError, match="no framework"):
        resolve_level(registry, "DE", "4", framework="RQF")


def test_unknown_country_is_an_error(registry) -> None:
    with pytest.raises(SkillmapError, match="unknown country code"):
        resolve_level(registry, "ZZ", "Level 4")


def test_sub_level_from_title_says_it_came_from_the_title(registry) -> None:
    result = resolve_level(
        registry, "GB-ENG", "Entry Level", title="Functional Skills Qualification in English at Entry 3"
    )
    assert (result.status, result.nqf_level, result.eqf_level, result.from_title) == ("ok", "Entry 3", 1, True)
    assert "taken from the title" in result.reason
    entry1 = resolve_level(registry, "GB-ENG", "Entry Level", title="Award in Life Skills (Entry Level 1)")
    assert (entry1.status, entry1.nqf_level, entry1.from_title) == ("not_referenced", "Entry 1", True)


def test_title_without_single_sub_level_stays_ambiguous(registry) -> None:
    assert (
        resolve_level(registry, "GB-ENG", "Entry Level", title="OCR Entry Level Certificate in History").status
        == "ambiguous"
    )
    both = resolve_level(registry, "GB-ENG", "Entry Level", title="Award in Skills (Entry 2 and Entry 3)")
    assert both.status == "ambiguous" and not both.from_title
    # a cross-level qualification spans both levels: its title does not narrow it
    gcse = resolve_level(registry, "GB-ENG", "Level 1/2", title="Pearson BTEC Level 2 Technical Award")
    assert gcse.status == "ambiguous"


def test_resolve_levels_answers_like_resolve_level(registry) -> None:
    texts = ["Level 3", "Entry Level", None, "Level 3"]
    results = resolve_levels(registry, "GB-ENG", texts)
    assert [r.status for r in results] == ["ok", "ambiguous", "missing", "ok"]
    assert results[0] == resolve_level(registry, "GB-ENG", "Level 3")


@needs_shared
def test_every_dfe_register_level_resolves_honestly(registry) -> None:
    with open(SHARED / "registers" / "uk_dfe" / "approved.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    results = resolve_levels(registry, "GB-ENG", [r["Level"] for r in rows])
    by_status: dict[str, int] = {}
    for result in results:
        by_status[result.status] = by_status.get(result.status, 0) + 1
    assert by_status == {"ok": 6631, "ambiguous": 1213 + 248}
    with_titles = resolve_levels(
        registry, "GB-ENG", [r["Level"] for r in rows], titles=[r["QualificationName"] for r in rows]
    )
    entry = [r for row, r in zip(rows, with_titles, strict=True) if row["Level"] == "Entry Level"]
    assert sum(r.from_title for r in entry) == 1182
    assert sum(r.status == "ambiguous" for r in entry) == 31  # the README's "31 none"
    assert all(r.status == "ambiguous" for row, r in zip(rows, with_titles, strict=True) if row["Level"] == "Level 1/2")


@needs_shared
def test_rncp_fixture_levels_resolve_to_the_2019_framework(registry) -> None:
    import re

    xml = (SHARED / "registers" / "fr_rncp_xml_fixture" / "export_fiches_RNCP_fixture.xml").read_text(encoding="utf-8")
    codes = re.findall(r"<NIVEAU>(NIV\d)</NIVEAU>", xml)
    assert len(codes) == 12
    for code in codes:
        result = resolve_level(registry, "FR", code)
        assert (result.status, result.framework, result.eqf_level) == ("ok", "CNCP", int(code[-1]))


def test_compare_ireland_and_france_through_the_eqf(registry) -> None:
    rows = compare_frameworks(registry, "IE", "FR")
    table = {row["eqf_level"]: (row["left"], row["right"]) for row in rows}
    assert table[1] == (["1", "2"], ["1"])  # many-to-one: NFQ 1 and 2 are both EQF 1
    assert table[6] == (["7", "8"], ["6"])
    assert table[8] == (["10"], ["8"])
    assert table[2] == (["3"], ["2 (unsure)"])
    assert None not in table  # nothing unreferenced on either side


def test_compare_lists_unreferenced_levels_in_their_own_row(registry) -> None:
    rows = compare_frameworks(registry, "GB-SCT", "GB-ENG")
    unreferenced = rows[-1]
    assert unreferenced["eqf_level"] is None
    assert unreferenced["left"] == ["SCQF 1 (unsure)", "SCQF 2 (unsure)"]
    assert unreferenced["right"] == ["Entry 1", "Entry 2"]
    assert rows[4]["left"] == ["SCQF 7", "SCQF 8"] and rows[4]["right"] == ["4", "5"]
