"""What a messy qualification title says: its words, the certification type it names, a provider, a level hint.

``"ADMINISTRATION PUBLIQUE (MASTER LIMOGES )"`` → words ``administration publique``, type ``MASTER``, provider
``limoges``. Brackets are read left to right; the longest certification-type alias at a bracket's start gives the
type (``LP``, ``BAC PRO AG``, ``MC NIVEAU IV``), the rest of the bracket is provider words (a university, a GRETA,
a private school), which are never counted as missing. The aliases, the register type codes they stand for and the
EQF level they imply are data: ``data/registers/certification_types.csv``; stop words come from
``data/registers/title_words.csv``. Nothing here lists providers: any bracket that is not a type counts as one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows

_GENDER = "e|ne|nne|se|euse|euses|trice|rice|ere|ive|fe|le|te|es|ice"
_GENDER_FORM = re.compile(rf"(?<=\w)\s*(?:\(\s*(?:{_GENDER})\s*\)|/\s*-?(?:{_GENDER})\b)", re.IGNORECASE)
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_DOTTED_ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}(?![^\W\d_])")  # "C.A.P." → "CAP"
_TOKEN = re.compile(r"[a-z0-9]+")
_ROMAN_LEVEL = {"v": 3, "iv": 4, "iii": 5, "ii": 6, "i": 7}  # France's levels before 2019 → EQF
_BRACKETS = re.compile(r"\(([^()]*)(?:\)|$)")


@dataclass(frozen=True)
class CertificationType:
    """A way titles name a kind of certification, and the register type codes it stands for."""

    country: str
    alias: tuple[str, ...]  # normalised tokens
    register_types: frozenset[str]
    eqf_level: int | None
    meaning: str


@lru_cache(maxsize=1)
def certification_types() -> tuple[CertificationType, ...]:
    """``data/registers/certification_types.csv``: alias → register type codes (``|``-separated), EQF level hint."""
    return tuple(
        CertificationType(
            row["country"].strip().upper(),
            tuple(tokens(row["alias"])),
            frozenset(t for t in row["register_types"].split("|") if t),
            int(row["eqf_level"]) if row["eqf_level"].strip() else None,
            row["meaning"],
        )
        for row in read_data_rows(bundled_data_dir() / "registers" / "certification_types.csv")
    )


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of several languages (``data/registers/title_words.csv``, kind ``stopword``)."""
    found: set[str] = set()
    for row in read_data_rows(bundled_data_dir() / "registers" / "title_words.csv"):
        if row["kind"] == "stopword":
            found.update(tokens(row["word"]))
    return frozenset(found)


def fold(text: str) -> str:
    """Lower case, accents and ligatures removed."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("ß", "ss")
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokens(text: str) -> list[str]:
    """``"Mécanicien(ne) réparateur(trice)"`` → ``["mecanicien", "reparateur"]``: gender forms dropped; German
    Binnen-I (``ElektronikerIn``) and dotted acronyms (``C.A.P.``) as the register store reads them."""
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _BINNEN_I.sub("", text)
    return _TOKEN.findall(fold(_GENDER_FORM.sub("", text)))


def content(words: Iterable[str]) -> list[str]:
    """Words without stop words and repeats (first-seen order)."""
    stop = stopwords()
    return list(dict.fromkeys(t for t in words if t not in stop))


@dataclass(frozen=True)
class ParsedQuery:
    """What a messy title says: the qualification words, its type, the provider, a level."""

    text: str
    words: tuple[str, ...]  # content words of the title proper
    provider: tuple[str, ...]  # bracket words that are not a type: optional evidence
    types: frozenset[str]  # register type codes named (empty: none named)
    type_alias: str  # the alias as found ("lp", "bac pro", …)
    type_in_brackets: bool
    level: int | None  # EQF level hinted by "niveau IV" / the type
    level_source: str
    weights: dict[int, dict[str, float]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def text_words(self) -> str:
        """The content words joined by spaces (for character similarity)."""
        return " ".join(self.words)


def type_countries(countries: Sequence[str]) -> tuple[str, ...]:
    """The countries of ``certification_types.csv`` whose types apply to registers of ``countries``
    (``GB-ENG`` → ``GB``)."""
    return tuple(sorted({c.split("-")[0].upper() for c in countries}))


@lru_cache(maxsize=16)
def _types_by_first_word(countries: tuple[str, ...]) -> dict[str, tuple[CertificationType, ...]]:
    grouped: dict[str, list[CertificationType]] = {}
    for ctype in certification_types():
        if ctype.country in countries and ctype.alias:
            grouped.setdefault(ctype.alias[0], []).append(ctype)
    return {word: tuple(found) for word, found in grouped.items()}


def match_type(words: Sequence[str], countries: tuple[str, ...]) -> tuple[CertificationType | None, int]:
    """The longest certification-type alias at the start of ``words``: (type, words used)."""
    best, used = None, 0
    if not words:
        return best, used
    for ctype in _types_by_first_word(countries).get(words[0], ()):
        n = len(ctype.alias)
        if n > used and tuple(words[:n]) == ctype.alias:
            best, used = ctype, n
    return best, used


def _level_hint(words: list[str]) -> tuple[int | None, list[str]]:
    """Find "niveau IV" / "niveau 4"; return (EQF level, the words without it)."""
    for i, word in enumerate(words[:-1]):
        if word in ("niveau", "niv", "level"):
            after = words[i + 1]
            if after in _ROMAN_LEVEL:
                return _ROMAN_LEVEL[after], words[:i] + words[i + 2 :]
            if after.isdigit() and 1 <= int(after) <= 8 and word != "level":  # an English "Level 3" is RQF, not EQF
                return int(after), words[:i] + words[i + 2 :]
    return None, words


def parse_query(text: str, countries: Sequence[str] = ("FR",)) -> ParsedQuery:
    """Split a messy title into qualification words, certification type, provider words and a level hint.

    ``countries`` chooses the certification types read (those of ``certification_types.csv`` for these
    countries). A query of only stop words or punctuation has no words (and so no match).
    """
    wanted = type_countries(countries)
    stripped = _GENDER_FORM.sub("", text)
    main = _BRACKETS.sub(" ", stripped)
    found: CertificationType | None = None
    alias, in_brackets = "", False
    provider: list[str] = []
    level: int | None = None
    level_source = ""
    for group in _BRACKETS.findall(stripped):
        words = tokens(group)
        if not words:
            continue
        ctype, used = match_type(words, wanted)
        if ctype is not None and found is None:
            found, alias, in_brackets = ctype, " ".join(ctype.alias), True
            words = words[used:]
        hinted, words = _level_hint(words)
        if hinted is not None:
            level, level_source = hinted, "niveau in brackets"
        provider.extend(words)
    main_words = tokens(main)
    hinted, main_words = _level_hint(main_words)
    if hinted is not None and level is None:
        level, level_source = hinted, "niveau in title"
    if found is None:  # a type inside the title ("DIPLOME GRADE MASTER DE …", "BEPA …")
        stop = stopwords()
        for i in range(len(main_words)):
            ctype, used = match_type(main_words[i:], wanted)
            if ctype is not None and not (used == 1 and ctype.alias[0] in stop) and ctype.register_types:
                found, alias = ctype, " ".join(ctype.alias)
                if len(main_words) > used:  # the type words say what kind, not what about
                    main_words = main_words[:i] + main_words[i + used :]
                break
    if level is None and found is not None and found.eqf_level is not None:
        level, level_source = found.eqf_level, f"type {alias}"
    words = content(main_words) or content(provider)
    return ParsedQuery(
        text=text,
        words=tuple(words),
        provider=tuple(t for t in content(provider) if t not in words),
        types=found.register_types if found else frozenset(),
        type_alias=alias,
        type_in_brackets=in_brackets,
        level=level,
        level_source=level_source,
    )


@lru_cache(maxsize=256)
def type_spellings(type_code: str) -> tuple[frozenset[str], ...]:
    """Word sets that spell out a register type inside titles (its aliases and meanings), longest first."""
    spellings: set[frozenset[str]] = set()
    for ctype in certification_types():
        if type_code in ctype.register_types:
            for text in (" ".join(ctype.alias), ctype.meaning):
                found = frozenset(content(tokens(text.split("(")[0])))
                if found:
                    spellings.add(found)
    return tuple(sorted(spellings, key=lambda w: (-len(w), sorted(w))))
