"""The digital side of a certificate: how many of its skills are digital, green or transversal, which DigComp
competences and areas they touch, and a DigComp proficiency group read from its EQF level.

The proficiency group is **skillmap's crosswalk, not an official one** (``data/digital/proficiency_groups.csv``):
DigComp 2.2 has eight proficiency levels and the EQF eight levels, so the EQF level is taken as the DigComp level
and grouped two by two — Foundation (1–2), Intermediate (3–4), Advanced (5–6), Highly specialised (7–8), which the
Digital Skills & Jobs Platform labels Basic, Intermediate, Advanced and Digital Expert. Highly specialised needs a
specialist digital skill (one outside the DigComp collection); with general digital competences only, a level 7–8
certificate is put in Advanced. Without digital skills, or without an EQF level, no group is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.model import Match
from skillmap.skill_collections import digcomp_areas

CROSSWALK_NOTE = "skillmap crosswalk from EQF {eqf}, not official"


@dataclass(frozen=True, slots=True)
class ProficiencyGroup:
    """One DigComp proficiency group of the crosswalk."""

    eqf_min: int
    eqf_max: int
    digcomp_levels: str
    group: str
    platform_label: str
    needs_specialist_skill: bool


@dataclass(frozen=True, slots=True)
class DigitalProfile:
    """The collection counts and DigComp reading of one certificate's matched skills."""

    digital_skills: int
    green_skills: int
    transversal_skills: int
    digcomp_competences: tuple[str, ...]
    digcomp_areas: tuple[str, ...]
    proficiency: str  # "" when no group can be given; else the group with its DigComp levels and the crosswalk note


@lru_cache(maxsize=1)
def proficiency_groups() -> tuple[ProficiencyGroup, ...]:
    """The crosswalk's groups, lowest first."""
    rows = read_data_rows(bundled_data_dir() / "digital" / "proficiency_groups.csv")
    return tuple(
        ProficiencyGroup(
            int(r["eqf_min"]),
            int(r["eqf_max"]),
            r["digcomp_levels"],
            r["group"],
            r["platform_label"],
            r["needs_specialist_skill"] == "yes",
        )
        for r in rows
    )


def proficiency_group(eqf_level: int | None, skills: Sequence[Match]) -> ProficiencyGroup | None:
    """The crosswalk's group for a certificate at ``eqf_level`` with these matched skills (None: no group)."""
    digital = [m for m in skills if "digital" in m.collections or m.digcomp]
    if eqf_level is None or not digital:
        return None
    groups = proficiency_groups()
    specialist = any("digcomp" not in m.collections and not m.digcomp for m in digital)
    for index, group in enumerate(groups):
        if group.eqf_min <= eqf_level <= group.eqf_max:
            if group.needs_specialist_skill and not specialist and index:
                return groups[index - 1]
            return group
    return None


def digital_profile(eqf_level: int | None, skills: Sequence[Match]) -> DigitalProfile:
    """Count the digital, green and transversal skills among ``skills`` and read their DigComp competences,
    areas and proficiency group (see the module docstring for the rule)."""
    area_by_label = {area.esco_label: area for area in digcomp_areas()}
    touched = sorted({label for m in skills for label in m.digcomp})
    areas = sorted({area_by_label[label] for label in touched if label in area_by_label}, key=lambda a: a.number)
    group = proficiency_group(eqf_level, skills)
    proficiency = ""
    if group is not None:
        proficiency = (
            f"{group.group} (DigComp {group.digcomp_levels}; platform: {group.platform_label}; "
            f"{CROSSWALK_NOTE.format(eqf=eqf_level)})"
        )
    return DigitalProfile(
        digital_skills=sum(1 for m in skills if "digital" in m.collections),
        green_skills=sum(1 for m in skills if "green" in m.collections),
        transversal_skills=sum(1 for m in skills if "transversal" in m.collections),
        digcomp_competences=tuple(label for label in touched if label not in area_by_label),
        digcomp_areas=tuple(f"{area.number} {area.name}" for area in areas),
        proficiency=proficiency,
    )
