"""The alignment table contract (docs/ARCHITECTURE.md): CSV/JSON columns, values, neutralised formulas, --check."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from skillmap.errors import SkillmapError
from skillmap.model import Alignment, LevelResolution, Match
from skillmap.outputs.tables import (
    ADDED_FIELDS,
    compare_tables,
    parse_table,
    read_table_file,
    render_csv,
    render_json,
    render_markdown,
)

HEADERS = ("Code", "Title", "country", "Level")
SKILL = "http://data.europa.eu/esco/skill/s1"


def _alignment(number: int, code: str, title: str, eqf: int | None = 4, review: tuple[str, ...] = ()) -> Alignment:
    status = "ok" if eqf else "ambiguous"
    return Alignment(
        row_number=number,
        row={"Code": code, "Title": title, "country": "England", "Level": "Level 3"},
        title=title,
        level=LevelResolution(
            country="GB-ENG",
            framework="RQF",
            nqf_level="3" if eqf else None,
            eqf_level=eqf,
            status=status,
            reason="RQF 3 → EQF 4 (source: Ofqual)",
            input="Level 3",
        ),
        skills=(
            Match(uri=SKILL, label="install wiring", matched_label="wiring", score=0.87654321, kind="skill"),
            Match(uri=SKILL + "b", label="test | measure", matched_label="x", score=0.5, kind="skill"),
        ),
        occupations=(
            Match(
                uri="http://data.europa.eu/esco/occupation/o1",
                label="electrician",
                matched_label="electrician",
                score=1.0,
                kind="occupation",
            ),
        ),
        review=review,
    )


ALIGNMENTS = [
    _alignment(1, "Q1", "Electrical installation"),
    _alignment(2, "Q2", '=HYPERLINK("http://evil")', eqf=None, review=("ambiguous level",)),
]


def test_csv_has_input_columns_then_the_added_fields_in_contract_order() -> None:
    header = next(csv.reader(io.StringIO(render_csv(ALIGNMENTS, HEADERS))))
    assert header == ["Code", "Title", "country (input)", "Level", *ADDED_FIELDS]
    assert list(ADDED_FIELDS) == [
        "country",
        "framework",
        "nqf_level",
        "eqf_level",
        "level_status",
        "level_reason",
        "skills",
        "skill_labels",
        "skill_scores",
        "occupations",
        "occupation_labels",
        "occupation_scores",
        "needs_review",
        "review_reasons",
    ]


def test_csv_values_follow_the_contract() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(ALIGNMENTS, HEADERS))))
    first, second = rows
    assert first["country (input)"] == "England" and first["country"] == "GB-ENG"
    assert (first["eqf_level"], first["nqf_level"], first["level_status"]) == ("4", "3", "ok")
    assert first["skills"] == f"{SKILL} | {SKILL}b"
    assert first["skill_scores"] == "0.8765 | 0.5000"
    assert first["occupation_scores"] == "1.0000"
    assert (first["needs_review"], first["review_reasons"]) == ("no", "")
    assert (second["eqf_level"], second["nqf_level"], second["needs_review"]) == ("", "", "yes")


def test_formula_like_cells_are_neutralised_in_csv() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(ALIGNMENTS, HEADERS))))
    assert rows[1]["Title"] == '\'=HYPERLINK("http://evil")'
    for trigger, written in (
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
    ):
        text = render_csv([_alignment(1, trigger, "t")], HEADERS)
        assert next(csv.DictReader(io.StringIO(text, newline="")))["Code"] == written


@pytest.mark.parametrize("cell", ["\rstarts with CR", "a\rlone CR", "CR LF\r\ninside", "=1+1\r"])
def test_a_cell_with_a_carriage_return_round_trips_through_csv(cell: str) -> None:
    text = render_csv([_alignment(1, cell, "t")], HEADERS)
    _, rows = parse_table(text, ".csv")
    assert len(rows) == 1 and rows[0]["Code"] == cell


def test_nul_bytes_never_reach_csv_or_json() -> None:
    alignment = _alignment(1, "Q\x001", "Title with a NUL\x00 inside")
    for text in (render_csv([alignment], HEADERS), render_json([alignment], HEADERS)):
        assert "\x00" not in text and "\\u0000" not in text
    assert json.loads(render_json([alignment], HEADERS))[0]["Code"] == "Q1"


def test_markdown_link_and_image_syntax_is_shown_as_text() -> None:
    text = render_markdown([_alignment(1, "Q1", "[click](javascript:alert(1)) ![pixel](http://x/t.png)")])
    assert not re.search(r"(?<!\\)\]\(", text) and not re.search(r"!\[", text)  # no link, no image
    assert "\\[click\\](javascript:alert(1))" in text and "!\\[pixel\\]" in text


def test_json_keeps_types_and_is_not_neutralised() -> None:
    first, second = json.loads(render_json(ALIGNMENTS, HEADERS))
    assert list(first) == ["Code", "Title", "country (input)", "Level", *ADDED_FIELDS]
    assert first["eqf_level"] == 4 and second["eqf_level"] is None and second["nqf_level"] is None
    assert first["skill_scores"] == [0.8765, 0.5] and first["skill_labels"] == ["install wiring", "test | measure"]
    assert first["needs_review"] is False and second["review_reasons"] == ["ambiguous level"]
    assert second["Title"].startswith("=HYPERLINK")


def test_rendering_is_byte_identical_across_runs() -> None:
    assert render_csv(ALIGNMENTS, HEADERS) == render_csv(list(ALIGNMENTS), HEADERS)
    assert render_json(ALIGNMENTS, HEADERS) == render_json(list(ALIGNMENTS), HEADERS)
    assert render_markdown(ALIGNMENTS, code_column="Code") == render_markdown(list(ALIGNMENTS), code_column="Code")


def test_csv_and_json_parse_to_the_same_table() -> None:
    from_csv = parse_table(render_csv(ALIGNMENTS, HEADERS), ".csv")
    from_json = parse_table(render_json(ALIGNMENTS, HEADERS), ".json")
    assert from_csv == from_json


def test_markdown_has_one_line_per_row_and_escapes_pipes() -> None:
    text = render_markdown(ALIGNMENTS, code_column="Code")
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(lines) == 3  # header + 2 rows
    assert "test \\| measure (0.50)" in lines[1]


def test_markdown_shows_markup_in_titles_as_text() -> None:
    rows = [_alignment(1, "Q1", "<script>alert(1)</script> City & Guilds <b>Level 3</b>")]
    line = next(line for line in render_markdown(rows, code_column="Code").splitlines() if "Q1" in line)
    assert "<script>" not in line and "<b>" not in line
    assert "&lt;script>alert(1)&lt;/script> City & Guilds &lt;b>Level 3&lt;/b>" in line


def test_identical_tables_compare_equal() -> None:
    table = parse_table(render_csv(ALIGNMENTS, HEADERS), ".csv")
    diff = compare_tables(table, table, key_candidates=["Code"])
    assert diff.identical and diff.describe().startswith("no change: 2 rows")


def test_changed_added_and_removed_rows_are_described_by_key() -> None:
    old = parse_table(render_csv(ALIGNMENTS, HEADERS), ".csv")
    changed = [_alignment(1, "Q1", "Electrical installation", eqf=5), _alignment(3, "Q3", "Plumbing")]
    new = parse_table(render_csv(changed, HEADERS), ".csv")
    diff = compare_tables(old, new, key_candidates=["Code"])
    assert not diff.identical
    assert diff.added == ("Code Q3",) and diff.removed == ("Code Q2",)
    assert diff.changed == (("Code Q1", (("eqf_level", "4", "5"),)),)
    text = diff.describe()
    assert text.startswith("1 row(s) added, 1 removed, 1 changed")
    assert "changed Code Q1: eqf_level: '4' → '5'" in text


def test_rows_are_matched_by_position_when_no_key_is_unique() -> None:
    old = parse_table(render_csv([_alignment(1, "", "A"), _alignment(2, "", "A")], HEADERS), ".csv")
    diff = compare_tables(old, old, key_candidates=["Code", "Title"])
    assert diff.key == "row" and diff.identical


def test_a_file_that_is_not_an_alignment_table_is_refused(tmp_path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match=r"not an alignment table .*eqf_level"):
        read_table_file(path)
    with pytest.raises(SkillmapError, match="no such file"):
        read_table_file(tmp_path / "missing.csv")
    (tmp_path / "bad.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(SkillmapError, match="not valid JSON"):
        read_table_file(tmp_path / "bad.json")
