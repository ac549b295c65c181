"""National frameworks for library users: the jobs behind ``skillmap frameworks`` and ``skillmap level``.

These functions take the command's option names as keywords and load the bundled framework data themselves
(pass ``frameworks=`` to reuse a loaded :class:`~skillmap.sources.frameworks.FrameworkRegistry`). The level
reader itself is :mod:`skillmap.levels`; the data reader is :mod:`skillmap.sources.frameworks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from skillmap.sources.frameworks import FrameworkRegistry, load_frameworks

if TYPE_CHECKING:
    from skillmap.model import Framework, LevelResolution

__all__ = ["FrameworkComparison", "compare_frameworks", "load_frameworks", "resolve_level"]


def resolve_level(
    country: str,
    text: str | float | int | None,
    *,
    framework: str | None = None,
    title: str | None = None,
    frameworks: FrameworkRegistry | None = None,
) -> LevelResolution:
    """Resolve a level as a register writes it (``"SCQF 11"``, ``"Niveau IV"``) for ``country``.

    Returns the national level, the EQF level, a status (``ok``, ``ambiguous``, ``not_referenced``, ``unknown``,
    ``missing``) and the reason. ``framework`` limits the search to one framework of the country (``FHEQ``);
    ``title`` only picks a sub-level the level leaves open (reported as such). An unknown country raises
    :class:`~skillmap.errors.SkillmapError`; an unreadable level string does not (status ``unknown``).
    """
    from skillmap.levels import resolve_level as resolve

    return resolve(frameworks or load_frameworks(), country, text, framework=framework, title=title)


@dataclass(frozen=True, slots=True)
class FrameworkComparison:
    """Two frameworks side by side through the EQF.

    ``rows``: one per EQF level 1–8 (then one for unreferenced levels) with ``eqf_level``, ``left``/``right``
    (national levels at that EQF level; several = many-to-one) and the countries and acronyms.
    ``left_others``/``right_others``: the acronyms of the other frameworks each country has.
    """

    left: Framework
    right: Framework
    rows: tuple[dict[str, object], ...]
    left_others: tuple[str, ...] = ()
    right_others: tuple[str, ...] = ()


def compare_frameworks(
    left: str,
    right: str,
    *,
    left_framework: str | None = None,
    right_framework: str | None = None,
    frameworks: FrameworkRegistry | None = None,
) -> FrameworkComparison:
    """Compare the frameworks of two countries (codes or names) through the EQF; see :class:`FrameworkComparison`."""
    from skillmap.levels import compare_frameworks as compare

    registry = frameworks or load_frameworks()
    rows = compare(registry, left, right, left_framework=left_framework, right_framework=right_framework)
    chosen = (registry.get(left, left_framework), registry.get(right, right_framework))
    others = [
        tuple(fw.acronym for fw in registry.frameworks(side.country) if fw.acronym != side.acronym) for side in chosen
    ]
    return FrameworkComparison(chosen[0], chosen[1], tuple(rows), others[0], others[1])
