"""align --suggest-levels: rows without a referenced level get a suggested EQF level, labelled a suggestion, kept out
of eqf_level, always reviewed, shown apart in the reports and never exported to Europass as an EQF level."""

from __future__ import annotations

import csv
import inspect
import io
import json
from pathlib import Path

import pytest

import skillmap
from skillmap.align.options import AlignOptions
from skillmap.outputs import render
from tests.conftest import REPO

CERTIFICATES = REPO / "examples" / "certificates.csv"
SUGGESTED_COLUMNS = ["suggested_eqf", "suggested_confidence", "suggested_evidence"]


@pytest.fixture(scope="module")
def suggested_run() -> skillmap.AlignRun:
    return skillmap.align_file(CERTIFICATES, levels_only=True, suggest_levels=True)


def _rows(run: skillmap.AlignRun) -> dict[str, dict]:
    return {row["Code"]: row for row in json.loads(render(run, "json"))}


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Code", "Title", "Country", "Level", "Learning outcomes"], *rows])
    return path


def test_align_suggest_levels_fills_suggested_columns_for_level_less_rows(suggested_run) -> None:
    rows = _rows(suggested_run)
    ai = rows["IT-AI-MC"]  # the Italian AI micro-credential: no level in the register
    assert ai["suggested_eqf"] in range(1, 9)
    assert 0 < ai["suggested_confidence"] <= 1
    assert ai["suggested_evidence"] and all("→" in line for line in ai["suggested_evidence"])
    assert all(list(row)[-3:] == SUGGESTED_COLUMNS for row in rows.values())  # the columns are in every row
    levelled = rows["DE-EGT-4"]
    assert levelled["suggested_eqf"] is None and levelled["suggested_evidence"] == []


def test_without_suggest_levels_the_table_has_no_suggested_columns(suggested_run) -> None:
    plain = skillmap.align_file(CERTIFICATES, levels_only=True)
    header = next(csv.reader(io.StringIO(render(plain, "csv").decode("utf-8"))))
    assert not set(SUGGESTED_COLUMNS) & set(header)
    suggested_header = next(csv.reader(io.StringIO(render(suggested_run, "csv").decode("utf-8"))))
    assert suggested_header == header + SUGGESTED_COLUMNS
    assert "missing" in {a.level.status for a in plain.alignments}


def test_suggested_level_is_never_written_as_eqf_level(suggested_run) -> None:
    ai = _rows(suggested_run)["IT-AI-MC"]
    assert ai["eqf_level"] is None and ai["level_status"] == "suggested"
    assert all(a.level.status != "ok" for a in suggested_run.alignments if a.suggestion.eqf_level is not None)


def test_suggested_rows_are_in_review(suggested_run) -> None:
    ai = _rows(suggested_run)["IT-AI-MC"]
    assert ai["needs_review"] is True
    reasons = ai["review_reasons"]
    assert reasons[0] == "no level given"
    assert reasons[1].startswith("suggested level: EQF ") and "a suggestion to check" in reasons[1]
    assert suggested_run.summary.review_reasons["suggested level"] == 1


def test_too_little_text_stays_missing(tmp_path: Path) -> None:
    path = _write(tmp_path / "r.csv", [["A", "Electrician", "IT", "", ""], ["B", "Coach", "IT", "", "Coaching"]])
    run = skillmap.align_file(path, levels_only=True, suggest_levels=True)
    for alignment in run.alignments:
        assert alignment.level.status == "missing" and alignment.level.eqf_level is None
        assert alignment.suggestion.eqf_level is None
        assert "too little text to suggest a level" in alignment.review


def test_an_unrecognised_level_gets_a_suggestion_too(tmp_path: Path) -> None:
    outcomes = "Lead a team and take responsibility for the strategy of the department; manage complex projects"
    path = _write(tmp_path / "r.csv", [["A", "Team leadership", "DE", "Stufe Z", outcomes]])
    (alignment,) = skillmap.align_file(path, levels_only=True, suggest_levels=True).alignments
    assert alignment.level.status == "suggested" and "level not recognised" in alignment.review
    assert alignment.suggestion.eqf_level is not None and alignment.suggestion.eqf_level >= 5


def test_europass_export_leaves_out_suggested_rows(run_cli, tmp_path: Path) -> None:
    table, report = tmp_path / "aligned.csv", tmp_path / "report.csv"
    code, _, err = run_cli("align", str(CERTIFICATES), "--suggest-levels", "--quiet", "--out", str(table))
    assert code == 0, err
    export = ["export", "europass", str(table), "--out", str(tmp_path / "q.ttl"), "--base-uri", "https://q.example.org"]
    code, _, err = run_cli(*export, "--language", "en", "--report", str(report))
    assert code == 0, err
    with report.open(encoding="utf-8", newline="") as handle:
        reasons = {row["code"]: row["reason"] for row in csv.DictReader(handle)}
    assert reasons["IT-AI-MC"] == "suggested level only"
    assert "IT-AI-MC" not in (tmp_path / "q.ttl").read_text(encoding="utf-8")


def test_xlsx_summary_shows_suggested_rows_apart(suggested_run) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render(suggested_run, "xlsx")))
    summary = [[c for c in row if c is not None] for row in book["Summary"].iter_rows(values_only=True)]
    assert ["rows with a suggested EQF level (a suggestion, not a level)", 1] in summary
    assert any(row[:1] == ["EQF level"] and "suggested" in row for row in summary)  # its own status in the chart
    assert any(row[:1] == ["suggested"] for row in summary)  # and in the legend
    sheet = book["Alignment"]
    headers = [c.value for c in sheet[1]]
    at = headers.index("Level status")
    assert headers[at + 1 : at + 4] == [
        "Suggested EQF level (a suggestion, not a level)",
        "Suggestion confidence",
        "Suggestion evidence",
    ]
    ai = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "IT-AI-MC")
    assert ai[at].value == "suggested" and ai[at + 1].value in range(1, 9)
    assert ai[0].fill.fgColor.rgb.endswith("FCE8D5")  # tinted: to review
    review = [[c.value for c in row] for row in book["Review"].iter_rows()]
    assert "Suggestion evidence" in review[0] and any("IT-AI-MC" in row for row in review)


def test_html_report_shows_suggested_count_and_status(suggested_run) -> None:
    page = render(suggested_run, "html").decode("utf-8")
    assert "rows with a suggested EQF level (a suggestion, not a level)</td><td>1<" in page
    assert '<th class="n">suggested</th>' in page and ">suggested</text>" in page  # table and chart legend
    assert "(suggested, " in page and "evidence</small></summary>" in page
    plain = render(skillmap.align_file(CERTIFICATES, levels_only=True), "html").decode("utf-8")
    assert "suggested" not in plain


def test_check_reports_the_suggested_columns_and_passes_on_the_same_run(suggested_run, tmp_path: Path) -> None:
    (tmp_path / "plain.csv").write_bytes(render(skillmap.align_file(CERTIFICATES, levels_only=True), "csv"))
    (tmp_path / "suggested.csv").write_bytes(render(suggested_run, "csv"))
    assert skillmap.check_alignment(suggested_run, tmp_path / "suggested.csv").identical
    diff = skillmap.check_alignment(suggested_run, tmp_path / "plain.csv")
    assert diff.columns_added == tuple(SUGGESTED_COLUMNS)
    assert "level_status: 'missing' → 'suggested'" in diff.describe()


def test_streamed_align_with_suggested_levels_writes_the_whole_file_table(tmp_path: Path) -> None:
    with CERTIFICATES.open(encoding="utf-8-sig", newline="") as handle:
        header, *body = list(csv.reader(handle, delimiter=";"))
    register = tmp_path / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *([f"R{i}", *body[i % len(body)][1:]] for i in range(30))])
    whole = skillmap.align_file(register, levels_only=True, suggest_levels=True)
    streamed = skillmap.align_stream(
        register, [tmp_path / "t.csv", tmp_path / "t.json"], chunk_rows=4, levels_only=True, suggest_levels=True
    )
    assert (tmp_path / "t.csv").read_bytes() == render(whole, "csv")
    assert (tmp_path / "t.json").read_bytes() == render(whole, "json")
    assert streamed.summary == whole.summary and whole.summary.suggested == 2
    assert streamed.reused_hits > 0  # the level-less row met again in a later chunk is not suggested again


def test_align_frame_with_suggested_levels_gives_the_csv_cells(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(CERTIFICATES, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    aligned = skillmap.align_frame(frame, levels_only=True, suggest_levels=True)
    whole = skillmap.align_file(CERTIFICATES, levels_only=True, suggest_levels=True)
    table = list(csv.reader(io.StringIO(render(whole, "csv").decode("utf-8"))))
    assert list(aligned.columns) == table[0] and aligned.values.tolist() == table[1:]


def test_a_table_gets_the_suggestions_each_row_would_get_alone() -> None:
    pairs = [("", f"Install photovoltaic systems under supervision; module {i} of the course") for i in range(4)]
    pairs += [("Master Management", "Define the strategy of the company and lead teams")]
    together = skillmap.suggest_levels(pairs)
    assert [(s.level, s.status) for s in together] == [
        (one.level, one.status) for one in (skillmap.suggest_level(t, o) for t, o in pairs)
    ]


def test_a_new_align_option_is_taken_by_every_entry_point() -> None:
    from skillmap.cli.align import align_command

    cli = inspect.signature(align_command).parameters
    for function in (skillmap.align_file, skillmap.align_stream, skillmap.align_frame):
        keywords = inspect.signature(function).parameters
        for option in inspect.signature(AlignOptions).parameters.values():
            assert option.name in keywords, f"{function.__name__} lacks {option.name}"
            assert keywords[option.name].default == option.default, f"{function.__name__}: {option.name}"
            assert option.name in cli, f"skillmap align lacks --{option.name.replace('_', '-')}"
