"""The ELM 3.1 "LOQ" export model: what an export holds before it is serialised, and the options that shape it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from skillmap.outputs.europass.codelists import VocabConcept
from skillmap.outputs.europass.isced_maps import IscedMap

# ELM 3.1 / 3.2 (LOQ SHACL 1.1.0, QDR XSD 3.1.0). ELM 3.3 moved to another namespace: keep it behind this one setting.
ELM_NS = "http://data.europa.eu/snb/model/elm/"
LOQ_XML_NS = "http://data.europa.eu/snb/model/ap/loq-constraints/"
QDR_XSD_VERSION = "3.1.0"
JSONLD_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"


@dataclass(frozen=True)
class ExportOptions:
    """How records become ELM records.

    ``base_uri`` is the publisher's HTTP(S) namespace: a record's IRI is ``<base_uri>/qualification/<code>``.
    ``isced_f`` applies to every record with no ISCED-F code of its own; ``isced_map`` maps a national subject
    column to ISCED-F first. ``language`` (ISO 639-1) is used when neither the record nor its country (one official
    language) says.
    ``skill_label_lang`` is the language of the skill labels an ``align`` output carries.
    """

    base_uri: str
    isced_f: tuple[str, ...] = ()
    isced_map: IscedMap | None = None
    language: str = ""
    skill_label_lang: str = "en"


@dataclass(frozen=True, slots=True)
class SkillInfo:
    """What the classification knows about a skill: labels per language, ESCO skill type and reuse level."""

    labels: Mapping[str, str]
    skill_type: str | None = None
    reuse_level: str | None = None


@dataclass(frozen=True, slots=True)
class ElmLearningOutcome:
    """One expected learning outcome, linked to one ESCO skill (or another framework's skill), or textual only.

    ``skill_uri`` is None for an outcome described by its title alone (e.g. an RNCP competence block):
    ELM only requires ``dc:title`` on a LearningOutcome, ``relatedESCOSkill`` is optional.
    """

    uri: str
    title: tuple[tuple[str, str], ...]  # (language, text), sorted
    skill_uri: str | None
    skill_labels: tuple[tuple[str, str], ...]
    esco: bool = True
    skill_type: VocabConcept | None = None
    reuse_level: VocabConcept | None = None


@dataclass(frozen=True, slots=True)
class ElmOrganisation:
    """An awarding body, located in a country (the LOQ profile requires a location with a country)."""

    uri: str
    legal_name: tuple[str, str]  # (language, text)
    location_uri: str


@dataclass(frozen=True, slots=True)
class ElmLocation:
    """A country-level location and its address node."""

    uri: str
    address_uri: str
    country: VocabConcept


@dataclass(frozen=True, slots=True)
class ElmCreditPoint:
    """Credit points in a credit system (ECTS / ECVET)."""

    uri: str
    framework: VocabConcept
    point: str


@dataclass(frozen=True, slots=True)
class ElmNote:
    """An ``elm:Note``: free text in one language (entry requirements, further information …)."""

    uri: str
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class ElmAccreditation:
    """The quality assurance of a qualification: an EU accreditation type, the accredited awarding bodies and the
    accrediting agent (an organisation located like them)."""

    uri: str
    accreditation_type: VocabConcept
    title: tuple[str, str]  # (language, text)
    organisations: tuple[str, ...]  # IRIs of the accredited awarding bodies
    accrediting_agent: ElmOrganisation


@dataclass(frozen=True, slots=True)
class ElmQualification:
    """One ``elm:Qualification`` with everything the LOQ profile requires and what Europass displays."""

    uri: str
    row: int
    code: str
    titles: tuple[tuple[str, str], ...]
    eqf: VocabConcept
    nqf: tuple[VocabConcept, ...]
    isced_f: tuple[VocabConcept, ...]
    language: VocabConcept
    outcomes: tuple[ElmLearningOutcome, ...]
    identifier_uri: str = ""
    scheme_name: str = ""
    alt_labels: tuple[tuple[str, str], ...] = ()
    summary: tuple[str, str, str] | None = None  # (note IRI, language, text)
    homepage: tuple[str, str] | None = None  # (web resource IRI, URL)
    awarding_uri: str = ""
    awarding_bodies: tuple[ElmOrganisation, ...] = ()
    awarding_location: ElmLocation | None = None
    credit_points: tuple[ElmCreditPoint, ...] = ()
    volume_of_learning: str = ""
    learning_setting: VocabConcept | None = None
    modes: tuple[VocabConcept, ...] = ()
    assessment_uri: str = ""
    assessment_types: tuple[VocabConcept, ...] = ()
    assessment_notes: tuple[ElmNote, ...] = ()  # supervision and identity verification during assessment
    additional_notes: tuple[ElmNote, ...] = ()  # stackability, quality assurance, further information
    entry_requirement: ElmNote | None = None
    is_partial_qualification: bool | None = None
    accreditations: tuple[ElmAccreditation, ...] = ()


@dataclass(frozen=True, slots=True)
class RowReport:
    """A row left out (``status`` ``skipped``) or exported with a caveat (``note``)."""

    row: int
    code: str
    title: str
    status: str
    reason: str
    hint: str | None = None  # the export keyword that would keep the row (e.g. "nqf_same_eqf"), when one would


@dataclass(frozen=True)
class ElmExport:
    """The exportable records (sorted by IRI) and the report on the rows left out or changed."""

    qualifications: tuple[ElmQualification, ...]
    report: tuple[RowReport, ...] = ()
    rows: int = 0
    warnings: tuple[str, ...] = ()  # about the whole export (e.g. IRIs minted without a code column)

    @property
    def skipped(self) -> tuple[RowReport, ...]:
        """Rows that did not become a record."""
        return tuple(r for r in self.report if r.status == "skipped")

    @property
    def notes(self) -> tuple[RowReport, ...]:
        """Exported rows with a value dropped or repaired."""
        return tuple(r for r in self.report if r.status == "note")


NqfResolver = Callable[[str, str, str], VocabConcept | None]  # (country, nqf_level, framework) → NQF level concept
