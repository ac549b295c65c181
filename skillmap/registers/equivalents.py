"""Equivalents: qualifications of another country comparable to one qualification, with the evidence for each.

Candidates are the records sharing an ESCO skill or occupation, the closest titles, and (in a large register)
the titles closest at the same and neighbouring EQF levels (or at every level, for a source without one); the pool
is topped up with the closest remaining titles so that ``top`` candidates come back whenever the country has them.

Each candidate's evidence is decomposed — level agreement, shared skills, shared occupations, title similarity —
and read on one calibrated scale: the score is the share of candidates with such evidence that were a known
equivalent in the held-out check of ``benchmarks/calibrate_equivalents.py`` (the coefficients and the measurement
are in ``data/registers/equivalence_calibration.csv``). A candidate that shares nothing but a level (no skill, no
occupation, no close title) is *thin evidence*: it ranks below every candidate with content evidence.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.model import RegisterRecord
from skillmap.registers.comparison import level_relation
from skillmap.registers.results import Equivalent, EquivalentEvidence, LookupMatch
from skillmap.registers.scoring import title_score
from skillmap.registers.search import search_titles
from skillmap.registers.store import RegisterStore, open_store
from skillmap.text.titles import content_tokens, normalise_title, title_tokens

SMALL_REGISTER = 2000  # records: up to this many, every qualification of the target country is weighed
PER_LEVEL = 150  # closest titles kept per EQF level in a large register (a quick character measure first)
CLOSE_TITLE = 0.5  # title similarity from which a title counts as evidence ("similar title")
RELATED_SKILLS = 0.3  # share of skill-label words in common from which neighbouring skills count as evidence
# Skills and occupations are read on the title's scale (the calibration data, two real registers without ESCO
# skills, measures titles and levels only): every skill of the smaller set shared counts as an identical title —
# out of at least MIN_SKILL_SET skills, so one skill in common with a one-skill record is not a full overlap — and
# a shared occupation as a close title (0.8: an ESCO occupation spans many qualifications). Assumptions, not
# measurements: README, "Equivalents: what the score means".
MIN_SKILL_SET = 3
OCCUPATION_ON_TITLE_SCALE = 0.8


@lru_cache(maxsize=1)
def _calibration() -> dict[str, tuple[tuple[float, float], ...]]:
    """Level agreement → its (content evidence, share right) points (``data/registers/equivalence_calibration.csv``)."""
    points: dict[str, list[tuple[float, float]]] = {}
    for row in read_data_rows(bundled_data_dir() / "registers" / "equivalence_calibration.csv"):
        points.setdefault(row["level"].strip(), []).append((float(row["content"]), float(row["score"])))
    return {level: tuple(sorted(found)) for level, found in points.items()}


def level_agreement(relation: str, gap: int | None) -> str:
    """The calibration's level classes: ``same``, ``different`` (one or more EQF levels apart), ``unknown``."""
    if relation == "unknown" or gap is None:
        return "unknown"
    return "same" if gap == 0 else "different"


def calibrated_score(content: float, points: Sequence[tuple[float, float]]) -> float:
    """The share of candidates right at ``content``: linear between the measured points, flat beyond them."""
    if content <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if content <= x1:
            return y0 + (y1 - y0) * (content - x0) / (x1 - x0) if x1 > x0 else y1
    return points[-1][1]


def equivalence_score(content: float, relation: str, gap: int | None) -> float:
    """The calibrated score of a candidate: the share of candidates with this content evidence (0–1) and this level
    agreement that were a known equivalent in the calibration (``data/registers/equivalence_calibration.csv``)."""
    return calibrated_score(content, _calibration()[level_agreement(relation, gap)])


def weigh_candidates(
    store: RegisterStore, source: RegisterRecord, *, to_country: str, pool: int = 5
) -> list[Equivalent]:
    """Every candidate of ``to_country`` for ``source`` with its evidence and score, unsorted (at least ``pool``
    of them when the country holds that many besides the source)."""
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
    else:  # a large one: the same EQF level and the levels next to it (every level for a source without one)
        low, high = (source.eqf_level - 1, source.eqf_level + 1) if source.eqf_level is not None else (None, None)
        rows = store.titles_at_levels(low, high, targets)
        candidate_ids.update(_closest_per_level(source.title, rows, per_level=PER_LEVEL))
        if len(candidate_ids) <= pool:  # too few near the level: the closest titles anywhere in the country
            rows = store.titles_at_levels(None, None, targets)
            candidate_ids.update(_closest_per_level(source.title, rows, per_level=pool + 1))
    records = store.records_by_id(sorted(candidate_ids))
    source_tokens = content_tokens(title_tokens(source.title))
    weights = store.title_weights(set(source_tokens) | {t for r in records.values() for t in title_tokens(r.title)})
    return [
        _weigh_candidate(source, record, shared.get(record_id, {}), source_tokens, weights)
        for record_id, record in records.items()
        if (record.register, record.code) != (source.register, source.code)  # the source itself, at home
    ]


def rank_equivalents(
    store: RegisterStore, source: RegisterRecord, *, to_country: str, top: int = 5
) -> list[Equivalent]:
    """Rank qualifications of ``to_country`` comparable to ``source``, best first: the candidates with content
    evidence (shared skills or occupations, a close title) by calibrated score, then the thin-evidence ones."""
    results = weigh_candidates(store, source, to_country=to_country, pool=top)
    results.sort(
        key=lambda e: (e.thin, -round(e.score, 6), _level_order(e.parts.level_gap), -round(e.parts.mean, 6),
                       e.record.country, e.record.code, e.record.register)
    )  # fmt: skip
    return results[:top]


def _level_order(gap: int | None) -> int:
    """Among equal scores: the same EQF level first, then one apart, then unknown levels, then the rest."""
    return {0: 0, 1: 1, None: 2}.get(gap, 3)


def _closest_per_level(title: str, rows: Sequence[tuple[int, int | None, str]], per_level: int) -> list[int]:
    """Record ids of the ``per_level`` titles closest to ``title`` (a quick character measure) at each EQF level
    (records without a level form one more group): the full evidence is then weighed for a few hundred."""
    wanted = _normalised(title)
    by_level: dict[int | None, list[tuple[float, int]]] = {}
    for record_id, level, other in rows:
        quick = fuzz.token_set_ratio(wanted, _normalised(other))
        by_level.setdefault(level, []).append((-quick, int(record_id)))
    return [record_id for scored in by_level.values() for _, record_id in sorted(scored)[:per_level]]


@lru_cache(maxsize=1 << 16)
def _normalised(title: str) -> str:
    """A title normalised once per process (a large register's titles are compared for every lookup)."""
    return normalise_title(title)


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


@dataclass(frozen=True)
class _Shared:
    skills: list[tuple[str, str]]
    occupations: list[tuple[str, str]]
    related: float
    common_words: list[str]


def _decompose(
    source: RegisterRecord, record: RegisterRecord, shared: _Shared, similarity: float
) -> EquivalentEvidence:
    """The evidence in parts, each 0–1 (None where one of the two records carries no such data), and the content
    evidence read on the title's scale: the strongest part (``mean``, their weighted mean over the kinds both
    records carry, orders candidates of equal content)."""
    skills = occupations = None
    parts: list[tuple[float, float]] = [(0.35, similarity)]
    if source.skills and record.skills:
        exact = len(shared.skills) / max(min(len(source.skills), len(record.skills)), MIN_SKILL_SET)
        skills = max(exact, 0.6 * shared.related)
        parts.append((0.45, skills))
    if source.occupations and record.occupations:
        occupations = len(shared.occupations) / min(len(source.occupations), len(record.occupations))
        parts.append((0.20, occupations))
    content = max(similarity, skills or 0.0, OCCUPATION_ON_TITLE_SCALE * (occupations or 0.0))
    relation = level_relation(source, record)
    gap = abs((record.eqf_level or 0) - (source.eqf_level or 0)) if relation != "unknown" else None
    thin = not shared.skills and not shared.occupations and similarity < CLOSE_TITLE and shared.related < RELATED_SKILLS
    return EquivalentEvidence(
        level_relation=relation,
        level_gap=gap,
        skills=skills,
        occupations=occupations,
        title=similarity,
        content=content,
        mean=sum(w * v for w, v in parts) / sum(w for w, _ in parts),
        thin=thin,
    )


def _weigh_candidate(
    source: RegisterRecord,
    record: RegisterRecord,
    found: dict[str, list[tuple[str, str]]],
    source_tokens: Sequence[str],
    weights: dict[str, float],
) -> Equivalent:
    related, common_words = _related_skill_words(source, record)
    shared = _Shared(
        sorted(set(found.get("skill", []))), sorted(set(found.get("occupation", []))), related, common_words
    )
    target_tokens = content_tokens(title_tokens(record.title))
    similarity = (
        (title_score(source_tokens, target_tokens, weights)[0] + title_score(target_tokens, source_tokens, weights)[0])
        / 2
        if source_tokens and target_tokens
        else 0.0
    )
    parts = _decompose(source, record, shared, similarity)
    return Equivalent(
        record=record,
        score=equivalence_score(parts.content, parts.level_relation, parts.level_gap),
        level_relation=parts.level_relation,
        shared_skills=tuple(uri for uri, _ in shared.skills),
        shared_skill_labels=tuple(label for _, label in shared.skills),
        shared_occupations=tuple(uri for uri, _ in shared.occupations),
        title_similarity=similarity,
        evidence=_evidence_lines(source, record, shared, parts),
        thin=parts.thin,
        parts=parts,
    )


def _evidence_lines(
    source: RegisterRecord, record: RegisterRecord, shared: _Shared, parts: EquivalentEvidence
) -> tuple[str, ...]:
    """The evidence in words, level first."""
    lines: list[str] = []
    if parts.level_relation == "same":
        lines.append(f"same EQF level ({record.eqf_level})")
    elif parts.level_relation == "unknown":
        missing = source if source.eqf_level is None else record
        lines.append(f"EQF level unknown for {missing.code} ({missing.level_status})")
    else:
        lines.append(f"EQF {record.eqf_level}, {parts.level_relation} than EQF {source.eqf_level}")
    if shared.skills:
        labels = ", ".join(label or uri for uri, label in shared.skills[:5])
        more = " …" if len(shared.skills) > 5 else ""
        lines.append(f"{len(shared.skills)} shared ESCO skill(s): {labels}{more}")
    elif shared.related >= 0.2:
        lines.append(
            f"related ESCO skills, no skill in common (label words shared: {', '.join(shared.common_words[:6])})"
        )
    if shared.occupations:
        labels = ", ".join(label or uri for uri, label in shared.occupations[:3])
        lines.append(f"{len(shared.occupations)} shared occupation(s): {labels}")
    if parts.title >= CLOSE_TITLE:
        lines.append(f"similar title ({parts.title:.2f})")
    if parts.thin:
        lines.append(
            "thin evidence: "
            + ("same level only" if parts.level_relation == "same" else "no skill, occupation or close title shared")
        )
    return tuple(lines)


def find_equivalents(
    query: str, *, country: str | None, to_country: str, top: int = 5, store_path: str | Path | None = None
) -> tuple[LookupMatch, list[Equivalent]]:
    """Look ``query`` up in ``country`` and rank comparable qualifications in ``to_country``: up to ``top``, those
    with content evidence first, then thin-evidence ones (nothing shared but a level) to fill up to ``top``."""
    with open_store(store_path) as store:
        matches = search_titles(store, query, countries=store.resolve_country(country), top=1)
        if not matches:
            raise SkillmapError(f"no qualification matches {query!r}; check the title or the country", hint="country")
        return matches[0], rank_equivalents(store, matches[0].record, to_country=to_country, top=top)
