"""Occupation titles: what a matcher reads of a job or occupation title before ranking occupations.

Classifications and job ads write titles in ways that occupation labels never are: a clause naming what the
title does *not* cover ("Architects, Except Landscape and Naval", "(EXCEPTO PESCA)"), and the plural of a group
name ("Civil Engineers") where a label names one worker ("civil engineer"). :func:`occupation_title_for_matching`
drops the first and, within a language, puts the second in the singular. The words and endings are data:
``data/occupations/title_words.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows

MIN_STEM_LETTERS = 3  # a plural ending is removed only when at least this many letters stay before it
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class OccupationTitleWords:
    """Per language: the words that open an exclusion clause, the plural endings (with their singular, in the
    order they are tried) and the words that end like a plural but are not one."""

    exclusions: dict[str, tuple[str, ...]]
    plurals: dict[str, tuple[tuple[str, str], ...]]
    singulars: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def occupation_title_words() -> OccupationTitleWords:
    """Load ``data/occupations/title_words.csv``."""
    exclusions: dict[str, list[str]] = {}
    plurals: dict[str, list[tuple[str, str]]] = {}
    singulars: dict[str, set[str]] = {}
    for row in read_data_rows(bundled_data_dir() / "occupations" / "title_words.csv"):
        lang, word = row["lang"].strip(), row["word"].strip().casefold()
        if row["kind"] == "exclusion":
            exclusions.setdefault(lang, []).append(word)
        elif row["kind"] == "plural":
            plurals.setdefault(lang, []).append((word, (row["replacement"] or "").strip().casefold()))
        elif row["kind"] == "singular":
            singulars.setdefault(lang, set()).add(word)
    return OccupationTitleWords(
        {lang: tuple(found) for lang, found in exclusions.items()},
        {lang: tuple(found) for lang, found in plurals.items()},
        {lang: frozenset(found) for lang, found in singulars.items()},
    )


@lru_cache(maxsize=64)
def _exclusion_patterns(lang: str | None) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """(a bracket holding an exclusion word, an exclusion clause up to the next comma or semicolon) for ``lang``
    (every language's words when it is unknown); None when the language has none."""
    table = occupation_title_words().exclusions
    found = table.get(lang, ()) if lang else tuple(w for words in table.values() for w in words)
    if not found:
        return None
    longest_first = sorted(set(found), key=len, reverse=True)
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in longest_first)
    bracket = re.compile(rf"\([^()]*\b(?:{alternatives})\b[^()]*\)", re.IGNORECASE)
    clause = re.compile(rf"[,;]?\s*\b(?:{alternatives})\b[^,;()]*", re.IGNORECASE)
    return bracket, clause


def drop_exclusions(title: str, lang: str | None = None) -> str:
    """Drop the clauses of ``title`` that name what it excludes (``"Architects, Except Landscape and Naval"`` →
    ``"Architects"``; ``"… (farmaci esclusi)"`` → ``"…"``): their words name other occupations. ``lang`` chooses
    the words (all languages' when None). The title is kept as it is when nothing would be left."""
    patterns = _exclusion_patterns(lang)
    if patterns is None:
        return title
    bracket, clause = patterns
    kept = re.sub(r"\s{2,}", " ", clause.sub("", bracket.sub(" ", title))).strip(" ,;")
    return kept if len(kept) >= 3 else title


def singular_title(title: str, lang: str) -> str:
    """Put every word of ``title`` that ends like a plural of ``lang`` in the singular (``"Civil Engineers"`` →
    ``"Civil Engineer"``, ``"Secretaries"`` → ``"Secretary"``), keeping its case; unchanged for a language without
    plural endings in the data."""
    words = occupation_title_words()
    endings = words.plurals.get(lang)
    if not endings:
        return title
    keep = words.singulars.get(lang, frozenset())

    def singular(match: re.Match[str]) -> str:
        word = match.group(0)
        folded = word.casefold()
        if folded in keep:
            return word
        for ending, replacement in endings:
            if folded.endswith(ending):
                if len(folded) - len(ending) < MIN_STEM_LETTERS or ending == replacement:
                    return word
                stem = word[: len(word) - len(ending)]
                return stem + (replacement.upper() if word.isupper() else replacement)
        return word

    return _WORD.sub(singular, title)


def lower_case_title(title: str) -> str:
    """Lower-case the capitalised words of a title (``"Civil Engineers, ICT"`` → ``"civil engineers, ICT"``):
    the capitals of sentence case and Title Case are typography, and occupation labels are written in lower case.
    Words with a capital inside (acronyms such as ``ICT``, names such as ``McDonald``) are kept."""
    return _WORD.sub(
        lambda m: m.group(0).lower() if m.group(0)[0].isupper() and m.group(0)[1:].islower() else m.group(0), title
    )


def occupation_title_for_matching(title: str, lang: str | None, *, same_language: bool) -> str:
    """The text a matcher reads for an occupation title: exclusion clauses dropped (:func:`drop_exclusions`),
    capitalised words in lower case (:func:`lower_case_title`; the semantic model is case-sensitive and would
    otherwise favour the capitalised ISCO group names by their case alone) and, when the title is matched against
    labels of its own language ``lang`` (``same_language``), its words in the singular (:func:`singular_title`;
    across languages the model reads the title's number as written)."""
    text = drop_exclusions(title, lang)
    if same_language and lang:
        text = singular_title(text, lang)
    return lower_case_title(text)
