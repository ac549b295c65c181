"""Plain data classes that travel between the stages: sources → model → match → align → outputs.

Nothing here does I/O. Everything is immutable where it can be, so a result can be cached, compared and
serialised without surprises. Field names are the names users see in JSON/CSV outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

LabelRole = Literal["pref", "alt", "hidden"]
LevelStatus = Literal["ok", "ambiguous", "not_referenced", "unknown", "missing"]
LEVEL_STATUSES: tuple[str, ...] = ("ok", "ambiguous", "not_referenced", "unknown", "missing")
# The level status of a row whose EQF level ``align --suggest-levels`` only suggested from its learning outcomes:
# never a referenced level (``eqf_level`` stays empty), always to review, never exported as an EQF level.
SUGGESTED = "suggested"
ROW_LEVEL_STATUSES: tuple[str, ...] = (*LEVEL_STATUSES, SUGGESTED)  # what an alignment row's level status can be

# How list-valued fields are joined in flat files (alignment tables, register extras, our data files).
LIST_SEPARATOR = " | "

# A long-running step reports progress as (done, total).
ProgressCallback = Callable[[int, int], None]


# --- concepts (ESCO or a custom taxonomy) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Label:
    """One surface form of a concept in one language."""

    text: str
    lang: str  # ISO 639-1 as given by the source ("en", "fr", "en-us" kept as the source writes it)
    role: LabelRole = "pref"


@dataclass(frozen=True, slots=True)
class Concept:
    """A skill, occupation or other concept that free text can be matched to.

    ``kind`` is ``skill``, ``occupation``, ``skill_group``, ``isco_group`` or, for a custom taxonomy, whatever
    the taxonomy file says. ``labels`` holds every label in every imported language, sorted for determinism.
    """

    uri: str
    kind: str
    labels: tuple[Label, ...]
    skill_type: str | None = None  # ESCO: "skill/competence", "knowledge", or None when the source has none
    reuse_level: str | None = None  # ESCO: "sector-specific", "cross-sector", "transversal", "occupation-specific"
    code: str | None = None  # ISCO group / ESCO notation, always a string ("01" stays "01")
    broader: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()  # ESCO collections the concept is in ("digital", "green"…), sorted
    # ESCO's description of the concept, one per language (a Label's text and language; role "pref"), by language
    descriptions: tuple[Label, ...] = ()

    def pref_label(self, lang: str | None = None) -> str:
        """Return the preferred label in ``lang`` (falling back to English, then any language)."""
        prefs = [label for label in self.labels if label.role == "pref"]
        for wanted in (lang, "en"):
            for label in prefs:
                if wanted and label.lang == wanted:
                    return label.text
        if prefs:
            return prefs[0].text
        return self.labels[0].text if self.labels else self.uri

    def languages(self) -> tuple[str, ...]:
        """Return the languages this concept has labels in, sorted."""
        return tuple(sorted({label.lang for label in self.labels}))


@dataclass(frozen=True, slots=True)
class SkillRelation:
    """An occupation–skill link: ``relation`` is ``essential`` or ``optional``."""

    occupation_uri: str
    skill_uri: str
    relation: str


@dataclass(frozen=True, slots=True)
class Classification:
    """A set of concepts to match against: the imported ESCO, the bundled sample, or a custom taxonomy.

    ``origin`` is ``imported`` (ESCO under $SKILLMAP_HOME), ``sample`` (the bundled demo excerpt) or
    ``custom`` (a taxonomy file given on the command line). Concepts are sorted by URI.
    """

    name: str
    version: str
    languages: tuple[str, ...]
    concepts: tuple[Concept, ...]
    relations: tuple[SkillRelation, ...] = ()
    origin: str = "imported"
    sources: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Return the number of concepts per kind, kinds sorted."""
        counts: dict[str, int] = {}
        for concept in self.concepts:
            counts[concept.kind] = counts.get(concept.kind, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked hit for a piece of text.

    ``score`` is a float in [0, 1]; ties are broken by ascending URI so a ranking is reproducible.
    ``statement`` is the part of the input text that produced the hit (long texts are split into statements).
    ``signals`` says which scorers scored it and their values (``{"lexical": 0.71, "semantic": 0.64}``;
    ``description`` too for a sentence matched against the concepts' descriptions).
    """

    uri: str
    label: str
    matched_label: str
    score: float
    kind: str
    lang: str = ""
    statement: str = ""
    collections: tuple[str, ...] = ()  # the concept's ESCO collections ("digital", "green"…), sorted
    digcomp: tuple[str, ...] = ()  # labels of the DigComp competences it is or falls under (skill hierarchy)
    signals: dict[str, float] = field(default_factory=dict, compare=False)


# --- qualification frameworks --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FrameworkLevel:
    """One level of a national framework and its EQF referencing.

    ``eqf_level`` is None when the level is not referenced to the EQF (or is an ambiguous register value).
    ``eu_uri`` is the EU NQF vocabulary concept for this level (``http://data.europa.eu/snb/qdr/c_…``) when one exists.
    """

    nqf_level: str
    eqf_level: int | None
    label: str = ""
    unsure: bool = False
    note: str = ""
    sources: tuple[str, ...] = ()
    eu_uri: str | None = None
    is_register_value: bool = False  # "Entry Level", "Level 1/2": found in registers, not a level of its own
    kind: str = "level"  # "level", "sub_level" (4A, 5.1, Entry 2) or "register_value" (Entry Level, Level 1/2)
    parent: str = ""  # for a sub-level: the level it belongs to ("4" for "4A", "Entry" for "Entry 2")
    candidates: tuple[str, ...] = ()  # for a register value: the levels it may stand for
    aliases: tuple[str, ...] = ()  # other spellings of this level found in registers ("instapniveau")
    eu_label: str = ""  # prefLabel of eu_uri in the EU NQF vocabulary ("DQR Level 4")
    eu_source: str = ""  # where the eu_uri link comes from


@dataclass(frozen=True, slots=True)
class Framework:
    """A national (or regional) qualifications framework and its levels."""

    country: str  # ISO 3166-1/2 style code: "DE", "GB-SCT", "BE-VLG", "XK"
    acronym: str
    name: str
    name_native: str = ""
    ref_year: str = ""
    levels: tuple[FrameworkLevel, ...] = ()
    sources: tuple[str, ...] = ()
    unsure: bool = False  # the referencing year is not confirmed (level mappings carry their own flag)
    eu_uri: str | None = None  # the EU vocabulary concept of the whole framework (never use it as a level)
    eu_label: str = ""
    notations: tuple[str, ...] = ()  # how level strings name this framework ("RQF", "QCF", "DQR")
    ref_year_note: str = ""
    note: str = ""
    country_name: str = ""


@dataclass(frozen=True, slots=True)
class LevelResolution:
    """What a level string found in a register means: the framework level and its EQF level, or why not.

    Field names are the ones ``skillmap level --format json`` prints and ``align`` writes
    (there as ``eqf_level``, ``level_status``, ``level_reason``).
    """

    country: str
    framework: str
    nqf_level: str | None
    eqf_level: int | None
    status: str  # one of LEVEL_STATUSES (in an alignment row also SUGGESTED)
    reason: str
    source: str = ""
    candidates: tuple[str, ...] = ()
    input: str = ""
    unsure: bool = False
    eu_uri: str | None = None
    from_title: bool = False  # the sub-level was read from the qualification title, not from the level field


# --- alignment and registers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SuggestedLevel:
    """An EQF level suggested from a row's learning outcomes and title (``align --suggest-levels``): a suggestion
    for a human to check, never a referenced level (it never fills ``eqf_level``).

    ``eqf_level`` is None when there is no suggestion (the row has a level, or too little text); ``evidence`` holds a
    few readable lines (``"under the supervision" → 2–3 (cue: autonomy)``).
    """

    eqf_level: int | None = None
    confidence: float | None = None
    strength: str = ""  # strong, moderate or weak
    evidence: tuple[str, ...] = ()
    reason: str = ""  # why there is no suggestion ("too little text to suggest a level"), when asked for one


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning one input row: its level, its ESCO skills and occupations, and review flags.

    ``row`` keeps the input columns under their original names, in their original order. ``suggestion`` is set on
    every row when levels were suggested (``suggest_levels``), None otherwise.
    """

    row_number: int  # 1-based position among the data rows of the input
    row: dict[str, str]
    title: str
    level: LevelResolution
    skills: tuple[Match, ...] = ()
    occupations: tuple[Match, ...] = ()
    review: tuple[str, ...] = ()  # reasons a human should look at this row; empty when none
    suggestion: SuggestedLevel | None = None


@dataclass(frozen=True, slots=True)
class RegisterRecord:
    """One qualification in a national register (RNCP, Ofqual/DfE, a generic sheet, an ``align`` output)."""

    country: str
    code: str
    title: str
    register: str  # name of the imported register (source)
    titles: tuple[str, ...] = ()  # other titles/abbreviations
    nqf_level: str = ""
    eqf_level: int | None = None
    level_status: str = "missing"
    awarding_body: str = ""
    skills: tuple[str, ...] = ()  # ESCO skill URIs
    skill_labels: tuple[str, ...] = ()  # their preferred labels, same order (may be empty when unknown)
    occupations: tuple[str, ...] = ()  # ESCO occupation URIs (or ROME codes as given)
    occupation_labels: tuple[str, ...] = ()
    language: str = ""  # ISO 639-1 language of the title(s), when known
    learning_outcomes: str = ""
    isced_f: str = ""
    status: str = ""  # validity: active / inactive / withdrawn, as the source says
    url: str = ""
    source_file: str = ""
    extra: dict[str, str] = field(default_factory=dict)
