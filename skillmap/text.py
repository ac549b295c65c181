"""Text normalisation for matching: case, accents, gender forms, tokens, stemming, statement splitting.

Pure functions only. The matcher (skillmap.match) and everything that compares labels use these, so a
label and a query are always normalised the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
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


# --- statement splitting ----------------------------------------------------------------------------------

# A list marker at the start of a line or statement: "•", "-", "*", "1.", "2)", "a)", "A1C1.", "LO3:".
_LIST_MARKER = re.compile(
    r"^\s*(?:[-–—•·▪◦*+>]+|\(?\d{1,3}[.)](?!\d)|\(?[a-zA-Z][.)](?=\s)|[A-Z]{1,4}\d{1,3}(?:[A-Z]{1,4}\d{1,3})*[.:)])\s*"
)
# Common abbreviations whose final period does not end a sentence, matched as whole words ("book." is not "ok.").
_ABBREVIATIONS = (
    "e.g", "i.e", "etc", "incl", "approx", "cf", "vs", "no", "nr", "art", "fig", "vol", "mr", "mrs", "dr", "prof",
    "min", "max", "ca", "bzw", "ggf", "gem", "inkl", "usw", "vgl", "evtl", "sog", "bspw", "abs", "d.h", "u.a",
    "z.b", "ex", "env", "ej", "aprox", "núm", "ecc", "np", "ok", "tzw", "itd", "itp", "tj", "m.in",
)  # fmt: skip
# The word before the period is an abbreviation above or a single letter ("z. B.", "p. ex.", "J. Smith").
_ABBREVIATION_END = re.compile(
    r"(?:^|[\s(\[/])(?:" + "|".join(re.escape(a) for a in _ABBREVIATIONS) + r"|[^\W\d_])\.$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÀ-ÖØ-ÞĀ-ſ\d])")
_HYPHENATED_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n[ \t]*(?=([^\W\d_]))")
_HARD_BREAK = re.compile(r"\s*(?:;|\n|\r|\u2022|\t)\s*")
# An inline numbered item: "... tools. 2. Install ..." or "A1C2. Install" after other text.
_INLINE_ITEM = re.compile(r"(?<=\s)(?=(?:\d{1,3}[.)]|[A-Z]{1,4}\d{1,3}(?:[A-Z]{1,4}\d{1,3})*[.:)])\s+\w)")


def split_statements(text: str) -> list[str]:
    """Split a paragraph of learning outcomes into statements, never inside a word.

    Breaks at line breaks, semicolons, bullets, numbered items (``1.``, ``a)``, ``A1C1.``) and sentence ends;
    list markers are removed. A text without such breaks comes back as one statement. Empty parts are dropped.
    """
    # a word hyphenated across a line break (text copied from a PDF) is one word: "instal-\nlation" → "installation",
    # "PV-\nAnlagen" keeps its hyphen before a capital
    text = _HYPHENATED_BREAK.sub(lambda found: "" if found.group(1).islower() else "-", text)
    statements: list[str] = []
    for part in _HARD_BREAK.split(text):
        for item in _INLINE_ITEM.split(part):
            for sentence in _split_sentences(item):
                cleaned = _LIST_MARKER.sub("", sentence, count=1).strip(" \t,.:")
                if any(ch.isalnum() for ch in cleaned):
                    statements.append(cleaned)
    return statements


def _split_sentences(text: str) -> Iterable[str]:
    start = 0
    for found in _SENTENCE_END.finditer(text):
        before = text[start : found.start()]
        if _ABBREVIATION_END.search(before):
            continue
        yield before
        start = found.end()
    yield text[start:]
