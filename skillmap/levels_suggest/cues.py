"""EQF descriptor cue phrases (data/levels_suggest/cues.csv) and qualification-type title words (title_words.csv).

A cue is a folded phrase that pulls a suggestion towards a range of EQF levels ("under supervision" → 2–3,
"strategic" → 7–8). Matching works on folded words, so accents and case do not matter; a trailing ``*`` in a
phrase matches any word ending.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from skillmap.fileio import bundled_data_dir
from skillmap.levels_suggest.features import text_words


@dataclass(frozen=True)
class Cue:
    """A phrase in one language and the EQF levels it pulls towards."""

    lang: str
    phrase: str
    low: int
    high: int
    kind: str
    pattern: re.Pattern[str]
    literal: str  # the phrase's longest word without its "*": a text without it cannot match the cue


@dataclass(frozen=True)
class CueHit:
    """A cue found in a text: the cue and the words of the text it matched."""

    cue: Cue
    matched: str


def _pattern(phrase: str) -> re.Pattern[str]:
    parts = []
    for word in phrase.split():
        parts.append(re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word))
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def _read(name: str, kind: str | None) -> tuple[Cue, ...]:
    path = bundled_data_dir() / "levels_suggest" / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(line for line in handle if not line.startswith("#"))]
    header, body = rows[0], rows[1:]
    cues = []
    for values in body:
        row = dict(zip(header, values, strict=False))
        cues.append(
            Cue(
                lang=row["lang"],
                phrase=row["phrase"],
                low=int(row["low"]),
                high=int(row["high"]),
                kind=kind or row["kind"],
                pattern=_pattern(row["phrase"]),
                literal=max((word.rstrip("*") for word in row["phrase"].split()), key=len),
            )
        )
    return tuple(cues)


@lru_cache(maxsize=1)
def outcome_cues() -> tuple[Cue, ...]:
    """The EQF descriptor cues, in file order."""
    return _read("cues.csv", None)


@lru_cache(maxsize=1)
def title_cues() -> tuple[Cue, ...]:
    """The qualification-type title words, in file order."""
    return _read("title_words.csv", "qualification type")


def cue_languages() -> frozenset[str]:
    """The languages that have cue data."""
    return frozenset(c.lang for c in outcome_cues())


def find_cues(text: str, cues: tuple[Cue, ...]) -> list[CueHit]:
    """Every distinct cue found in ``text`` (folded words), in text order; where two overlap the longer one counts,
    and a cue found several times counts once."""
    folded = " ".join(text_words(text))
    hits: list[tuple[int, int, Cue, str]] = []
    for cue in cues:
        if cue.literal not in folded:  # a substring test is ~50x cheaper than the regex scan it saves
            continue
        for match in cue.pattern.finditer(folded):
            hits.append((match.start(), match.end(), cue, match.group(0)))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0]), h[2].lang, h[2].phrase))
    kept: list[CueHit] = []
    taken_until = -1
    seen: set[tuple[str, str]] = set()
    for start, end, cue, matched in hits:
        if start < taken_until:
            continue  # inside a longer phrase already counted, or the same words in another language's cue
        taken_until = end
        if (cue.phrase, matched) in seen:
            continue
        seen.add((cue.phrase, matched))
        kept.append(CueHit(cue, matched))
    return kept
