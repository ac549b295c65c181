"""`--encoding` on every command that reads a table (issue 14.11): a Central European csv reads as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CZECH = "Název kvalifikace;Úroveň\nElektrikář;3\nInstalatér;3\n"


@pytest.fixture
def czech(tmp_path: Path) -> Path:
    path = tmp_path / "kvalifikace.csv"
    path.write_bytes(CZECH.encode("cp1250"))
    return path


def test_align_reads_a_cp1250_sheet_with_the_encoding_given(run_cli, czech: Path, tmp_path: Path) -> None:
    out = tmp_path / "aligned.json"
    code, _, err = run_cli(
        "align", str(czech), "--country", "CZ", "--encoding", "cp1250", "--levels-only", "--quiet", "--out", str(out)
    )
    assert code == 0, err
    rows = json.loads(out.read_text(encoding="utf-8"))
    rows = rows["rows"] if isinstance(rows, dict) else rows
    assert "Elektrikář" in json.dumps(rows, ensure_ascii=False)


def test_registers_import_reads_a_cp1250_register_with_the_encoding_given(run_cli, czech: Path) -> None:
    code, _, err = run_cli("registers", "import", str(czech), "--encoding", "cp1250", "--country", "CZ")
    assert code == 0, err
    code, out, err = run_cli("lookup", "Elektrikar", "--country", "CZ", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["title"] == "Elektrikář"


def test_check_microcredential_takes_the_encoding(run_cli, tmp_path: Path) -> None:
    sheet = tmp_path / "mc.csv"
    sheet.write_bytes("Název;ECTS\nSvářeč;5\n".encode("cp1250"))
    code, out, err = run_cli("check", "microcredential", str(sheet), "--encoding", "cp1250", "--format", "json")
    assert code in (0, 1), err
    assert "Svářeč" in out


@pytest.mark.parametrize("command", [["align"], ["registers", "import"], ["check", "microcredential"]])
def test_a_wrong_or_unknown_encoding_is_one_line_naming_the_option(run_cli, czech: Path, command: list[str]) -> None:
    for encoding, message in (("utf-8", "not valid utf-8"), ("klingon", "unknown text encoding")):
        code, _, err = run_cli(*command, str(czech), "--encoding", encoding)
        assert code == 2 and message in err and "--encoding" in err, err
        assert "Traceback" not in err


def test_a_czech_cp1250_sheet_reads_as_written_without_encoding_and_keeps_its_level_column(
    run_cli, czech: Path, tmp_path: Path
) -> None:
    """Issue 14 item 11: read as cp1252, `Elektrikář` came out `ElektrikĂˇĹ™` and the `Úroveň` column was lost."""
    out = tmp_path / "aligned.csv"
    code, _, err = run_cli("align", str(czech), "--country", "CZ", "--levels-only", "--quiet", "--out", str(out))
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "Elektrikář" in text and "Instalatér" in text and "Úroveň" in text.splitlines()[0]


def test_without_a_country_the_decoding_with_implausible_letters_is_rejected() -> None:
    from skillmap.sources.encodings import decode_text

    raw = "Název;Úroveň\nŘidič nákladního automobilu;3\nSvářeč;2\n".encode("cp1250")
    text, used, _ = decode_text(raw, "t.csv")
    assert used == "cp1250" and "Řidič" in text and "Svářeč" in text
