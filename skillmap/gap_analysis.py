"""Skills gaps: what a person's evidence covers of a target's skills (``skillmap gap``).

Evidence is free text, a file of statements (one per line, a CV-like list) or the code of a qualification in
the imported registers (its ESCO skills count as covered, its learning outcomes as statements). The target is an
ESCO occupation (URI or title; its essential and optional skills from the relations package), a register
qualification (its skills) or a list of skill URIs. Every target skill is scored against every evidence
statement with the matching engine (:class:`skillmap.match.ConceptIndex`); its best statement decides:

* **covered** — score ≥ :data:`COVERED_SCORE`; **partly covered** — ≥ :data:`PARTLY_SCORE`; else **missing**.

Both thresholds are provisional: set by reading the scores of the PV-installer demo against "solar energy
technician" on the full v1.1.1 import (a paraphrase such as "install PV panels" → "mount photovoltaic panels"
scores 0.62; loosely related statements stay below 0.35), not measured on a gold set. So "partly covered" is a
suggestion for a counsellor to check, never a finding. The registered qualifications that carry most of the
missing skills are listed as where to learn them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.languages import parse_languages
from skillmap.text import split_statements

COVERED_SCORE = 0.55
PARTLY_SCORE = 0.35
RELATIONS_HINT = (
    'import the ESCO relations zip: `skillmap esco import "ESCO dataset - v1.1.1 - classification - en - csv.zip" '
    '"ESCO dataset - v1.1.1 - classification -  - csv.zip"`'
)


@dataclass(frozen=True, slots=True)
class GapSkill:
    """One skill of the target and how the evidence covers it."""

    uri: str
    label: str
    relation: str  # "essential" or "optional" (a qualification's or a custom list's skills are "essential")
    status: str  # "covered", "partly covered" or "missing"
    score: float  # the best evidence statement's score (0–1); 1.0 for a skill a register record carries
    statement: str  # that statement ("" when missing)
    collections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CoveringQualification:
    """A registered qualification carrying some of the skills the evidence misses."""

    code: str
    title: str
    country: str
    eqf_level: int | None
    covers: int
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GapResult:
    """What :func:`gap` found: the target, each of its skills with its status, coverage shares and suggestions."""

    target: str
    target_uri: str
    skills: tuple[GapSkill, ...]
    evidence: tuple[str, ...]
    qualifications: tuple[CoveringQualification, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def share(self, relation: str) -> float | None:
        """Share (0–1) of the ``relation`` skills covered (partly covered counts half); None when there are none."""
        wanted = [s for s in self.skills if s.relation == relation]
        if not wanted:
            return None
        points = sum(1.0 if s.status == "covered" else 0.5 if s.status == "partly covered" else 0.0 for s in wanted)
        return round(points / len(wanted), 4)

    def summary(self) -> dict[str, object]:
        """The counts and shares users see above the table (and in JSON)."""
        counts = {status: sum(1 for s in self.skills if s.status == status) for status in STATUSES}
        return {
            "target": self.target,
            "target_uri": self.target_uri,
            **{status.replace(" ", "_"): n for status, n in counts.items()},
            "essential_coverage": self.share("essential"),
            "optional_coverage": self.share("optional"),
        }


STATUSES = ("covered", "partly covered", "missing")


def gap(
    *,
    text: str | None = None,
    file: str | Path | None = None,
    code: str | None = None,
    occupation: str | None = None,
    qualification: str | None = None,
    skills: Sequence[str] | str | None = None,
    pick: int | None = None,
    lang: str | Sequence[str] | None = None,
    top: int = 5,
) -> GapResult:
    """Compare evidence (``text``, a ``file`` of statements, or a register ``code``) with a target (an ESCO
    ``occupation`` URI or title, a register ``qualification`` code, or ``skills`` URIs); see the module docstring.

    An occupation title naming several occupations raises :class:`SkillmapError` listing them, unless ``pick``
    (1-based) chooses one. ``top`` registered qualifications covering the missing skills are suggested.
    """
    from skillmap.store import open_index

    evidence_given = [name for name, value in (("text", text), ("file", file), ("code", code)) if value]
    if not evidence_given:
        raise SkillmapError("no evidence given: describe what the person can do", hint="text")
    targets = [n for n, v in (("occupation", occupation), ("qualification", qualification), ("skills", skills)) if v]
    if len(targets) != 1:
        raise SkillmapError(
            "give one target: an ESCO occupation, a registered qualification or a list of skill URIs",
            hint="occupation",
        )
    langs = parse_languages(lang)
    loaded = open_index()
    index = loaded.index
    notes = [loaded.info.notice] if loaded.info.notice else []
    if occupation:
        position = _resolve_occupation(occupation, index, pick)
        target, target_uri = index.pref_label(position), index.uri(position)
        if index.has_relations():
            wanted = [(index.uri(skill), relation) for skill, relation in index.skills_of(position)]
        else:  # an index saved before relations were kept in it: read them from the classification
            relations = loaded.classification().relations
            wanted = [(r.skill_uri, r.relation) for r in relations if r.occupation_uri == target_uri]
        if not wanted:
            raise SkillmapError(
                f"no skills of {target!r} are known (the index has no relations for it); {RELATIONS_HINT}"
            )
    elif qualification:
        record = _register_record(qualification)
        target, target_uri = f"{record.code} {record.title}", record.code
        wanted = [(uri, "essential") for uri in record.skills]
        if not wanted:
            raise SkillmapError(f"{record.code} has no ESCO skills in the register; re-import it with skills")
    else:
        uris = [u.strip() for u in (skills.split(",") if isinstance(skills, str) else skills or ()) if u.strip()]
        unknown = [u for u in uris if index.find(u) is None]
        if unknown:
            raise SkillmapError(f"not concepts of the index: {', '.join(unknown[:3])}", hint="skills")
        target, target_uri, wanted = "custom skill list", "", [(u, "essential") for u in uris]
    wanted = sorted(dict(wanted).items(), key=lambda item: (item[1] != "essential", item[0]))
    statements, known = _evidence(text, file, code)
    scores = _best_statements(index, statements, [uri for uri, _ in wanted], langs)
    rows = []
    for uri, relation in wanted:
        at = index.find(uri)
        label = index.pref_label(at, langs[0] if langs else "en") if at is not None else uri
        if uri in known:
            score, statement = 1.0, known[uri]
        else:
            score, statement = scores.get(uri, (0.0, ""))
        status = "covered" if score >= COVERED_SCORE else "partly covered" if score >= PARTLY_SCORE else "missing"
        rows.append(
            GapSkill(
                uri=uri,
                label=label,
                relation=relation,
                status=status,
                score=round(score, 4),
                statement=statement if status != "missing" else "",
                collections=index.concept_collections(at) if at is not None else (),
            )
        )
    rows.sort(key=lambda s: (s.relation != "essential", STATUSES.index(s.status), -s.score, s.label, s.uri))
    missing = [s.uri for s in rows if s.status != "covered"]
    return GapResult(
        target=target,
        target_uri=target_uri,
        skills=tuple(rows),
        evidence=tuple(statements),
        qualifications=_covering(missing, top, exclude=code),
        notes=tuple(notes),
    )


def _resolve_occupation(value: str, index, pick: int | None) -> int:
    """The index position of the occupation ``value`` names: a URI, or a title (preferred label, then any label,
    any case, then the closest occupations by matching)."""
    value = value.strip()
    if value.startswith(("http://", "https://")):
        position = index.find(value)
        if position is None or index.kind_of(position) != "occupation":
            raise SkillmapError(f"{value} is not an occupation of the index", hint="occupation")
        return position
    pref, any_label = index.with_label(value, "occupation")
    exact = pref or any_label
    candidates = exact
    if not candidates:
        hits = index.search(value, kind="occupation", top=5, min_score=PARTLY_SCORE)
        candidates = [index.find(hit.uri) for hit in hits]
    if not candidates:
        raise SkillmapError(f"no ESCO occupation is called or resembles {value!r}", hint="occupation")
    if pick is not None:
        if not 1 <= pick <= len(candidates):
            raise SkillmapError(
                f"there are {len(candidates)} candidate occupations; pick 1–{len(candidates)}", hint="pick"
            )
        return candidates[pick - 1]
    if len(candidates) == 1 and exact:
        return candidates[0]
    listed = "; ".join(f"{i}. {index.pref_label(p)} <{index.uri(p)}>" for i, p in enumerate(candidates, start=1))
    raise SkillmapError(f"{value!r} may be one of {len(candidates)} occupations: {listed}", hint="pick")


def _register_record(code: str):
    from skillmap.registers.store import open_store

    with open_store() as store:
        return store.record(code)


def _evidence(text: str | None, file: str | Path | None, code: str | None) -> tuple[list[str], dict[str, str]]:
    """The evidence statements, and the skills a register record carries (uri → the statement naming it)."""
    statements: list[str] = []
    known: dict[str, str] = {}
    if text:
        statements += split_statements(text)
    if file:
        from skillmap.fileio import read_input_bytes

        raw = read_input_bytes(file, what=f"evidence file {file}")
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SkillmapError(f"{file} is not UTF-8 text; save it as UTF-8", hint="file") from exc
        for line in content.splitlines():
            statements += split_statements(line)
    if code:
        record = _register_record(code)
        known = {uri: f"registered skill of {record.code}" for uri in record.skills}
        if record.learning_outcomes:
            statements += split_statements(record.learning_outcomes)
    statements = list(dict.fromkeys(s for s in statements if s.strip()))
    if not statements and not known:
        raise SkillmapError("the evidence holds no statement to match", hint="text")
    return statements, known


def _best_statements(index, statements: list[str], uris: list[str], langs) -> dict[str, tuple[float, str]]:
    """uri → (best score, its statement) over the evidence statements (first statement on ties)."""
    if not statements or not uris:
        return {}
    matrix, positions = index.score_matrix(statements, kind="skill", langs=langs or None)
    column = {uri: i for i, uri in enumerate(index.uris(positions))}
    best: dict[str, tuple[float, str]] = {}
    for uri in uris:
        at = column.get(uri)
        if at is None:
            continue
        values = matrix[:, at]
        row = int(values.argmax())
        best[uri] = (float(values[row]), statements[row])
    return best


def _covering(missing: list[str], top: int, exclude: str | None) -> tuple[CoveringQualification, ...]:
    """The registered qualifications carrying most of the ``missing`` skills (none when no register is imported)."""
    if not missing or top <= 0:
        return ()
    from skillmap.registers.store import open_store
    from skillmap.store import registers_db_path

    if not registers_db_path().is_file():
        return ()
    with open_store() as store:
        try:
            countries = store.resolve_country(None)
        except SkillmapError:
            return ()
        shared = store.records_sharing("skill", missing, countries)
        by_record: dict[int, list[str]] = {}
        for record_id, _uri, label in shared:
            by_record.setdefault(record_id, []).append(label)
        records = store.records_by_id(list(by_record))
    found = []
    for record_id, labels in by_record.items():
        record = records[record_id]
        if exclude and record.code == exclude:
            continue
        found.append(
            CoveringQualification(
                code=record.code,
                title=record.title,
                country=record.country,
                eqf_level=record.eqf_level,
                covers=len(set(labels)),
                skills=tuple(sorted(set(labels))),
            )
        )
    found.sort(key=lambda q: (-q.covers, q.country, q.code))
    return tuple(found[:top])
