"""Splitting a paragraph of learning outcomes into statements (list items, sentences), never inside a word."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
