"""Word normalisation for matching: case, accents, gender markers, words and stemming.

Pure functions only. The matcher (skillmap.match) and everything that compares labels use these, so a
label and a query are always normalised the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Snowball algorithm per ISO 639-1 code (the ESCO languages that have one).
SNOWBALL_LANGUAGES: dict[str, str] = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hu": "hungarian", "it": "italian", "lt": "lithuanian", "nl": "dutch", "no": "norwegian",
    "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "tr": "turkish",
}  # fmt: skip
LIGHT_STEM_LENGTH = 6  # languages without a Snowball stemmer: keep a word's first letters (a light stemmer)

# "(m/w/d)", "(H/F)", "(f/m/x)": gender markers in job titles carry no meaning for matching.
_GENDER_MARKER = re.compile(r"\(\s*[mwfhdx]\s*(?:/\s*[mwfhdx]\s*){1,2}\)", re.IGNORECASE)
# "<ORGANIZATION>", "<br/>": placeholders and markup are not words of the text.
_PLACEHOLDER = re.compile(r"<[^<>\s]{1,40}>")
# A word: letters/digits, keeping the trailing "#"/"+" of names such as C#, C++, F#.
_WORD = re.compile(r"[^\W_]+(?:[#+]+(?![^\W_]))?")


def fold(text: str) -> str:
    """Case-fold and strip accents (``Électricien`` → ``electricien``); ``ł``/``ß`` are kept as letters."""
    if text.isascii():  # the common case, and much faster: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Return the case-folded words of ``text`` (accents kept, gender markers dropped), in order."""
    return _WORD.findall(_GENDER_MARKER.sub(" ", _PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", text))).casefold())


@lru_cache(maxsize=64)
def _stemmer(lang: str):  # -> object with stemWords(list[str]) -> list[str], or None
    algorithm = SNOWBALL_LANGUAGES.get(lang.split("-")[0].lower())
    if algorithm is None:
        return None
    try:  # PyStemmer (C) is much faster; snowballstemmer is the pure-Python fallback with the same output
        import Stemmer

        if algorithm in Stemmer.algorithms():
            return Stemmer.Stemmer(algorithm)
    except ImportError:  # pragma: no cover - both are dependencies
        pass
    import snowballstemmer

    if algorithm in snowballstemmer.algorithms():
        return snowballstemmer.stemmer(algorithm)
    return None  # e.g. Polish in older snowballstemmer releases


def stem_words(tokens: Sequence[str], lang: str) -> list[str]:
    """Stem case-folded ``tokens`` for ``lang`` and fold accents; without a stemmer, keep the first letters."""
    stemmer = _stemmer(lang)
    stems = stemmer.stemWords(list(tokens)) if stemmer else [token[:LIGHT_STEM_LENGTH] for token in tokens]
    return [fold(stem) for stem in stems]


def light_stem(token: str) -> str:
    """Fold a word and drop a plural ``s`` (``executives`` → ``executive``): closer to the word than a stem."""
    folded = fold(token)
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith(("ss", "us", "is")):
        return folded[:-1]
    return folded


def has_stemmer(lang: str) -> bool:
    """Tell whether ``lang`` has a real (Snowball) stemmer rather than the light prefix fallback."""
    return _stemmer(lang) is not None
