"""Qualification titles: the normalised tokens a register stores and searches, and the subject a matcher reads.

``title_tokens`` / ``content_tokens`` / ``normalise_title`` turn a title as written on a certificate into the
tokens the registers store indexes (case, accents, punctuation and gender forms removed). ``title_for_matching``
strips what a title says about the *kind* of qualification ("City & Guilds Level 3 Award in") before its words
are matched to ESCO. The words involved are data: ``data/registers/title_words.csv`` and
``data/align/qualification_words.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.text.normalise import fold, words

# German and French gender forms written on certificates: "Elektroniker/-in", "Kaufmann/-frau", "ElektronikerIn",
# "Fachkraft*in", "électricien(ne)", "développeur·euse", "Assistant/e". They are dropped so both forms match.
_GENDER_SUFFIXES = "innen|in|frau|frauen|ne|nne|euse|euses|rice|rices|trice|e|es|se|fe|ve|ère"
_GENDER_FORM = re.compile(rf"(?<=\w)(?:\s*/\s*-?|[*:_·.]|\()(?:{_GENDER_SUFFIXES})\)?(?![\w])", re.IGNORECASE)
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}(?![^\W\d_])")  # "C.A.P." → "CAP"
_TOKEN_PIECE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TitleWords:
    """Words that say little about which qualification a title is: function words and diploma types."""

    stopwords: frozenset[str]
    diploma_types: dict[str, str]


@lru_cache(maxsize=1)
def title_words() -> TitleWords:
    """Load ``data/registers/title_words.csv`` (stop words and diploma-type abbreviations, several languages)."""
    stopwords: set[str] = set()
    diploma_types: dict[str, str] = {}
    for row in read_data_rows(bundled_data_dir() / "registers" / "title_words.csv"):
        word = fold(row["word"].strip())
        if row["kind"] == "stopword":
            stopwords.add(word)
        elif row["kind"] == "diploma_type":
            diploma_types[word] = row["meaning"].strip()
    return TitleWords(frozenset(stopwords), diploma_types)


def title_tokens(text: str) -> list[str]:
    """Normalise a qualification title into tokens: case, accents, punctuation and gender forms removed.

    ``"Elektroniker/-in Energie- und Gebäudetechnik"`` → ``["elektroniker", "energie", "und", "gebaudetechnik"]``;
    ``"BP ÉLECTRICIEN (BP)"`` → ``["bp", "electricien", "bp"]``. Order is kept; stop words are kept (see
    :func:`content_tokens`).
    """
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _BINNEN_I.sub("", text)
    text = _GENDER_FORM.sub("", text)
    tokens: list[str] = []
    for word in words(text):
        tokens.extend(_TOKEN_PIECE.findall(fold(word)))
    return tokens


def content_tokens(tokens: Sequence[str]) -> list[str]:
    """Drop stop words and repeated tokens, keeping first-seen order (all of them when nothing else is left)."""
    stop = title_words().stopwords
    kept = list(dict.fromkeys(t for t in tokens if t not in stop))
    return kept or list(dict.fromkeys(tokens))


def normalise_title(text: str) -> str:
    """The normalised form of a title that the index stores: :func:`title_tokens` joined by spaces."""
    return " ".join(title_tokens(text))


def title_for_matching(title: str, level_text: str = "", awarding_body: str = "") -> str:
    """Strip what a title says about the kind of qualification rather than its subject, before matching to ESCO.

    Removes the row's own level string ("Level 3"), bracketed framework acronyms ("(RQF)"), a leading awarding
    body name, a leading phrase that ends in a qualification word and a connector ("City & Guilds Level 3 Award
    in", "Técnico Superior en") and leading qualification words ("CAP", "Titre professionnel"). The words are data:
    ``data/align/qualification_words.csv``. The title is kept as it is when nothing would be left.
    """
    types, connectors = _qualification_words()
    cleaned = title
    if awarding_body and cleaned.casefold().startswith(awarding_body.casefold()):
        cleaned = cleaned[len(awarding_body) :]
    if level_text:
        cleaned = re.sub(re.escape(level_text), " ", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\(\s*[A-Z][A-Z0-9/-]{1,9}\s*\)", " ", cleaned)
    tokens = cleaned.split()
    folded = [_letters_and_digits(token) for token in tokens]
    cut = 0
    for i in range(1, min(len(tokens), 12)):
        if folded[i] in connectors and folded[i - 1] in types:
            cut = i + 1  # the last "<qualification word> <connector>" among the first words
    while cut < len(tokens) and (
        folded[cut] in types or folded[cut] in connectors or not folded[cut] or folded[cut].isdigit()
    ):
        cut += 1
    cleaned = " ".join(tokens[cut:]).strip(" -–,:;")
    return cleaned if len(cleaned) >= 3 else title.strip()


def _letters_and_digits(word: str) -> str:
    """A word folded to its letters and digits (``"C&G"`` → ``"cg"``), as the qualification word list is."""
    return "".join(ch for ch in fold(word) if ch.isalnum())


@lru_cache(maxsize=1)
def _qualification_words() -> tuple[frozenset[str], frozenset[str]]:
    types: set[str] = set()
    connectors: set[str] = set()
    for record in read_data_rows(bundled_data_dir() / "align" / "qualification_words.csv"):
        kind = connectors if record["kind"] == "connector" else types
        kind.add(_letters_and_digits(record["word"].replace(" ", "")))
    return frozenset(types), frozenset(connectors)
