"""Two qualifications side by side: level relation, shared and missing ESCO skills, shared occupations."""

from __future__ import annotations

from pathlib import Path

from skillmap.model import RegisterRecord
from skillmap.registers.records import labelled_pairs
from skillmap.registers.results import Comparison
from skillmap.registers.scoring import title_similarity
from skillmap.registers.store import open_store
from skillmap.text.titles import title_tokens


def level_relation(source: RegisterRecord, other: RegisterRecord) -> str:
    """Where ``other`` stands against ``source`` on the EQF: same, higher, lower, or unknown (a level missing)."""
    if source.eqf_level is None or other.eqf_level is None:
        return "unknown"
    if source.eqf_level == other.eqf_level:
        return "same"
    return "higher" if other.eqf_level > source.eqf_level else "lower"


def compare_records(
    first: RegisterRecord, second: RegisterRecord, weights: dict[str, float] | None = None
) -> Comparison:
    """Put two records side by side: level relation, shared/missing ESCO skills, shared occupations."""
    first_skills = dict(labelled_pairs(first.skills, first.skill_labels))
    second_skills = dict(labelled_pairs(second.skills, second.skill_labels))
    first_occupations = dict(labelled_pairs(first.occupations, first.occupation_labels))
    second_occupations = dict(labelled_pairs(second.occupations, second.occupation_labels))
    notes: list[str] = []
    if not first_skills or not second_skills:
        without = [r.code for r, s in ((first, first_skills), (second, second_skills)) if not s]
        notes.append(
            f"{' and '.join(without)} carr{'y' if len(without) > 1 else 'ies'} no ESCO skills; "
            "import an `align` output of the register to compare skills"
        )
    return Comparison(
        first=first,
        second=second,
        level_relation=level_relation(first, second),
        shared_skills=tuple(sorted((u, first_skills[u]) for u in first_skills if u in second_skills)),
        only_first=tuple(sorted((u, first_skills[u]) for u in first_skills if u not in second_skills)),
        only_second=tuple(sorted((u, second_skills[u]) for u in second_skills if u not in first_skills)),
        shared_occupations=tuple(
            sorted((u, first_occupations[u]) for u in first_occupations if u in second_occupations)
        ),
        title_similarity=title_similarity(first.title, second.title, weights),
        notes=tuple(notes),
    )


def compare(first_code: str, second_code: str, *, store_path: str | Path | None = None) -> Comparison:
    """Compare two imported qualifications by code (``REGISTER:CODE`` when a code is in several registers)."""
    with open_store(store_path) as store:
        first, second = store.record(first_code), store.record(second_code)
        weights = store.title_weights(set(title_tokens(first.title + " " + second.title)))
        return compare_records(first, second, weights)
