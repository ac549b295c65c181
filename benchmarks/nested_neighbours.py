"""Nested selection of the register-neighbour constants of suggest_level (README, "register neighbours").

    .venv/bin/python benchmarks/nested_neighbours.py [CACHE_DIR]

Protocol (the benchmark's, one level deeper, so that no constant is chosen on the rows it is scored on):
* the 652 dev qualifications in the benchmark's 5 stratified folds. For each outer fold k, a model is trained on
  the other four folds and their rows are imported as a register (as benchmarks/bench_suggest_level.py does);
  the held-out fold is scored with the constants chosen on the inner folds.
* Inner folds: for each j != k, a model trained on the three folds other than k and j, and those three folds
  imported as a register, score fold j. The configuration (neighbour weight, how many neighbours, similarity floor,
  weighting by rank or not) with the best exact + within one over the four inner folds, outcomes only and with
  titles together, is the one the outer fold is scored with; ties go to the smaller weight, then fewer neighbours,
  then the higher floor, then no rank weighting. 25 trainings in all; fold k never takes part in choosing the
  constants it is scored with.
* Each (training set, row) pair is suggested once without neighbours (the probabilities) and its 30 nearest
  levelled records with similarity >= 0.05 are kept; a configuration adds its log-odds to the log probabilities, as
  ``suggest_with`` does, so all configurations are scored on the same models.

* A register of records the model was not trained on (the user's case when the shipped model meets records it has
  not seen): for each fold k a model trained on two other folds, the remaining two imported as the register, a few
  single configurations (no selection).

Outcome (README): the inner choices differ from fold to fold and none carries over to the outer folds (the inner
models, trained on three folds, are weaker, which favours a stronger neighbour signal); the nearest record is a
worse guess than the model below similarity 0.3 in both kinds of register, hence the shipped floor 0.3.

Prints the configurations tried, the choice per outer fold and the outer figures beside the no-register ones.
Intermediate results are cached in CACHE_DIR (default /tmp/skillmap-nested-neighbours).
"""

from __future__ import annotations

import itertools
import pickle
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_suggest_level import DEV, FOLDS, _fold_register, folds_of  # noqa: E402

KEPT_NEIGHBOURS = 30
KEPT_FLOOR = 0.05
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
TOPS = (1, 3, 5, 10, 20)
FLOORS = (0.1, 0.15, 0.2, 0.3, 0.4)
RANKED = (False, True)  # True: the i-th neighbour's pull is divided by i
MIXTURE_SHARES = (0.1, 0.2, 0.3, 0.5)  # the other way: mix in the neighbours' similarity-weighted level shares
MIXTURE_TOPS = (3, 5, 10, 20)
MIXTURE_FLOORS = (0.1, 0.2, 0.3)
MODES = ("outcomes only", "with titles")
SHIPPED = (1.0, 5, 0.3, False)  # neighbour_weight, TOP, MIN_SIMILARITY, no rank weighting
UNSEEN_CONFIGS = [(w, t, f, False) for w in (0.0, 0.25, 0.5, 1.0, 2.0) for t, f in ((5, 0.15), (5, 0.3), (3, 0.3))]


def configurations() -> list[tuple[float, int, float, bool | str]]:
    """Every (weight, top, floor, ranked) tried; weight 0 (no neighbour signal) once. ``ranked`` "mixture": the
    weight is the share of a linear mixture with the neighbours' similarity-weighted level shares."""
    found: list[tuple[float, int, float, bool | str]] = [(0.0, 0, 0.0, False)]
    found += [c for c in itertools.product(WEIGHTS[1:], TOPS, sorted(FLOORS, reverse=True), RANKED)]
    found += [(w, t, f, "mixture") for w, t, f in itertools.product(MIXTURE_SHARES, MIXTURE_TOPS, MIXTURE_FLOORS)]
    return found


def _suggest_fold(rows, vectors, train_index, test_index, register_index=None):
    """For each test row and mode: (log probabilities without neighbours, [(level, similarity), ...]); the
    register holds the training rows, or the rows of ``register_index``."""
    from skillmap.levels_suggest import suggestion
    from skillmap.levels_suggest.embedding import without_title
    from skillmap.levels_suggest.neighbours import nearest_levelled
    from skillmap.levels_suggest.training import fit_with_and_without_titles

    train = [rows[i] for i in train_index]
    model = fit_with_and_without_titles(train, vectors=vectors[train_index])
    settings = dict(suggestion.combination())
    out = {}
    register = train if register_index is None else [rows[i] for i in register_index]
    with _fold_register(register) as store:
        for i in test_index:
            row = rows[i]
            for mode in MODES:
                title = row.title if mode == "with titles" else ""
                vector = vectors[i] if title else without_title(vectors[i : i + 1])[0]
                result = suggestion.suggest_with(title, row.outcomes, model=model, settings=settings, vector=vector)
                logp = np.log(np.array([result.probabilities[lv] for lv in suggestion.LEVELS]) + 1e-300)
                found = nearest_levelled(store, title, row.outcomes, top=KEPT_NEIGHBOURS, min_similarity=KEPT_FLOOR)
                out[i, mode] = (logp, [(n.level, n.similarity) for n in found])
    return out


def _level(logp: np.ndarray, found, config) -> int:
    from skillmap.levels_suggest.suggestion import median_level

    weight, top, floor, ranked = config
    logits = logp.copy()
    kept = [(lv, s) for lv, s in found if s >= floor][:top] if weight else []
    if ranked != "mixture":
        for rank, (lv, s) in enumerate(kept, start=1):
            logits[lv - 1] += weight * s / (rank if ranked else 1)
    p = np.exp(logits - logits.max())
    p /= p.sum()
    if ranked == "mixture" and kept:
        shares = np.zeros(8)
        for lv, s in kept:
            shares[lv - 1] += s
        p = (1 - weight) * p + weight * shares / shares.sum()
    return median_level({lv: float(p[lv - 1]) for lv in range(1, 9)})


def _score(cache, index, expected, config, modes=MODES) -> tuple[int, int]:
    exact = near = 0
    for i in index:
        for mode in modes:
            level = _level(*cache[i, mode], config)
            exact += level == expected[i]
            near += abs(level - expected[i]) <= 1
    return exact, near


def main(argv: list[str]) -> int:
    if not DEV.is_file():
        print(f"skipped: {DEV} not found (needs ../shared)")
        return 0
    from skillmap.levels_suggest.embedding import qualification_vectors
    from skillmap.levels_suggest.evaluation import read_level_gold

    cache_dir = Path(argv[1]) if len(argv) > 1 else Path("/tmp/skillmap-nested-neighbours")
    cache_dir.mkdir(parents=True, exist_ok=True)
    rows, _ = read_level_gold(DEV)
    expected = [r.expected for r in rows]
    fold = folds_of(expected)
    vectors_path = cache_dir / "vectors.npy"
    if vectors_path.is_file():
        vectors = np.load(vectors_path)
    else:
        vectors, note = qualification_vectors([(r.title, r.outcomes) for r in rows])
        if vectors is None:
            print(f"skipped: {note}")
            return 0
        np.save(vectors_path, vectors)
    results = {}
    for k in range(FOLDS):
        for j in (None, *(j for j in range(FOLDS) if j != k)):
            path = cache_dir / f"outer{k}-inner{'x' if j is None else j}.pickle"
            if not path.is_file():
                held = {k} if j is None else {k, j}
                train_index = [i for i, f in enumerate(fold) if f not in held]
                test_index = [i for i, f in enumerate(fold) if f == (k if j is None else j)]
                part = _suggest_fold(rows, vectors, train_index, test_index)
                path.write_bytes(pickle.dumps(part))
                print(f"outer {k + 1} inner {'-' if j is None else j + 1} done", file=sys.stderr, flush=True)
            results[k, j] = pickle.loads(path.read_bytes())
    _report(results, fold, expected)
    _unseen_register(rows, vectors, fold, expected, cache_dir)
    return 0


def _unseen_register(rows, vectors, fold, expected, cache_dir: Path) -> None:
    """A register of records the model was not trained on: for each fold k, a model trained on folds k+1, k+2 and
    the register of folds k+3, k+4 (a user's register beside the shipped model). Single configurations, no
    selection."""
    outer = {}
    for k in range(FOLDS):
        path = cache_dir / f"unseen{k}.pickle"
        if not path.is_file():
            train_index = [i for i, f in enumerate(fold) if (f - k) % FOLDS in (1, 2)]
            register_index = [i for i, f in enumerate(fold) if (f - k) % FOLDS in (3, 4)]
            test_index = [i for i, f in enumerate(fold) if f == k]
            path.write_bytes(pickle.dumps(_suggest_fold(rows, vectors, train_index, test_index, register_index)))
            print(f"unseen register {k + 1} done", file=sys.stderr, flush=True)
        outer.update(pickle.loads(path.read_bytes()))
    print("\nregister of records the model was not trained on (model: 2 folds, register: the 2 others)")
    for config in UNSEEN_CONFIGS:
        cells = []
        for mode in MODES:
            levels = [_level(*outer[i, mode], config) for i in range(len(expected))]
            cells.append(f"{_rate(levels, expected, 0)} / {_rate(levels, expected, 1)}")
        print(f"| {config} | {' | '.join(cells)} |")


def _report(results, fold, expected) -> None:
    configs = configurations()
    n = len(expected)
    outer = {}
    for k in range(FOLDS):
        outer.update(results[k, None])
    print(f"{len(configs)} configurations (weights {WEIGHTS}, top {TOPS}, floors {FLOORS}, rank weighting or not;")
    print(f"mixture shares {MIXTURE_SHARES}, top {MIXTURE_TOPS}, floors {MIXTURE_FLOORS})")
    chosen = _nested(results, fold, expected, outer, configs, "all configurations")
    _nested(results, fold, expected, outer, [c for c in configs if c[3] != "mixture"], "log-odds ones only")
    floors = [configs[0], *((1.0, 5, floor, False) for floor in FLOORS)]
    _nested(results, fold, expected, outer, floors, "the floor only (weight 1, five neighbours, or none)")
    print("\nouter figures of single configurations (not a selection; for the README's side-by-side)")
    for config in [configs[0], (1.0, 5, 0.15, False), SHIPPED, *sorted(set(chosen.values()), key=str)]:
        cells = []
        for mode in MODES:
            levels = [_level(*outer[i, mode], config) for i in range(n)]
            cells.append(f"{_rate(levels, expected, 0)} / {_rate(levels, expected, 1)}")
        print(f"| {config} | {' | '.join(cells)} |")


def _nested(results, fold, expected, outer, configs, label: str) -> dict[int, tuple]:
    """Choose among ``configs`` on the inner folds of each outer fold; print the choices and the outer figures."""
    print(f"\nnested selection among {len(configs)} configurations: {label}")
    chosen = {}
    for k in range(FOLDS):
        inner = {}
        for j in (j for j in range(FOLDS) if j != k):
            inner.update(results[k, j])
        index = [i for i, f in enumerate(fold) if f != k]
        ranked = sorted(configs, key=lambda c: (-sum(_score(inner, index, expected, c)), str(c[3]), c[0], c[1], -c[2]))
        chosen[k] = ranked[0]
        base = _score(inner, index, expected, configs[0])
        best = _score(inner, index, expected, ranked[0])
        print(f"outer fold {k + 1}: chosen {ranked[0]} (inner exact, within one {best}; no register {base})")
    print("| measure | exact | within one | no register (exact / within one) |")
    print("|---|---:|---:|---|")
    for mode in MODES:
        nested = [_level(*outer[i, mode], chosen[fold[i]]) for i in range(len(expected))]
        plain = [_level(*outer[i, mode], configs[0]) for i in range(len(expected))]
        print(
            f"| {mode}, nested choice | {_rate(nested, expected, 0)} | {_rate(nested, expected, 1)} "
            f"| {_rate(plain, expected, 0)} / {_rate(plain, expected, 1)} |"
        )
    return chosen


def _rate(levels, expected, slack: int) -> str:
    return f"{sum(abs(a - b) <= slack for a, b in zip(levels, expected, strict=True)) / len(expected):.3f}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
