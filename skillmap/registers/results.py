"""What registers queries return: an imported register, a lookup match, an equivalent, a comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from skillmap.model import RegisterRecord


@dataclass(frozen=True)
class RegisterInfo:
    """An imported register: its name, format, source file (and checksum), size and countries."""

    name: str
    format: str
    source_file: str
    sha256: str
    records: int
    countries: tuple[str, ...]
    skipped_rows: tuple[int, ...] = ()  # set by an import: data rows left out (no title, or no code)
    notes: tuple[str, ...] = ()  # set by an import: what the user should know about it


def _scored_record_fields(record: RegisterRecord, score: float) -> dict[str, Any]:
    """The fields every scored result starts with, in the order ``--format json`` prints them."""
    return {
        "code": record.code,
        "title": record.title,
        "country": record.country,
        "score": round(score, 4),
        "eqf_level": record.eqf_level,
        "nqf_level": record.nqf_level,
        "level_status": record.level_status,
    }


@dataclass(frozen=True)
class LookupMatch:
    """A register record that matches a typed title: ``score`` in [0, 1] and ``why`` in words."""

    record: RegisterRecord
    score: float
    matched_title: str
    why: str
    weak: bool = False  # too little title evidence to present as the answer: a suggestion only

    def summary(self) -> dict[str, Any]:
        """The flat fields ``lookup --format json`` prints for this match."""
        r = self.record
        return {
            **_scored_record_fields(r, self.score),
            "level_reason": r.extra.get("level_reason", ""),
            "awarding_body": r.awarding_body,
            "register": r.register,
            "status": r.status,
            "matched_title": self.matched_title,
            "why": self.why,
            "weak": self.weak,
            "skills": list(r.skills),
            "skill_labels": list(r.skill_labels),
            "occupations": list(r.occupations),
            "occupation_labels": list(r.occupation_labels),
            "competence_blocks": [b for b in r.extra.get("competence_blocks", "").split(" | ") if b],
            "url": r.url,
        }


@dataclass(frozen=True)
class EquivalentEvidence:
    """A candidate's evidence in parts, each 0–1: ``skills`` and ``occupations`` are None where one of the two
    records carries none; ``content`` is the strongest part on the title's scale (the score reads it with the level
    agreement); ``thin``: nothing shared but a level."""

    level_relation: str
    level_gap: int | None  # EQF levels apart (None: a level unknown)
    skills: float | None
    occupations: float | None
    title: float
    content: float
    mean: float  # the parts' weighted mean: orders candidates of equal content
    thin: bool

    def summary(self) -> dict[str, Any]:
        """The parts as ``lookup --to --format json`` prints them (``score_parts``)."""
        rounded = {k: None if v is None else round(v, 4) for k, v in (("skills", self.skills),
                   ("occupations", self.occupations), ("title", self.title), ("content", self.content))}  # fmt: skip
        return {"level_gap": self.level_gap, **rounded}


@dataclass(frozen=True)
class Equivalent:
    """A qualification in the target country comparable to the source one, with the evidence for it."""

    record: RegisterRecord
    score: float
    level_relation: str  # same / higher / lower / unknown
    shared_skills: tuple[str, ...]
    shared_skill_labels: tuple[str, ...]
    shared_occupations: tuple[str, ...]
    title_similarity: float
    evidence: tuple[str, ...]
    thin: bool  # nothing shared but a level: listed below the line "thin evidence below"
    parts: EquivalentEvidence

    def summary(self) -> dict[str, Any]:
        """The flat fields ``lookup --to --format json`` prints for this candidate."""
        r = self.record
        return {
            **_scored_record_fields(r, self.score),
            "level_relation": self.level_relation,
            "shared_skills": list(self.shared_skills),
            "shared_skill_labels": list(self.shared_skill_labels),
            "shared_occupations": list(self.shared_occupations),
            "title_similarity": round(self.title_similarity, 4),
            "evidence": list(self.evidence),
            "thin_evidence": self.thin,
            "evidence_strength": "thin" if self.thin else "content",
            "score_parts": self.parts.summary(),
            "register": r.register,
        }


@dataclass(frozen=True)
class Comparison:
    """Two qualifications side by side: levels, shared and missing skills and occupations."""

    first: RegisterRecord
    second: RegisterRecord
    level_relation: str  # of the second relative to the first: same / higher / lower / unknown
    shared_skills: tuple[tuple[str, str], ...]  # (uri, label)
    only_first: tuple[tuple[str, str], ...]
    only_second: tuple[tuple[str, str], ...]
    shared_occupations: tuple[tuple[str, str], ...]
    title_similarity: float
    notes: tuple[str, ...] = field(default=())
