"""The chunked reader decides the encoding on the first MiB, and checks it on the whole file before a row is out.

A later byte that does not decode makes it decide again (and say so), a file of two encodings is refused naming
the byte, a byte that does not fit the encoding given is refused naming its offset: never garbled text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.sources.chunks import HEAD_BYTES, open_chunks
from skillmap.sources.encodings import utf8_inside
from skillmap.sources.spreadsheets import read_table

ASCII_ROWS = HEAD_BYTES // len(b"Electrician,3\n") + 100  # past the first MiB


def _rows(table) -> list[tuple[str, ...]]:
    return [row for chunk in table.chunks(50_000) for row in chunk.rows]


def _write(tmp_path: Path, *parts: bytes) -> Path:
    path = tmp_path / "register.csv"
    path.write_bytes(b"Title,Level\n" + b"".join(parts))
    return path


def test_a_code_page_byte_after_a_mib_of_ascii_is_read_in_the_code_page_that_fits(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Electrician,3\n" * ASCII_ROWS, "Maçon à façon,3\nÉlectricien,4\n".encode("cp1252"))
    table = open_chunks(path)
    rows = _rows(table)
    assert rows[-2:] == [("Maçon à façon", "3"), ("Électricien", "4")]
    assert table.encoding == "cp1252" and any("read as cp1252" in note for note in table.notes)
    assert rows == list(read_table(path).rows)  # what the whole-file reader reads


def test_a_cp1250_byte_after_a_mib_of_ascii_is_read_as_cp1250_for_a_czech_register(tmp_path: Path) -> None:
    path = _write(tmp_path, b"Electrician,3\n" * ASCII_ROWS, "Elektrikář,3\n".encode("cp1250"))
    assert _rows(open_chunks(path, country="CZ"))[-1] == ("Elektrikář", "3")


def test_a_byte_that_does_not_fit_the_encoding_given_is_refused_at_its_offset(tmp_path: Path) -> None:
    ascii_part = b"Electrician,3\n" * ASCII_ROWS
    path = _write(tmp_path, ascii_part, b"Ma\xe7on,3\n")
    offset = len(b"Title,Level\n") + len(ascii_part) + 2
    with pytest.raises(SkillmapError) as refused:
        open_chunks(path, encoding="utf-8")
    assert (
        str(refused.value) == f"{path}: the byte at offset {offset:,} is not utf-8 text; give the file's real encoding"
    )
    assert refused.value.hint == "encoding"


def test_utf8_text_after_a_mib_of_cp1250_is_refused_naming_its_byte(tmp_path: Path) -> None:
    head = "Elektrikář,3\n".encode("cp1250") * (HEAD_BYTES // 13 + 10)
    path = _write(tmp_path, head, "Instalatér,3\n".encode())
    offset = len(b"Title,Level\n") + len(head) + len("Instalat")
    for read in (lambda: open_chunks(path, country="CZ"), lambda: read_table(path, country="CZ")):
        with pytest.raises(
            SkillmapError, match=f"mixes encodings: it reads as cp1250, but the text at byte {offset:,}"
        ):
            read()
    assert _rows(open_chunks(path, encoding="cp1250"))[-1] == ("InstalatĂ©r", "3")  # given: read as asked


def test_a_utf8_file_with_one_stray_cp1252_byte_late_is_refused_not_garbled(tmp_path: Path) -> None:
    head = "Électricien,3\n".encode() * (HEAD_BYTES // 14 + 10)
    path = _write(tmp_path, head, b"Ma\xe7on,3\n")
    with pytest.raises(SkillmapError, match="mixes encodings: it reads as cp1252, but the text at byte 12 "):
        open_chunks(path)


def test_streamed_align_of_a_two_encoding_file_is_one_line_naming_the_option(run_cli, tmp_path: Path) -> None:
    path = _write(tmp_path, b"Electrician,3\n" * ASCII_ROWS, b"Ma\xe7on,3\n")
    out = tmp_path / "table.csv"
    code, _, err = run_cli(
        "align", str(path), "--country", "FR", "--encoding", "utf-8", "--chunk-rows", "1000", "--levels-only",
        "--out", str(out),
    )  # fmt: skip
    assert code == 2 and len(err.strip().splitlines()) == 1 and not out.exists()
    assert "is not utf-8 text" in err and err.strip().endswith("(use --encoding)")


@pytest.mark.parametrize(
    "text,code_page",
    [
        ("SZKÓŁ ZAWODOWYCH, ŁÓDŹ", "cp1250"),
        ("ČESKÁ ŠKOLA, příští úterý", "cp1250"),
        ("Villanyszerelő, kőműves", "cp1250"),
        ("Maçon à façon, «CAFÉ» Zürich Straße", "cp1252"),
        ("ÉŠ ÂŒ ÔŽ Ÿ", "cp1252"),
    ],
)
def test_code_page_text_is_never_taken_for_utf8_and_its_utf8_form_always_is(text: str, code_page: str) -> None:
    assert utf8_inside(text, code_page) is None
    try:
        garbled = text.encode("utf-8").decode(code_page)
    except UnicodeDecodeError:
        return  # a byte the code page leaves undefined: such a file is not read in that code page at all
    assert utf8_inside(garbled, code_page) is not None
