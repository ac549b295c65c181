"""Calibration of align's review thresholds on the dev gold sets: what share of top-1 matches above a score is right.

Two kinds of text reach the matcher in ``align``:

- learning-outcome statements → skills: measured on the Decorte TECH/HOUSE and SkillSkape dev sets (sentences, ESCO
  skills) — this calibrates ``--confident-score`` (``DEFAULT_CONFIDENT_SCORE``);
- a title alone → occupations and skills: measured on MELO usa-en-en (job titles → ESCO occupations; golds that are
  ISCO groups are left out) — this calibrates the near-exact score above which a row whose skills come from its title
  alone is not sent to review (``TITLE_ONLY_NEAR_EXACT`` in ``skillmap/align/review.py``).

Prints markdown tables (for the README). Needs ../shared; skips with a message when it is missing.
Run: .venv/bin/python benchmarks/calibrate_review.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"
ESCO_EN_ZIP = SHARED / "esco" / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
STATEMENT_SETS = ("decorte-tech-validation", "decorte-house-validation", "skillskape-dev")
TITLE_SETS = ("melo-usa-en-en",)
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.93, 0.94, 0.95, 0.97)
TARGET_SHARE = 0.9  # a near-exact title match is right at least this often


def gold_rows(name: str, kind: str) -> list[tuple[str, set[str]]]:
    """(text, gold URIs of ``kind``) of one gold set; rows without such a gold are left out."""
    with (EVAL / f"{name}.gold.csv").open(encoding="utf-8", newline="") as f:
        rows = [
            (row["text"], {u for u in row["expected"].split(" | ") if f"/esco/{kind}/" in u})
            for row in csv.DictReader(f)
        ]
    return [(text, gold) for text, gold in rows if gold]


def top1_outcomes(index: object, rows: list[tuple[str, set[str]]], kind: str) -> list[tuple[float, bool]]:
    """(top-1 score, whether the top-1 concept is a gold one) per row; a row without a hit scores 0."""
    found = index.search_many([text for text, _ in rows], kind=kind, top=1)  # type: ignore[attr-defined]
    return [
        (hits[0].score, hits[0].uri in gold) if hits else (0.0, False)
        for hits, (_, gold) in zip(found, rows, strict=True)
    ]


def share_table(title: str, outcomes: list[tuple[float, bool]]) -> dict[float, tuple[int, float]]:
    """Print and return {threshold: (rows at or above it, share of them right)}."""
    print(f"\n### {title} ({len(outcomes):,} rows)\n")
    print("| top-1 score ≥ | rows | share of them right |")
    print("|---:|---:|---:|")
    table = {}
    for threshold in THRESHOLDS:
        above = [right for score, right in outcomes if score >= threshold]
        share = sum(above) / len(above) if above else float("nan")
        table[threshold] = (len(above), share)
        print(f"| {threshold:.2f} | {len(above):,} | {share:.1%} |")
    return table


def main() -> None:
    if not (SHARED / "README.md").is_file():
        print(f"skipped: reference data not found at {SHARED} (expected ../shared next to the repository)")
        return
    sys.path.insert(0, str(REPO))
    from skillmap.align.review import TITLE_ONLY_NEAR_EXACT
    from skillmap.align.rows import DEFAULT_CONFIDENT_SCORE
    from skillmap.match import ConceptIndex
    from skillmap.sources.esco_csv import read_esco_csv

    index = ConceptIndex.build(read_esco_csv([ESCO_EN_ZIP]))
    statements = [o for name in STATEMENT_SETS for o in top1_outcomes(index, gold_rows(name, "skill"), "skill")]
    statement_table = share_table("Statements → skills (Decorte TECH + HOUSE, SkillSkape dev)", statements)
    titles = [o for name in TITLE_SETS for o in top1_outcomes(index, gold_rows(name, "occupation"), "occupation")]
    title_table = share_table("Titles alone → occupations (MELO usa-en-en, ESCO occupation golds)", titles)
    statement_share = statement_table.get(DEFAULT_CONFIDENT_SCORE, (0, 0.0))[1]
    reached = [t for t, (n, share) in title_table.items() if n and share >= TARGET_SHARE]
    print(
        f"\nconfident score {DEFAULT_CONFIDENT_SCORE:.2f}: {statement_share:.0%} "
        f"of statement rows at or above it right; title-only near-exact score {TITLE_ONLY_NEAR_EXACT:.2f} "
        f"(lowest threshold with ≥ {TARGET_SHARE:.0%} right: {min(reached) if reached else 'none'})"
    )


if __name__ == "__main__":
    main()
