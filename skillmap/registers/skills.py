"""ESCO skills and occupations for register records that carry none, matched as ``skillmap align`` matches them.

Skills come from a record's learning outcomes and from its title (stripped of the qualification kind, see
:func:`skillmap.text.titles.title_for_matching`), the best score per skill kept; occupations from the title.
The same thresholds as align's defaults, so a register imported with skills and its align output agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from skillmap.model import Match, ProgressCallback, RegisterRecord
from skillmap.text.titles import title_for_matching

TOP_SKILLS = 5  # as `skillmap align` (DEFAULT_TOP_SKILLS)
TOP_OCCUPATIONS = 3  # as `skillmap align` (DEFAULT_TOP_OCCUPATIONS)
MIN_SCORE = 0.4  # as `skillmap align` (DEFAULT_MIN_SCORE)
BATCH_SIZE = 256  # texts per search call; progress is reported after each


MATCHED_AT_IMPORT = "matched at import from the title and learning outcomes"


def missing_skills_note(record: RegisterRecord) -> str:
    """Why a record has no ESCO skills, when its register says (matched at import, an align output), else ``""``."""
    from skillmap.sources.registers import ALIGN_SKILLS_SOURCE

    source = record.extra.get("skills_source", "")
    if source == MATCHED_AT_IMPORT:
        return (
            "none: skills were matched at import and no ESCO skill matched its title or learning outcomes well enough"
        )
    if source == ALIGN_SKILLS_SOURCE:
        said = [r for r in record.extra.get("review_reasons", "").split(" | ") if "skill" in r or "language" in r]
        if said:  # what align found: "no ESCO skill scored 0.40 or more", "text looks French (fr); ... en labels"
            return "none: align found none for this row — " + "; ".join(said)
        return "none: the align output it was imported from has no ESCO skill for this row (see its review columns)"
    return ""


def match_register_skills(
    records: Sequence[RegisterRecord],
    *,
    index: Any,
    method: str | None = None,
    progress: ProgressCallback | None = None,
    notes: list[str] | None = None,
) -> list[RegisterRecord]:
    """Attach ESCO skills and occupations to records that have none, matching their titles and learning
    outcomes exactly as ``skillmap align`` does (``index`` is the live concept index, see
    :func:`skillmap.store.open_index`; ``method``: lexical, semantic, hybrid, None for the index's default).
    Occupations given by the register (ROME codes) are kept first. What the user should know about the
    matching (texts in a language without labels) goes into ``notes``."""
    pending = [r for r in records if not r.skills]
    if not pending:
        return list(records)
    texts = [(r.learning_outcomes.strip(), title_for_matching(r.title.strip())) for r in pending]
    kinds = set(index.kinds()) if hasattr(index, "kinds") else {"skill", "occupation"}
    top = {
        "skill": TOP_SKILLS if "skill" in kinds else 0,
        "occupation": TOP_OCCUPATIONS if "occupation" in kinds else 0,
    }
    wanted = {
        "skill": _distinct(text for pair in texts for text in pair) if top["skill"] else [],
        "occupation": _distinct(title for _, title in texts) if top["occupation"] else [],
    }
    hits = _search_in_batches(index, wanted, top, {"method": method, "notes": notes}, progress)
    matched = {}
    for record, (outcome, title) in zip(pending, texts, strict=True):
        skills = _best_per_uri(hits["skill"].get(outcome, []) + hits["skill"].get(title, []), top["skill"])
        found = _best_per_uri(hits["occupation"].get(title, []), top["occupation"])
        new_occupations = [m for m in found if m.uri not in record.occupations]
        labels = list(record.occupation_labels) + [""] * (len(record.occupations) - len(record.occupation_labels))
        matched[id(record)] = replace(
            record,
            skills=tuple(m.uri for m in skills),
            skill_labels=tuple(m.label for m in skills),
            occupations=(*record.occupations, *(m.uri for m in new_occupations)),
            occupation_labels=(*labels[: len(record.occupations)], *(m.label for m in new_occupations)),
            extra={**record.extra, "skills_source": MATCHED_AT_IMPORT},
        )
    return [matched.get(id(r), r) for r in records]


def _search_in_batches(
    index: Any,
    wanted: dict[str, list[str]],
    top: dict[str, int],
    how: dict[str, Any],
    progress: ProgressCallback | None,
) -> dict[str, dict[str, list[Match]]]:
    """Search every distinct text once per kind, skills first, in batches; report progress after each batch.
    ``how`` holds the keywords ``method`` and ``notes`` of the search."""
    total = sum(len(texts) for texts in wanted.values())
    done = 0
    if progress:
        progress(0, total)
    hits: dict[str, dict[str, list[Match]]] = {"skill": {}, "occupation": {}}
    for kind in ("skill", "occupation"):
        texts = wanted[kind]
        for start in range(0, len(texts), BATCH_SIZE):
            batch = texts[start : start + BATCH_SIZE]
            found = index.search_many(batch, kind=kind, langs=None, top=top[kind], min_score=MIN_SCORE, **how)
            hits[kind].update(zip(batch, found, strict=True))
            done += len(batch)
            if progress:
                progress(done, total)
    return hits


def _distinct(texts: Any) -> list[str]:
    """The non-empty texts, each once, in first-seen order."""
    return list(dict.fromkeys(text for text in texts if text))


def _best_per_uri(matches: list[Match], top: int) -> list[Match]:
    """One match per URI (its best score; the first of equal scores), best first, ties by URI."""
    kept: dict[str, Match] = {}
    for match in matches:
        if match.uri not in kept or match.score > kept[match.uri].score:
            kept[match.uri] = match
    return sorted(kept.values(), key=lambda m: (-m.score, m.uri))[:top]
