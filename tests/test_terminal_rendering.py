"""What a user sees in an 80-column terminal: data printed as written (never as markup), whole words, readable help.

Titles like ``Verkäufer [m/w/d]`` and level strings like ``[/]`` are data: every command prints them as they are.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CERTIFICATES_CSV = REPO / "examples" / "certificates.csv"

REGISTER_ROWS = [
    ("Code", "Title", "Level", "Country"),
    ("DE-TB-1", "Techniker [/in] Bau", "DQR 6", "DE"),
    ("DE-VK-1", "Verkäufer [m/w/d] im Einzelhandel", "DQR 3", "DE"),
    ("DE-EA-1", "Energieanlagenelektroniker [bold]Fachrichtung[/bold] Gebäudetechnik", "DQR 4", "DE"),
    ("GB-EL-3", "Level 3 Diploma in Electrical Installations (Buildings and Structures)", "Level 3", "GB-ENG"),
]
WORDS_OF_THE_TABLES = {
    "ambiguous:",
    "none",
    "skills",
    "occupations",
    "yes",
    "no",
    "(lexical",
    "matching",
    "only)",
    "semantic",
    "model",
}  # written by the commands
BOX = "│┃┏┓┗┛┡┩└┘┳┻╇╋━─┼┬┴╭╮╰╯"


def _words(text: str) -> set[str]:
    return set(re.sub(f"[{BOX}]", " ", text).split())


def _assert_fits_80_columns_with_whole_words(out: str, *texts: str) -> None:
    assert max(len(line) for line in out.splitlines()) <= 80, out
    shown = _words(out)
    broken = [word for text in texts for word in text.split() if word not in shown]
    assert not broken, f"words broken or lost: {broken}\n{out}"


@pytest.fixture
def german_register(run_cli, tmp_path: Path) -> Path:
    path = tmp_path / "register.csv"
    path.write_text("\n".join(",".join(row) for row in REGISTER_ROWS) + "\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--name", "bracketed")
    assert code == 0, err
    return path


def test_a_level_string_with_markup_characters_prints_as_written(run_cli) -> None:
    code, out, err = run_cli("level", "GB-ENG", "[/]")
    assert code == 0, err
    assert "'[/]'" in out and "Traceback" not in err


def test_lookup_shows_bracketed_titles_as_written(run_cli, german_register: Path) -> None:
    code, out, err = run_cli("lookup", "Techniker Bau", "--country", "DE")
    assert code == 0, err
    assert "Techniker [/in] Bau" in out
    code, out, err = run_cli("lookup", "Verkäufer Einzelhandel", "--country", "DE")
    assert code == 0, err
    assert "[m/w/d]" in out
    code, out, err = run_cli("lookup", "Energieanlagenelektroniker", "--country", "DE")
    assert code == 0, err
    assert "[bold]Fachrichtung[/bold]" in out


def test_lookup_in_another_country_and_compare_show_bracketed_titles(run_cli, german_register: Path) -> None:
    code, out, err = run_cli("lookup", "Techniker [/in] Bau", "--country", "DE", "--to", "GB-ENG")
    assert code == 0, err
    assert "Techniker [/in] Bau" in out
    code, out, err = run_cli("compare", "DE-VK-1", "DE-TB-1")
    assert code == 0, err
    assert "[m/w/d]" in out and "[/in]" in out


def test_registers_list_shows_a_bracketed_file_name_as_written(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "[bold]regional[m-w-d].csv"
    path.write_text("\n".join(",".join(row) for row in REGISTER_ROWS) + "\n", encoding="utf-8")
    code, _, err = run_cli("registers", "import", str(path), "--name", "regional")
    assert code == 0, err
    code, out, err = run_cli("registers", "list")
    assert code == 0, err
    assert "[bold]regional[m-w-d].csv" in out


def test_skills_for_a_text_with_markup_characters_show_the_statement_as_written(run_cli) -> None:
    code, out, err = run_cli("skills", "Install wiring [m/w/d]. Test cables [/]", "--top", "3")
    assert code == 0, err
    assert "[m/w/d]" in out and "[/]" in out


def test_align_prints_bracketed_titles_and_file_names_as_written(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register [red]x[m-w-d].csv"
    path.write_text("\n".join(",".join(row) for row in REGISTER_ROWS) + "\n", encoding="utf-8")
    code, out, err = run_cli("align", str(path), "--levels-only")
    assert code == 0, err
    assert "[red]x[m-w-d]" in err and "[m/w/d]" in out and "[/in]" in out


def test_check_microcredential_shows_a_bracketed_title_as_written(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "credentials.csv"
    path.write_text("Title,Country\nSchweißen [m/w/d] [/]Grundkurs,DE\n", encoding="utf-8")
    code, out, err = run_cli("check", "microcredential", str(path))
    assert code in (0, 1), err
    assert "Schweißen [m/w/d] [/]Grundkurs" in out


def test_europass_export_lists_left_out_rows_with_bracketed_titles(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Code,Title,Level,Country\nX1,Maurer [m/w/d] [/],,DE\n", encoding="utf-8")
    out_file = tmp_path / "records.ttl"
    code, _, err = run_cli(
        "export", "europass", str(path), "--out", str(out_file), "--base-uri", "https://example.org", "--country", "DE"
    )
    assert "Traceback" not in err
    assert code == 2 or "Maurer [m/w/d] [/]" in err, err


@pytest.mark.parametrize(
    "args",
    [
        ("skills", "install and maintain photovoltaic systems on residential roofs", "--top", "5"),
        ("skills", "A1C1. Install PV modules on roofs. A1C2. Test inverters; communicate with customers"),
        ("occupations", "électricien", "--lang", "fr", "--top", "3"),
        ("frameworks", "list"),
        ("frameworks", "show", "GB-ENG"),
        ("frameworks", "compare", "IE", "FR"),
        ("level", "GB-ENG", "Entry Level", "--title", "Functional Skills Qualification in English at Entry 3"),
        ("esco", "info"),
        ("align", str(CERTIFICATES_CSV), "--quiet"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_tables_fit_80_columns_and_keep_every_word_whole(run_cli, monkeypatch: pytest.MonkeyPatch, args) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(*args)
    assert code == 0, err
    data_words = _vocabulary(json.loads(run_cli(*args, "--format", "json")[1])) | WORDS_OF_THE_TABLES
    assert max(len(line) for line in out.splitlines()) <= 80, out
    cells = [cell for line in out.splitlines() if line.startswith("│") for cell in line.strip("│").split("│")]
    fragments = {w for cell in cells for w in cell.split() if not _is_data_word(w, data_words)}
    assert not fragments, f"words broken inside: {sorted(fragments)}\n{out}"


def _vocabulary(value) -> set[str]:
    """Every word of every string in a JSON value, also split at '/' (URI segments) and without punctuation."""
    if isinstance(value, dict):
        return {w for v in value.values() for w in _vocabulary(v)} | {w for k in value for w in _vocabulary(k)}
    if isinstance(value, list):
        return {w for v in value for w in _vocabulary(v)}
    words = set(str(value).split())
    return words | {p for w in words for p in re.split(r"[/#]", w)} | {w.strip("(),;:'\"") for w in words}


def _is_data_word(word: str, data_words: set[str]) -> bool:
    bare = word.strip("(),;:'\"")
    return word in data_words or bare in data_words or re.fullmatch(r"[\d.,:()–—+-]*", word) is not None


def test_lookup_tables_fit_80_columns_and_keep_titles_whole(
    run_cli, german_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for args in (
        ("lookup", "Verkäufer Einzelhandel", "--country", "DE"),
        ("lookup", "Energieanlagenelektroniker", "--country", "DE", "--to", "GB-ENG"),
        ("compare", "DE-EA-1", "GB-EL-3"),
        ("registers", "list"),
    ):
        code, out, err = run_cli(*args)
        assert code == 0, err
        table = out.split("\n\n")[0]  # the lookup detail block below the table is prose, wrapped by the terminal
        shown = [row[1] for row in REGISTER_ROWS[1:] if row[1].split()[0] in table]
        _assert_fits_80_columns_with_whole_words(table, *shown)


def test_skills_table_leaves_the_uri_out_unless_asked(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli("skills", "install photovoltaic systems", "--top", "3")
    assert code == 0 and "http://" not in out and "install" in out
    code, out, _ = run_cli("skills", "install photovoltaic systems", "--top", "3", "--uri")
    assert code == 0 and "http://" in out
    code, out, _ = run_cli("skills", "install photovoltaic systems", "--top", "3", "--format", "csv")
    assert code == 0 and "http://data.europa.eu/esco/skill/" in out


def test_framework_levels_show_the_last_segment_of_the_eu_concept(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_cli("frameworks", "show", "DE")
    assert code == 0
    assert "c_f77c7095 (DQR Level 1)" in out and "http://data.europa.eu/snb/qdr/c_f77c7095" not in out


def test_numbers_in_tables_have_thousands_separators(run_cli) -> None:
    from skillmap.cli.common import table_cell_text

    assert table_cell_text(8092) == "8,092" and table_cell_text(1234.5) == "1,234.500"
    code, out, _ = run_cli("esco", "info", "--format", "json")
    labels = json.loads(out)["labels"]
    code, out, _ = run_cli("esco", "info")
    assert code == 0 and f"{labels:,}" in out


def test_help_is_wrapped_by_rich_at_the_terminal_width(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    code, wide, _ = run_cli("align", "--help")
    assert code == 0
    assert "(title, level, learning outcomes, code, country, awarding body, field)" in wide  # not cut at 115
    monkeypatch.setenv("COLUMNS", "80")
    for args in (("align", "--help"), ("lookup", "--help"), ("--help",)):
        code, out, _ = run_cli(*args)
        assert code == 0
        lines = out.splitlines()
        assert max(len(line) for line in lines) <= 80
        prose = [line.strip() for line in lines if line.startswith(" ") and not line.startswith(("╭", "│", "╰"))]
        short = [line for line, after in itertools.pairwise(prose) if after and 0 < len(line) < 30]
        assert not short, f"hard-wrapped help lines: {short}"


def test_version_prints_the_version(run_cli) -> None:
    from skillmap import __version__

    code, out, err = run_cli("--version")
    assert code == 0, err
    assert out.strip() == f"skillmap {__version__}"


def test_a_narrow_terminal_drops_the_least_useful_column_before_breaking_a_word() -> None:
    import io

    from rich.console import Console

    from skillmap.cli.common import add_data_column, add_data_row, data_table, fit_to_width

    table = data_table("Matches")
    for header in ("title", "why", "score"):
        add_data_column(table, header, numeric=header == "score")
    add_data_row(table, ["Energieanlagenelektroniker Gebäudetechnik", "close: gebaeudetechnik~gebaudetechnik", 0.9])
    console = Console(file=io.StringIO(), width=40, markup=False)
    console.print(fit_to_width(table, 40, droppable=[table.columns[1]]))
    out = console.file.getvalue()
    assert max(len(line) for line in out.splitlines()) <= 40
    assert "Energieanlagenelektroniker" in out and "Gebäudetechnik" in out and "why" not in out
