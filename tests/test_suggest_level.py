"""`skillmap suggest-level` / `suggest_level`: an EQF level suggested from learning outcomes, with evidence."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

import skillmap
from tests.conftest import REPO

PV_OUTCOMES = (
    "Install and commission photovoltaic systems under the supervision of a qualified electrician; follow safety rules"
)


def test_a_pv_installer_gets_a_level_around_3_to_4_with_its_evidence() -> None:
    result = skillmap.suggest_level(outcomes=PV_OUTCOMES)
    assert result.status == "suggested"
    assert 3 <= result.level <= 4
    phrases = {e.text for e in result.evidence}
    assert "under the supervision" in " ".join(phrases) or "follow safety rules" in phrases
    assert any(e.source.startswith("cue") and e.low <= 3 for e in result.evidence)


def test_every_level_1_to_8_gets_a_probability_and_they_sum_to_one() -> None:
    result = skillmap.suggest_level(outcomes=PV_OUTCOMES)
    assert sorted(result.probabilities) == list(range(1, 9))
    assert abs(sum(result.probabilities.values()) - 1.0) < 1e-9
    assert result.confidence == result.probabilities[result.level]
    assert result.strength in ("strong", "moderate", "weak")


def test_strategy_and_research_outcomes_suggest_a_higher_level_than_supervised_simple_tasks() -> None:
    high = skillmap.suggest_level(
        outcomes="Lead a team and take responsibility for strategy; conduct research and evaluate innovation projects"
    )
    low = skillmap.suggest_level(outcomes="Carry out simple tasks under direct supervision; follow instructions")
    assert high.level >= 6
    assert low.level <= 3
    assert any(e.text == "strategy" and e.low >= 6 for e in high.evidence)


def test_a_title_with_a_qualification_word_pulls_towards_its_level() -> None:
    outcomes = "Piloter la stratégie commerciale; manager une équipe; conduire des projets d'innovation"
    result = skillmap.suggest_level(title="Master Management", outcomes=outcomes)
    assert result.level == 7
    assert any(e.source == "title word" and e.text == "master" for e in result.evidence)


def test_empty_or_one_word_outcomes_get_no_suggestion_and_the_reason() -> None:
    for text in ("", "   ", "Electrician"):
        result = skillmap.suggest_level(outcomes=text)
        assert result.status == "missing"
        assert result.level is None
        assert result.reason == "too little text to suggest a level"


def test_the_same_text_always_gets_the_same_suggestion() -> None:
    first = skillmap.suggest_level(title="Monteur", outcomes=PV_OUTCOMES).to_dict()
    second = skillmap.suggest_level(title="Monteur", outcomes=PV_OUTCOMES).to_dict()
    assert json.dumps(first) == json.dumps(second)


def test_text_without_any_cue_phrase_says_the_suggestion_rests_on_the_learned_model() -> None:
    result = skillmap.suggest_level(outcomes="Photovoltaik Module montieren und Wechselrichter anschliessen")
    assert result.status == "suggested"
    assert any("learned model only" in note for note in result.notes)


def test_suggest_level_prints_json_with_the_level_and_evidence(run_cli) -> None:
    code, out, err = run_cli("suggest-level", "--outcomes", PV_OUTCOMES, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "suggested"
    assert 3 <= data["suggested_eqf"] <= 4
    assert set(data["probabilities"]) == {str(n) for n in range(1, 9)}
    assert data["evidence"]


def test_suggest_level_reads_the_outcomes_from_standard_input(run_cli, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PV_OUTCOMES))
    code, out, err = run_cli("suggest-level", "--outcomes", "-", "--format", "csv")
    assert code == 0, err
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["status"] == "suggested"
    assert 3 <= int(row["suggested_eqf"]) <= 4


def test_suggest_level_with_too_little_text_says_so_without_a_level(run_cli) -> None:
    code, out, err = run_cli("suggest-level", "--outcomes", "Coaching", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["status"], data["suggested_eqf"], data["reason"]) == (
        "missing",
        None,
        "too little text to suggest a level",
    )


def test_suggest_level_on_a_table_gives_every_row_a_suggestion(run_cli) -> None:
    code, out, err = run_cli("suggest-level", "--table", str(REPO / "examples" / "certificates.csv"), "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 12
    italian = next(r for r in rows if r["code"] == "IT-AI-MC")
    assert italian["status"] == "suggested"
    assert 1 <= int(italian["suggested_eqf"]) <= 8
    assert italian["evidence"]


def _gold(tmp_path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    path = tmp_path / "gold.csv"
    lines = ["id,title,outcomes,expected_eqf", *(",".join(f'"{c}"' for c in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evaluate_levels_prints_the_figures_as_json(run_cli, tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            ("a", "", PV_OUTCOMES, "4"),
            ("b", "", "Lead a team and take responsibility for strategy; conduct research projects", "7"),
            ("c", "", "x", "3"),
        ],
    )
    code, out, err = run_cli("evaluate-levels", str(gold), "--outcomes-only", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {"n", "accuracy", "within_one", "macro_f1", "mae", "confusion"} <= set(data)
    assert data["n"] == 3
    assert data["confusion"]["3"] == {"none": 1}  # one word: no suggestion, counted as wrong
    assert 0.0 <= data["accuracy"] <= data["within_one"] <= 0.6667


def test_evaluate_levels_without_the_needed_columns_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,title\n1,Electrician\n", encoding="utf-8")
    code, _out, err = run_cli("evaluate-levels", str(path))
    assert code == 2
    assert err.startswith("skillmap: error:") and err.count("\n") == 1
    assert "expected_eqf" in err


def test_evaluate_levels_with_a_level_outside_1_to_8_is_one_line_exit_2(run_cli, tmp_path: Path) -> None:
    gold = _gold(tmp_path, [("a", "", PV_OUTCOMES, "9")])
    code, _out, err = run_cli("evaluate-levels", str(gold))
    assert code == 2
    assert "not an EQF level 1–8" in err and err.count("\n") == 1


def test_training_the_same_rows_twice_gives_a_byte_identical_model_file() -> None:
    from skillmap.levels_suggest.evaluation import LevelGoldRow
    from skillmap.levels_suggest.learned import model_to_json
    from skillmap.levels_suggest.training import fit_with_and_without_titles

    rows = [
        LevelGoldRow("1", "CAP", "réaliser des installations sous le contrôle du chef d'équipe", 3),
        LevelGoldRow("2", "CAP", "réaliser la maintenance sous le contrôle", 3),
        LevelGoldRow("3", "Master", "piloter la stratégie et conduire la recherche", 7),
        LevelGoldRow("4", "Master", "piloter la stratégie de l'entreprise", 7),
    ]
    first = model_to_json(fit_with_and_without_titles(rows, min_df=1), "test")
    second = model_to_json(fit_with_and_without_titles(rows, min_df=1), "test")
    assert first == second


def test_a_model_with_an_ordinal_part_reads_back_from_its_file_and_scores_as_before(tmp_path: Path) -> None:
    from skillmap.levels_suggest.evaluation import LevelGoldRow
    from skillmap.levels_suggest.features import document_features
    from skillmap.levels_suggest.learned import model_to_json, read_model
    from skillmap.levels_suggest.training import fit_with_and_without_titles

    rows = [
        LevelGoldRow("1", "CAP", "réaliser des installations sous le contrôle du chef d'équipe", 3),
        LevelGoldRow("2", "BTS", "organiser et réaliser la maintenance en autonomie", 5),
        LevelGoldRow("3", "Master", "piloter la stratégie et conduire la recherche", 7),
    ]
    model = fit_with_and_without_titles(rows, min_df=1, ordinal_share=0.5)
    assert model.threshold_weights is not None and model.threshold_weights.shape[0] == len(model.levels) - 1
    path = tmp_path / "model.gz"
    path.write_bytes(model_to_json(model, "test"))
    again = read_model(path)
    features = document_features("", "piloter la stratégie de recherche")
    assert again.ordinal_share == 0.5
    assert np.allclose(again.scores(features), model.scores(features), atol=0.01)
    assert model.levels[int(np.argmax(model.scores(features)))] == 7


def test_crossing_threshold_classifiers_still_give_a_distribution_over_the_levels() -> None:
    from skillmap.levels_suggest.learned import ordinal_probabilities

    probabilities = ordinal_probabilities(np.array([0.9, 0.2, 0.6, 0.1]))  # "above 2" less likely than "above 3"
    assert probabilities.min() > 0 and abs(probabilities.sum() - 1.0) < 1e-9
    assert int(np.argmax(probabilities)) == 1  # between the first and the second threshold


def test_evaluating_on_the_models_own_training_file_warns_the_figures_are_training_fit(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    import hashlib

    from skillmap.levels_suggest import learned

    gold = _gold(tmp_path, [("a", "", PV_OUTCOMES, "4")])
    monkeypatch.setattr(learned, "bundled_model_source", lambda: hashlib.sha256(gold.read_bytes()).hexdigest())
    code, _out, err = run_cli("evaluate-levels", str(gold), "--format", "json")
    assert code == 0, err
    assert "training fit, not accuracy" in err
