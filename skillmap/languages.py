"""Languages: one parser for every ``lang`` / ``--lang`` value, and a light detector of a text's language."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from skillmap.errors import SkillmapError

if TYPE_CHECKING:
    import numpy as np


def parse_languages(values: str | Iterable[str] | None) -> list[str] | None:
    """Normalise language codes: ``"EN"``, ``["en,fr", "de"]`` → ``["en", "fr", "de"]``; nothing → ``None``.

    Codes are lower-cased and de-duplicated in first-seen order; a region suffix is kept (``en-us``,
    ESCO's American English). A value that is not an ISO 639-1 style code raises :class:`SkillmapError`.
    """
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    langs: list[str] = []
    for value in values:
        for part in str(value).replace(";", ",").split(","):
            code = part.strip().lower().replace("_", "-")
            if not code:
                continue
            base, _, region = code.partition("-")
            if not (base.isalpha() and 2 <= len(base) <= 3 and (not region or region.isalnum())):
                raise SkillmapError(f"'{part.strip()}' is not a language code; use ISO 639-1 codes such as en, fr, de")
            langs.append(code)
    return list(dict.fromkeys(langs)) or None


# --- language detection --------------------------------------------------------------------------------

PROFILE_FILE = "profiles.tsv"
WORD_WEIGHT = 3.0
ENDING_WEIGHT = 1.0
NGRAM_WEIGHT = 0.5
LETTER_WEIGHT = 3.0  # divided by the number of languages the letter is typical of
SCRIPT_WEIGHT = 4.0
MIN_SCORE = 2.0  # below this nothing is said (a short title with no telling word or letter)
MIN_MARGIN = 1.0  # the best language must lead the second by this much
# To say a text is in a language the index has no labels in, that language must lead the best index language by
# this much: England's 8,092 English titles lead by at most 3.0 where another language comes first ("AAT … Award in
# Bookkeeping" looked Dutch, "… Women's Hairdressing" Slovenian: 55 rows flagged); German, French, Spanish titles
# lead by 3.5–9.7 ("Kaufmann im Einzelhandel" 3.5, "Vendeur conseil en magasin" 4.0, outcome sentences 9+).
LABEL_MARGIN = 3.5


@dataclass(frozen=True)
class LanguageProfile:
    """The cues of one language (see ``data/languages/profiles.tsv``)."""

    code: str
    name: str
    words: frozenset[str]
    endings: tuple[str, ...]  # longest first
    ngrams: tuple[str, ...]
    letters: frozenset[str]
    script: str = "latin"


@lru_cache(maxsize=1)
def language_profiles() -> dict[str, LanguageProfile]:
    """Read ``data/languages/profiles.tsv`` (code → profile)."""
    from skillmap.fileio import bundled_data_dir

    fields: dict[str, dict[str, list[str]]] = {}
    text = (bundled_data_dir() / "languages" / PROFILE_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, kind, values = line.split("\t")
        fields.setdefault(code, {})[kind] = values.split(" ") if kind != "name" else [values]
    return {
        code: LanguageProfile(
            code=code,
            name=f.get("name", [code])[0],
            words=frozenset(f.get("words", ())),
            endings=tuple(sorted(f.get("endings", ()), key=len, reverse=True)),
            ngrams=tuple(f.get("ngrams", ())),
            letters=frozenset(f.get("letters", ())),
            script=f.get("script", ["latin"])[0],
        )
        for code, f in sorted(fields.items())
    }


@lru_cache(maxsize=1)
def _letter_rarity() -> dict[str, float]:
    """1 / the number of profiled languages a letter is typical of (ñ: 1, ä: 1/5)."""
    counts: dict[str, int] = {}
    for profile in language_profiles().values():
        for letter in profile.letters:
            counts[letter] = counts.get(letter, 0) + 1
    return {letter: 1.0 / n for letter, n in counts.items()}


def language_name(code: str | None) -> str:
    """English name of a language code ("de" → "German"); the code itself when unknown."""
    if not code:
        return "unknown"
    profile = language_profiles().get(code.split("-")[0])
    return profile.name if profile else code


def _script(ch: str) -> str:
    point = ord(ch)
    if 0x0370 <= point <= 0x03FF or 0x1F00 <= point <= 0x1FFF:
        return "greek"
    if 0x0400 <= point <= 0x04FF:
        return "cyrillic"
    return "latin" if ch.isascii() or point < 0x0250 or 0x1E00 <= point <= 0x1EFF else "other"


_script_of = lru_cache(maxsize=10_000)(_script)  # each character's script once


def language_scores(text: str) -> dict[str, float]:
    """Score of every profiled language for ``text`` (higher: more cues of that language)."""
    lowered = text.lower()
    tokens = re.findall(r"[^\W\d_]+", lowered)
    letters = set("".join(tokens))
    scripts: dict[str, int] = {}
    for ch in "".join(tokens):
        script = _script_of(ch)
        scripts[script] = scripts.get(script, 0) + 1
    scores: dict[str, float] = {}
    rarity = _letter_rarity()
    profiles = language_profiles()
    # per language: its frequent words, words with one of its endings, its letter groups in the text
    if tokens:
        import numpy as np  # (here: `skillmap level` and the other commands without matching never load numpy)

        counts = np.sum([_token_cues(token) for token in tokens], axis=0).tolist()
    else:
        counts = [[0, 0, 0] for _ in profiles]
    for (code, profile), (n_words, n_endings, n_ngrams) in zip(profiles.items(), counts, strict=True):
        score = SCRIPT_WEIGHT * min(scripts.get(profile.script, 0), 3) if profile.script != "latin" else 0.0
        if profile.script == "latin" and scripts.get("latin", 0) == 0:
            scores[code] = 0.0
            continue
        score += WORD_WEIGHT * n_words
        score += ENDING_WEIGHT * n_endings
        score += NGRAM_WEIGHT * n_ngrams
        score += LETTER_WEIGHT * sum(rarity[letter] for letter in letters & profile.letters)
        scores[code] = score
    return scores


@lru_cache(maxsize=100_000)
def _token_cues(token: str) -> np.ndarray:
    """Per profiled language (in :func:`language_profiles` order): is ``token`` one of its frequent words, does it
    have one of its endings, how many of its letter groups it holds. Registers repeat their words, so each is looked
    at once (7,000 titles and outcomes of benchmarks/bench_align.py: 9.8 s of CPU before, 2.2 s)."""
    import numpy as np

    cues = np.array(
        [
            (
                int(token in profile.words),
                int(any(token.endswith(e) and len(token) > len(e) + 1 for e in profile.endings)),
                sum(token.count(g) for g in profile.ngrams),
            )
            for profile in language_profiles().values()
        ],
        dtype=np.int64,
    )
    cues.flags.writeable = False  # shared by every text with this word
    return cues


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` looks written in, or None when the cues are too thin.

    A light detector driven by ``data/languages/profiles.tsv`` (frequent words, word endings, letter groups,
    letters and scripts of the EU's official languages and a few more); good for sentences and most titles,
    silent (None) for a title with no telling word or letter. Case does not matter.
    """
    if not text or not text.strip():
        return None
    scores = language_scores(text[:2000])
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked:
        return None
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < MIN_SCORE or score - second < MIN_MARGIN:
        return None
    return best


def language_without_labels(text: str, label_langs: Iterable[str]) -> str:
    """A short note when ``text`` looks written in a language that none of ``label_langs`` is ("text looks German
    (de); the index has en labels"); "" when its language is one of them or cannot be told."""
    lang = detect_language(text)
    bases = sorted({code.split("-")[0] for code in label_langs})
    if lang is None or not bases or lang in bases:
        return ""
    scores = language_scores(text[:2000])
    if scores[lang] - max(scores.get(base, 0.0) for base in bases) < LABEL_MARGIN:
        return ""  # an English title with a Dutch-looking word ("Bookkeeping") is still English
    return f"text looks {language_name(lang)} ({lang}); the index has {', '.join(bases)} labels"
