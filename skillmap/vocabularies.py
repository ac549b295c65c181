"""The EU controlled vocabularies skillmap reads in input cells and writes in ELM: credit systems, learning
settings, modes, assessment and accreditation types, skill types and reuse levels (``data/europass/code-lists.csv``).

Both the micro-credential check and the Europass export read values through :func:`lookup_concept`, so a value
one accepts the other writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows

SCHEMES: dict[str, str] = {
    "eqf": "http://data.europa.eu/snb/eqf/25831c2",
    "nqf": "http://data.europa.eu/snb/qdr/25831c2",
    "isced-f": "http://data.europa.eu/snb/isced-f/25831c2",
    "language": "http://publications.europa.eu/resource/authority/language",
    "country": "http://publications.europa.eu/resource/authority/country",
    "credit-framework": "http://data.europa.eu/snb/education-credit/25831c2",
    "learning-setting": "http://data.europa.eu/snb/learning-setting/25831c2",
    "mode": "http://data.europa.eu/snb/learning-assessment/25831c2",
    "assessment": "http://data.europa.eu/snb/assessment/25831c2",
    "accreditation": "http://data.europa.eu/snb/accreditation/25831c2",
    "skill-type": "http://data.europa.eu/snb/skill-type/25831c2",
    "reuse-level": "http://data.europa.eu/snb/skill-reuse-level/25831c2",
}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, order=True)
class VocabConcept:
    """A controlled-vocabulary value: the concept IRI, its English label and its concept scheme."""

    uri: str
    label: str
    scheme: str
    note: str = field(default="", compare=False)  # how it was chosen, when that needs saying (not part of identity)


def spelling_key(value: str) -> str:
    """A vocabulary value without case, underscores and repeated spaces (``"Non_formal"`` → ``"non formal"``)."""
    return _SPACES.sub(" ", value.strip().lower().replace("_", " "))


@lru_cache(maxsize=4)
def controlled_lists(folder: str | None = None) -> Mapping[str, Mapping[str, VocabConcept]]:
    """List name → accepted spelling (:func:`spelling_key`) → concept, from ``folder`` (default: the bundled
    ``data/europass``)."""
    base = Path(folder) if folder else bundled_data_dir() / "europass"
    lists: dict[str, dict[str, VocabConcept]] = {}
    try:
        for row in read_data_rows(base / "code-lists.csv"):
            concept = VocabConcept(row["uri"], row["label"], SCHEMES[row["list"]])
            for spelling in [row["label"], *row["accepted"].split("|")]:
                lists.setdefault(row["list"], {})[spelling_key(spelling)] = concept
    except (OSError, KeyError) as exc:
        raise SkillmapError(f"the bundled EU code lists in {base} are missing or damaged ({exc})") from exc
    return lists


@lru_cache(maxsize=4096)
def lookup_concept(list_name: str, value: str) -> VocabConcept | None:
    """The concept of ``list_name`` whose accepted spellings include ``value`` (case-insensitive), or None."""
    return controlled_lists().get(list_name, {}).get(spelling_key(value))
