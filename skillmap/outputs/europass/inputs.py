"""Inputs from the other stages: records from the registers reader, NQF level concepts from the framework data,
skill labels and types from the imported classification."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.outputs.europass.codelists import NQF_LEVEL_URI, SCHEMES, VocabConcept
from skillmap.outputs.europass.model import NqfResolver, SkillInfo


def nqf_resolver_from_frameworks(*, same_eqf: bool = False) -> NqfResolver:
    """An :data:`NqfResolver` over skillmap's framework data (``skillmap.sources.frameworks.load_frameworks``).

    Only level concepts are returned: a value equal to a framework's own QDR concept is refused, as the QDR list
    mixes both and a framework concept would pass the validators while being wrong. With ``same_eqf``, a level
    without a QDR concept takes the concept of the country's only other level at the same EQF level (France's
    2019 levels have none; Décret 2019-14 equates them with the 1969 levels the QDR lists), with a note.
    """
    from skillmap.sources.frameworks import load_frameworks

    registry = load_frameworks()
    framework_uris = {f.eu_uri for f in registry.all() if f.eu_uri}
    cache: dict[tuple[str, str, str], VocabConcept | None] = {}

    def usable(uri: str | None) -> bool:
        return bool(uri) and uri not in framework_uris and bool(NQF_LEVEL_URI.match(uri or ""))

    def resolve(country: str, nqf_level: str, framework: str) -> VocabConcept | None:
        key = (country, nqf_level, framework)
        if key in cache:
            return cache[key]
        try:
            found = registry.get(country, framework or None)
            level = registry.level(country, nqf_level, framework or None)
            siblings = registry.frameworks(country)
        except SkillmapError:  # unknown country or framework: no concept, the row is reported
            cache[key] = None
            return None
        concept = None
        if level is not None and usable(level.eu_uri):
            concept = VocabConcept(
                str(level.eu_uri), level.label or f"{found.acronym} Level {nqf_level}", SCHEMES["nqf"]
            )
        elif level is not None and same_eqf and level.eqf_level is not None:
            others = {
                (str(other.eu_uri), other.label or f"{fw.acronym} Level {other.nqf_level}", fw.acronym, other.nqf_level)
                for fw in siblings
                if fw is not found
                for other in fw.levels
                if other.eqf_level == level.eqf_level and not other.is_register_value and usable(other.eu_uri)
            }
            if len({o[0] for o in others}) == 1:
                uri, label, acronym, other_level = sorted(others)[0]
                note = (
                    f"NQF level: {found.acronym} {nqf_level} has no QDR concept; used {acronym} {other_level} "
                    f"(same EQF level {level.eqf_level}, by the same-EQF rule asked for)"
                )
                concept = VocabConcept(uri, label, SCHEMES["nqf"], note=note)
        cache[key] = concept
        return concept

    return resolve


def skill_info_from_classification(classification: Any, uris: Iterable[str]) -> dict[str, SkillInfo]:
    """Labels, skill types and reuse levels of ``uris`` from a :class:`~skillmap.model.Classification`."""
    wanted = set(uris)
    found: dict[str, SkillInfo] = {}
    for concept in getattr(classification, "concepts", ()):
        if concept.uri in wanted:
            labels: dict[str, str] = {}
            for label in concept.labels:
                if label.role == "pref":
                    labels.setdefault(label.lang, label.text)
            found[concept.uri] = SkillInfo(labels, concept.skill_type, concept.reuse_level)
    return found


def load_records(
    path: str | Path, *, country: str | None = None, input_format: str | None = None
) -> list[RegisterRecord]:
    """Read an ``align`` output or a register with the registers reader (the one reader for every input)."""
    from skillmap.sources.registers import read_register

    try:
        return read_register(path, country=country, fmt=input_format)
    except SkillmapError as exc:
        if Path(path).name in exc.message:
            raise
        raise SkillmapError(f"{Path(path).name}: {exc.message}", hint=exc.hint) from exc


def classification_skills(records: Sequence[RegisterRecord]) -> dict[str, SkillInfo]:
    """Skill labels/types from the imported ESCO (or the bundled sample); empty when none is available."""
    try:
        from skillmap import store

        loader = getattr(store, "load_classification", None)
        if loader is None:
            return {}
        classification = loader()
    except SkillmapError:
        return {}
    return skill_info_from_classification(classification, {uri for r in records for uri in r.skills})
