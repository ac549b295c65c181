"""Hostile files (entities, bombs, far cells, special files, markup, NULs, encodings): one line, never a hang.

The corpus is built at test time by ``tests/hostile/make_corpus.py``; each case says what the reader must do.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from tests.hostile.make_corpus import Case, build_corpus, run_case


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return {case.name: case for case in build_corpus(tmp_path_factory.mktemp("hostile"))}


def _outcome(case: Case) -> None:
    if case.outcome == "refused":
        with pytest.raises(SkillmapError) as refused:
            run_case(case)
        message = str(refused.value)
        assert re.search(case.match, message), message
        assert "\n" not in message
        assert "Traceback" not in message
    else:
        result = run_case(case)
        assert case.check is None or case.check(result), f"{case.name}: unexpected result {result!r}"[:500]


def test_every_hostile_file_is_read_or_refused_in_one_line(corpus: dict[str, Case]) -> None:
    failures = []
    for case in corpus.values():
        try:
            _outcome(case)
        except BaseException as exc:  # collect them all, so one run shows every broken case
            failures.append(f"{case.name}: {type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "name", ["padded-internal-entity.rdf", "padded-billion-laughs.rdf", "gzipped-doctype.rdf.gz", "utf16-doctype.rdf"]
)
def test_rdf_xml_with_a_doctype_behind_a_300kb_comment_is_refused(corpus: dict[str, Case], name: str) -> None:
    _outcome(corpus[name])


def test_rdf_xml_label_never_holds_an_expanded_entity(corpus: dict[str, Case]) -> None:
    with pytest.raises(SkillmapError, match="DOCTYPE"):
        run_case(corpus["padded-internal-entity.rdf"])


def test_eu_vocabulary_with_a_doctype_is_refused(corpus: dict[str, Case]) -> None:
    _outcome(corpus["vocabulary-doctype.rdf"])


def test_rncp_export_with_a_padded_doctype_is_refused(corpus: dict[str, Case]) -> None:
    _outcome(corpus["rncp-padded-doctype.xml"])


@pytest.mark.parametrize("name", ["gzip-bomb.ttl.gz", "zip-bomb-rdf.zip", "zip-bomb-esco-csv.zip", "xlsx-bomb.xlsx"])
def test_compressed_bombs_stop_at_the_input_cap_with_the_keyword_to_raise_it(
    corpus: dict[str, Case], name: str
) -> None:
    _outcome(corpus[name])


def test_million_row_merged_range_is_refused_before_it_is_expanded(corpus: dict[str, Case]) -> None:
    _outcome(corpus["million-row-merge.xlsx"])


def test_a_cell_at_xfd1048576_costs_nothing_and_is_read_as_a_column(corpus: dict[str, Case]) -> None:
    table = run_case(corpus["far-cell.xlsx"])
    assert table.rows[0] == ("Electrician", "3", "")
    assert any("empty row" in note for note in table.notes)


def test_a_merged_country_cell_fills_only_rows_that_have_data(corpus: dict[str, Case]) -> None:
    _outcome(corpus["merged-country-clipped.xlsx"])


def test_input_cap_can_be_raised_by_keyword_and_environment(corpus: dict[str, Case], monkeypatch) -> None:
    from skillmap.sources.spreadsheets import read_table

    path = corpus["oversized.csv"].path
    with pytest.raises(SkillmapError, match="SKILLMAP_MAX_INPUT_MB"):
        read_table(path, max_input_mb=1)
    assert len(read_table(path, max_input_mb=8).rows) == 200_000
    monkeypatch.setenv("SKILLMAP_MAX_INPUT_MB", "1")
    with pytest.raises(SkillmapError, match="over the 1 MiB"):
        read_table(path)


@pytest.mark.parametrize("name", ["dev-zero.csv", "dev-zero.csv (register)", "dev-zero.csv (taxonomy)", "pipe.csv"])
def test_a_csv_that_is_a_device_or_a_pipe_is_refused_without_reading(corpus: dict[str, Case], name: str) -> None:
    if name not in corpus:
        pytest.skip(f"{name}: this system has no /dev/zero or mkfifo")
    _outcome(corpus[name])


def test_a_nul_after_the_first_64_kib_is_removed_with_a_note(corpus: dict[str, Case]) -> None:
    table = run_case(corpus["nul-late.csv"])
    assert table.column("Title")[-1] == "Mason"
    assert any("removed 1 NUL character(s), the first on line 6,002" in note for note in table.notes)


def test_nul_in_a_taxonomy_or_esco_csv_is_refused_with_its_line(corpus: dict[str, Case]) -> None:
    _outcome(corpus["nul-taxonomy.csv"])
    _outcome(corpus["nul-esco.zip"])


def test_taxonomy_csv_with_a_duplicate_header_is_refused(corpus: dict[str, Case]) -> None:
    _outcome(corpus["duplicate-header-taxonomy.csv"])


def test_a_hidden_sheet_is_read_with_a_note(corpus: dict[str, Case]) -> None:
    table = run_case(corpus["hidden-sheet.xlsx"])
    assert table.sheet == "Secret"
    assert "sheet 'Secret' is hidden in the workbook; read because no visible sheet has data" in table.notes


def test_markup_in_cells_and_labels_is_read_exactly_as_written(corpus: dict[str, Case]) -> None:
    _outcome(corpus["markup.csv"])
    _outcome(corpus["markup.rdf"])


def test_a_huge_level_number_is_unknown_not_a_traceback() -> None:
    from skillmap.levels import resolve_level
    from skillmap.sources.frameworks import load_frameworks

    registry = load_frameworks()
    for text in ("9" * 5000, "EQF " + "9" * 4400, "Level " + "1" * 150, "RQF " + "4" * 4301):
        resolution = resolve_level(registry, "GB-ENG", text)
        assert resolution.status == "unknown", text[:20]
        assert len(resolution.reason) < 400


def test_a_written_table_of_the_corpus_needs_no_network(tmp_path: Path) -> None:
    # the corpus script is runnable on its own, as the README says
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "tests/hostile/make_corpus.py", str(tmp_path / "c")],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert "padded-billion-laughs.rdf" in done.stdout
