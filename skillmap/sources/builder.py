"""The builder every concept reader shares (ESCO CSV, ESCO RDF, custom taxonomies).

:class:`ClassificationBuilder` collects labels and facts about concepts from any number of files and turns them
into a deterministic :class:`~skillmap.model.Classification`: concepts sorted by URI, labels de-duplicated (the
strongest role wins) and sorted, facts taken from the first source that gives them (readers feed the most
authoritative source first). Readers import this module; it imports no reader, so there is no import circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from skillmap.model import Classification, Concept, Label, SkillRelation

ROLE_RANK = {"pref": 0, "alt": 1, "hidden": 2}
SKILL_TYPES = ("skill/competence", "knowledge")


@dataclass
class _Draft:
    kind: str
    labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (lang, text) -> role
    skill_type: str | None = None
    reuse_level: str | None = None
    code: str | None = None
    broader: list[str] = field(default_factory=list)
    collections: set[str] = field(default_factory=set)
    descriptions: dict[str, str] = field(default_factory=dict)  # lang -> text


class ClassificationBuilder:
    """Accumulate concepts, labels and relations from several files, then :meth:`build` a Classification."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}
        self._relations: set[tuple[str, str, str]] = set()
        self.languages: set[str] = set()

    def __contains__(self, uri: str) -> bool:
        return uri in self._drafts

    def __len__(self) -> int:
        return len(self._drafts)

    def add_concept(
        self, uri: str, kind: str, *, skill_type: str | None = None, reuse_level: str | None = None,
        code: str | None = None, broader: Iterable[str] = (),
    ) -> None:  # fmt: skip
        """Declare a concept; the first declaration sets its kind, facts and parents, later ones only fill gaps.

        Readers declare from the most authoritative source first (the newest ESCO release), so an older
        release's ISCO group, say, never adds a second parent.
        """
        draft = self._drafts.get(uri)
        if draft is None:
            self._drafts[uri] = _Draft(kind=kind, skill_type=skill_type, reuse_level=reuse_level, code=code, broader=[])
            for target in broader:
                self.add_broader(uri, target)
            return
        for value, name in ((skill_type, "skill_type"), (reuse_level, "reuse_level"), (code, "code")):
            if value and getattr(draft, name) is None:
                setattr(draft, name, value)
        if not draft.broader:
            for target in broader:
                self.add_broader(uri, target)

    def add_classification(self, classification: Classification) -> None:
        """Start from an already read Classification (its concepts, labels and relations)."""
        for concept in classification.concepts:
            self.add_concept(
                concept.uri,
                concept.kind,
                skill_type=concept.skill_type,
                reuse_level=concept.reuse_level,
                code=concept.code,
                broader=concept.broader,
            )
            for name in concept.collections:
                self.add_collection(concept.uri, name)
            for label in concept.labels:
                self.add_label(concept.uri, label.text, label.lang, label.role)
            for description in concept.descriptions:
                self.add_description(concept.uri, description.text, description.lang)
        for relation in classification.relations:
            self.add_relation(relation.occupation_uri, relation.skill_uri, relation.relation)

    def add_label(self, uri: str, text: str, lang: str, role: str) -> None:
        """Add one label; the same text in the same language keeps its strongest role (pref > alt > hidden).

        A second preferred label in a language that has one already becomes an alternative label.
        """
        text = " ".join(text.split())
        if not text:
            return
        draft = self._drafts[uri]
        key = (lang, text)
        old = draft.labels.get(key)
        if old is not None and ROLE_RANK[old] <= ROLE_RANK[role]:
            return
        if role == "pref" and any(r == "pref" and lg == lang and t != text for (lg, t), r in draft.labels.items()):
            role = "alt"
            if old is not None and ROLE_RANK[old] <= ROLE_RANK[role]:
                return
        draft.labels[key] = role
        self.languages.add(lang)

    def add_description(self, uri: str, text: str, lang: str) -> None:
        """Set the concept's description in ``lang`` (the first one read stays); blank texts are ignored."""
        text = " ".join(text.split())
        if text:
            self._drafts[uri].descriptions.setdefault(lang, text)

    def add_labels(self, uri: str, cell: str, lang: str, role: str, separator: str = "\n") -> None:
        """Add every label of a multi-value cell (ESCO pillar files put one value per line)."""
        if cell:
            for text in cell.split(separator):
                self.add_label(uri, text, lang, role)

    def add_broader(self, uri: str, target: str) -> bool:
        """Record ``uri`` skos:broader ``target``; returns False when ``uri`` is not a known concept."""
        draft = self._drafts.get(uri)
        if draft is None:
            return False
        if target and target != uri and target not in draft.broader:
            draft.broader.append(target)
        return True

    def add_collection(self, uri: str, name: str) -> bool:
        """Tag ``uri`` as a member of the ESCO collection ``name``; False when ``uri`` is not a known concept."""
        draft = self._drafts.get(uri)
        if draft is None:
            return False
        draft.collections.add(name)
        return True

    def add_relation(self, occupation_uri: str, skill_uri: str, relation: str) -> None:
        """Record an occupation–skill link (``essential`` or ``optional``); checked against concepts in build."""
        self._relations.add((occupation_uri, skill_uri, relation))

    def kind_of(self, uri: str) -> str | None:
        """Return the kind declared for ``uri`` so far, or None."""
        draft = self._drafts.get(uri)
        return draft.kind if draft else None

    def build(
        self, *, name: str, version: str, origin: str, sources: Iterable[str], notes: list[str] | None = None
    ) -> Classification:
        """Return the Classification; relations to unknown concepts are dropped and counted into ``notes``.

        Concepts without any label (e.g. RDF nodes whose label resources are missing) cannot be matched and
        are left out, counted into ``notes``.
        """
        concepts = []
        unlabelled = 0
        for uri in sorted(self._drafts):
            draft = self._drafts[uri]
            if not draft.labels:
                unlabelled += 1
                continue
            labels = tuple(
                Label(text=text, lang=lang, role=role)  # type: ignore[arg-type]
                for (lang, text), role in sorted(
                    draft.labels.items(), key=lambda item: (ROLE_RANK[item[1]], item[0][0], item[0][1])
                )
            )
            concepts.append(
                Concept(
                    uri=uri,
                    kind=draft.kind,
                    labels=labels,
                    skill_type=draft.skill_type,
                    reuse_level=draft.reuse_level,
                    code=draft.code,
                    broader=tuple(sorted(draft.broader)),
                    collections=tuple(sorted(draft.collections)),
                    descriptions=tuple(
                        Label(text=text, lang=lang) for lang, text in sorted(draft.descriptions.items())
                    ),
                )
            )
        if unlabelled and notes is not None:
            notes.append(f"left out {unlabelled:,} concepts that have no label")
        known = {concept.uri for concept in concepts}
        relations = []
        unknown_occupations: set[str] = set()
        unknown_skills: set[str] = set()
        dropped = 0
        for occupation, skill, relation in sorted(self._relations):
            if occupation in known and skill in known:
                relations.append(SkillRelation(occupation_uri=occupation, skill_uri=skill, relation=relation))
                continue
            dropped += 1
            if occupation not in known:
                unknown_occupations.add(occupation)
            if skill not in known:
                unknown_skills.add(skill)
        if dropped and notes is not None:
            notes.append(
                f"skipped {dropped:,} occupation–skill relations that point to concepts not in the import "
                f"({len(unknown_occupations):,} unknown occupations, {len(unknown_skills):,} unknown skills)"
            )
        return Classification(
            name=name,
            version=version,
            languages=tuple(sorted(self.languages)),
            concepts=tuple(concepts),
            relations=tuple(relations),
            origin=origin,
            sources=tuple(sources),
        )


def normalise_skill_type(value: str | None) -> str | None:
    """Map ESCO skill-type spellings (CSV values or RDF IRIs) to ``skill/competence``, ``knowledge`` or None."""
    if not value:
        return None
    value = value.strip().rsplit("/skill-type/", 1)[-1]
    if value in ("skill", "skill/competence", "competence"):
        return "skill/competence"
    if value == "knowledge":
        return "knowledge"
    return None  # e.g. the one v1.0.x value "skill/competence knowledge": ambiguous
