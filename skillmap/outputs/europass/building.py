"""Building: register records → ELM qualification records; a row that cannot be valid is reported, not emitted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from skillmap.errors import SkillmapError
from skillmap.model import RegisterRecord
from skillmap.outputs.europass.cells import clean_text, column_key, extra_value, list_items
from skillmap.outputs.europass.codelists import (
    EQF_URI,
    ESCO_SKILL_URI,
    SCHEMES,
    CodeLists,
    VocabConcept,
    load_code_lists,
)
from skillmap.outputs.europass.identifiers import HTTP_URL, SAFE_IRI, check_base_uri, mint_uri, short_hash
from skillmap.outputs.europass.microcredential_elements import microcredential_elements
from skillmap.outputs.europass.model import (
    ElmExport,
    ElmLearningOutcome,
    ElmLocation,
    ElmOrganisation,
    ElmQualification,
    ExportOptions,
    NqfResolver,
    RowReport,
    SkillInfo,
)

SUGGESTED = "suggested"  # the level status of a level align suggested from the outcomes (issue 11)


class RowSkipped(Exception):
    """A row that cannot become a valid record: ``reason`` goes to the report; ``hint`` names the export keyword
    that would keep it, when one would."""

    def __init__(self, reason: str, *, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


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
    default_isced = lists.isced_concepts(options.isced_f, hint="isced_f")
    for keyword, value in (("language", options.language), ("skill_label_lang", options.skill_label_lang)):
        if value and lists.language_concept(value) is None:
            raise SkillmapError(
                f"{value!r} is not an ISO 639-1 language code skillmap knows (e.g. en, fr, de)", hint=keyword
            )
    skills = skills or {}
    qualifications: list[ElmQualification] = []
    report: list[RowReport] = []
    seen: dict[str, int] = {}
    hashed = bool(records) and all(_code_is_a_row_number(r) for r in records)
    for row, record in enumerate(records, start=1):
        notes: list[str] = []
        try:
            code = stable_code(record) if hashed else clean_text(record.code)
            if code in seen:
                raise RowSkipped(_duplicate(code, seen[code], hashed=hashed))
            qualification = _qualification(
                row, record, code, options, base, lists, default_isced, nqf_level, skills, notes, hashed=hashed
            )
            seen[code] = row
        except RowSkipped as skip:
            report.append(RowReport(row, record.code, record.title, "skipped", skip.reason, skip.hint))
            continue
        qualifications.append(qualification)
        report.extend(RowReport(row, record.code, record.title, "note", note) for note in notes)
    qualifications.sort(key=lambda q: q.uri)
    warnings = (NO_CODE_WARNING,) if hashed else ()
    return ElmExport(qualifications=tuple(qualifications), report=tuple(report), rows=len(records), warnings=warnings)


NO_CODE_WARNING = (
    "the input has no code column: record IRIs are minted from a hash of country, title and awarding body, so "
    "they change when one of those changes; add a code column (the national code) for IRIs that last"
)


def _code_is_a_row_number(record: RegisterRecord) -> bool:
    """True when the registers reader made the code from the row number (``<register>-<row>``: no code column)."""
    prefix = f"{record.register}-"
    return record.code.startswith(prefix) and record.code[len(prefix) :].isdigit()


def stable_code(record: RegisterRecord) -> str:
    """The IRI part of a record without a code: a hash of its country, title and awarding body (``h-<12 hex>``),
    the same wherever the row stands in the file."""
    key = "\x1f".join(clean_text(x).casefold() for x in (record.country, record.title, record.awarding_body))
    return f"h-{short_hash(key)}"


def _duplicate(code: str, first: int, *, hashed: bool) -> str:
    if hashed:
        return f"same country, title and awarding body as row {first}; the IRI must be unique"
    return f"duplicate code {code!r} (first on row {first}); the IRI must be unique"


def _qualification(
    row: int,
    record: RegisterRecord,
    code: str,
    options: ExportOptions,
    base: str,
    lists: CodeLists,
    default_isced: tuple[VocabConcept, ...],
    nqf_level: NqfResolver,
    skills: Mapping[str, SkillInfo],
    notes: list[str],
    *,
    hashed: bool = False,
) -> ElmQualification:
    title = clean_text(record.title)
    if not code:
        raise RowSkipped("no code: a record IRI is minted from the national code")
    if not title:
        raise RowSkipped("no title")

    # Levels: exactly one EQF level, and the QDR concept of the national level (never the framework concept).
    # A suggested level (align --suggest-levels) is never an EQF level: the QDR takes referenced levels only.
    if record.level_status == SUGGESTED or (record.eqf_level is None and record.extra.get("suggested_eqf")):
        raise RowSkipped("suggested level only")
    if record.level_status == "ambiguous":
        raise RowSkipped(f"ambiguous level {record.nqf_level or ''}: one EQF level is required".replace("  ", " "))
    if record.eqf_level is None:
        raise RowSkipped(f"no EQF level (level status: {record.level_status or 'missing'})")
    if not 1 <= int(record.eqf_level) <= 8:
        raise RowSkipped(f"EQF level {record.eqf_level} is not 1–8")
    eqf = VocabConcept(EQF_URI.format(level=int(record.eqf_level)), f"Level {int(record.eqf_level)}", SCHEMES["eqf"])
    nqf_text = clean_text(record.nqf_level)
    if not nqf_text:
        raise RowSkipped("no NQF level")
    framework = clean_text(record.extra.get("framework", ""))
    nqf = nqf_level(record.country, nqf_text, framework)
    if nqf is None:
        raise RowSkipped(
            f"no QDR NQF level concept for {record.country} {framework} level {nqf_text}".replace("  ", " "),
            hint="nqf_same_eqf",
        )
    if nqf.note:
        notes.append(nqf.note)

    language = _record_language(record, options, lists)
    lang = language[0]
    isced = _record_isced(record, options, lists, default_isced)
    outcomes = _outcomes(record, code, lang, options, base, lists, skills, notes)

    uri = mint_uri(base, "qualification", code)
    titles = ((lang, title),)
    alt = sorted({(lang, t) for t in (clean_text(x) for x in record.titles) if t and t != title})
    summary_text = clean_text(record.learning_outcomes)
    summary = (mint_uri(base, "note", code, "learning-outcome-summary"), lang, summary_text) if summary_text else None
    homepage = None
    url = clean_text(record.url)
    if url:
        if HTTP_URL.match(url) and SAFE_IRI.match(url):
            homepage = (mint_uri(base, "web-resource", code), url)
        else:
            notes.append(f"homepage left out: {url!r} is not an http(s) URL")

    bodies: tuple[ElmOrganisation, ...] = ()
    location = None
    awarding_uri = ""
    names = [n for n in (clean_text(x) for x in list_items(record.awarding_body or "")) if n]
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

    micro = microcredential_elements(record, code, base, lang, lists, notes, awarding_bodies=bodies, location=location)
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
        identifier_uri="" if hashed else mint_uri(base, "identifier", code),
        scheme_name=clean_text(record.register),
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
        wanted, source = options.language.strip().lower(), "the export options"
    if not wanted:
        raise RowSkipped(
            f"no language: {record.country or 'the country'} has several or none in our list; give the language "
            "of the titles",
            hint="language",
        )
    wanted = wanted.replace("_", "-").split("-")[0]  # "en-GB" → "en": the EU list has no regional variants
    concept = lists.language_concept(wanted)
    if concept is None:
        raise RowSkipped(f"language {wanted!r} (from {source}) is not an ISO 639-1 code skillmap knows")
    return wanted, concept


def _record_isced(
    record: RegisterRecord, options: ExportOptions, lists: CodeLists, default: tuple[VocabConcept, ...]
) -> tuple[VocabConcept, ...]:
    # the record's own field, or an input column named like it ("ISCED-F", "isced_f_code") carried in extra
    given = (record.isced_f or "").strip() or extra_value(record.extra, ("iscedf", "iscedfcode", "iscedf2013", "isced"))
    own = [c for c in list_items(given) if c]
    if own:
        concepts = []
        for code in own:
            concept = lists.isced_concept(code)
            if concept is None:
                raise RowSkipped(f"ISCED-F code {code!r} does not exist in ISCED-F 2013")
            concepts.append(concept)
        return tuple(sorted(set(concepts)))
    if options.isced_map is not None:
        value = extra_value(record.extra, (column_key(options.isced_map.column),))
        codes = options.isced_map.lookup(value) if value else ()
        if codes:
            return tuple(sorted({c for c in (lists.isced_concept(x) for x in codes) if c is not None}))
        if not default:
            what = f"{options.isced_map.column} {value!r}" if value else f"no {options.isced_map.column} value"
            raise RowSkipped(f"no ISCED-F code: {what} is not in {options.isced_map.source or 'the ISCED-F map'}")
    if default:
        return tuple(sorted(default))
    raise RowSkipped(
        "no ISCED-F code: give the input an isced_f column, a default ISCED-F code or a subject-to-ISCED-F map",
        hint="isced_f",
    )


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
        if not SAFE_IRI.match(skill_uri):
            notes.append(f"skill {skill_uri!r} left out: not an http(s) IRI")
            continue
        info = skills.get(skill_uri)
        skill_labels: dict[str, str] = {}
        given = clean_text(labels[index]) if index < len(labels) else ""
        if given:
            skill_labels[options.skill_label_lang] = given
        if info is not None:
            for lang in {"en", record.language or options.language}:
                if lang and info.labels.get(lang) and lang not in skill_labels:
                    skill_labels[lang] = clean_text(info.labels[lang])
        if not skill_labels:
            notes.append(f"skill {skill_uri} left out: no label (import ESCO or keep skill_labels in the input)")
            continue
        local = skill_uri.rstrip("/").rsplit("/", 1)[-1]
        lo_uri = mint_uri(base, "learning-outcome", code, local)
        if lo_uri in outcomes:  # two frameworks' skills ending alike: disambiguate stably
            lo_uri = mint_uri(base, "learning-outcome", code, short_hash(skill_uri))
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
            part = block_code or short_hash(label)
            lo_uri = mint_uri(base, "learning-outcome", code, part)
            if lo_uri not in outcomes:
                outcomes[lo_uri] = ElmLearningOutcome(
                    uri=lo_uri, title=((lang, label),), skill_uri=None, skill_labels=()
                )
    if not outcomes:
        raise RowSkipped(
            "no learning outcome: no ESCO skill linked (align the register first, or keep its skills column)"
        )
    return tuple(outcomes[k] for k in sorted(outcomes))


def _competence_blocks(record: RegisterRecord) -> list[tuple[str, str]]:
    """(block code, label) pairs from ``extra["competence_blocks"]`` ("CODE: label | CODE: label"); label required."""
    blocks: list[tuple[str, str]] = []
    for item in list_items(record.extra.get("competence_blocks", "") or ""):
        block_code, sep, label = item.partition(":")
        if not sep:
            block_code, label = "", item
        block_code, label = clean_text(block_code), clean_text(label)
        if label:
            blocks.append((block_code, label))
    return blocks
