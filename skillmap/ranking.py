"""Rank the concepts of one kind for a text: the jobs behind ``skillmap skills`` and ``skillmap occupations``.

:func:`match_skills` and :func:`match_occupations` take the command's option names as keywords and return a
:class:`Ranking` (the hits, best first, ties by URI, and the notes a user should read). The matching engine is
:class:`skillmap.match.ConceptIndex`; this module only chooses the target (a taxonomy file or the live index)
and checks the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillmap.errors import SkillmapError
from skillmap.languages import parse_languages
from skillmap.model import Match, ProgressCallback

if TYPE_CHECKING:
    from skillmap.match import ConceptIndex

Languages = str | Sequence[str] | None  # "en", "en,fr" or ["en", "fr"]; None: every language of the index
TaxonomyFile = str | Path | None  # a taxonomy file to match against instead of the live index
WEAK_SCORE = 0.4  # below this a hit is a suggestion: align's default --min-score (see the README's calibration)


@dataclass(frozen=True, slots=True)
class Ranking:
    """The hits for one text. ``kind`` is the kind asked for; ``notes`` are lines to show the user."""

    text: str
    kind: str
    hits: tuple[Match, ...]
    notes: tuple[str, ...] = ()

    @property
    def statements(self) -> tuple[str, ...]:
        """The distinct statements that produced hits (more than one when the text was a paragraph)."""
        return tuple(dict.fromkeys(hit.statement for hit in self.hits))


@dataclass(frozen=True, slots=True)
class Target:
    """What a text is matched against: the index, where it came from (``sample``, ``imported``, ``custom`` or the
    taxonomy file), and the notice to show about it ("" when none)."""

    index: ConceptIndex
    origin: str
    notice: str = ""


def open_target(
    taxonomy: str | Path | None = None, *, method: str | None = None, progress: ProgressCallback | None = None
) -> Target:
    """The concepts to match against: the taxonomy file when given, else the live index (or the bundled sample).

    A taxonomy file's index and, unless ``method`` is ``lexical``, its semantic matrix are built on first use and
    cached; so is the bundled sample's. ``progress(done, total)`` reports that embedding (some seconds).
    """
    staged = (lambda _stage, done, total: progress(done, total)) if progress else None
    if taxonomy is not None:
        from skillmap.store import open_taxonomy

        return Target(open_taxonomy(taxonomy, semantic=method != "lexical", progress=staged), origin=str(taxonomy))
    from skillmap.store import open_index

    loaded = open_index(progress=staged)
    return Target(loaded.index, origin=loaded.info.origin, notice=loaded.info.notice)


def rank_concepts(
    text: str,
    kind: str,
    *,
    lang: Languages = None,
    top: int = 10,
    min_score: float = 0.0,
    taxonomy: TaxonomyFile = None,
    collection: str | None = None,
    method: str | None = None,
    progress: ProgressCallback | None = None,
) -> Ranking:
    """Rank the concepts of ``kind`` (``skill`` or ``occupation``) for ``text``; see :func:`match_skills`."""
    from skillmap.skill_collections import parse_collection

    if not text.strip() or not any(ch.isalnum() for ch in text):
        raise SkillmapError(f'empty text: give the text to match, e.g. skillmap {kind}s "install solar panels"')
    langs = parse_languages(lang)
    collection = parse_collection(collection)
    target = open_target(taxonomy, method=method, progress=progress)
    notes = [target.notice] if target.notice else []
    if method is None and target.index.semantic is None and target.index.semantic_note:
        notes.append(target.index.semantic_note)
    search_kind: str | None = kind
    if taxonomy is not None and kind not in target.index.kinds():
        notes.append(
            f"{taxonomy} has no {kind} concepts; matching all its concepts ({', '.join(target.index.kinds())})"
        )
        search_kind = None
    hits = target.index.search(
        text,
        kind=search_kind,
        langs=langs,
        top=top,
        min_score=min_score,
        method=method,
        notes=notes,
        collection=collection,
    )
    if hits and hits[0].score < WEAK_SCORE:
        notes.append(f"every hit scores below {WEAK_SCORE:.2f}: weak matches, to be read as suggestions only")
    return Ranking(text=text, kind=kind, hits=tuple(hits), notes=tuple(notes))


def _ranking_job(kind: str, summary: str) -> Callable[..., Ranking]:
    """The job function ranking the concepts of ``kind``: :func:`match_skills` and :func:`match_occupations` are
    this one function for two kinds, with the keywords (and signature) of :func:`rank_concepts`."""
    import inspect

    def job(text: str, **options: Any) -> Ranking:
        return rank_concepts(text, kind, **options)

    full = inspect.signature(rank_concepts)
    job.__signature__ = full.replace(parameters=[p for p in full.parameters.values() if p.name != "kind"])  # type: ignore[attr-defined]
    job.__name__ = job.__qualname__ = f"match_{kind}s"
    job.__doc__ = summary + _KEYWORDS
    return job


_KEYWORDS = """

    ``lang`` limits the labels to these languages (``"en"``, ``"en,fr"`` or a list; default: every language of
    the index); ``top`` hits at most, none below ``min_score`` (0–1). ``taxonomy`` matches against that file
    (CSV ``uri,label,kind,lang[,role]`` or SKOS) instead of the imported index or the bundled sample. A paragraph
    is split into statements; each hit names the statement it came from and the signals that scored it
    (``lexical``, ``semantic``). Ties are broken by URI. ``collection`` (``digital``, ``green``, ``transversal``,
    ``language``, ``digcomp``, ``research``) keeps only the concepts of that ESCO collection; every hit lists them.

    ``method`` is ``lexical`` (the labels' words and characters), ``semantic`` (the multilingual sentence model)
    or ``hybrid`` (both fused); default: hybrid when the index has its semantic matrix, else lexical. A text in
    a language the index has no labels in is matched across languages by the semantic scorer, and a note says
    so. ``progress(done, total)`` reports the embedding of a taxonomy's (or the sample's) labels on first use.
    """

match_skills = _ranking_job(
    "skill", "Rank ESCO skills for ``text`` (a title, a competence statement or a paragraph of learning outcomes)."
)
match_occupations = _ranking_job(
    "occupation", "Rank ESCO occupations for ``text`` (a job or qualification title works best)."
)
