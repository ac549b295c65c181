"""Aligning an input table: every row → its EQF level, its ESCO skills and occupations, and why a human should look.

A pure library stage: it takes an :class:`~skillmap.sources.spreadsheets.InputTable` that is already read, a
:class:`~skillmap.sources.spreadsheets.ColumnMap`, a concept index and the framework registry, and returns one
:class:`~skillmap.model.Alignment` per data row, in input order. No row is dropped: a row that cannot be aligned
comes back with its reasons in ``review``.

Matching goes through the index in batches of distinct texts (registers repeat titles and outcomes a lot), so
each text is searched once however many rows share it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from skillmap.errors import SkillmapError
from skillmap.model import LEVEL_STATUSES, Alignment, LevelResolution, Match, ProgressCallback
from skillmap.sources.spreadsheets import ColumnMap, InputTable
from skillmap.text.titles import title_for_matching

if TYPE_CHECKING:
    from skillmap.sources.frameworks import FrameworkRegistry


DEFAULT_TOP_SKILLS = 5
DEFAULT_TOP_OCCUPATIONS = 3
DEFAULT_MIN_SCORE = 0.4
DEFAULT_CONFIDENT_SCORE = 0.6
DEFAULT_BATCH_SIZE = 256

_LEVEL_REVIEW = {
    "missing": "no level given",
    "ambiguous": "ambiguous level",
    "not_referenced": "level not referenced to the EQF",
    "unknown": "level not recognised",
}


class SearchIndex(Protocol):
    """What align needs from :class:`skillmap.match.ConceptIndex`."""

    def search_many(
        self,
        texts: Sequence[str],
        *,
        kind: str | None = ...,
        langs: Sequence[str] | None = ...,
        top: int = ...,
        min_score: float = ...,
    ) -> list[list[Match]]: ...


@dataclass(frozen=True, slots=True)
class AlignmentSummary:
    """Counts for the summary sheet, the HTML report and the terminal.

    ``by_level`` maps an EQF level ("1"…"8", or "none") to counts per level status; keys are sorted.
    """

    rows: int
    needs_review: int
    with_skills: int
    with_occupations: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, dict[str, int]] = field(default_factory=dict)
    review_reasons: dict[str, int] = field(default_factory=dict)


def align_table(
    table: InputTable,
    columns: ColumnMap,
    *,
    country: str | None,
    frameworks: FrameworkRegistry,
    index: SearchIndex | None,
    framework: str | None = None,
    top_skills: int = DEFAULT_TOP_SKILLS,
    top_occupations: int = DEFAULT_TOP_OCCUPATIONS,
    min_score: float = DEFAULT_MIN_SCORE,
    confident_score: float = DEFAULT_CONFIDENT_SCORE,
    langs: Sequence[str] | None = None,
    level_from_title: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> list[Alignment]:
    """Align every data row of ``table``; return one :class:`Alignment` per row, in input order.

    ``country`` is the default country code (used for rows whose country column is empty, or for all rows when
    the table has no country column); it is validated through ``frameworks`` and an unknown one raises
    SkillmapError. An unknown country in a row only flags that row. ``framework`` forces a framework acronym
    (e.g. ``FHEQ`` for English higher education). With ``index=None`` only levels are resolved (no matching).
    A level field that leaves the sub-level open ("Entry Level") stays ``ambiguous`` unless ``level_from_title``
    lets the title settle it ("… Entry 3 Award …"); such rows, and rows whose level mapping our data marks unsure,
    are still flagged for review.

    Skills come from the learning-outcome text (split into statements by the index) and from the title, the
    best score per skill kept; occupations from the title. Matches under ``min_score`` are dropped; a row whose
    best skill is under ``confident_score`` is flagged "low confidence". ``workers`` > 1 matches in that many
    forked processes when there are at least :data:`PARALLEL_MIN_TEXTS` distinct texts (same results, sooner).
    """
    from skillmap.levels import resolve_level

    if not 0.0 <= min_score <= 1.0 or not 0.0 <= confident_score <= 1.0:
        raise SkillmapError("scores are between 0 and 1: check --min-score")
    if top_skills < 0 or top_occupations < 0:
        raise SkillmapError("--top-skills and --top-occupations must be 0 or more")
    default_country = frameworks.normalise_country(country) if country else None
    if default_country is None and columns.country is None:
        raise SkillmapError(
            "no country: give --country CODE (e.g. --country GB-ENG) or a country column (--country-col NAME)"
        )
    if default_country is not None and framework and columns.country is None:
        resolve_level(frameworks, default_country, "", framework=framework)  # a wrong --framework fails here, once

    position = {name: i for i, name in enumerate(table.headers)}

    def cell(row: tuple[str, ...], name: str | None) -> str:
        return row[position[name]].strip() if name else ""

    countries: dict[str, tuple[str | None, str]] = {}

    def row_country(raw: str) -> tuple[str | None, str]:
        if not raw:
            return default_country, ""
        if raw not in countries:
            try:
                countries[raw] = (frameworks.normalise_country(raw), "")
            except SkillmapError as exc:
                countries[raw] = (None, exc.message)
        return countries[raw]

    levels: dict[tuple[str, str, str], LevelResolution] = {}

    def resolve(code: str, level_text: str, title: str | None) -> LevelResolution:
        try:
            return resolve_level(frameworks, code, level_text, framework=framework, title=title)
        except SkillmapError as exc:
            return LevelResolution(
                country=code,
                framework=framework or "",
                nqf_level=None,
                eqf_level=None,
                status="unknown",
                reason=exc.message,
                input=level_text,
            )

    def row_level(code: str, raw_country: str, problem: str, level_text: str, title: str) -> LevelResolution:
        if not code:
            reason = problem or "no country for this row: fill the country column or give --country"
            return LevelResolution(
                country=raw_country,
                framework="",
                nqf_level=None,
                eqf_level=None,
                status="unknown",
                reason=reason,
                input=level_text,
            )
        key = (code, level_text, "")
        if key not in levels:
            levels[key] = resolve(code, level_text, None)
        if level_from_title and title and levels[key].status == "ambiguous":
            # only an open level asks the title: one lookup per distinct title, not per row
            key = (code, level_text, title)
            if key not in levels:
                levels[key] = resolve(code, level_text, title)
        return levels[key]

    formulas: dict[int, list[str]] = {}
    for row_number, header in table.formula_cells:
        formulas.setdefault(row_number, []).append(header)

    prepared = []
    for number, row in enumerate(table.rows, start=1):
        title = cell(row, columns.title)
        level_text = cell(row, columns.level)
        raw_country = cell(row, columns.country)
        code, problem = row_country(raw_country)
        level = row_level(code or "", raw_country, problem, level_text, title)
        outcome = "\n".join(t for t in (cell(row, name) for name in columns.text) if t)
        query_title = title_for_matching(title, level_text, cell(row, columns.awarding_body))
        prepared.append((number, row, title, level, outcome, query_title))

    skill_hits: dict[str, list[Match]] = {}
    occupation_hits: dict[str, list[Match]] = {}
    if index is not None:
        kinds = set(index.kinds()) if hasattr(index, "kinds") else {"skill", "occupation"}
        top_skills = top_skills if "skill" in kinds else 0  # a custom taxonomy may have no skills or occupations
        top_occupations = top_occupations if "occupation" in kinds else 0
        for kind, top in (("skill", top_skills), ("occupation", top_occupations)):
            if top:  # an unknown --lang fails here, before any work
                index.search_many([], kind=kind, langs=langs, top=top, min_score=min_score)
        skill_texts = _distinct(t for _, _, _, _, outcome, query in prepared for t in (outcome, query))
        occupation_texts = _distinct(query for *_, query in prepared) if top_occupations else []
        total = len(skill_texts) + len(occupation_texts)
        done = 0
        if progress:
            progress(0, total)
        jobs = [
            (kind, batch, top)
            for kind, texts, top in (
                ("skill", skill_texts if top_skills else [], top_skills),
                ("occupation", occupation_texts, top_occupations),
            )
            for batch in _chunks(texts, max(1, batch_size))
        ]
        hits = {"skill": skill_hits, "occupation": occupation_hits}
        search = functools.partial(_search_batch, langs=langs, min_score=min_score)
        for (kind, batch, _), found in zip(jobs, _map_batches(index, search, jobs, workers, total), strict=True):
            hits[kind].update(zip(batch, found, strict=True))
            done += len(batch)
            if progress:
                progress(done, total)

    alignments = []
    for number, row, title, level, outcome, query_title in prepared:
        skills = _best(skill_hits.get(outcome, []) + skill_hits.get(query_title, []), top_skills)
        occupations = _best(occupation_hits.get(query_title, []), top_occupations)
        review: list[str] = []
        if not title:
            review.append("no title")
        if level.status != "ok":
            review.append(_LEVEL_REVIEW.get(level.status, f"level {level.status}"))
        elif level.from_title:
            review.append("level sub-level read from the title")
        elif level.unsure:
            review.append("level mapping marked unsure in the framework data")
        if index is not None and top_skills:
            if not skills:
                review.append(f"no ESCO skill scored {min_score:.2f} or more")
            elif skills[0].score < confident_score:
                review.append(f"low confidence: best skill score {skills[0].score:.2f} < {confident_score:.2f}")
        for header in formulas.get(number, []):
            review.append(f"formula in {header!r}: its saved result was used")
        alignments.append(
            Alignment(
                row_number=number,
                row=dict(zip(table.headers, row, strict=False)),
                title=title,
                level=level,
                skills=tuple(skills),
                occupations=tuple(occupations),
                review=tuple(review),
            )
        )
    return alignments


PARALLEL_MIN_TEXTS = 2_000  # below this, starting worker processes costs more than it saves
_WORKER_INDEX: SearchIndex | None = None  # set in forked workers only (inherited, never pickled)


def _chunks(texts: list[str], size: int) -> list[list[str]]:
    return [texts[start : start + size] for start in range(0, len(texts), size)]


def _search_batch(
    index: SearchIndex, job: tuple[str, list[str], int], *, langs: Sequence[str] | None, min_score: float
) -> list[list[Match]]:
    kind, batch, top = job
    return index.search_many(batch, kind=kind, langs=langs, top=top, min_score=min_score)


def _search_in_worker(search: Callable[..., list[list[Match]]], job: tuple[str, list[str], int]) -> list[list[Match]]:
    assert _WORKER_INDEX is not None
    return search(_WORKER_INDEX, job)


def _map_batches(
    index: SearchIndex, search: Callable[..., list[list[Match]]], jobs: list, workers: int, total: int
) -> Iterator[list[list[Match]]]:
    """Yield the results of ``search(index, job)`` for every job, in order; in forked processes when it pays.

    Matching is CPU-bound numpy/scipy work on one core; the index is memory-mapped, so forked workers share it
    instead of copying it. Results are consumed in job order, so the output does not depend on ``workers``.
    """
    import multiprocessing

    if workers <= 1 or total < PARALLEL_MIN_TEXTS or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            yield search(index, job)
        return
    global _WORKER_INDEX
    _WORKER_INDEX = index
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(functools.partial(_search_in_worker, search), jobs)
    finally:
        _WORKER_INDEX = None


def summarise(alignments: Sequence[Alignment]) -> AlignmentSummary:
    """Count rows per EQF level and status, rows needing review and the most common review reasons."""
    by_status = Counter(a.level.status for a in alignments)
    by_level: dict[str, Counter[str]] = {}
    reasons: Counter[str] = Counter()
    for alignment in alignments:
        key = str(alignment.level.eqf_level) if alignment.level.eqf_level is not None else "none"
        by_level.setdefault(key, Counter())[alignment.level.status] += 1
        reasons.update(_reason_kind(reason) for reason in alignment.review)
    order = [str(n) for n in range(1, 9)] + ["none"]
    return AlignmentSummary(
        rows=len(alignments),
        needs_review=sum(1 for a in alignments if a.review),
        with_skills=sum(1 for a in alignments if a.skills),
        with_occupations=sum(1 for a in alignments if a.occupations),
        by_status={status: by_status[status] for status in LEVEL_STATUSES if by_status[status]},
        by_level={
            level: {s: by_level[level][s] for s in LEVEL_STATUSES if by_level[level][s]}
            for level in order
            if level in by_level
        },
        review_reasons=dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0]))),
    )


def _reason_kind(reason: str) -> str:
    """Group reasons for counting: 'low confidence: best skill score 0.52 < 0.70' → 'low confidence'."""
    return reason.split(":", 1)[0]


def _distinct(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        if text and text not in seen:
            seen[text] = None
    return list(seen)


def _best(matches: list[Match], top: int) -> list[Match]:
    """Merge hits for one row: one entry per URI (its best score), best first, ties by URI."""
    best: dict[str, Match] = {}
    for match in matches:
        current = best.get(match.uri)
        if current is None or match.score > current.score:
            best[match.uri] = match
    return sorted(best.values(), key=lambda m: (-m.score, m.uri))[:top]
