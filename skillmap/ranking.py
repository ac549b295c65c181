"""Rank the concepts of one kind for a text: the jobs behind ``skillmap skills`` and ``skillmap occupations``.

:func:`match_skills` and :func:`match_occupations` take the command's option names as keywords and return a
:class:`Ranking` (the hits, best first, ties by URI, and the notes a user should read). The matching engine is
:class:`skillmap.match.ConceptIndex`; this module only chooses the target (a taxonomy file or the live index)
and checks the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skillmap.errors import SkillmapError
from skillmap.languages import parse_languages
from skillmap.model import Match

if TYPE_CHECKING:
    from skillmap.match import ConceptIndex

Languages = str | Sequence[str] | None  # "en", "en,fr" or ["en", "fr"]; None: every language of the index
TaxonomyFile = str | Path | None  # a taxonomy file to match against instead of the live index


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


def open_target(taxonomy: str | Path | None = None) -> Target:
    """The concepts to match against: the taxonomy file when given, else the live index (or the bundled sample)."""
    if taxonomy is not None:
        from skillmap.match import ConceptIndex
        from skillmap.sources.taxonomy import read_taxonomy

        return Target(ConceptIndex.build(read_taxonomy(taxonomy)), origin=str(taxonomy))
    from skillmap.store import open_index

    loaded = open_index()
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
) -> Ranking:
    """Rank the concepts of ``kind`` (``skill`` or ``occupation``) for ``text``; see :func:`match_skills`."""
    from skillmap.skill_collections import parse_collection

    if not text.strip() or not any(ch.isalnum() for ch in text):
        raise SkillmapError(f'empty text: give the text to match, e.g. skillmap {kind}s "install solar panels"')
    langs = parse_languages(lang)
    collection = parse_collection(collection)
    target = open_target(taxonomy)
    notes = [target.notice] if target.notice else []
    search_kind: str | None = kind
    if taxonomy is not None and kind not in target.index.kinds():
        notes.append(
            f"{taxonomy} has no {kind} concepts; matching all its concepts ({', '.join(target.index.kinds())})"
        )
        search_kind = None
    hits = target.index.search(text, kind=search_kind, langs=langs, top=top, min_score=min_score, collection=collection)
    return Ranking(text=text, kind=kind, hits=tuple(hits), notes=tuple(notes))


def match_skills(
    text: str,
    *,
    lang: Languages = None,
    top: int = 10,
    min_score: float = 0.0,
    taxonomy: TaxonomyFile = None,
    collection: str | None = None,
) -> Ranking:
    """Rank ESCO skills for ``text`` (a title, a competence statement or a paragraph of learning outcomes).

    ``lang`` limits the labels to these languages (``"en"``, ``"en,fr"`` or a list; default: every language of
    the index); ``top`` hits at most, none below ``min_score`` (0–1). ``taxonomy`` matches against that file
    (CSV ``uri,label,kind,lang[,role]`` or SKOS) instead of the imported index or the bundled sample. A paragraph
    is split into statements; each hit names the statement it came from. Ties are broken by URI. ``collection``
    (``digital``, ``green``, ``transversal``, ``language``, ``digcomp``, ``research``) keeps only the skills of that
    ESCO collection; every hit lists its collections.
    """
    return rank_concepts(
        text, "skill", lang=lang, top=top, min_score=min_score, taxonomy=taxonomy, collection=collection
    )


def match_occupations(
    text: str,
    *,
    lang: Languages = None,
    top: int = 10,
    min_score: float = 0.0,
    taxonomy: TaxonomyFile = None,
    collection: str | None = None,
) -> Ranking:
    """Rank ESCO occupations for ``text`` (a job or qualification title works best); as :func:`match_skills`."""
    return rank_concepts(
        text, "occupation", lang=lang, top=top, min_score=min_score, taxonomy=taxonomy, collection=collection
    )
