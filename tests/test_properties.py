"""Property-based tests (hypothesis): every reader, level resolution, matching and lookup keep their contract on
any input — a result or a one-line SkillmapError, never a traceback — and give the same answer twice.

Example counts are bounded (``PROPERTY_EXAMPLES``, default 25 per property) and derandomised, so the file adds
seconds, not minutes, to ``make test``; ``make fuzz`` runs the long mutation fuzzer ``benchmarks/fuzz_readers.py``.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillmap.errors import SkillmapError
from skillmap.model import LEVEL_STATUSES
from tests.hostile.contract import feed
from tests.hostile.make_corpus import RNCP, SKOS, _rdf_document, _xlsx

EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "25"))
bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder in the worktree; failures print their reproducing example
    derandomize=True,  # the same examples on every run of make test (make fuzz explores with fresh inputs)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Cell text: any Unicode but surrogates and NUL (a NUL is a binary-file signal, covered by the corpus).
cell_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"), max_size=40)
words = st.text(st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=30).map(str.strip).filter(bool)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="skillmap-props-") as name:
        yield Path(name)


def _csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


# --- readers: any bytes, and any well-formed table ----------------------------------------------------------------


@bounded
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_a_csv_table_are_read_or_refused_in_one_line(folder: Path, data: bytes) -> None:
    feed("csv", data, folder)


@bounded
@given(rows=st.lists(st.lists(cell_text, min_size=1, max_size=6), min_size=1, max_size=12))
def test_any_csv_grid_is_read_or_refused_in_one_line(folder: Path, rows: list[list[str]]) -> None:
    feed("csv", _csv_bytes(rows), folder)


@bounded
@given(
    titles=st.lists(words.filter(lambda t: t[0] not in "=+-@\"'"), min_size=1, max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1250", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_a_title_column_reads_back_exactly_in_any_common_encoding(
    folder: Path, titles: list[str], encoding: str, delimiter: str
) -> None:
    try:
        data = _csv_bytes([["Title", "Level"], *[[t, "3"] for t in titles]], encoding, delimiter)
        "".join(titles).encode(encoding)
    except UnicodeEncodeError:
        return  # text this code page cannot hold is not a file anyone has
    table = feed("csv", data, folder)
    if isinstance(table, SkillmapError):  # refused: only for a guess between code pages we cannot make
        assert "encoding" in str(table), table
        return
    if encoding in ("utf-8", "utf-8-sig", "utf-16"):
        assert table.column("Title") == titles


@bounded
@given(data=st.binary(min_size=1, max_size=600), at=st.integers(min_value=0, max_value=10**6))
def test_a_damaged_xlsx_is_read_or_refused_in_one_line(folder: Path, data: bytes, at: int) -> None:
    valid = bytearray(_xlsx([["Title", "Level"], ["Electrician", "3"], ["Mason", "2"]]))
    start = at % len(valid)
    valid[start : start + len(data)] = data
    feed("xlsx", bytes(valid), folder)


@bounded
@given(
    rows=st.lists(
        st.lists(words.map(lambda w: w.replace("<", "").replace("&", "")), min_size=2, max_size=2), max_size=8
    )
)
def test_any_xlsx_cells_are_read_back_as_written(folder: Path, rows: list[list[str]]) -> None:
    rows = [r for r in rows if all(c.strip() for c in r)]
    table = feed("xlsx", _xlsx([["Title", "Level"], *rows]), folder)
    if rows:
        assert not isinstance(table, SkillmapError), table
        assert [list(r[:2]) for r in table.rows] == [[c.strip() for c in r] for r in rows]


@bounded
@given(
    rows=st.lists(st.lists(cell_text, min_size=1, max_size=6), max_size=10),
    header=st.lists(st.sampled_from(["uri", "label", "kind", "lang", "role", "notation", "broader", "x"]), max_size=6),
)
def test_any_taxonomy_csv_is_read_or_refused_in_one_line(
    folder: Path, rows: list[list[str]], header: list[str]
) -> None:
    feed("taxonomy-csv", _csv_bytes([header, *rows]), folder)


@bounded
@given(
    header=st.lists(st.sampled_from(["conceptUri", "preferredLabel", "altLabels", "conceptType", "x", ""]), max_size=5),
    rows=st.lists(st.lists(cell_text, max_size=5), max_size=8),
    member=st.sampled_from(["skills_en.csv", "occupations_de.csv", "skillSkillRelations_en.csv", "other.csv"]),
)
def test_any_esco_csv_package_is_read_or_refused_in_one_line(
    folder: Path, header: list[str], rows: list[list[str]], member: str
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, _csv_bytes([header, *rows]))
    feed("esco-csv-zip", buffer.getvalue(), folder)


@bounded
@given(label=cell_text, data=st.binary(max_size=300), reader=st.sampled_from(["rdf-xml", "turtle", "json-ld"]))
def test_any_rdf_document_is_read_or_refused_in_one_line(folder: Path, label: str, data: bytes, reader: str) -> None:
    feed(reader, data, folder)
    escaped = label.replace("&", "&amp;").replace("<", "&lt;")
    document = _rdf_document(escaped).encode("utf-8")
    feed("rdf-xml", document[: len(document) // 2] + data, folder)  # truncated and followed by noise


@bounded
@given(label=words.map(lambda w: w.replace("&", "").replace("<", "").replace("]", "").strip()).filter(bool))
def test_a_skos_label_reads_back_exactly(folder: Path, label: str) -> None:
    result = feed("rdf-xml", _rdf_document(label).encode("utf-8"), folder)
    assert not isinstance(result, SkillmapError), result
    assert [lb.text for lb in result.concepts[0].labels] == [" ".join(label.split())]  # whitespace runs: one space
    assert SKOS


@bounded
@given(
    rows=st.lists(st.lists(cell_text, min_size=1, max_size=5), max_size=10),
    header=st.lists(st.sampled_from(["Code", "Title", "Level", "EQF", "Country", "Awarding body", "x"]), max_size=5),
)
def test_any_register_sheet_is_read_or_refused_in_one_line(
    folder: Path, rows: list[list[str]], header: list[str]
) -> None:
    feed("register-csv", _csv_bytes([header, *rows]), folder)


@bounded
@given(title=cell_text, noise=st.binary(max_size=200))
def test_any_rncp_export_is_read_or_refused_in_one_line(folder: Path, title: str, noise: bytes) -> None:
    text = RNCP.format(prolog="", title=title.replace("&", "&amp;").replace("<", "&lt;"))
    feed("rncp-xml", text.encode("utf-8"), folder)
    feed("rncp-xml", text.encode("utf-8")[: 40 + len(noise)] + noise, folder)


# --- level resolution, matching, lookup -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry():
    from skillmap.sources.frameworks import load_frameworks

    return load_frameworks()


level_text = st.one_of(
    cell_text,
    st.from_regex(r"(Level|Niveau|EQF|RQF|Stufe|NQF)? ?[0-9IVXivx]{1,6}( ?[-/+] ?[0-9]{1,3})?", fullmatch=True),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
)


@bounded
@given(data=st.data(), text=level_text)
def test_any_level_string_resolves_to_a_known_status_the_same_way_twice(registry, data, text) -> None:
    from skillmap.levels import resolve_level

    country = data.draw(st.sampled_from(registry.countries()))
    first = resolve_level(registry, country, text)
    assert first.status in LEVEL_STATUSES
    assert first.eqf_level is None or 1 <= first.eqf_level <= 8
    assert first.status != "ok" or first.eqf_level is not None
    assert resolve_level(registry, country, text) == first


@pytest.fixture(scope="module")
def sample_index():
    from skillmap.match import ConceptIndex
    from skillmap.store import load_sample

    return ConceptIndex.build(load_sample())


@bounded
@given(text=st.one_of(cell_text, st.lists(words, max_size=12).map(" ".join)), top=st.integers(1, 15))
def test_any_text_matches_a_ranked_deterministic_list(sample_index, text: str, top: int) -> None:
    hits = sample_index.search(text, top=top)
    assert hits == sample_index.search(text, top=top)
    scores = [hit.score for hit in hits]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert len({hit.uri for hit in hits}) == len(hits)
    assert len(hits) <= top or len(set(scores[top - 1 :])) == 1  # only ties beyond the top


@pytest.fixture(scope="module")
def register_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from skillmap.registers import import_register

    sheet = tmp_path_factory.mktemp("register") / "de.csv"
    titles = ["Elektroniker für Betriebstechnik", "Techniker [/in] Bau", "Kaufmann im Einzelhandel", "Maurer"]
    sheet.write_text(
        "Code,Title,Level\n" + "".join(f"D{i},{t},{3 + i % 3}\n" for i, t in enumerate(titles)), encoding="utf-8"
    )
    store = sheet.parent / "registers.sqlite"
    import_register(sheet, country="DE", store_path=store)
    return store


@bounded
@given(query=st.one_of(cell_text, words), top=st.integers(1, 10))
def test_any_lookup_query_returns_a_bounded_ranked_list(register_store: Path, query: str, top: int) -> None:
    from skillmap.registers import lookup

    try:
        found = lookup(query, country="DE", top=top, store_path=register_store)
    except SkillmapError as refused:
        assert "\n" not in str(refused)
        return
    assert len(found) <= top
    assert all(0.0 <= m.score <= 1.0 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert found == lookup(query, country="DE", top=top, store_path=register_store)


@bounded
@given(labels=st.lists(words.filter(lambda w: w[0] not in "=+-@#"), min_size=1, max_size=10, unique=True))
def test_taxonomy_labels_read_back_exactly(folder: Path, labels: list[str]) -> None:
    rows = [["uri", "label", "kind", "lang"], *[[f"urn:s:{i}", label, "skill", "en"] for i, label in enumerate(labels)]]
    result = feed("taxonomy-csv", _csv_bytes(rows), folder)
    assert not isinstance(result, SkillmapError), result
    read = {c.uri: [lb.text for lb in c.labels] for c in result.concepts}
    # labels keep their text; runs of whitespace (NBSP included) become one space
    assert read == {f"urn:s:{i}": [" ".join(label.split())] for i, label in enumerate(labels)}


@bounded
@given(titles=st.lists(words.filter(lambda w: w[0] not in "=+-@#"), min_size=1, max_size=10))
def test_register_titles_and_codes_read_back_in_file_order(folder: Path, titles: list[str]) -> None:
    rows = [["Code", "Title", "Level"], *[[f"D{i}", title, "4"] for i, title in enumerate(titles)]]
    records = feed("register-csv", _csv_bytes(rows), folder)
    assert not isinstance(records, SkillmapError), records
    assert [(r.code, r.title) for r in records] == [(f"D{i}", " ".join(t.split())) for i, t in enumerate(titles)]
