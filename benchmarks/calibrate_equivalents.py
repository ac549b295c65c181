"""Calibration of the equivalence score of ``lookup --to`` on known pairs of two real registers.

A known pair is an equivalence the register itself states:

- France's RNCP 2021 open data (``fr_rncp_2021/rncp_info.csv``): a fiche and its successor or predecessor
  (``NouvelleFiche`` / ``AncienneFiche``: the same certification renewed, often retitled or relevelled), or another
  fiche with the same title (a "fiche nationale" and the local fiches of one diploma);
- England's funding list (``uk_dfe/approved.csv``): qualifications whose titles are the same once the awarding body
  in front of "Level …" / "Entry …" is left out ("NCFE Level 2 Certificate in X" / "Pearson Level 2 Certificate in
  X": one qualification offered by several awarding bodies).

Sources are the records with at least one known pair, split in two halves by the md5 of their code. For each, the
20 candidates with the most content evidence (``weigh_candidates`` in its own country, the source left out) are
labelled right (a known pair) or not. A logistic model of "right" on the content evidence and the level agreement
is fitted on one half; the other half checks it: per band of the calibrated score, the share of candidates that
were right. Unlabelled candidates can also be comparable, so the shares are a lower bound.

Prints markdown tables (for the README); ``--write`` stores the coefficients in
``data/registers/equivalence_calibration.csv``. Needs ../shared; skips with a message when it is missing.
Run: .venv/bin/python benchmarks/calibrate_equivalents.py [--write] [--per-register 400]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
RNCP = SHARED / "registers" / "fr_rncp_2021" / "rncp_info.csv"
DFE = SHARED / "registers" / "uk_dfe" / "approved.csv"
OUT = REPO / "data" / "registers" / "equivalence_calibration.csv"
CANDIDATES = 20
BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
_BODY = re.compile(r"^.*?\b(?=(level|entry)\b)", re.IGNORECASE)


def _half(code: str) -> int:
    return int(hashlib.md5(code.encode()).hexdigest(), 16) % 2


def known_pairs(records: list) -> dict[str, set[str]]:  # type: ignore[type-arg]
    """Code → the codes of its known pairs (successors, predecessors, the same title; DfE: without the body)."""
    from skillmap.text.titles import normalise_title

    by_title: dict[str, set[str]] = {}
    keys: dict[str, str] = {}
    for r in records:
        title = _BODY.sub("", r.title) if r.register == "dfe" else r.title
        keys[r.code] = normalise_title(title)
        by_title.setdefault(keys[r.code], set()).add(r.code)
    pairs: dict[str, set[str]] = {}
    for r in records:
        linked = {c for field in ("successors", "predecessors") for c in r.extra.get(field, "").split(" | ") if c}
        same = by_title[keys[r.code]] - {r.code}
        known = (linked | same) - {r.code}
        if known:
            pairs[r.code] = known
    return pairs


def collect(store, per_register: int) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """The top candidates of every sampled source: half, source code, register, evidence parts, right, old score."""
    from skillmap.registers.equivalents import weigh_candidates

    rows = []
    for register, country in (("rncp", "FR"), ("dfe", "GB-ENG")):
        records = [r for r in store.records_in([country]) if r.register == register]
        codes = {r.code for r in records}
        pairs = {c: p & codes for c, p in known_pairs(records).items() if p & codes}
        sources = sorted((r for r in records if r.code in pairs), key=lambda r: hashlib.md5(r.code.encode()).digest())
        for source in sources[:per_register]:
            found = weigh_candidates(store, source, to_country=country, pool=CANDIDATES)
            found.sort(key=lambda e: (-e.parts.content, e.record.code))
            for candidate in found[:CANDIDATES]:
                parts = candidate.parts
                rows.append({
                    "half": _half(source.code), "source": source.code, "register": register,
                    "content": parts.content, "title": parts.title, "mean": parts.mean,
                    "gap": parts.level_gap, "relation": parts.level_relation,
                    "right": candidate.record.code in pairs[source.code], "old": _old_score(candidate),
                })  # fmt: skip
    return rows


def _old_score(candidate) -> float:  # type: ignore[no-untyped-def]
    """The score before calibration (level bands, content within): for the before/after top-1 comparison."""
    gap, content = candidate.parts.level_gap, candidate.parts.content
    if gap == 0:
        return 0.5 + 0.5 * content
    if gap == 1:
        return 0.25 + 0.25 * content
    return 0.2 * content if gap is None else 0.1 * content


IDENTICAL = 0.999  # content from here: an identical title (or every skill shared)
KNOTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, IDENTICAL, 1.0001)  # content bands
LEVELS = ("same", "different", "unknown")


def isotonic_points(rows: list[dict]) -> list[tuple[float, float]]:  # type: ignore[type-arg]
    """(mean content, share right) per content band, made non-decreasing by pool-adjacent-violators."""
    blocks = []
    for low, high in itertools.pairwise(KNOTS):
        band = [r for r in rows if low <= r["content"] < high]
        if band:
            blocks.append(
                [sum(r["content"] for r in band) / len(band), float(sum(r["right"] for r in band)), len(band)]
            )
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and merged[-2][1] / merged[-2][2] >= merged[-1][1] / merged[-1][2]:
            last, first = merged.pop(), merged.pop()
            n = first[2] + last[2]
            merged.append([(first[0] * first[2] + last[0] * last[2]) / n, first[1] + last[1], n])
    points = [(x, hits / n) for x, hits, n in merged]
    if len(points) > 1 and points[-1][0] >= IDENTICAL > points[-2][0]:  # a step, not a slope, to an identical title
        points.insert(-1, (IDENTICAL, points[-2][1]))
    return points


def top1(rows: list[dict], score_of) -> tuple[float, int]:  # type: ignore[no-untyped-def,type-arg]
    """Share of sources whose best candidate (by ``score_of``) is a known pair."""
    best: dict[str, tuple[float, bool]] = {}
    for row in rows:
        score = score_of(row)
        if row["source"] not in best or score > best[row["source"]][0]:
            best[row["source"]] = (score, row["right"])
    return sum(right for _, right in best.values()) / len(best), len(best)


def report(rows: list[dict], *, write: bool, seconds: float) -> None:  # type: ignore[type-arg]
    """Fit on one half, check on the other, print the tables; with ``write``, store the points."""
    from skillmap.registers.equivalents import calibrated_score, level_agreement

    for row in rows:
        row["level"] = level_agreement(row["relation"], row["gap"])
    train = [r for r in rows if r["half"] == 0]
    held = [r for r in rows if r["half"] == 1]
    points = {level: isotonic_points([r for r in train if r["level"] == level]) for level in LEVELS}
    identical = [r for r in train if r["content"] >= IDENTICAL]
    borrowed = min(sum(r["right"] for r in identical) / len(identical), points["same"][-1][1])
    borrowed_for = []
    for level, found in points.items():
        if found and found[-1][0] < IDENTICAL:
            borrowed_for.append(level)  # no identical title measured at this level agreement: borrowed
            found += [(IDENTICAL, found[-1][1]), (1.0, max(borrowed, found[-1][1]))]
            print(
                f"{level}: no identical content measured; 1.0 → {borrowed:.2f} (all levels, at most the same level's)"
            )
    points = {level: found for level, found in points.items() if found}

    def score(row: dict) -> float:  # type: ignore[type-arg]
        found = points.get(row["level"]) or points["same"]
        return calibrated_score(row["content"], found)

    sources = len({r["source"] for r in held})
    print(f"\n### Equivalence score: held-out check ({len(held):,} candidates of {sources:,} sources)\n")
    print("| calibrated score | candidates | mean score | share right (known pair) |")
    print("|---|---:|---:|---:|")
    for low, high in itertools.pairwise(BANDS):
        band = [r for r in held if low <= score(r) < high]
        if band:
            mean = sum(score(r) for r in band) / len(band)
            share = sum(r["right"] for r in band) / len(band)
            print(f"| {low:.1f}–{min(high, 1.0):.1f} | {len(band):,} | {mean:.2f} | {share:.1%} |")
    new, n = top1(held, score)
    old, _ = top1(held, lambda r: r["old"])
    print(f"\nheld-out top-1 is a known pair: {new:.1%} calibrated, {old:.1%} before ({n:,} sources)")
    for level, found in points.items():
        print(f"{level}: " + ", ".join(f"{x:.2f} → {y:.2f}" for x, y in found))
    trained = len({r["source"] for r in train})
    print(f"fitted on {len(train):,} candidates of {trained:,} sources; {seconds:.0f} s")
    if write:
        lines = [
            "# The equivalence score of `lookup --to` (skillmap/registers/equivalents.py), written by",
            "# benchmarks/calibrate_equivalents.py: for each level agreement (same EQF level, different, unknown),",
            "# the share of candidates that were a known equivalent at each content evidence (0-1; 1 = an identical",
            "# title), non-decreasing, linear in between. Known pairs of the RNCP 2021 and England DfE registers",
            f"# (successors, the same title; {len(train):,} candidates of {trained:,} sources). Held-out half",
            f"# ({n:,} sources): top-1 is a known pair for {new:.1%} ({old:.1%} with the uncalibrated score).",
            *(
                f"# {level}: no identical content was measured; its 1.0 point is borrowed (all levels, capped at the "
                "same level's)"
                for level in borrowed_for
            ),
            "level,content,score",
            *(f"{level},{x:.4f},{y:.4f}" for level, found in points.items() for x, y in found),
        ]
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


def load_rows(path: Path | None, per_register: int) -> list[dict]:  # type: ignore[type-arg]
    """The labelled candidates: collected from the two registers, or read from ``path`` when a run saved them."""
    if path is not None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    from skillmap.registers import import_register
    from skillmap.registers.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "registers.sqlite"
        import_register(RNCP, name="rncp", store_path=store_path)
        import_register(DFE, name="dfe", store_path=store_path)
        with open_store(store_path) as store:
            rows = collect(store, per_register)
    if path is not None:
        path.write_text(json.dumps(rows), encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the model in " + str(OUT.relative_to(REPO)))
    parser.add_argument("--per-register", type=int, default=200, help="sources per register (both halves)")
    parser.add_argument("--rows", type=Path, help="keep the labelled candidates in this JSON file (re-fit quickly)")
    args = parser.parse_args()
    if not (SHARED / "README.md").is_file():
        print(f"skipped: reference data not found at {SHARED} (expected ../shared next to the repository)")
        return
    sys.path.insert(0, str(REPO))
    started = time.perf_counter()
    rows = load_rows(args.rows, args.per_register)
    report(rows, write=args.write, seconds=time.perf_counter() - started)


if __name__ == "__main__":
    main()
