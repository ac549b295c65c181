"""align_file / check_alignment / outputs.render / write_all: the library calls behind `skillmap align`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from skillmap.align import AlignRun, align_file, check_alignment
from skillmap.alignment_table import read_alignment_table
from skillmap.errors import SkillmapError
from skillmap.outputs import render, write_all
from tests.conftest import REPO

EXAMPLE_CSV = REPO / "examples" / "certificates.csv"


@pytest.fixture(scope="module")
def run() -> AlignRun:
    return align_file(EXAMPLE_CSV)


def test_align_file_returns_the_table_columns_alignments_and_summary(run: AlignRun) -> None:
    assert run.table.headers[0] == "Code" and run.columns.title == "Qualification title"
    assert len(run.alignments) == run.summary.rows == 12
    assert run.index_info is not None and run.index_info.origin == "sample"
    assert any("bundled ESCO sample" in line for line in run.notices)
    assert dict(run.facts)["input"] == "certificates.csv"


@pytest.mark.parametrize("lang", ["EN", "en,fr", ["en", "FR"]])
def test_lang_is_read_like_every_other_command(lang) -> None:
    run = align_file(EXAMPLE_CSV, lang=lang)
    assert any(a.skills for a in run.alignments)


@pytest.mark.parametrize("cli_lang", [["--lang", "EN"], ["--lang", "en,fr"], ["-l", "en"]])
def test_align_command_takes_lang_as_skills_does(run_cli, cli_lang: list[str]) -> None:
    code, out, err = run_cli("align", str(EXAMPLE_CSV), "--country", "GB-ENG", *cli_lang, "--quiet", "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 12


def test_a_bad_language_code_is_one_error() -> None:
    with pytest.raises(SkillmapError, match="not a language code"):
        align_file(EXAMPLE_CSV, lang="english!")


def test_render_by_file_name_or_format_name_gives_the_same_bytes(run: AlignRun) -> None:
    assert render(run, "table.csv") == render(run, "csv") == render(run, Path("x/y.CSV"))
    rows = list(csv.DictReader(io.StringIO(render(run, "csv").decode("utf-8"))))
    assert len(rows) == 12 and rows[0]["eqf_level"] == "4"


def test_write_all_renders_everything_before_writing_anything(run: AlignRun, tmp_path: Path) -> None:
    with pytest.raises(SkillmapError, match="unknown format"):
        write_all(run, [tmp_path / "a.csv", tmp_path / "b.pdf"])
    assert not list(tmp_path.iterdir())
    reports = write_all(run, [tmp_path / "a.csv", tmp_path / "a.json"])
    assert [p.name for p in reports.written] == ["a.csv", "a.json"] and not reports.skipped
    assert all(p.stat().st_size for p in reports.written)


def test_write_all_never_overwrites_the_input(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("Title,Level\nPlumbing,Level 2\n", encoding="utf-8")
    run = align_file(register, country="GB-ENG", levels_only=True)
    with pytest.raises(SkillmapError, match="is the input file"):
        write_all(run, [register])
    assert register.read_text(encoding="utf-8") == "Title,Level\nPlumbing,Level 2\n"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_check_alignment_finds_no_change_then_a_changed_level(run: AlignRun, tmp_path: Path, fmt: str) -> None:
    previous = tmp_path / f"previous.{fmt}"
    previous.write_bytes(render(run, fmt))
    assert check_alignment(run, previous).identical
    assert check_alignment(run, read_alignment_table(previous)).identical
    if fmt == "json":
        data = json.loads(previous.read_text(encoding="utf-8"))
        data[0]["eqf_level"] = 5
        previous.write_text(json.dumps(data), encoding="utf-8")
    else:
        previous.write_text(previous.read_text(encoding="utf-8").replace(",4,ok,", ",5,ok,", 1), encoding="utf-8")
    diff = check_alignment(run, previous)
    assert not diff.identical and diff.key == "Code"
    assert diff.changed[0][0] == "Code DE-EGT-4" and diff.changed[0][1][0][:2] == ("eqf_level", "5")


def test_levels_only_run_matches_nothing_and_says_so(tmp_path: Path) -> None:
    run = align_file(EXAMPLE_CSV, levels_only=True)
    assert run.index_info is None and not any(a.skills for a in run.alignments)
    assert dict(run.facts)["concept index"].startswith("none")
