"""What a qualification title says about its subject: the part of the title worth matching to ESCO."""

from __future__ import annotations

import re
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.text import fold


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
    folded = [_word_key(token) for token in tokens]
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


def _word_key(word: str) -> str:
    """A word as the qualification word list compares it: folded, letters and digits only."""
    return "".join(ch for ch in fold(word) if ch.isalnum())


@lru_cache(maxsize=1)
def _qualification_words() -> tuple[frozenset[str], frozenset[str]]:
    types: set[str] = set()
    connectors: set[str] = set()
    for record in read_data_rows(bundled_data_dir() / "align" / "qualification_words.csv"):
        (connectors if record["kind"] == "connector" else types).add(_word_key(record["word"].replace(" ", "")))
    return frozenset(types), frozenset(connectors)
