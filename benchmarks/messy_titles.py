"""Build a messy-title → code evaluation set from the England DfE list, at run time (nothing is committed).

Each query is a real register title written the way it reaches a recognition officer: upper case, awarding body
or level left out, "(RQF)" and punctuation gone, a typo, words in another order, or several of these at once.

    python benchmarks/messy_titles.py ../shared/registers/uk_dfe/approved.csv OUT.csv [--n 600] [--seed 7]

writes ``query,code,title,kind`` (``lookup --batch OUT.csv --query-col query`` reads it).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from pathlib import Path

KINDS = ("upper", "no_body", "no_level", "no_punctuation", "typo", "word_order", "combined")
_LEVEL = re.compile(r"\b(?:Entry\s+Level(?:\s+\d)?|Entry\s+\d|Level\s+\d(?:/\d)?)\b", re.IGNORECASE)


def read_england_list(path: Path) -> list[tuple[str, str, str]]:
    """(code, title, awarding organisation) for every row of approved.csv, in file order."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            (
                row["QualificationNumber"].strip(),
                " ".join(row["QualificationName"].split()),
                row["AwardingOrganisation"],
            )
            for row in csv.DictReader(handle)
        ]


def _no_body(title: str) -> str:
    """Drop the awarding-body brand the DfE titles start with ("City & Guilds Level 3 …" → "Level 3 …")."""
    found = _LEVEL.search(title)
    # Only a brand in front of the level ("City & Guilds Level 3 …"), not a level at the end ("… (Level 3)").
    if found and 0 < found.start() < len(title) / 2 and title[found.start() - 1] != "(":
        return title[found.start() :]
    return title


def _no_level(title: str) -> str:
    return " ".join(_LEVEL.sub(" ", title).split())


def _no_punctuation(title: str) -> str:
    text = title.replace("(RQF)", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text).lower().split())


def _typo(title: str, rng: random.Random) -> str:
    words = title.split()
    longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
    word = words[longest]
    if len(word) >= 5:
        i = rng.randrange(1, len(word) - 2)
        words[longest] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def _word_order(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) > 3:
        cut = rng.randrange(1, len(words) - 1)
        words = words[cut:] + words[:cut]
    return " ".join(words)


def messy(title: str, kind: str, rng: random.Random) -> str:
    """Apply one kind of mess to a title."""
    if kind == "upper":
        return title.upper()
    if kind == "no_body":
        return _no_body(title)
    if kind == "no_level":
        return _no_level(title)
    if kind == "no_punctuation":
        return _no_punctuation(title)
    if kind == "typo":
        return _typo(title, rng)
    if kind == "word_order":
        return _word_order(title, rng)
    return _no_punctuation(_no_body(title)).upper()  # combined


def build_messy_titles(path: Path, n: int = 600, seed: int = 7) -> list[dict[str, str]]:
    """``n`` (query, code, title, kind) rows from a seeded sample of the England list, kinds in rotation."""
    rows = read_england_list(path)
    rng = random.Random(seed)
    sample = rng.sample(rows, min(n, len(rows)))
    out = []
    for i, (code, title, _body) in enumerate(sample):
        kind = KINDS[i % len(KINDS)]
        out.append({"query": messy(title, kind, rng), "code": code, "title": title, "kind": kind})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("england_list", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = build_messy_titles(args.england_list, args.n, args.seed)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["query", "code", "title", "kind"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
