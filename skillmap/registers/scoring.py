"""How well a title matches a query: an IDF-weighted token alignment plus rapidfuzz character similarity."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from skillmap.text.titles import content_tokens, title_tokens


@lru_cache(maxsize=1 << 16)
def token_similarity(a: str, b: str) -> float:
    """How well word ``a`` stands for word ``b``: 1 identical, 0.9 a prefix (plural, abbreviation), fuzzy above 0.8."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0  # "Level 2" is not "Level 3"
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return 0.9 if len(shorter) >= 4 else 0.75
    similarity = fuzz.ratio(a, b) / 100.0
    if similarity >= 0.8 and len(shorter) >= 4:
        return similarity
    # A shared stem of six letters or more: "developpeur"/"development", "electricien"/"electrical".
    return 0.7 if len(shorter) >= 6 and a[:6] == b[:6] else 0.0


def coverage(
    tokens: Sequence[str], others: Sequence[str], weights: dict[str, float]
) -> tuple[float, list[str], list[tuple[str, str]]]:
    """Weighted share of ``tokens`` found in ``others``; also the words missing and the fuzzy pairs."""
    total = found = 0.0
    missing: list[str] = []
    fuzzy: list[tuple[str, str]] = []
    for token in tokens:
        weight = weights.get(token, 1.0)
        total += weight
        best, partner = 0.0, ""
        for other in others:
            similarity = token_similarity(token, other)
            if similarity > best:
                best, partner = similarity, other
                if best == 1.0:
                    break
        found += weight * best
        if best == 0.0:
            missing.append(token)
        elif best < 1.0:
            fuzzy.append((token, partner))
    return (found / total if total else 0.0), missing, fuzzy


def title_score(query: Sequence[str], title: Sequence[str], weights: dict[str, float]) -> tuple[float, str]:
    """Score a title against a query (both content tokens) in [0, 1] and say why."""
    if list(query) == list(title):
        return 1.0, "same title"
    query_cover, missing, fuzzy = coverage(query, title, weights)
    title_cover, extra, _ = coverage(title, query, weights)
    characters = (
        max(fuzz.token_sort_ratio(" ".join(query), " ".join(title)), fuzz.ratio("".join(query), "".join(title))) / 100.0
    )
    score = 0.55 * query_cover + 0.30 * title_cover + 0.15 * characters
    if set(query) == set(title):
        score = max(score, 0.98)
    parts = [f"{len(query) - len(missing)}/{len(query)} words found"]
    query_numbers = {t for t in query if t.isdigit()}
    title_numbers = {t for t in title if t.isdigit()}
    if query_numbers and title_numbers and not query_numbers & title_numbers:
        score *= 0.85  # "Level 3" asked, "Level 1" found: a contradiction, not just a missing word
        parts.append(f"numbers differ ({', '.join(sorted(query_numbers))} vs {', '.join(sorted(title_numbers))})")
    if fuzzy:
        parts.append("close: " + ", ".join(f"{a}~{b}" for a, b in fuzzy))
    if missing:
        parts.append("not in title: " + ", ".join(missing))
    if extra:
        parts.append("title also has: " + ", ".join(extra))
    return min(score, 1.0), "; ".join(parts)


def title_similarity(first: str, second: str, weights: dict[str, float] | None = None) -> float:
    """Symmetric similarity of two titles in [0, 1] (the lookup score, averaged both ways)."""
    a, b = content_tokens(title_tokens(first)), content_tokens(title_tokens(second))
    if not a or not b:
        return 0.0
    weights = weights or {}
    return (title_score(a, b, weights)[0] + title_score(b, a, weights)[0]) / 2
