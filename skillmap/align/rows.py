"""Row alignment: every row of an input table → its EQF level, its ESCO skills and occupations, and review flags.

A pure library stage: it takes an :class:`~skillmap.sources.spreadsheets.InputTable` that is already read, a
:class:`~skillmap.sources.spreadsheets.ColumnMap`, a concept index and the framework registry, and returns one
:class:`~skillmap.model.Alignment` per data row, in input order. No row is dropped: a row that cannot be aligned
comes back with its reasons in ``review``.

Matching goes through the index in batches of distinct texts (registers repeat titles and outcomes a lot), so
each text is searched once however many rows share it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import skillmap.align.batches as batches
from skillmap.align.batches import SearchIndex, SearchJob, search_batch, split_into_batches
from skillmap.align.review import ReviewSettings, review_reasons
from skillmap.align.suggested import NO_SUGGESTION, RowSuggestions, StepProgress, apply_suggestion, needs_suggestion
from skillmap.errors import SkillmapError
from skillmap.model import Alignment, LevelResolution, Match, ProgressCallback
from skillmap.sources.spreadsheets import ColumnMap, InputTable
from skillmap.text.titles import title_for_matching

if TYPE_CHECKING:
    from skillmap.align.memo import SearchMemo
    from skillmap.sources.frameworks import FrameworkRegistry


DEFAULT_TOP_SKILLS = 5
DEFAULT_TOP_OCCUPATIONS = 3
DEFAULT_MIN_SCORE = 0.4
DEFAULT_CONFIDENT_SCORE = 0.6
DEFAULT_BATCH_SIZE = 256


@dataclass(frozen=True, slots=True)
class _PreparedRow:
    """One data row before matching: its cells, its level, and the two texts it is matched by."""

    number: int
    cells: tuple[str, ...]
    title: str
    level: LevelResolution
    outcome: str  # the learning-outcome columns joined by line breaks
    query_title: str  # the title without what it says about the kind of qualification


class _RowLevels:
    """Resolves the country and level of each row, once per distinct (country, level text[, title])."""

    def __init__(
        self,
        frameworks: FrameworkRegistry,
        default_country: str | None,
        framework: str | None,
        level_from_title: bool,
    ) -> None:
        self._frameworks = frameworks
        self._default_country = default_country
        self._framework = framework
        self._level_from_title = level_from_title
        self._countries: dict[str, tuple[str | None, str]] = {}
        self._levels: dict[tuple[str, str, str], LevelResolution] = {}

    def country(self, raw: str) -> tuple[str | None, str]:
        """(country code or None, the problem with ``raw`` or "") for a country cell."""
        if not raw:
            return self._default_country, ""
        if raw not in self._countries:
            try:
                self._countries[raw] = (self._frameworks.normalise_country(raw), "")
            except SkillmapError as exc:
                self._countries[raw] = (None, exc.message)
        return self._countries[raw]

    def level(self, raw_country: str, level_text: str, title: str) -> LevelResolution:
        """The level of a row with this country cell, level cell and title."""
        code, problem = self.country(raw_country)
        if not code:
            reason = problem or "no country for this row: fill the country column or give --country"
            return _unknown_level(raw_country, "", level_text, reason)
        cache_key = (code, level_text, "")
        if cache_key not in self._levels:
            self._levels[cache_key] = self._resolve(code, level_text, None)
        if self._level_from_title and title and self._levels[cache_key].status == "ambiguous":
            # only an open level asks the title: one lookup per distinct title, not per row
            cache_key = (code, level_text, title)
            if cache_key not in self._levels:
                self._levels[cache_key] = self._resolve(code, level_text, title)
        return self._levels[cache_key]

    def _resolve(self, code: str, level_text: str, title: str | None) -> LevelResolution:
        from skillmap.levels import resolve_level

        try:
            return resolve_level(self._frameworks, code, level_text, framework=self._framework, title=title)
        except SkillmapError as exc:
            return _unknown_level(code, self._framework or "", level_text, exc.message)


def _unknown_level(country: str, framework: str, level_text: str, reason: str) -> LevelResolution:
    return LevelResolution(
        country=country,
        framework=framework,
        nqf_level=None,
        eqf_level=None,
        status="unknown",
        reason=reason,
        input=level_text,
    )


def require_country(frameworks: FrameworkRegistry, country: str | None, columns: ColumnMap) -> str | None:
    """The default country code, checked; raises SkillmapError when rows would have no country at all."""
    default_country = frameworks.normalise_country(country) if country else None
    if default_country is None and columns.country is None:
        raise SkillmapError(
            "no country: give the country code (e.g. GB-ENG), or a country column in the table",
            hint="country",
        )
    return default_country


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
    method: str | None = None,
    progress: ProgressCallback | None = None,
    memo: SearchMemo | None = None,
    suggest_levels: bool = False,
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
    forked processes when there are at least :data:`~skillmap.align.batches.PARALLEL_MIN_TEXTS` distinct texts
    (same results, sooner). ``memo`` remembers hits across calls (the chunks of one streamed file).
    ``method`` is the matching method (lexical, semantic, hybrid; None: the index's
    default). A row whose text looks written in a language the index has no labels in is flagged for review.
    ``suggest_levels``: a row whose level is missing, unknown or not referenced gets an EQF level suggested from its
    learning outcomes and title (``Alignment.suggestion``, level status ``suggested``, always reviewed; never
    ``eqf_level``); every row then carries a suggestion, empty when none was made.
    """
    from skillmap.levels import resolve_level

    if not 0.0 <= min_score <= 1.0 or not 0.0 <= confident_score <= 1.0:
        raise SkillmapError("scores are between 0 and 1: check --min-score")
    if top_skills < 0 or top_occupations < 0:
        raise SkillmapError("--top-skills and --top-occupations must be 0 or more")
    default_country = require_country(frameworks, country, columns)
    if default_country is not None and framework and columns.country is None:
        resolve_level(frameworks, default_country, "", framework=framework)  # a wrong --framework fails here, once

    prepared = _prepare_rows(table, columns, _RowLevels(frameworks, default_country, framework, level_from_title))
    wanted = {row.number: (row.title, row.outcome) for row in prepared if needs_suggestion(row.level)}
    suggestions = RowSuggestions(list(wanted.values()) if suggest_levels else [], memo)
    steps = StepProgress(progress, len(suggestions.pending))
    if index is not None:
        kinds = set(index.kinds()) if hasattr(index, "kinds") else {"skill", "occupation"}
        top_skills = top_skills if "skill" in kinds else 0  # a custom taxonomy may have no skills or occupations
        top_occupations = top_occupations if "occupation" in kinds else 0
        plan = _MatchPlan(top_skills, top_occupations, min_score, langs, max(1, batch_size), workers, method)
        skill_hits, occupation_hits = _match_rows(index, prepared, plan, steps.first if progress else None, memo)
        language_notes = _language_notes(index, prepared, langs)
    else:
        skill_hits, occupation_hits, language_notes = {}, {}, {}
    suggested = suggestions.run(workers=workers, progress=steps.second if progress else None)

    formulas: dict[int, list[str]] = {}
    for row_number, header in table.formula_cells:
        formulas.setdefault(row_number, []).append(header)
    settings = ReviewSettings(
        skills_matched=index is not None and top_skills > 0, min_score=min_score, confident_score=confident_score
    )
    alignments = []
    for row in prepared:
        outcome_skills = skill_hits.get(row.outcome, [])
        skills = _best(outcome_skills + skill_hits.get(row.query_title, []), top_skills)
        occupations = _best(occupation_hits.get(row.query_title, []), top_occupations)
        from_outcomes = {m.uri for m in outcome_skills}
        reasons = review_reasons(
            title=row.title,
            level=row.level,
            skills=skills,
            skills_from_title_alone=bool(skills) and not any(m.uri in from_outcomes for m in skills),
            formula_headers=formulas.get(row.number, []),
            settings=settings,
        )
        if row.number in language_notes:
            reasons.append(language_notes[row.number])
        level, suggestion = row.level, None
        if suggest_levels:
            suggestion = suggested[wanted[row.number]] if row.number in wanted else NO_SUGGESTION
            level = apply_suggestion(row.level, suggestion, reasons)
        alignments.append(
            Alignment(
                row_number=row.number,
                row=dict(zip(table.headers, row.cells, strict=False)),
                title=row.title,
                level=level,
                skills=tuple(skills),
                occupations=tuple(occupations),
                review=tuple(reasons),
                suggestion=suggestion,
            )
        )
    return alignments


def _prepare_rows(table: InputTable, columns: ColumnMap, levels: _RowLevels) -> list[_PreparedRow]:
    position = {name: i for i, name in enumerate(table.headers)}

    def cell(cells: tuple[str, ...], name: str | None) -> str:
        return cells[position[name]].strip() if name else ""

    prepared = []
    for number, cells in enumerate(table.rows, start=1):
        title = cell(cells, columns.title)
        level_text = cell(cells, columns.level)
        prepared.append(
            _PreparedRow(
                number=number,
                cells=cells,
                title=title,
                level=levels.level(cell(cells, columns.country), level_text, title),
                outcome="\n".join(t for t in (cell(cells, name) for name in columns.text) if t),
                query_title=title_for_matching(title, level_text, cell(cells, columns.awarding_body)),
            )
        )
    return prepared


@dataclass(frozen=True, slots=True)
class _MatchPlan:
    """How the rows' texts are searched: hits kept per kind, the score floor, languages, batching."""

    top_skills: int
    top_occupations: int
    min_score: float
    langs: Sequence[str] | None
    batch_size: int
    workers: int
    method: str | None = None


def _match_rows(
    index: SearchIndex,
    prepared: list[_PreparedRow],
    plan: _MatchPlan,
    progress: ProgressCallback | None,
    memo: SearchMemo | None = None,
) -> tuple[dict[str, list[Match]], dict[str, list[Match]]]:
    """Search every distinct text once: (skill hits by text, occupation hits by text)."""
    tops = {"skill": plan.top_skills, "occupation": plan.top_occupations}
    for kind, top in tops.items():
        if top:  # an unknown language fails here, before any work
            batches.search_batch(index, (kind, [], top), langs=plan.langs, min_score=plan.min_score, method=plan.method)
    texts_by_kind = {
        "skill": _distinct(text for row in prepared for text in (row.outcome, row.query_title))
        if tops["skill"]
        else [],
        "occupation": _distinct(row.query_title for row in prepared) if tops["occupation"] else [],
    }
    hits: dict[str, dict[str, list[Match]]] = {"skill": {}, "occupation": {}}
    if memo is not None:
        for kind, texts in texts_by_kind.items():
            remembered = ((text, memo.get(kind, text)) for text in texts)
            hits[kind].update((text, found) for text, found in remembered if found is not None)
            texts_by_kind[kind] = [text for text in texts if text not in hits[kind]]
    jobs: list[SearchJob] = [
        (kind, batch, tops[kind])
        for kind, texts in texts_by_kind.items()
        for batch in split_into_batches(texts, plan.batch_size)
    ]
    total = sum(len(texts) for texts in texts_by_kind.values())
    prepare = getattr(index, "prepare_search", None)
    if prepare is not None:  # before the workers fork, so they share what it makes
        prepare(
            total, kinds=[kind for kind, texts in texts_by_kind.items() if texts], langs=plan.langs, method=plan.method
        )
    done = 0
    if progress:
        progress(0, total)
    search = functools.partial(search_batch, langs=plan.langs, min_score=plan.min_score, method=plan.method)
    found_batches = batches.map_batches(index, search, jobs, plan.workers, total)
    for (kind, batch, _), found in zip(jobs, found_batches, strict=True):
        hits[kind].update(zip(batch, found, strict=True))
        if memo is not None:
            for text, text_hits in zip(batch, found, strict=True):
                memo.put(kind, text, text_hits)
        done += len(batch)
        if progress:
            progress(done, total)
    return hits["skill"], hits["occupation"]


def _language_notes(index: SearchIndex, prepared: list[_PreparedRow], langs: Sequence[str] | None) -> dict[int, str]:
    """Row number → review reason, for the rows whose text looks written in a language the index has no labels
    in ("text looks German (de); the index has en labels")."""
    from skillmap.languages import language_without_labels

    if not hasattr(index, "languages"):
        return {}
    label_langs = list(langs or index.languages())
    notes: dict[int, str] = {}
    for row in prepared:
        text = "\n".join(t for t in (row.title, row.outcome) if t)
        note = language_without_labels(text, label_langs)
        if note:
            notes[row.number] = f"language without labels: {note}"
    return notes


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
