"""Equivalents: qualifications of another country comparable to one qualification, with the evidence for each.

Candidates are the records sharing an ESCO skill or occupation, the closest titles, and (in a large register)
the titles closest at the same and neighbouring EQF levels. Each is scored on level first, then content
(shared skills and occupations, related skill words, title similarity) over the kinds both records carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rapidfuzz import fuzz

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.registers.comparison import level_relation
from skillmap.registers.results import Equivalent, LookupMatch
from skillmap.registers.scoring import title_score
from skillmap.registers.search import search_titles
from skillmap.registers.store import RegisterStore, open_store
from skillmap.text.titles import content_tokens, normalise_title, title_tokens

SMALL_REGISTER = 2000  # records: up to this many, every qualification of the target country is weighed


def rank_equivalents(
    store: RegisterStore, source: RegisterRecord, *, to_country: str, top: int = 5
) -> list[Equivalent]:
    """Rank qualifications of ``to_country`` comparable to ``source`` (level, shared skills and occupations,
    title similarity), best first, each with the evidence in words."""
    targets = store.resolve_country(to_country)
    candidate_ids: set[int] = set()
    shared: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for kind, uris in (("skill", source.skills), ("occupation", source.occupations)):
        for record_id, uri, label in store.records_sharing(kind, uris, targets):
            candidate_ids.add(record_id)
            shared.setdefault(record_id, {}).setdefault(kind, []).append((uri, label))
    title_hits = {m.record.code: m for m in search_titles(store, source.title, countries=targets, top=50)}
    candidate_ids.update(store.record_ids(targets, [m.record for m in title_hits.values()]))
    if store.record_count(targets) <= SMALL_REGISTER:  # a small register: weigh every qualification in it
        candidate_ids.update(store.ids_in(targets))
    elif source.eqf_level is not None:  # a large one: the same EQF level and the levels next to it
        rows = store.titles_between_levels(source.eqf_level - 1, source.eqf_level + 1, targets)
        candidate_ids.update(_closest_per_level(source.title, rows, per_level=150))
    records = store.records_by_id(sorted(candidate_ids))
    source_tokens = content_tokens(title_tokens(source.title))
    weights = store.title_weights(set(source_tokens) | {t for r in records.values() for t in title_tokens(r.title)})
    results: list[Equivalent] = []
    for record_id, record in records.items():
        if (record.register, record.code) == (source.register, source.code):
            continue  # the source itself, when looking for equivalents at home
        evidence = shared.get(record_id, {})
        results.append(_weigh_candidate(source, record, evidence, source_tokens, weights))
    results.sort(key=lambda e: (-round(e.score, 6), e.record.country, e.record.code, e.record.register))
    return results[:top]


def _closest_per_level(title: str, rows: Sequence[tuple[int, int, str]], per_level: int) -> list[int]:
    """Record ids of the ``per_level`` titles closest to ``title`` (a quick character measure) at each EQF level:
    the full evidence is then weighed for a few hundred candidates, not thousands."""
    wanted = normalise_title(title)
    by_level: dict[int, list[tuple[float, int]]] = {}
    for record_id, level, other in rows:
        quick = fuzz.token_set_ratio(wanted, normalise_title(other))
        by_level.setdefault(int(level), []).append((-quick, int(record_id)))
    return [record_id for scored in by_level.values() for _, record_id in sorted(scored)[:per_level]]


def _skill_words(record: RegisterRecord) -> set[str]:
    """The content words of a record's ESCO skill labels (words of four letters or more)."""
    return {t for label in record.skill_labels for t in content_tokens(title_tokens(label)) if len(t) >= 4}


def _related_skill_words(source: RegisterRecord, record: RegisterRecord) -> tuple[float, list[str]]:
    """How far two records' skills are alike by their label words, when they share no skill exactly.

    Two `align` outputs often pick neighbouring ESCO skills ("electrical wiring plans" / "repair wiring"): the
    share of label words in common (same word or same six-letter stem) is weaker evidence than a shared URI.
    """
    mine, theirs = _skill_words(source), _skill_words(record)
    if not mine or not theirs:
        return 0.0, []
    common = sorted(w for w in mine if any(w == o or (len(w) >= 6 and o[:6] == w[:6]) for o in theirs))
    return len(common) / min(len(mine), len(theirs)), common


def _weigh_candidate(
    source: RegisterRecord,
    record: RegisterRecord,
    shared: dict[str, list[tuple[str, str]]],
    source_tokens: Sequence[str],
    weights: dict[str, float],
) -> Equivalent:
    relation = level_relation(source, record)
    skills = sorted(set(shared.get("skill", [])))
    occupations = sorted(set(shared.get("occupation", [])))
    related, common_words = _related_skill_words(source, record)
    target_tokens = content_tokens(title_tokens(record.title))
    similarity = (
        (title_score(source_tokens, target_tokens, weights)[0] + title_score(target_tokens, source_tokens, weights)[0])
        / 2
        if source_tokens and target_tokens
        else 0.0
    )
    # Content evidence, over the kinds both records carry (two registers without ESCO skills are compared on
    # occupations and titles only, rather than being marked down for what neither has).
    parts: list[tuple[float, float]] = [(0.35, similarity)]
    if source.skills and record.skills:
        exact = len(skills) / min(len(source.skills), len(record.skills))
        parts.append((0.45, max(exact, 0.6 * related)))
    if source.occupations and record.occupations:
        parts.append((0.20, len(occupations) / min(len(source.occupations), len(record.occupations))))
    content = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    # Same EQF level first, then one level apart, then unknown levels, then the rest; content orders within.
    gap = abs((record.eqf_level or 0) - (source.eqf_level or 0)) if relation != "unknown" else None
    if gap == 0:
        score = 0.5 + 0.5 * content
    elif gap == 1:
        score = 0.25 + 0.25 * content
    elif gap is None:
        score = 0.2 * content
    else:
        score = 0.1 * content
    evidence: list[str] = []
    if relation == "same":
        evidence.append(f"same EQF level ({record.eqf_level})")
    elif relation == "unknown":
        missing = source if source.eqf_level is None else record
        evidence.append(f"EQF level unknown for {missing.code} ({missing.level_status})")
    else:
        evidence.append(f"EQF {record.eqf_level}, {relation} than EQF {source.eqf_level}")
    if skills:
        labels = ", ".join(label or uri for uri, label in skills[:5])
        evidence.append(f"{len(skills)} shared ESCO skill(s): {labels}{' …' if len(skills) > 5 else ''}")
    elif related >= 0.2:
        evidence.append(f"related ESCO skills, no skill in common (label words shared: {', '.join(common_words[:6])})")
    if occupations:
        labels = ", ".join(label or uri for uri, label in occupations[:3])
        evidence.append(f"{len(occupations)} shared occupation(s): {labels}")
    if similarity >= 0.5:
        evidence.append(f"similar title ({similarity:.2f})")
    thin = not skills and not occupations and similarity < 0.5 and related < 0.3
    if thin:
        evidence.append("thin evidence")
    return Equivalent(
        record=record,
        score=score,
        level_relation=relation,
        shared_skills=tuple(uri for uri, _ in skills),
        shared_skill_labels=tuple(label for _, label in skills),
        shared_occupations=tuple(uri for uri, _ in occupations),
        title_similarity=similarity,
        evidence=tuple(evidence),
        thin=thin,
    )


def find_equivalents(
    query: str, *, country: str | None, to_country: str, top: int = 5, store_path: str | Path | None = None
) -> tuple[LookupMatch, list[Equivalent]]:
    """Look ``query`` up in ``country`` and rank comparable qualifications in ``to_country``."""
    with open_store(store_path) as store:
        matches = search_titles(store, query, countries=store.resolve_country(country), top=1)
        if not matches:
            raise SkillmapError(f"no qualification matches {query!r}; check the title or the country", hint="country")
        return matches[0], rank_equivalents(store, matches[0].record, to_country=to_country, top=top)
