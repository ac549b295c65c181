"""Country names are accepted, or suggested, wherever a country code is (issue 14.14)."""

from __future__ import annotations

import json

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.frameworks import country_names_index, load_frameworks


@pytest.fixture(scope="module")
def registry():
    return load_frameworks()


@pytest.mark.parametrize(
    "name,code",
    [
        ("England", "GB-ENG"),
        ("england", "GB-ENG"),
        ("Angleterre", "GB-ENG"),
        ("France", "FR"),
        ("Deutschland", "DE"),
        ("Allemagne", "DE"),
        ("Österreich", "AT"),
        ("osterreich", "AT"),
        ("Scotland", "GB-SCT"),
        ("Écosse", "GB-SCT"),
        ("Cymru", "GB-WLS"),
        ("Vlaanderen", "BE-VLG"),
        ("Polska", "PL"),
        ("Česko", "CZ"),
        ("Czech Republic", "CZ"),
        ("Ελλάδα", "GR"),
        ("United Kingdom – England", "GB-ENG"),
        ("the Netherlands", "NL"),
    ],
)
def test_a_country_name_in_an_eu_language_is_accepted(registry, name: str, code: str) -> None:
    assert registry.normalise_country(name) == code


@pytest.mark.parametrize("name", ["UK", "United Kingdom", "Royaume-Uni", "Vereinigtes Königreich", "Belgique"])
def test_a_country_split_into_regions_asks_which_region(registry, name: str) -> None:
    with pytest.raises(SkillmapError, match="several frameworks by region; choose one of"):
        registry.normalise_country(name)


def test_a_misspelt_name_is_suggested(registry) -> None:
    with pytest.raises(SkillmapError, match=r"did you mean .*Deutschland \(DE\)"):
        registry.normalise_country("Deutchland")


def test_every_name_belongs_to_one_code_only() -> None:
    index = country_names_index()
    assert index["england"].code == "GB-ENG"
    assert len(index) > 300  # distinct spellings of 46 codes in 9+ languages


def test_level_command_takes_a_country_name(run_cli) -> None:
    code, out, err = run_cli("level", "Scotland", "SCQF 11", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["country"] == "GB-SCT" and json.loads(out)["eqf_level"] == 7


def test_frameworks_show_and_compare_take_country_names(run_cli) -> None:
    code, out, err = run_cli("frameworks", "compare", "Ireland", "Frankreich", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows[0]["left_country"] == "IE" and rows[0]["right_country"] == "FR"
    code, out, err = run_cli("frameworks", "show", "Deutschland", "--format", "json")
    assert code == 0 and json.loads(out)["country"] == "DE"


def test_an_unknown_name_suggests_close_names_on_one_line(run_cli) -> None:
    code, out, err = run_cli("level", "Englnd", "3")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "England (GB-ENG)" in err
