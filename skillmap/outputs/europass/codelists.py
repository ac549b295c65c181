"""The code lists an export writes: ISCED-F 2013, EU languages and countries, the EU controlled lists.

They are read from ``data/europass/`` (``isced-f.csv``, ``languages.csv``, ``countries.csv``, ``code-lists.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows
from skillmap.vocabularies import SCHEMES, VocabConcept, controlled_lists, spelling_key

EQF_URI = "http://data.europa.eu/snb/eqf/{level}"
ISCED_URI = "http://data.europa.eu/snb/isced-f/{code}"
LANGUAGE_URI = "http://publications.europa.eu/resource/authority/language/{code}"
COUNTRY_URI = "http://publications.europa.eu/resource/authority/country/{code}"
NQF_LEVEL_URI = re.compile(r"^http://data\.europa\.eu/snb/qdr/c_[0-9a-f]{8}$")
ESCO_SKILL_URI = re.compile(r"^http://data\.europa\.eu/esco/skill/[A-Za-z0-9-]+$")


@dataclass(frozen=True)
class CodeLists:
    """The code lists an export needs (read from ``data/europass/``)."""

    isced_f: Mapping[str, str]  # code → English name
    languages: Mapping[str, tuple[str, str]]  # ISO 639-1 → (EU authority code, English name)
    countries: Mapping[str, tuple[str, str, tuple[str, ...]]]  # code → (EU authority code, name, languages)
    lists: Mapping[str, Mapping[str, VocabConcept]]  # list → accepted spelling → concept

    def isced_concept(self, code: str) -> VocabConcept | None:
        """The ISCED-F concept for ``code`` (``"613"`` is read as ``"0613"`` when only that exists), or None."""
        code = code.strip()
        for candidate in (code, "0" + code):
            if candidate in self.isced_f:
                return VocabConcept(ISCED_URI.format(code=candidate), self.isced_f[candidate], SCHEMES["isced-f"])
        return None

    def isced_concepts(
        self, codes: Iterable[str], *, where: str = "", hint: str | None = None
    ) -> tuple[VocabConcept, ...]:
        """The ISCED-F concepts of ``codes`` (first-seen order, no repeats); an unknown code raises
        :class:`SkillmapError`, its message prefixed with ``where`` (e.g. a file line) and carrying ``hint``.
        """
        concepts: list[VocabConcept] = []
        for code in codes:
            concept = self.isced_concept(code)
            if concept is None:
                prefix = f"{where}: " if where else ""
                raise SkillmapError(
                    f"{prefix}{code!r} is not an ISCED-F 2013 field code (use 2–4 digits such as 04, 041, 0413)",
                    hint=hint,
                )
            if concept not in concepts:
                concepts.append(concept)
        return tuple(concepts)

    def language_concept(self, iso: str) -> VocabConcept | None:
        """The EU language concept for an ISO 639-1 code, or None."""
        entry = self.languages.get(iso.strip().lower())
        if entry is None:
            return None
        return VocabConcept(LANGUAGE_URI.format(code=entry[0]), entry[1], SCHEMES["language"])

    def country_entry(self, country: str) -> tuple[str, str, tuple[str, ...]] | None:
        """(EU code, name, languages) for ``GB-ENG``, ``FR`` …; a region falls back to its country."""
        country = country.strip().upper()
        return self.countries.get(country) or self.countries.get(country.split("-")[0])

    def country_concept(self, country: str) -> VocabConcept | None:
        """The EU country concept for a country or region code, or None."""
        entry = self.country_entry(country)
        if entry is None:
            return None
        return VocabConcept(COUNTRY_URI.format(code=entry[0]), entry[1].split(" (")[0], SCHEMES["country"])

    def lookup(self, list_name: str, value: str) -> VocabConcept | None:
        """The concept of ``list_name`` whose accepted spellings include ``value`` (case-insensitive)."""
        return self.lists.get(list_name, {}).get(spelling_key(value))


__all__ = ["COUNTRY_URI", "EQF_URI", "ISCED_URI", "LANGUAGE_URI", "SCHEMES", "CodeLists", "VocabConcept"]


@lru_cache(maxsize=4)
def load_code_lists(folder: str | None = None) -> CodeLists:
    """Read the export code lists from ``folder`` (default: the bundled ``data/europass``)."""
    base = Path(folder) if folder else bundled_data_dir() / "europass"
    try:
        isced = {row["code"]: row["name"] for row in read_data_rows(base / "isced-f.csv")}
        languages = {row["iso639_1"]: (row["eu_code"], row["name"]) for row in read_data_rows(base / "languages.csv")}
        countries = {
            row["code"]: (row["eu_code"], row["name"], tuple(row["languages"].split()))
            for row in read_data_rows(base / "countries.csv")
        }
    except (OSError, KeyError) as exc:
        raise SkillmapError(f"the bundled Europass code lists in {base} are missing or damaged ({exc})") from exc
    return CodeLists(isced_f=isced, languages=languages, countries=countries, lists=controlled_lists(folder))
