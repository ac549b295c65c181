"""Evaluation against a gold file: MRR and RP@k exactly as ../shared/eval/README.md defines them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillmap.errors import SkillmapError
from skillmap.evaluation import evaluate, read_gold
from skillmap.match import ConceptIndex
from skillmap.model import Classification, Concept, Label

TAXONOMY_CSV = """uri,label,kind,lang
http://x/1,bake bread,skill,en
http://x/2,bake bread,skill,en
http://x/3,repair bicycles,skill,en
http://x/4,weld steel pipes,skill,en
http://x/5,paint walls,skill,en
"""
# q1: x/1 and x/2 tie at the top; the tie goes to x/1, so gold x/2 is rank 2: MRR 1/2, RP@1 0, RP@5 1.
# q2: gold {x/3, x/4}; x/3 is rank 1 and, with 5 concepts, both are in the top 5: MRR 1, RP@1 1/1, RP@5 2/2.
# q3: gold x/99 is not in the target: MRR 0 and RP@k 0.
# Averages over 3 rows: MRR 1.5/3, RP@1 1/3, RP@5 2/3, RP@10 2/3.
GOLD_CSV = (
    "id,text,expected,kind,lang\r\n"
    "t-1,bake bread,http://x/2,skill,en\r\n"
    't-2,"repair bicycles\r\nquickly",http://x/3 | http://x/4,skill,en\r\n'
    "t-3,paint walls,http://x/99,skill,en\r\n"
)


def small_target() -> Classification:
    concepts = []
    for line in TAXONOMY_CSV.splitlines()[1:]:
        uri, label, kind, lang = line.split(",")
        concepts.append(Concept(uri=uri, kind=kind, labels=(Label(label, lang, "pref"),)))
    return Classification("small", "1", ("en",), tuple(concepts), origin="custom")


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "small.gold.csv"
    path.write_bytes(GOLD_CSV.encode("utf-8"))
    return path


def test_metrics_match_the_hand_computed_values(gold: Path) -> None:
    result = evaluate(gold, small_target())
    assert result.n == 3
    assert result.mrr == pytest.approx(0.5)
    assert result.rp_at_1 == pytest.approx(1 / 3)
    assert result.rp_at_5 == pytest.approx(2 / 3)
    assert result.rp_at_10 == pytest.approx(2 / 3)
    assert result.missing_uris == 1
    assert list(result.to_dict()) == ["n", "method", "mrr", "rp@1", "rp@5", "rp@10", "seconds"]
    assert result.to_dict()["rp@1"] == 0.3333


def test_an_index_and_its_classification_give_the_same_metrics(gold: Path) -> None:
    by_index = evaluate(gold, ConceptIndex.build(small_target()), method="lexical")
    by_classification = evaluate(gold, small_target(), method="lexical")  # a classification is embedded otherwise
    assert by_index.to_dict() | {"seconds": 0} == by_classification.to_dict() | {"seconds": 0}


def test_gold_reader_keeps_quoted_newlines_and_splits_expected_uris(gold: Path) -> None:
    rows = read_gold(gold)
    assert rows[1].text == "repair bicycles\r\nquickly"
    assert rows[1].expected == ("http://x/3", "http://x/4")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,text,gold\r\n1,a,b\r\n", "must start with the header id,text,expected,kind,lang"),
        ("id,text,expected,kind,lang\r\n", "has no rows"),
        ("id,text,expected,kind,lang\r\nq1,text,,skill,en\r\n", "no expected URI"),
        ("id,text,expected,kind,lang\r\nq1,text,http://x/1,skill\r\n", "expected 5 fields"),
    ],
)
def test_unusable_gold_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.gold.csv"
    path.write_text(content, encoding="utf-8", newline="")
    with pytest.raises(SkillmapError, match=message):
        read_gold(path)


def test_gold_file_in_another_encoding_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.gold.csv"
    path.write_bytes("id,text,expected,kind,lang\r\nq1,Bäcker,http://x/1,skill,de\r\n".encode("latin-1"))
    with pytest.raises(SkillmapError, match="not UTF-8"):
        read_gold(path)


def test_gold_kind_missing_from_the_target_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "occ.gold.csv"
    path.write_text("id,text,expected,kind,lang\r\nq1,baker,http://x/1,occupation,en\r\n", encoding="utf-8")
    with pytest.raises(SkillmapError, match="gold row q1: the target has no concepts of kind 'occupation'"):
        evaluate(path, small_target())


def test_evaluate_command_prints_the_metrics_as_json(run_cli, gold: Path, tmp_path: Path) -> None:
    taxonomy = tmp_path / "small.taxonomy.csv"
    taxonomy.write_text(TAXONOMY_CSV, encoding="utf-8")
    code, out, err = run_cli("evaluate", str(gold), "--taxonomy", str(taxonomy), "--format", "json")
    assert code == 0, err
    metrics = json.loads(out)
    assert {k: metrics[k] for k in ("n", "mrr", "rp@1", "rp@5", "rp@10")} == {
        "n": 3,
        "mrr": 0.5,
        "rp@1": 0.3333,
        "rp@5": 0.6667,
        "rp@10": 0.6667,
    }
    assert "1 expected URI(s) are not concepts of the target" in err


def test_evaluate_command_table_shows_every_metric(run_cli, gold: Path, tmp_path: Path) -> None:
    taxonomy = tmp_path / "small.taxonomy.csv"
    taxonomy.write_text(TAXONOMY_CSV, encoding="utf-8")
    code, out, _ = run_cli("evaluate", str(gold), "--taxonomy", str(taxonomy))
    assert code == 0
    for column in ("n", "mrr", "rp@1", "rp@5", "rp@10", "seconds"):
        assert column in out


def test_evaluating_against_the_bundled_sample_warns_loudly(run_cli, gold: Path) -> None:
    code, _out, err = run_cli("evaluate", str(gold), "--format", "json")
    assert code == 0
    assert "MEANINGLESS" in err


def test_evaluate_command_with_a_missing_gold_file_exits_2(run_cli, tmp_path: Path) -> None:
    code, out, err = run_cli("evaluate", str(tmp_path / "nope.csv"), "--format", "json")
    assert code == 2
    assert out == ""
    assert "gold file" in err and "not found" in err
    assert "Traceback" not in err
