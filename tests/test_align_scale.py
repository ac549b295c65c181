"""Scale: streamed align (chunks in, chunks out, same bytes), and align_frame for Dask/Spark partitions."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import skillmap
from skillmap.errors import SkillmapError
from skillmap.outputs import render

REPO = Path(__file__).resolve().parents[1]
CERTIFICATES = REPO / "examples" / "certificates.csv"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """40 rows built from the example certificates, titles and outcomes repeated as registers repeat them, with a
    title row above the header, an empty row and a cell that a spreadsheet would run as a formula."""
    with CERTIFICATES.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Register of certificates, 2026"])
        writer.writerow(header)
        for i in range(40):
            row = list(body[i % len(body)])
            row[0] = f"R{i:03d}"
            if i == 7:
                row[5] = "- install wiring\n- test circuits"
            writer.writerow(row)
            if i == 20:
                writer.writerow([""] * len(header))
    return path


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_a_streamed_alignment_writes_the_same_csv_and_json_bytes_as_the_whole_file(
    register: Path, tmp_path: Path
) -> None:
    whole = skillmap.align_file(register, lang="en", workers=1)
    streamed = skillmap.align_stream(
        register, [tmp_path / "t.csv", tmp_path / "t.json"], chunk_rows=3, lang="en", workers=1
    )
    assert (tmp_path / "t.csv").read_bytes() == render(whole, "csv")
    assert (tmp_path / "t.json").read_bytes() == render(whole, "json")
    assert streamed.summary == whole.summary
    assert streamed.table.notes == whole.table.notes
    assert streamed.chunks == 14
    assert streamed.reused_hits > 0  # a title met in an earlier chunk is not searched again


def test_the_chunked_reader_reads_what_the_whole_file_reader_reads(tmp_path: Path) -> None:
    from skillmap.sources.chunks import open_chunks
    from skillmap.sources.spreadsheets import read_table

    path = tmp_path / "liste.csv"
    body = [f"Électricien {i};niveau 3;" for i in range(3000)]  # the NUL comes after the first 64 KiB
    lines = ["Liste;;", "Intitulé;Niveau;", *body, ";;", "Pâtissier\x00;niveau 4;x"]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    whole = read_table(path, country="FR")
    chunked = open_chunks(path, country="FR")
    pieces = list(chunked.chunks(1000))
    assert chunked.headers == whole.headers == ("Intitulé", "Niveau", "column C")
    assert tuple(row for piece in pieces for row in piece.rows) == whole.rows
    assert chunked.row_count == len(whole.rows) == 3001 and len(pieces) == 4
    assert chunked.notes == whole.notes
    assert (chunked.encoding, chunked.delimiter) == (whole.encoding, whole.delimiter)


def test_streamed_jsonl_and_parquet_hold_every_row_of_the_table(register: Path, tmp_path: Path) -> None:
    targets = [tmp_path / "t.csv", tmp_path / "t.jsonl"]
    parquet = pytest.importorskip("pyarrow.parquet", reason="pyarrow (the [dask] extra) writes .parquet")
    targets.append(tmp_path / "t.parquet")
    skillmap.align_stream(register, targets, chunk_rows=7, lang="en", workers=1)
    table = _read_csv((tmp_path / "t.csv").read_bytes())
    lines = (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(table) - 1 == 40
    first = json.loads(lines[0])
    assert list(first) == table[0] and isinstance(first["skills"], list)
    frame = parquet.read_table(tmp_path / "t.parquet").to_pandas()
    assert list(frame.columns) == table[0]
    assert frame.values.tolist() == table[1:]


def test_a_streamed_alignment_refuses_xlsx_and_says_why_before_writing_anything(register: Path, tmp_path: Path) -> None:
    with pytest.raises(SkillmapError, match=r"1,048,576 rows.*\.csv, \.json, \.jsonl, \.parquet"):
        skillmap.align_stream(register, [tmp_path / "t.csv", tmp_path / "report.xlsx"], lang="en")
    assert list(tmp_path.iterdir()) == [register]


def test_a_streamed_run_that_fails_midway_leaves_no_table(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skillmap.align.stream as stream

    real, calls = stream.align_table, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SkillmapError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(stream, "align_table", failing)
    (tmp_path / "t.csv").write_text("previous\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="disk full"):
        skillmap.align_stream(register, [tmp_path / "t.csv", tmp_path / "t.jsonl"], chunk_rows=5, lang="en")
    assert (tmp_path / "t.csv").read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.csv", "t.csv"]


def test_align_with_chunk_rows_and_jobs_writes_the_table_of_the_normal_run(run_cli, register: Path, tmp_path: Path):
    code, _, err = run_cli("align", str(register), "--lang", "en", "--chunk-rows", "4", "-j", "1", "--quiet",
                           "--out", str(tmp_path / "chunked.csv"))  # fmt: skip
    assert code == 0, err
    code, _, err = run_cli("align", str(register), "--lang", "en", "--quiet", "--out", str(tmp_path / "whole.csv"))
    assert code == 0, err
    assert (tmp_path / "chunked.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    code, _, err = run_cli("align", str(register), "--chunk-rows", "4", "--out", str(tmp_path / "r.xlsx"))
    assert code == 2 and "1,048,576 rows" in err and "Traceback" not in err
    code, _, err = run_cli("align", str(register), "--out", str(tmp_path / "t.jsonl"),
                           "--check", str(tmp_path / "whole.csv"))  # fmt: skip
    assert code == 2 and "--check compares whole tables" in err


def test_align_frame_gives_the_cells_of_the_csv_table(register: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(register, sep=";", skiprows=1, dtype=str, keep_default_na=False)
    frame.index = range(100, 100 + len(frame))
    aligned = skillmap.align_frame(frame, lang="en")
    table = _read_csv(render(skillmap.align_file(register, lang="en", workers=1), "csv"))
    assert list(aligned.columns) == table[0]
    data_rows = [row for row in aligned.values.tolist() if row[0]]  # the csv reader skips the empty row
    assert data_rows == table[1:]
    assert list(aligned.index) == list(frame.index)
    empty = skillmap.align_frame(frame.iloc[:0], lang="en")
    assert list(empty.columns) == table[0] and len(empty) == 0


def test_align_frame_on_a_local_dask_cluster_equals_the_single_process_result(register: Path) -> None:
    dd = pytest.importorskip("dask.dataframe", reason="dask is not installed (pip install 'skillmap-eqf[dask]')")
    distributed = pytest.importorskip("distributed", reason="distributed is not installed (the [dask] extra)")
    import pandas as pd

    frame = pd.read_csv(register, sep=";", skiprows=1, dtype=str, keep_default_na=False)
    expected = skillmap.align_frame(frame, lang="en")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster),
    ):
        parts = dd.from_pandas(frame, npartitions=4)
        meta = skillmap.align_frame(parts._meta, lang="en")
        result = parts.map_partitions(skillmap.align_frame, lang="en", meta=meta).compute()
    assert list(result.columns) == list(expected.columns)
    assert result.astype(object).values.tolist() == expected.values.tolist()
