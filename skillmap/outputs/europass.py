"""Europass-ready exports: register records → ELM 3.1 "LOQ" qualification records → Turtle, JSON-LD, QDR XML.

The Europass Qualification Dataset Register (QDR) ingests the European Learning Model (ELM) LOQ profile. This
module turns :class:`~skillmap.model.RegisterRecord` rows (from any register reader or an ``align`` output) into
qualification records that pass the official LOQ SHACL shapes and the QDR XSD:

* :func:`build_elm_export` is pure: records + options → :class:`ElmExport` (the records that can be valid, and the
  rows left out with the reason). It never emits a record that lacks a required value.
* :func:`to_turtle`, :func:`to_jsonld`, :func:`to_qdr_xml` serialise an export; output is sorted, so a re-export of
  the same input is byte-identical and record IRIs (minted from the national code) never change.
* :func:`validate_file` checks a written file against shapes/XSD the user holds (offline, no inference).
* :func:`export_europass` is what ``skillmap export europass`` runs: read, build, write atomically, validate, report.

The code lists we write (ISCED-F 2013, languages, countries, EU controlled lists) live in ``data/europass/``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from skillmap.errors import SkillmapError
from skillmap.fileio import atomic_path, atomic_write_rows, bundled_data_dir, read_data_rows
from skillmap.model import RegisterRecord

# ELM 3.1 / 3.2 (LOQ SHACL 1.1.0, QDR XSD 3.1.0). ELM 3.3 moved to another namespace: keep it behind this one setting.
ELM_NS = "http://data.europa.eu/snb/model/elm/"
LOQ_XML_NS = "http://data.europa.eu/snb/model/ap/loq-constraints/"
QDR_XSD_VERSION = "3.1.0"
JSONLD_CONTEXT_URL = "http://data.europa.eu/snb/model/context/edc-ap"

FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld", ".xml": "qdr-xml"}

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
    "skill-type": "http://data.europa.eu/snb/skill-type/25831c2",
    "reuse-level": "http://data.europa.eu/snb/skill-reuse-level/25831c2",
}
EQF_URI = "http://data.europa.eu/snb/eqf/{level}"
ISCED_URI = "http://data.europa.eu/snb/isced-f/{code}"
LANGUAGE_URI = "http://publications.europa.eu/resource/authority/language/{code}"
COUNTRY_URI = "http://publications.europa.eu/resource/authority/country/{code}"
NQF_LEVEL_URI = re.compile(r"^http://data\.europa\.eu/snb/qdr/c_[0-9a-f]{8}$")
ESCO_SKILL_URI = re.compile(r"^http://data\.europa\.eu/esco/skill/[A-Za-z0-9-]+$")
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_URL = re.compile(r"^https?://[^\s/?#<>\"{}|\\^`@]+(?:[/?#][^\s<>\"{}|\\^`]*)?$", re.IGNORECASE)
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACES = re.compile(r"\s+")
LIST_SEPARATOR = re.compile(r"\s*\|\s*")

# Input columns (in RegisterRecord.extra, compared without case and punctuation) for the standard elements of a
# micro-credential (Council Recommendation 2022/C 243/02, Annex I) that ELM carries on a qualification.
MICRO_CREDENTIAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "ects": ("ects", "ectscredits", "creditsects", "ectspoints", "ectscreditpoints"),
    "ecvet": ("ecvet", "ecvetpoints", "ecvetcredits"),
    "hours": (
        "volumeoflearning", "hours", "learninghours", "notionalhours", "notionallearninghours", "workload",
        "totalqualificationtime", "tqt", "volumeoflearninghours",
    ),
    "learning-setting": ("learningsetting", "setting", "typeoflearningsetting"),
    "mode": ("mode", "modeoflearning", "learningmode", "deliverymode", "modeofdelivery", "modeofstudy"),
    "assessment": ("assessment", "assessmenttype", "typeofassessment", "assessmentmethod", "assessmentmethods"),
}  # fmt: skip


# --- code lists -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class VocabConcept:
    """A controlled-vocabulary value: the concept IRI, its English label and its concept scheme."""

    uri: str
    label: str
    scheme: str
    note: str = field(default="", compare=False)  # how it was chosen, when that needs saying (not part of identity)


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
        return self.lists.get(list_name, {}).get(_spelling(value))


def _spelling(value: str) -> str:
    return _SPACES.sub(" ", value.strip().lower().replace("_", " "))


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
        lists: dict[str, dict[str, VocabConcept]] = {}
        for row in read_data_rows(base / "code-lists.csv"):
            concept = VocabConcept(row["uri"], row["label"], SCHEMES[row["list"]])
            for spelling in [row["label"], *row["accepted"].split("|")]:
                lists.setdefault(row["list"], {})[_spelling(spelling)] = concept
    except (OSError, KeyError) as exc:
        raise SkillmapError(f"the bundled Europass code lists in {base} are missing or damaged ({exc})") from exc
    return CodeLists(isced_f=isced, languages=languages, countries=countries, lists=lists)


# --- options and the export model ----------------------------------------------------------------------


@dataclass(frozen=True)
class IscedMap:
    """National subject values (one input column) → ISCED-F codes, e.g. England's sector subject areas."""

    column: str
    codes: Mapping[str, tuple[str, ...]]  # normalised value → ISCED-F codes
    source: str = ""

    def lookup(self, value: str) -> tuple[str, ...]:
        """Codes for one cell; a ``" | "`` list maps part by part, a part also by its leading code (``313 …``)."""
        found: list[str] = []
        for part in LIST_SEPARATOR.split(value.strip()):
            if not part:
                continue
            key = _spelling(part)
            codes = self.codes.get(key) or self.codes.get(key.split(" ")[0], ())
            found.extend(c for c in codes if c not in found)
        return tuple(found)


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


@dataclass(frozen=True, slots=True)
class RowReport:
    """A row left out (``status`` ``skipped``) or exported with a caveat (``note``)."""

    row: int
    code: str
    title: str
    status: str
    reason: str


@dataclass(frozen=True)
class ElmExport:
    """The exportable records (sorted by IRI) and the report on the rows left out or changed."""

    qualifications: tuple[ElmQualification, ...]
    report: tuple[RowReport, ...] = ()
    rows: int = 0

    @property
    def skipped(self) -> tuple[RowReport, ...]:
        """Rows that did not become a record."""
        return tuple(r for r in self.report if r.status == "skipped")

    @property
    def notes(self) -> tuple[RowReport, ...]:
        """Exported rows with a value dropped or repaired."""
        return tuple(r for r in self.report if r.status == "note")


NqfResolver = Callable[[str, str, str], "VocabConcept | None"]  # (country, nqf_level, framework) → NQF level concept


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- identifiers ----------------------------------------------------------------------------------------


def check_base_uri(base_uri: str) -> str:
    """Return ``base_uri`` without a trailing slash, or raise :class:`SkillmapError` if it cannot mint IRIs."""
    text = (base_uri or "").strip()
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or not _SAFE_IRI.match(text)
        or "@" in parts.netloc
    ):
        raise SkillmapError(
            f"--base-uri {base_uri!r} is not a usable namespace: give an absolute http(s) IRI the publisher owns, "
            "without spaces, query or fragment (e.g. https://qualifications.example.org)"
        )
    return text.rstrip("/")


def mint_uri(base_uri: str, kind: str, *parts: str) -> str:
    """``<base>/<kind>/<part>/…`` with every part percent-encoded (only unreserved characters stay as they are)."""
    return "/".join([base_uri, kind, *(quote(part, safe="-._~") for part in parts)])


def _clean_text(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


# --- building -------------------------------------------------------------------------------------------


def build_elm_export(
    records: Sequence[RegisterRecord],
    options: ExportOptions,
    *,
    nqf_level: NqfResolver,
    skills: Mapping[str, SkillInfo] | None = None,
    code_lists: CodeLists | None = None,
) -> ElmExport:
    """Turn register records into ELM qualification records; rows that cannot be valid are reported, not emitted.

    ``nqf_level`` maps (country, national level, framework acronym) to the QDR NQF *level* concept.
    ``skills`` adds labels, skill types and reuse levels from the ESCO classification (optional).
    Rows are numbered from 1 in input order; a code seen before is reported as a duplicate.
    """
    lists = code_lists or load_code_lists()
    base = check_base_uri(options.base_uri)
    default_isced = _checked_isced(options.isced_f, lists, "--isced-f")
    for option, value in (("--language", options.language), ("--skill-label-lang", options.skill_label_lang)):
        if value and lists.language_concept(value) is None:
            raise SkillmapError(
                f"{option} {value!r} is not an ISO 639-1 language code skillmap knows (e.g. en, fr, de)"
            )
    skills = skills or {}
    qualifications: list[ElmQualification] = []
    report: list[RowReport] = []
    seen: dict[str, int] = {}
    for row, record in enumerate(records, start=1):
        notes: list[str] = []
        try:
            code = _clean_text(record.code)
            if code in seen:
                raise _Skip(f"duplicate code {code!r} (first on row {seen[code]}); the IRI must be unique")
            qualification = _qualification(row, record, options, base, lists, default_isced, nqf_level, skills, notes)
            seen[code] = row
        except _Skip as skip:
            report.append(RowReport(row, record.code, record.title, "skipped", skip.reason))
            continue
        qualifications.append(qualification)
        report.extend(RowReport(row, record.code, record.title, "note", note) for note in notes)
    qualifications.sort(key=lambda q: q.uri)
    return ElmExport(qualifications=tuple(qualifications), report=tuple(report), rows=len(records))


def _checked_isced(codes: Iterable[str], lists: CodeLists, where: str) -> tuple[VocabConcept, ...]:
    concepts: list[VocabConcept] = []
    for code in codes:
        concept = lists.isced_concept(code)
        if concept is None:
            raise SkillmapError(
                f"{where}: {code!r} is not an ISCED-F 2013 field code (use 2–4 digits such as 04, 041, 0413)"
            )
        if concept not in concepts:
            concepts.append(concept)
    return tuple(concepts)


def _qualification(
    row: int,
    record: RegisterRecord,
    options: ExportOptions,
    base: str,
    lists: CodeLists,
    default_isced: tuple[VocabConcept, ...],
    nqf_level: NqfResolver,
    skills: Mapping[str, SkillInfo],
    notes: list[str],
) -> ElmQualification:
    code = _clean_text(record.code)
    title = _clean_text(record.title)
    if not code:
        raise _Skip("no code: a record IRI is minted from the national code")
    if not title:
        raise _Skip("no title")

    # Levels: exactly one EQF level, and the QDR concept of the national level (never the framework concept).
    if record.level_status == "ambiguous":
        raise _Skip(f"ambiguous level {record.nqf_level or ''}: one EQF level is required".replace("  ", " "))
    if record.eqf_level is None:
        raise _Skip(f"no EQF level (level status: {record.level_status or 'missing'})")
    if not 1 <= int(record.eqf_level) <= 8:
        raise _Skip(f"EQF level {record.eqf_level} is not 1–8")
    eqf = VocabConcept(EQF_URI.format(level=int(record.eqf_level)), f"Level {int(record.eqf_level)}", SCHEMES["eqf"])
    nqf_text = _clean_text(record.nqf_level)
    if not nqf_text:
        raise _Skip("no NQF level")
    framework = _clean_text(record.extra.get("framework", ""))
    nqf = nqf_level(record.country, nqf_text, framework)
    if nqf is None:
        raise _Skip(f"no QDR NQF level concept for {record.country} {framework} level {nqf_text}".replace("  ", " "))
    if nqf.note:
        notes.append(nqf.note)

    language = _record_language(record, options, lists)
    lang = language[0]
    isced = _record_isced(record, options, lists, default_isced)
    outcomes = _outcomes(record, code, lang, options, base, lists, skills, notes)

    uri = mint_uri(base, "qualification", code)
    titles = ((lang, title),)
    alt = sorted({(lang, t) for t in (_clean_text(x) for x in record.titles) if t and t != title})
    summary_text = _clean_text(record.learning_outcomes)
    summary = (mint_uri(base, "note", code, "learning-outcome-summary"), lang, summary_text) if summary_text else None
    homepage = None
    url = _clean_text(record.url)
    if url:
        if _URL.match(url) and _SAFE_IRI.match(url):
            homepage = (mint_uri(base, "web-resource", code), url)
        else:
            notes.append(f"homepage left out: {url!r} is not an http(s) URL")

    bodies: tuple[ElmOrganisation, ...] = ()
    location = None
    awarding_uri = ""
    names = [n for n in (_clean_text(x) for x in LIST_SEPARATOR.split(record.awarding_body or "")) if n]
    if names:
        country = lists.country_concept(record.country)
        if country is None:
            notes.append(f"awarding body left out: country {record.country!r} has no EU country code in our list")
        else:
            code3 = country.uri.rsplit("/", 1)[1]
            location = ElmLocation(mint_uri(base, "location", code3), mint_uri(base, "address", code3), country)
            bodies = tuple(
                sorted(
                    {
                        ElmOrganisation(mint_uri(base, "organisation", code3, name), (lang, name), location.uri)
                        for name in names
                    },
                    key=lambda o: o.uri,
                )
            )
            awarding_uri = mint_uri(base, "awarding-opportunity", code)

    micro = _micro_credential(record, code, base, lists, notes)
    return ElmQualification(
        uri=uri,
        row=row,
        code=code,
        titles=titles,
        eqf=eqf,
        nqf=(nqf,),
        isced_f=isced,
        language=language[1],
        outcomes=outcomes,
        identifier_uri=mint_uri(base, "identifier", code),
        scheme_name=_clean_text(record.register),
        alt_labels=tuple(alt),
        summary=summary,
        homepage=homepage,
        awarding_uri=awarding_uri,
        awarding_bodies=bodies,
        awarding_location=location,
        **micro,
    )


def _record_language(record: RegisterRecord, options: ExportOptions, lists: CodeLists) -> tuple[str, VocabConcept]:
    wanted = (record.language or "").strip().lower()
    source = "the record"
    if not wanted:
        entry = lists.country_entry(record.country)
        if entry and len(entry[2]) == 1:
            wanted, source = entry[2][0], f"the language of {record.country}"
    if not wanted and options.language:
        wanted, source = options.language.strip().lower(), "--language"
    if not wanted:
        raise _Skip(f"no language: {record.country or 'the country'} has several or none in our list; pass --language")
    wanted = wanted.replace("_", "-").split("-")[0]  # "en-GB" → "en": the EU list has no regional variants
    concept = lists.language_concept(wanted)
    if concept is None:
        raise _Skip(f"language {wanted!r} (from {source}) is not an ISO 639-1 code skillmap knows")
    return wanted, concept


def _extra_value(record: RegisterRecord, names: Iterable[str]) -> str:
    wanted = set(names)
    for key, value in record.extra.items():
        if _key(key) in wanted and str(value).strip():
            return str(value).strip()
    return ""


def _record_isced(
    record: RegisterRecord, options: ExportOptions, lists: CodeLists, default: tuple[VocabConcept, ...]
) -> tuple[VocabConcept, ...]:
    # the record's own field, or an input column named like it ("ISCED-F", "isced_f_code") carried in extra
    given = (record.isced_f or "").strip() or _extra_value(record, ("iscedf", "iscedfcode", "iscedf2013", "isced"))
    own = [c for c in LIST_SEPARATOR.split(given) if c]
    if own:
        concepts = []
        for code in own:
            concept = lists.isced_concept(code)
            if concept is None:
                raise _Skip(f"ISCED-F code {code!r} does not exist in ISCED-F 2013")
            concepts.append(concept)
        return tuple(sorted(set(concepts)))
    if options.isced_map is not None:
        value = _extra_value(record, (_key(options.isced_map.column),))
        codes = options.isced_map.lookup(value) if value else ()
        if codes:
            return tuple(sorted({c for c in (lists.isced_concept(x) for x in codes) if c is not None}))
        if not default:
            what = f"{options.isced_map.column} {value!r}" if value else f"no {options.isced_map.column} value"
            raise _Skip(f"no ISCED-F code: {what} is not in {options.isced_map.source or 'the ISCED-F map'}")
    if default:
        return tuple(sorted(default))
    raise _Skip("no ISCED-F code: give the input an isced_f column, --isced-f CODE or --isced-map FILE")


def _outcomes(
    record: RegisterRecord,
    code: str,
    lang: str,
    options: ExportOptions,
    base: str,
    lists: CodeLists,
    skills: Mapping[str, SkillInfo],
    notes: list[str],
) -> tuple[ElmLearningOutcome, ...]:
    outcomes: dict[str, ElmLearningOutcome] = {}
    labels = list(record.skill_labels)
    for index, raw in enumerate(record.skills):
        skill_uri = raw.strip()
        if not skill_uri or skill_uri in {o.skill_uri for o in outcomes.values()}:
            continue
        if not _SAFE_IRI.match(skill_uri):
            notes.append(f"skill {skill_uri!r} left out: not an http(s) IRI")
            continue
        info = skills.get(skill_uri)
        skill_labels: dict[str, str] = {}
        given = _clean_text(labels[index]) if index < len(labels) else ""
        if given:
            skill_labels[options.skill_label_lang] = given
        if info is not None:
            for lang in {"en", record.language or options.language}:
                if lang and info.labels.get(lang) and lang not in skill_labels:
                    skill_labels[lang] = _clean_text(info.labels[lang])
        if not skill_labels:
            notes.append(f"skill {skill_uri} left out: no label (import ESCO or keep skill_labels in the input)")
            continue
        local = skill_uri.rstrip("/").rsplit("/", 1)[-1]
        lo_uri = mint_uri(base, "learning-outcome", code, local)
        if lo_uri in outcomes:  # two frameworks' skills ending alike: disambiguate stably
            lo_uri = mint_uri(base, "learning-outcome", code, hashlib.sha1(skill_uri.encode()).hexdigest()[:12])
        skill_type = reuse = None
        if info is not None:
            skill_type = lists.lookup("skill-type", info.skill_type or "") if info.skill_type else None
            reuse = lists.lookup("reuse-level", info.reuse_level or "") if info.reuse_level else None
        pairs = tuple(sorted(skill_labels.items()))
        outcomes[lo_uri] = ElmLearningOutcome(
            uri=lo_uri,
            title=pairs,
            skill_uri=skill_uri,
            skill_labels=pairs,
            esco=bool(ESCO_SKILL_URI.match(skill_uri)),
            skill_type=skill_type,
            reuse_level=reuse,
        )
    if not outcomes:
        # No usable skill: a register's own competence blocks (RNCP "CODE: label | …") are textual outcomes.
        for block_code, label in _competence_blocks(record):
            part = block_code or hashlib.sha1(label.encode()).hexdigest()[:12]
            lo_uri = mint_uri(base, "learning-outcome", code, part)
            if lo_uri not in outcomes:
                outcomes[lo_uri] = ElmLearningOutcome(
                    uri=lo_uri, title=((lang, label),), skill_uri=None, skill_labels=()
                )
    if not outcomes:
        raise _Skip("no learning outcome: no ESCO skill linked (align the register first, or keep its skills column)")
    return tuple(outcomes[k] for k in sorted(outcomes))


def _competence_blocks(record: RegisterRecord) -> list[tuple[str, str]]:
    """(block code, label) pairs from ``extra["competence_blocks"]`` ("CODE: label | CODE: label"); label required."""
    blocks: list[tuple[str, str]] = []
    for item in LIST_SEPARATOR.split(record.extra.get("competence_blocks", "") or ""):
        block_code, sep, label = item.partition(":")
        if not sep:
            block_code, label = "", item
        block_code, label = _clean_text(block_code), _clean_text(label)
        if label:
            blocks.append((block_code, label))
    return blocks


def _number(text: str) -> str | None:
    value = text.strip().replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        return None
    number = float(value)
    if number <= 0:
        return None
    return str(int(number)) if number == int(number) else f"{number:g}"


def _micro_credential(
    record: RegisterRecord, code: str, base: str, lists: CodeLists, notes: list[str]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    points: list[ElmCreditPoint] = []
    for system, framework_key in (("ects", "ects"), ("ecvet", "ecvet")):
        raw = _extra_value(record, MICRO_CREDENTIAL_COLUMNS[system])
        if not raw:
            continue
        point = _number(raw)
        framework = lists.lookup("credit-framework", framework_key)
        if point is None or framework is None:
            notes.append(f"{system.upper()} credits left out: {raw!r} is not a positive number")
            continue
        points.append(ElmCreditPoint(mint_uri(base, "credit-point", code, system), framework, point))
    if points:
        found["credit_points"] = tuple(sorted(points, key=lambda p: p.uri))

    raw = _extra_value(record, MICRO_CREDENTIAL_COLUMNS["hours"])
    if raw:
        hours = _number(raw)
        if hours is not None:
            found["volume_of_learning"] = f"PT{hours}H"
        elif _DURATION.match(raw.strip().upper()):
            found["volume_of_learning"] = raw.strip().upper()
        else:
            notes.append(f"volume of learning left out: {raw!r} is neither hours nor an ISO 8601 duration")

    raw = _extra_value(record, MICRO_CREDENTIAL_COLUMNS["learning-setting"])
    if raw:
        setting = lists.lookup("learning-setting", raw)
        if setting is None:
            notes.append(f"learning setting left out: {raw!r} is not formal / non-formal")
        else:
            found["learning_setting"] = setting

    for list_name, column in (("mode", "mode"), ("assessment", "assessment")):
        raw = _extra_value(record, MICRO_CREDENTIAL_COLUMNS[column])
        if not raw:
            continue
        concepts = set()
        for part in re.split(r"\s*[|;,/]\s*|\s+and\s+", raw):
            if not part.strip():
                continue
            concept = lists.lookup(list_name, part)
            if concept is None:
                notes.append(f"{list_name} {part.strip()!r} left out: not in the EU list of {list_name}s")
            else:
                concepts.add(concept)
        if concepts and list_name == "mode":
            found["modes"] = tuple(sorted(concepts))
        elif concepts:
            found["assessment_types"] = tuple(sorted(concepts))
            found["assessment_uri"] = mint_uri(base, "assessment", code)
    return found


# --- nodes shared by the serialisers --------------------------------------------------------------------


def _concepts(export: ElmExport) -> list[VocabConcept]:
    found: set[VocabConcept] = set()
    for q in export.qualifications:
        found.add(q.eqf)
        found.add(q.language)
        found.update(q.nqf)
        found.update(q.isced_f)
        found.update(q.modes)
        found.update(q.assessment_types)
        found.update(p.framework for p in q.credit_points)
        if q.learning_setting:
            found.add(q.learning_setting)
        if q.awarding_location:
            found.add(q.awarding_location.country)
        for o in q.outcomes:
            if o.skill_type:
                found.add(o.skill_type)
            if o.reuse_level:
                found.add(o.reuse_level)
    return sorted(found)


def _skill_nodes(export: ElmExport) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    nodes: dict[str, dict[str, str]] = {}
    for q in export.qualifications:
        for o in q.outcomes:
            if o.skill_uri is None:
                continue
            labels = nodes.setdefault(o.skill_uri, {})
            for lang, text in o.skill_labels:
                labels.setdefault(lang, text)  # one prefLabel per language, the first one met in IRI order
    return [(uri, tuple(sorted(labels.items()))) for uri, labels in sorted(nodes.items())]


def _organisations(export: ElmExport) -> tuple[list[ElmOrganisation], list[ElmLocation]]:
    orgs: dict[str, ElmOrganisation] = {}
    locations: dict[str, ElmLocation] = {}
    for q in export.qualifications:
        for org in q.awarding_bodies:
            orgs.setdefault(org.uri, org)
        if q.awarding_location:
            locations.setdefault(q.awarding_location.uri, q.awarding_location)
    return [orgs[k] for k in sorted(orgs)], [locations[k] for k in sorted(locations)]


# --- Turtle ---------------------------------------------------------------------------------------------

_TTL_PREFIXES = (
    ("adms", "http://www.w3.org/ns/adms#"),
    ("dc", "http://purl.org/dc/terms/"),
    ("elm", ELM_NS),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("rov", "http://www.w3.org/ns/regorg#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)
_TTL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _ttl_literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    body = "".join(_TTL_ESCAPES.get(ch, ch) if ch in _TTL_ESCAPES or ch >= " " else f"\\u{ord(ch):04X}" for ch in text)
    if lang:
        return f'"{body}"@{lang}'
    if datatype:
        return f'"{body}"^^{datatype}'
    return f'"{body}"'


def _iri(uri: str) -> str:
    return f"<{uri}>"


def _ttl_block(subject: str, rdf_type: str, properties: Sequence[tuple[str, Sequence[str]]]) -> str:
    lines = [f"{_iri(subject)} a {rdf_type}"]
    for predicate, objects in properties:
        if objects:
            lines.append(f"    {predicate} {' , '.join(objects)}")
    return " ;\n".join(lines) + " .\n"


def _langs(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return [_ttl_literal(text, lang) for lang, text in pairs]


def to_turtle(export: ElmExport) -> str:
    """Serialise an export as Turtle (ELM 3.1 LOQ), sorted so equal input gives byte-identical output."""
    out = io.StringIO()
    out.write("# Europass / QDR qualification records (ELM 3.1, LOQ profile) written by skillmap.\n")
    for prefix, ns in _TTL_PREFIXES:
        out.write(f"@prefix {prefix}: <{ns}> .\n")
    for q in export.qualifications:
        out.write("\n")
        out.write(
            _ttl_block(
                q.uri,
                "elm:Qualification",
                [
                    ("adms:identifier", [_iri(q.identifier_uri)] if q.identifier_uri else []),
                    ("dc:title", _langs(q.titles)),
                    ("skos:altLabel", _langs(q.alt_labels)),
                    ("foaf:homepage", [_iri(q.homepage[0])] if q.homepage else []),
                    ("elm:learningOutcomeSummary", [_iri(q.summary[0])] if q.summary else []),
                    ("elm:ISCEDFCode", [_iri(c.uri) for c in q.isced_f]),
                    (
                        "elm:volumeOfLearning",
                        [_ttl_literal(q.volume_of_learning, datatype="xsd:duration")] if q.volume_of_learning else [],
                    ),
                    ("elm:creditPoint", [_iri(p.uri) for p in q.credit_points]),
                    ("dc:language", [_iri(q.language.uri)]),
                    ("elm:mode", [_iri(c.uri) for c in q.modes]),
                    ("elm:learningSetting", [_iri(q.learning_setting.uri)] if q.learning_setting else []),
                    ("elm:learningOutcome", [_iri(o.uri) for o in q.outcomes]),
                    ("elm:provenBy", [_iri(q.assessment_uri)] if q.assessment_uri else []),
                    ("elm:awardingOpportunity", [_iri(q.awarding_uri)] if q.awarding_uri else []),
                    ("elm:EQFLevel", [_iri(q.eqf.uri)]),
                    ("elm:NQFLevel", [_iri(c.uri) for c in q.nqf]),
                ],
            )
        )
        if q.identifier_uri:
            props = [("skos:notation", [_ttl_literal(q.code)])]
            if q.scheme_name:
                props.append(("elm:schemeName", [_ttl_literal(q.scheme_name, datatype="xsd:string")]))
            out.write(_ttl_block(q.identifier_uri, "elm:Identifier", props))
        if q.summary:
            out.write(
                _ttl_block(q.summary[0], "elm:Note", [("elm:noteLiteral", [_ttl_literal(q.summary[2], q.summary[1])])])
            )
        if q.homepage:
            url = _ttl_literal(q.homepage[1], datatype="xsd:anyURI")
            out.write(_ttl_block(q.homepage[0], "elm:WebResource", [("elm:contentUrl", [url])]))
        for point in q.credit_points:
            out.write(
                _ttl_block(
                    point.uri,
                    "elm:CreditPoint",
                    [
                        ("elm:framework", [_iri(point.framework.uri)]),
                        ("elm:point", [_ttl_literal(point.point, datatype="xsd:string")]),
                    ],
                )
            )
        if q.assessment_uri:
            title = ", ".join(c.label for c in q.assessment_types)
            out.write(
                _ttl_block(
                    q.assessment_uri,
                    "elm:LearningAssessmentSpecification",
                    [
                        ("dc:title", [_ttl_literal(f"Assessment: {title}", "en")]),
                        ("dc:type", [_iri(c.uri) for c in q.assessment_types]),
                    ],
                )
            )
        if q.awarding_uri and q.awarding_location:
            out.write(
                _ttl_block(
                    q.awarding_uri,
                    "elm:AwardingOpportunity",
                    [
                        ("elm:awardingBody", [_iri(o.uri) for o in q.awarding_bodies]),
                        ("elm:location", [_iri(q.awarding_location.uri)]),
                        ("elm:learningAchievementSpecification", [_iri(q.uri)]),
                    ],
                )
            )
        for o in q.outcomes:
            out.write(
                _ttl_block(
                    o.uri,
                    "elm:LearningOutcome",
                    [
                        ("dc:title", _langs(o.title)),
                        ("dc:type", [_iri(o.skill_type.uri)] if o.skill_type else []),
                        ("elm:reusabilityLevel", [_iri(o.reuse_level.uri)] if o.reuse_level else []),
                        (
                            "elm:relatedESCOSkill" if o.esco else "elm:relatedSkill",
                            [_iri(o.skill_uri)] if o.skill_uri else [],
                        ),
                    ],
                )
            )
    orgs, locations = _organisations(export)
    if orgs or locations:
        out.write("\n# awarding bodies and their locations\n")
    for org in orgs:
        out.write(
            _ttl_block(
                org.uri,
                "elm:Organisation",
                [("rov:legalName", _langs([org.legal_name])), ("elm:location", [_iri(org.location_uri)])],
            )
        )
    for loc in locations:
        out.write(_ttl_block(loc.uri, "dc:Location", [("elm:address", [_iri(loc.address_uri)])]))
        out.write(_ttl_block(loc.address_uri, "elm:Address", [("elm:countryCode", [_iri(loc.country.uri)])]))
    out.write("\n# ESCO skills (no skos:inScheme: the LOQ 3.1 shapes reject the ESCO scheme IRI)\n")
    for uri, labels in _skill_nodes(export):
        out.write(_ttl_block(uri, "skos:Concept", [("skos:prefLabel", _langs(labels))]))
    out.write("\n# controlled vocabularies\n")
    concepts = _concepts(export)
    for c in concepts:
        out.write(
            _ttl_block(
                c.uri,
                "skos:Concept",
                [("skos:inScheme", [_iri(c.scheme)]), ("skos:prefLabel", _langs([("en", c.label)]))],
            )
        )
    for scheme in sorted({c.scheme for c in concepts}):
        out.write(f"{_iri(scheme)} a skos:ConceptScheme .\n")
    return out.getvalue()


# --- JSON-LD --------------------------------------------------------------------------------------------

_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"


def _lang_map(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return dict(sorted(pairs))


def _concept_node(c: VocabConcept) -> dict[str, Any]:
    return {
        "id": c.uri,
        "type": "Concept",
        "inScheme": c.scheme,
        "prefLabel": {"en": c.label},
    }


def to_jsonld(export: ElmExport) -> str:
    """Serialise an export as JSON-LD with the ELM context (``edc-ap``), one flat ``@graph`` sorted by ``id``."""
    nodes: list[dict[str, Any]] = []
    for q in export.qualifications:
        node: dict[str, Any] = {"id": q.uri, "type": "Qualification"}
        if q.identifier_uri:
            node["identifier"] = [q.identifier_uri]
            identifier: dict[str, Any] = {"id": q.identifier_uri, "type": "Identifier", "notation": q.code}
            if q.scheme_name:
                identifier["schemeName"] = q.scheme_name
            nodes.append(identifier)
        node["title"] = _lang_map(q.titles)
        if q.alt_labels:
            # one alternative per language fits a language map; more go in a value list
            node["http://www.w3.org/2004/02/skos/core#altLabel"] = [
                {"@value": text, "@language": lang} for lang, text in q.alt_labels
            ]
        if q.homepage:
            node["homepage"] = [q.homepage[0]]
            nodes.append(
                {
                    "id": q.homepage[0],
                    "type": "WebResource",
                    ELM_NS + "contentUrl": {"@value": q.homepage[1], "@type": _ANYURI},
                }
            )
        if q.summary:
            node["learningOutcomeSummary"] = q.summary[0]
            nodes.append({"id": q.summary[0], "type": "Note", "noteLiteral": {q.summary[1]: q.summary[2]}})
        node["thematicArea"] = [c.uri for c in q.isced_f]
        if q.volume_of_learning:
            node["volumeOfLearning"] = q.volume_of_learning
        if q.credit_points:
            node["creditPoint"] = [p.uri for p in q.credit_points]
            nodes.extend(
                {"id": p.uri, "type": "CreditPoint", "framework": p.framework.uri, "point": p.point}
                for p in q.credit_points
            )
        node["language"] = [q.language.uri]
        if q.modes:
            node["mode"] = [c.uri for c in q.modes]
        if q.learning_setting:
            node["learningSetting"] = q.learning_setting.uri
        node["learningOutcome"] = [o.uri for o in q.outcomes]
        if q.assessment_uri:
            node["provenBy"] = [q.assessment_uri]
            nodes.append(
                {
                    "id": q.assessment_uri,
                    "type": "LearningAssessmentSpecification",
                    "title": {"en": "Assessment: " + ", ".join(c.label for c in q.assessment_types)},
                    "dcType": [c.uri for c in q.assessment_types],
                }
            )
        if q.awarding_uri and q.awarding_location:
            node["awardingOpportunity"] = [q.awarding_uri]
            nodes.append(
                {
                    "id": q.awarding_uri,
                    "type": "AwardingOpportunity",
                    "awardingBody": [o.uri for o in q.awarding_bodies],
                    "location": q.awarding_location.uri,
                    "learningAchievementSpecification": q.uri,
                }
            )
        node["eqfLevel"] = q.eqf.uri
        node["nqfLevel"] = [c.uri for c in q.nqf]
        nodes.append(node)
        for o in q.outcomes:
            outcome: dict[str, Any] = {"id": o.uri, "type": "LearningOutcome", "title": _lang_map(o.title)}
            if o.skill_type:
                outcome["dcType"] = o.skill_type.uri
            if o.reuse_level:
                outcome["reusabilityLevel"] = o.reuse_level.uri
            if o.skill_uri:
                outcome["relatedESCOSkill" if o.esco else "relatedSkill"] = [o.skill_uri]
            nodes.append(outcome)
    orgs, locations = _organisations(export)
    for org in orgs:
        nodes.append(
            {
                "id": org.uri,
                "type": "Organisation",
                "legalName": _lang_map([org.legal_name]),
                "location": [org.location_uri],
            }
        )
    for loc in locations:
        nodes.append({"id": loc.uri, "type": "Location", "address": [loc.address_uri]})
        nodes.append({"id": loc.address_uri, "type": "Address", "countryCode": loc.country.uri})
    for uri, labels in _skill_nodes(export):
        nodes.append({"id": uri, "type": "Concept", "prefLabel": _lang_map(labels)})
    concepts = _concepts(export)
    nodes.extend(_concept_node(c) for c in concepts)
    nodes.extend({"id": s, "type": "ConceptScheme"} for s in sorted({c.scheme for c in concepts}))
    nodes.sort(key=lambda n: n["id"])
    document = {"@context": [JSONLD_CONTEXT_URL, {"id": "@id", "type": "@type"}], "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# --- QDR XML --------------------------------------------------------------------------------------------


def _x(text: str) -> str:
    return xml_escape(text)


def _xml_langs(element: str, pairs: Iterable[tuple[str, str]], indent: str) -> list[str]:
    return [f"{indent}<{element} language={quoteattr(lang)}>{_x(text)}</{element}>" for lang, text in pairs]


def _uri_el(element: str, uri: str, indent: str) -> str:
    return f"{indent}<{element} uri={quoteattr(uri)}/>"


def _ref_el(element: str, uri: str, indent: str) -> str:
    return f"{indent}<{element} idref={quoteattr(uri)}/>"


def to_qdr_xml(export: ElmExport) -> str:
    """Serialise an export in the QDR LOQ XML upload format (``loq.xsd`` 3.1.0), elements in schema order."""
    i2, i3, i4 = "  " * 2, "  " * 3, "  " * 4
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Europass / QDR qualification records (ELM 3.1, LOQ profile) written by skillmap. -->",
        f'<Courses xmlns="{LOQ_XML_NS}" xmlns:skos="http://www.w3.org/2004/02/skos/core#" '
        f'xsdVersion="{QDR_XSD_VERSION}">',
        "  <learningAchievementSpecificationReferences>",
    ]
    for q in export.qualifications:
        lines.append(f"{i2}<qualification id={quoteattr(q.uri)}>")
        lines.append(f"{i3}<identifier>")
        lines.append(f"{i4}<skos:notation>{_x(q.code)}</skos:notation>")
        if q.scheme_name:
            lines.append(f"{i4}<schemeName>{_x(q.scheme_name)}</schemeName>")
        lines.append(f"{i3}</identifier>")
        lines.extend(_xml_langs("title", q.titles, i3))
        lines.extend(_xml_langs("skos:altLabel", q.alt_labels, i3))
        if q.homepage:
            lines.append(f"{i3}<homepage>")
            lines.append(f"{i4}<contentUrl>{_x(q.homepage[1])}</contentUrl>")
            lines.append(f"{i3}</homepage>")
        if q.summary:
            lines.append(f"{i3}<learningOutcomeSummary>")
            lines.extend(_xml_langs("noteLiteral", [(q.summary[1], q.summary[2])], i4))
            lines.append(f"{i3}</learningOutcomeSummary>")
        lines.extend(_uri_el("ISCEDFCode", c.uri, i3) for c in q.isced_f)
        if q.volume_of_learning:
            lines.append(f"{i3}<volumeOfLearning>{_x(q.volume_of_learning)}</volumeOfLearning>")
        for point in q.credit_points:
            lines.append(f"{i3}<creditPoint>")
            lines.append(_uri_el("framework", point.framework.uri, i4))
            lines.append(f"{i4}<point>{_x(point.point)}</point>")
            lines.append(f"{i3}</creditPoint>")
        lines.append(_uri_el("language", q.language.uri, i3))
        lines.extend(_uri_el("mode", c.uri, i3) for c in q.modes)
        if q.learning_setting:
            lines.append(_uri_el("learningSetting", q.learning_setting.uri, i3))
        lines.extend(_ref_el("learningOutcome", o.uri, i3) for o in q.outcomes)
        if q.assessment_uri:
            lines.append(_ref_el("provenBy", q.assessment_uri, i3))
        if q.awarding_uri and q.awarding_location:
            lines.append(f"{i3}<awardingOpportunity>")
            lines.extend(_ref_el("awardingBody", o.uri, i4) for o in q.awarding_bodies)
            lines.append(_ref_el("location", q.awarding_location.uri, i4))
            lines.append(_ref_el("learningAchievementSpecification", q.uri, i4))
            lines.append(f"{i3}</awardingOpportunity>")
        lines.append(_uri_el("EQFLevel", q.eqf.uri, i3))
        lines.extend(_uri_el("NQFLevel", c.uri, i3) for c in q.nqf)
        lines.append(f"{i2}</qualification>")
    lines.append("  </learningAchievementSpecificationReferences>")
    outcomes = sorted((o for q in export.qualifications for o in q.outcomes), key=lambda o: o.uri)
    lines.append("  <learningOutcomeReferences>")
    for o in outcomes:
        lines.append(f"{i2}<learningOutcome id={quoteattr(o.uri)}>")
        lines.extend(_xml_langs("title", o.title, i3))
        if o.skill_type:
            lines.append(_uri_el("type", o.skill_type.uri, i3))
        if o.reuse_level:
            lines.append(_uri_el("reusabilityLevel", o.reuse_level.uri, i3))
        if o.skill_uri:
            element = "relatedESCOSkill" if o.esco else "relatedSkill"
            lines.append(f"{i3}<{element} uri={quoteattr(o.skill_uri)}>")
            lines.extend(_xml_langs("skos:prefLabel", o.skill_labels, i4))
            lines.append(f"{i3}</{element}>")
        lines.append(f"{i2}</learningOutcome>")
    lines.append("  </learningOutcomeReferences>")
    assessed = sorted((q for q in export.qualifications if q.assessment_uri), key=lambda q: q.assessment_uri)
    if assessed:
        lines.append("  <learningAssessmentSpecificationReferences>")
        for q in assessed:
            lines.append(f"{i2}<learningAssessmentSpecification id={quoteattr(q.assessment_uri)}>")
            title = "Assessment: " + ", ".join(c.label for c in q.assessment_types)
            lines.extend(_xml_langs("title", [("en", title)], i3))
            lines.extend(_uri_el("type", c.uri, i3) for c in q.assessment_types)
            lines.append(f"{i2}</learningAssessmentSpecification>")
        lines.append("  </learningAssessmentSpecificationReferences>")
    orgs, locations = _organisations(export)
    if orgs:
        lines.append("  <agentReferences>")
        for org in orgs:
            lines.append(f"{i2}<organisation id={quoteattr(org.uri)}>")
            lines.extend(_xml_langs("legalName", [org.legal_name], i3))
            lines.append(_ref_el("location", org.location_uri, i3))
            lines.append(f"{i2}</organisation>")
        lines.append("  </agentReferences>")
    if locations:
        lines.append("  <locationReferences>")
        for loc in locations:
            lines.append(f"{i2}<location id={quoteattr(loc.uri)}>")
            lines.append(f"{i3}<address>")
            lines.append(_uri_el("countryCode", loc.country.uri, i4))
            lines.append(f"{i3}</address>")
            lines.append(f"{i2}</location>")
        lines.append("  </locationReferences>")
    lines.append("</Courses>")
    return "\n".join(lines) + "\n"


SERIALISERS: dict[str, Callable[[ElmExport], str]] = {"turtle": to_turtle, "json-ld": to_jsonld, "qdr-xml": to_qdr_xml}


def format_for(path: str | Path) -> str:
    """The export format a file name asks for (``.ttl`` Turtle, ``.jsonld`` JSON-LD, ``.xml`` QDR XML)."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise SkillmapError(f"cannot tell the export format of {Path(path).name}: use .ttl, .jsonld or .xml")
    return FORMATS[suffix]


def serialise(export: ElmExport, fmt: str) -> str:
    """Serialise ``export`` in ``fmt`` (``turtle``, ``json-ld`` or ``qdr-xml``)."""
    return SERIALISERS[fmt](export)


# --- national subject → ISCED-F maps --------------------------------------------------------------------


def read_isced_map(path: str | Path, code_lists: CodeLists | None = None) -> IscedMap:
    """Read a two-column CSV: the header names the input column (``SectorSubjectArea``, ``nsf_codes`` …) and
    ``isced_f``; each row maps one value of that column to ISCED-F codes (several joined by ``|``).
    A bare name (``england-ssa``) selects a map bundled in ``data/europass/isced-maps/``.

    Lines starting with ``#`` are comments. Every code must exist in ISCED-F 2013.
    """
    lists = code_lists or load_code_lists()
    path = Path(path)
    bundled = bundled_data_dir() / "europass" / "isced-maps" / f"{path.name}.csv"
    if not path.is_file() and path.parent == Path(".") and bundled.is_file():
        path = bundled
    if not path.is_file():
        names = sorted(p.stem for p in (bundled_data_dir() / "europass" / "isced-maps").glob("*.csv"))
        raise SkillmapError(f"ISCED-F map {path} not found; give a CSV file or a bundled map: {', '.join(names)}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SkillmapError(f"cannot read the ISCED-F map {path}: {exc}") from exc
    rows = [r for r in csv.reader(line for line in text.splitlines() if line.strip() and not line.startswith("#"))]
    if not rows or len(rows[0]) != 2 or _key(rows[0][1]) not in ("iscedf", "iscedfcode", "isced"):
        raise SkillmapError(
            f"{path.name} is not an ISCED-F map: expected a header '<input column>,isced_f' and two columns per row"
        )
    column = rows[0][0].strip()
    codes: dict[str, tuple[str, ...]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[0].strip():
            raise SkillmapError(f"{path.name} line {number}: expected '<value>,<ISCED-F code>'")
        concepts = _checked_isced(
            [c for c in LIST_SEPARATOR.split(row[1].strip()) if c], lists, f"{path.name} line {number}"
        )
        if not concepts:
            raise SkillmapError(f"{path.name} line {number}: no ISCED-F code for {row[0].strip()!r}")
        codes[_spelling(row[0])] = tuple(c.uri.rsplit("/", 1)[1] for c in concepts)
    return IscedMap(column=column, codes=codes, source=path.name)


# --- inputs from the other stages -----------------------------------------------------------------------


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
                    f"(same EQF level {level.eqf_level}, --nqf-same-eqf)"
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


# --- validation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one export file against user-supplied shapes or XSD."""

    conforms: bool
    engine: str
    problems: tuple[str, ...] = ()


def _find_shapes(folder: Path) -> list[Path]:
    candidates = []
    for path in sorted(folder.rglob("*.ttl")):
        try:
            head = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "http://www.w3.org/ns/shacl#" in head and "NodeShape" in head:
            candidates.append(path)
    preferred = [p for p in candidates if "pyshacl" in p.name.lower()]
    return preferred[:1] or candidates


def _find_context(folder: Path) -> Path | None:
    contexts = sorted(folder.rglob("edc-ap-context*.jsonld"), key=lambda p: ("3.2" not in p.name, p.name))
    return contexts[0] if contexts else None


def validate_file(path: str | Path, shapes_dir: str | Path, fmt: str | None = None) -> ValidationResult:
    """Validate an export offline: SHACL (pyshacl, no inference, no ontology, no imports) for Turtle/JSON-LD,
    the QDR XSD (lxml) for XML. ``shapes_dir`` holds a pyshacl-ready LOQ shapes file and/or ``loq.xsd``
    (searched recursively), and for JSON-LD a local copy of the ``edc-ap`` context.
    """
    path, folder = Path(path), Path(shapes_dir)
    fmt = fmt or format_for(path)
    if not folder.is_dir():
        raise SkillmapError(f"--validate {folder}: not a folder (give the folder holding the LOQ shapes / loq.xsd)")
    if fmt == "qdr-xml":
        return _validate_xsd(path, folder)
    return _validate_shacl(path, folder, fmt)


def _validate_xsd(path: Path, folder: Path) -> ValidationResult:
    from lxml import etree

    schemas = sorted(folder.rglob("loq.xsd"))
    if not schemas:
        raise SkillmapError(f"--validate {folder}: no loq.xsd found (pass the folder that holds the QDR XSD)")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    try:
        schema = etree.XMLSchema(etree.parse(str(schemas[0]), parser))
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        raise SkillmapError(f"cannot load the XSD {schemas[0]}: {exc}") from exc
    document = etree.parse(str(path), parser)
    ok = schema.validate(document)
    problems = tuple(f"line {e.line}: {e.message}" for e in schema.error_log) if not ok else ()
    return ValidationResult(ok, f"XSD {schemas[0].name}", problems)


def _validate_shacl(path: Path, folder: Path, fmt: str) -> ValidationResult:
    import rdflib

    rdflib.NORMALIZE_LITERALS = False  # keep "PT60H"^^xsd:duration as written
    from pyshacl import validate

    shapes_files = _find_shapes(folder)
    if not shapes_files:
        raise SkillmapError(f"--validate {folder}: no SHACL shapes (.ttl) found; pass the folder with the LOQ shapes")
    shapes = rdflib.Graph()
    for shapes_file in shapes_files:
        shapes.parse(shapes_file, format="turtle")
    data = rdflib.Graph()
    if fmt == "json-ld":
        context = _find_context(folder)
        if context is None:
            raise SkillmapError(
                f"--validate {folder}: validating JSON-LD offline needs a local copy of the ELM context "
                f"({JSONLD_CONTEXT_URL}, saved as edc-ap-context-v3.x.jsonld) in that folder; nothing is fetched"
            )
        document = json.loads(path.read_text(encoding="utf-8"))
        local = json.loads(context.read_text(encoding="utf-8"))["@context"]
        document["@context"] = [local if c == JSONLD_CONTEXT_URL else c for c in document["@context"]]
        data.parse(data=json.dumps(document), format="json-ld")
    else:
        data.parse(path, format="turtle")
    elm = rdflib.Namespace(ELM_NS)
    if not any(True for _ in data.subjects(rdflib.RDF.type, elm.Qualification)):
        return ValidationResult(False, "SHACL", ("no elm:Qualification in the file",))
    try:
        conforms, _graph, text = validate(
            data,
            shacl_graph=shapes,
            inference="none",
            ont_graph=None,
            do_owl_imports=False,
            advanced=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pyshacl raises plain exceptions, e.g. for Java-only regexes
        raise SkillmapError(
            f"pyshacl cannot run the shapes in {folder} ({str(exc).splitlines()[0]}); the official LOQ files use "
            "Java-only regexes: pass the folder with the pyshacl-ready merge (LOQ-v3.1-merged-pyshacl.ttl)"
        ) from exc
    problems = tuple(line.strip() for line in str(text).splitlines() if line.strip().startswith("Message:"))
    return ValidationResult(bool(conforms), f"SHACL {', '.join(p.name for p in shapes_files)}", problems)


# --- the whole job --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_europass` did: the export, where it went, and the validation outcome if asked."""

    export: ElmExport
    out: Path
    fmt: str
    validation: ValidationResult | None = None


class ExportInvalid(SkillmapError):
    """The written export did not pass validation; the file was not put in place."""

    def __init__(self, result: ValidationResult, out: Path) -> None:
        super().__init__(f"{out.name} does not conform ({result.engine}); nothing written")
        self.result = result


def write_report(export: ElmExport, path: str | Path) -> None:
    """Write the rows left out / changed as CSV or JSON (by extension), atomically."""
    path = Path(path)
    rows = [
        {"row": r.row, "code": r.code, "title": r.title, "status": r.status, "reason": r.reason} for r in export.report
    ]
    if path.suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"--report {path.name}: use a .csv or .json file")
    atomic_write_rows(path, rows, ["row", "code", "title", "status", "reason"])


def load_records(path: str | Path, *, country: str | None = None, fmt: str | None = None) -> list[RegisterRecord]:
    """Read an ``align`` output or a register with the registers reader (the one reader for every input)."""
    from skillmap.sources.registers import read_register

    try:
        return read_register(path, country=country, fmt=fmt)
    except SkillmapError as exc:
        if Path(path).name in exc.message:
            raise
        raise SkillmapError(f"{Path(path).name}: {exc.message}") from exc


def _classification_skills(records: Sequence[RegisterRecord]) -> dict[str, SkillInfo]:
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


def export_europass(
    input_path: str | Path,
    out: str | Path,
    options: ExportOptions,
    *,
    country: str | None = None,
    input_format: str | None = None,
    validate_with: str | Path | None = None,
    report: str | Path | None = None,
    nqf_level: NqfResolver | None = None,
    skills: Mapping[str, SkillInfo] | None = None,
) -> ExportResult:
    """Read ``input_path``, build the ELM records, write ``out`` (format by extension) atomically.

    With ``validate_with`` the file is validated before it is put in place: :class:`ExportInvalid` is raised and
    nothing is written when it does not conform. The report of rows left out goes to ``report`` (csv/json).
    Raises :class:`SkillmapError` for unusable input, options, or when no row can become a valid record.
    """
    out = Path(out)
    fmt = format_for(out)
    check_base_uri(options.base_uri)
    if report is not None and Path(report).suffix.lower() not in (".csv", ".json"):
        raise SkillmapError(f"--report {Path(report).name}: use a .csv or .json file")
    if validate_with is not None and not Path(validate_with).is_dir():
        raise SkillmapError(f"--validate {validate_with}: not a folder (give the folder holding the shapes / XSD)")
    records = load_records(input_path, country=country, fmt=input_format)
    if options.isced_map is not None:
        wanted = _key(options.isced_map.column)
        if not any(_key(k) == wanted for r in records for k in r.extra):
            raise SkillmapError(
                f"--isced-map column {options.isced_map.column!r} is not in {Path(input_path).name} "
                "(name the input column in the map's header)"
            )
    if skills is None:
        skills = _classification_skills(records)
    export = build_elm_export(records, options, nqf_level=nqf_level or nqf_resolver_from_frameworks(), skills=skills)
    if report is not None:
        write_report(export, report)
    if not export.qualifications:
        raise SkillmapError(
            f"none of the {export.rows} row(s) of {Path(input_path).name} can become a valid record "
            f"(first reason: {export.skipped[0].reason if export.skipped else 'none'}); nothing written"
            + (f" but the report {Path(report).name}" if report is not None else "")
        )
    text = serialise(export, fmt)
    validation = None
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
        if validate_with is not None:
            validation = validate_file(tmp, validate_with, fmt)
            if not validation.conforms:
                raise ExportInvalid(validation, out)
    return ExportResult(export=export, out=out, fmt=fmt, validation=validation)
