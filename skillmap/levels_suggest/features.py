"""Text → the word and character n-grams the learned level model reads (pure functions, no data files).

A text is folded (case, accents) and stripped of register boilerplate ("BLOC DE COMPETENCES N°1 fiche RNCP N° 1140")
so the model learns from what a qualification teaches, not how a register numbers its blocks.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from skillmap.text.normalise import fold

# register boilerplate: block numbers, RNCP codes and bare numbers say nothing about a level
_BOILERPLATE = re.compile(
    r"\bbloc\s+de\s+competences?\s*(?:n\s*[°o]?\s*)?\d*|\bfiche\s+(?:rncp\s*)?(?:n\s*[°o]?\s*)?\d+|\brncp\s*\d+|\d+",
)
_WORD = re.compile(r"[^\W\d_]+")
CHAR_NGRAMS = (3, 4, 5)  # lengths of the character n-grams, taken inside words padded with spaces
TITLE_PREFIX = "t:"  # title features are kept apart from outcome features: "Master" in a title is a strong signal


def clean(text: str) -> str:
    """Folded text without register boilerplate."""
    return _BOILERPLATE.sub(" ", fold(text or ""))


def text_words(text: str) -> list[str]:
    """The folded words of a text, register boilerplate removed."""
    return _WORD.findall(clean(text))


def ngrams(text: str, prefix: str = "") -> Counter[str]:
    """Counts of word unigrams, word bigrams and in-word character n-grams of ``text``."""
    tokens = text_words(text)
    counts: Counter[str] = Counter()
    counts.update(f"{prefix}w:{w}" for w in tokens)
    counts.update(f"{prefix}b:{a}_{b}" for a, b in itertools.pairwise(tokens))
    for word in tokens:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            counts.update(f"{prefix}c:{padded[i : i + n]}" for i in range(max(len(padded) - n + 1, 0)))
    return counts


def document_features(title: str, outcomes: str) -> Counter[str]:
    """The features of one qualification: its outcome n-grams, and its title's n-grams under their own prefix."""
    counts = ngrams(outcomes)
    if title:
        counts.update(ngrams(title, TITLE_PREFIX))
    return counts
